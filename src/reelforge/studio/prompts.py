"""The words reelforge says to language models, kept in one place.

Why a module of its own: the prompt is the part of the Write stage people tune
most, and keeping it apart from the parsing/retry logic in ``write.py`` means
an edit here cannot break validation. The JSON schema sent with the request is
built from the :class:`~reelforge.studio.models.Script` field limits, so the
model is asked for exactly what ``Script`` will accept.
"""

from __future__ import annotations

import json
from typing import Any

from annotated_types import MaxLen, MinLen

from reelforge.studio.models import Scene, Script

#: Editors' rules, mirrored by the checks in ``studio/review.py``.
HOOK_MAX_WORDS = 11
ON_SCREEN_MAX_WORDS = 6


def _limit(model: type[Script] | type[Scene], field: str, kind: type[Any]) -> int:
    """Read a min/max length constraint declared on a pydantic field."""
    for item in model.model_fields[field].metadata:
        if isinstance(item, kind):
            value = item.min_length if isinstance(item, MinLen) else item.max_length
            return int(value)
    raise LookupError(f"{model.__name__}.{field} declares no {kind.__name__}")


def script_schema() -> dict[str, Any]:
    """JSON schema of the part of a Script the model writes (no topic/writer/model/visual)."""
    scene = {
        "type": "object",
        "properties": {
            "narration": {
                "type": "string",
                "description": "What the voice says in this scene, written to be spoken.",
                "maxLength": _limit(Scene, "narration", MaxLen),
            },
            "on_screen_text": {
                "type": "string",
                "description": f"A caption of at most {ON_SCREEN_MAX_WORDS} words.",
                "maxLength": _limit(Scene, "on_screen_text", MaxLen),
            },
            "search_terms": {
                "type": "array",
                "items": {"type": "string"},
                "minItems": _limit(Scene, "search_terms", MinLen),
                "maxItems": _limit(Scene, "search_terms", MaxLen),
                "description": "Concrete things a camera could film, best first.",
            },
        },
        "required": ["narration", "on_screen_text", "search_terms"],
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "properties": {
            "title": {"type": "string", "maxLength": _limit(Script, "title", MaxLen)},
            "hook": {
                "type": "string",
                "description": f"At most {HOOK_MAX_WORDS} words; scene 1 opens with it.",
            },
            "scenes": {
                "type": "array",
                "items": scene,
                "minItems": _limit(Script, "scenes", MinLen),
                "maxItems": _limit(Script, "scenes", MaxLen),
            },
            "call_to_action": {"type": "string"},
            "hashtags": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["title", "hook", "scenes", "call_to_action", "hashtags"],
        "additionalProperties": False,
    }


SCRIPT_SYSTEM = f"""\
You write scripts for vertical short videos (TikTok, Reels, Shorts) that people watch to the end.
Rules:
- Open with the hook: under {HOOK_MAX_WORDS + 1} words, no greeting, no intro. Never say "in this \
video", "hey guys", "welcome back" or "today we're going to".
- The first scene's narration starts with the hook, word for word.
- One idea per scene; short spoken sentences; concrete examples over abstractions.
- Write numbers, units and symbols as words ("fifty percent", not "50%").
- On-screen text: at most {ON_SCREEN_MAX_WORDS} words, never a copy of the narration.
- Search terms: one to three things a camera can film (objects, places, actions), best first, \
different in every scene.
- End with the call to action.
Reply with one JSON object that matches the schema. No prose, no markdown."""

_DNA_LABELS = {
    "niche": "Niche",
    "audience": "Audience",
    "tone": "Tone",
    "hook_styles": "Hook styles that work for this creator",
    "phrases_to_use": "Phrases to use where natural",
    "phrases_to_avoid": "Never use these phrases",
    "calls_to_action": "Calls to action to choose from",
    "target_seconds": "Target length in seconds",
}


def _dna_lines(dna: dict[str, Any]) -> list[str]:
    lines = []
    for key, label in _DNA_LABELS.items():
        value = dna.get(key)
        if value in (None, "", [], ()):
            continue
        text = ", ".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)
        lines.append(f"- {label}: {text}")
    return lines


def script_user_prompt(*, topic: str, max_words: int, dna: dict[str, Any] | None) -> str:
    """The user turn: topic, length budget, the creator's DNA, and the schema."""
    parts = [
        f"Topic: {topic}",
        f"Total narration across all scenes: at most {max_words} words.",
    ]
    dna_lines = _dna_lines(dna or {})
    if dna_lines:
        parts.append("The creator's style (Content DNA):\n" + "\n".join(dna_lines))
    parts.append("JSON schema of the answer:\n" + json.dumps(script_schema(), indent=1))
    return "\n\n".join(parts)


def script_retry_prompt(*, error: str) -> str:
    """Sent after an invalid answer, with the validation error, for the one retry."""
    return (
        "That answer could not be used:\n"
        f"{error}\n"
        "Reply again with the complete corrected JSON object only, following the schema and rules."
    )
