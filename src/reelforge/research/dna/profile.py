"""Content DNA: the creator's own style profile, and the wizard that builds one.

Why a fixed, validated shape: every script the studio writes is steered by
it (the LLM prompt carries it; the offline writer picks hook style, length
and call to action from it), so it must be something both a person and the
writer can rely on — bounded lengths, no blank items, pacing within what a
voice can read. The wizard's questions are *data* so the CLI, the API
(``GET /api/v1/dna/wizard``) and the dashboard ask exactly the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from reelforge.errors import InputError
from reelforge.research.title_words import HOOK_LABELS

ITEM_MAX = 120


def clean_items(values: list[str]) -> list[str]:
    """Strip, drop blanks, drop case-insensitive repeats, keep order."""
    seen: dict[str, str] = {}
    for value in values:
        text = " ".join(str(value).split())
        if text and text.lower() not in seen:
            seen[text.lower()] = text
    return list(seen.values())


class ContentDNA(BaseModel):
    """A creator's style. Every field is optional except the pacing, which has defaults."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    niche: str = Field(default="", max_length=200)
    audience: str = Field(default="", max_length=300)
    voice_and_tone: str = Field(default="", max_length=300)
    hook_styles: list[str] = Field(default_factory=list, max_length=8)
    phrases_to_use: list[str] = Field(default_factory=list, max_length=30)
    phrases_to_avoid: list[str] = Field(default_factory=list, max_length=50)
    calls_to_action: list[str] = Field(default_factory=list, max_length=10)
    words_per_minute: int = Field(default=150, ge=90, le=240)
    target_seconds: int = Field(default=45, ge=10, le=180)
    visual_style: str = Field(default="", max_length=300)
    posting_goals: str = Field(default="", max_length=300)

    @field_validator("hook_styles", "phrases_to_use", "phrases_to_avoid", "calls_to_action")
    @classmethod
    def _items(cls, value: list[str]) -> list[str]:
        items = clean_items(value)
        too_long = [i for i in items if len(i) > ITEM_MAX]
        if too_long:
            raise ValueError(f"items must be at most {ITEM_MAX} characters: {too_long[0][:40]}…")
        return items

    def for_writer(self) -> dict[str, Any]:
        """The dict the studio's writer reads (``tone`` is its name for voice and tone)."""
        out: dict[str, Any] = {
            "niche": self.niche,
            "audience": self.audience,
            "tone": self.voice_and_tone,
            "hook_styles": self.hook_styles,
            "phrases_to_use": self.phrases_to_use,
            "phrases_to_avoid": self.phrases_to_avoid,
            "calls_to_action": self.calls_to_action,
            "target_seconds": self.target_seconds,
            "words_per_minute": self.words_per_minute,
            "visual_style": self.visual_style,
        }
        return {k: v for k, v in out.items() if v not in ("", [], None)}


# --- the wizard --------------------------------------------------------------------

Kind = Literal["text", "choice", "multi", "list", "number"]


class WizardQuestion(BaseModel):
    """One question; ``id`` is the DNA field its answer fills."""

    id: str
    prompt: str
    help: str = ""
    kind: Kind
    required: bool = False
    choices: list[str] = Field(default_factory=list)
    min_items: int = 0
    max_items: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    default: str | int | list[str] | None = None


TONES = ["friendly", "energetic", "calm", "witty", "expert", "blunt", "warm", "playful"]
HOOK_CHOICES = [*HOOK_LABELS.values(), "bold claim", "secret / reveal", "personal story"]

WIZARD_QUESTIONS: list[WizardQuestion] = [
    WizardQuestion(
        id="niche",
        prompt="What are your videos about?",
        help="Your niche in a few words, e.g. 'sourdough baking for beginners'.",
        kind="text",
        required=True,
        max_length=200,
    ),
    WizardQuestion(
        id="audience",
        prompt="Who watches them?",
        help="e.g. 'busy parents who bake at weekends'.",
        kind="text",
        required=True,
        max_length=300,
    ),
    WizardQuestion(
        id="voice_and_tone",
        prompt="How do you sound? Pick one to three.",
        kind="multi",
        required=True,
        choices=TONES,
        min_items=1,
        max_items=3,
    ),
    WizardQuestion(
        id="hook_styles",
        prompt="How do you like to open a video? Pick one to three.",
        kind="multi",
        choices=HOOK_CHOICES,
        min_items=1,
        max_items=3,
        required=True,
    ),
    WizardQuestion(
        id="phrases_to_use",
        prompt="Phrases you like to use (one per line, optional).",
        kind="list",
        max_items=30,
    ),
    WizardQuestion(
        id="phrases_to_avoid",
        prompt="Words or phrases the script must never use (one per line, optional).",
        kind="list",
        max_items=50,
    ),
    WizardQuestion(
        id="calls_to_action",
        prompt="How do you end a video? Your calls to action (one per line).",
        kind="list",
        max_items=10,
        default=["Follow for more"],
    ),
    WizardQuestion(
        id="words_per_minute",
        prompt="How fast do you talk, in words per minute? (130 relaxed, 150 usual, 180 fast)",
        kind="number",
        minimum=90,
        maximum=240,
        default=150,
    ),
    WizardQuestion(
        id="target_seconds",
        prompt="How long should a video be, in seconds?",
        kind="number",
        minimum=10,
        maximum=180,
        default=45,
    ),
    WizardQuestion(
        id="visual_style",
        prompt="What should it look like? (optional, e.g. 'bright kitchen close-ups')",
        kind="text",
        max_length=300,
    ),
    WizardQuestion(
        id="posting_goals",
        prompt="What are your posting goals? (optional, e.g. '3 videos a week')",
        kind="text",
        max_length=300,
    ),
]
_BY_ID = {q.id: q for q in WIZARD_QUESTIONS}


def _split(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return clean_items([str(v) for v in value])
    if isinstance(value, str):
        return clean_items(re.split(r"[\n,;]+", value))
    raise ValueError("give a list or text with one item per line")


def _answer(q: WizardQuestion, raw: Any) -> Any:
    """The validated value for one question, or ValueError saying what to fix."""
    if q.kind == "number":
        try:
            number = int(str(raw).strip())
        except ValueError:
            raise ValueError("give a whole number") from None
        if (
            q.minimum is not None
            and q.maximum is not None
            and not (q.minimum <= number <= q.maximum)
        ):
            raise ValueError(f"give a number from {q.minimum} to {q.maximum}")
        return number
    if q.kind == "text":
        text = " ".join(str(raw).split())
        if q.max_length and len(text) > q.max_length:
            raise ValueError(f"keep it under {q.max_length} characters")
        return text
    items = _split([raw] if q.kind == "choice" else raw)
    if q.choices:
        lookup = {c.lower(): c for c in q.choices}
        unknown = [i for i in items if i.lower() not in lookup]
        if unknown:
            raise ValueError(f"{unknown[0]!r} is not a choice; pick from: {', '.join(q.choices)}")
        items = [lookup[i.lower()] for i in items]
    if len(items) < max(q.min_items, 1 if q.required else 0):
        raise ValueError(f"pick at least {max(q.min_items, 1)}")
    if q.max_items is not None and len(items) > q.max_items:
        raise ValueError(f"pick at most {q.max_items}")
    if any(len(i) > ITEM_MAX for i in items):
        raise ValueError(f"keep each item under {ITEM_MAX} characters")
    return items[0] if q.kind == "choice" else items


def dna_from_answers(answers: Mapping[str, Any]) -> ContentDNA:
    """Turn wizard answers into a profile; InputError lists every answer that needs fixing."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for key in answers:
        if key not in _BY_ID:
            errors[key] = f"unknown question; the questions are: {', '.join(_BY_ID)}"
    for q in WIZARD_QUESTIONS:
        raw = answers.get(q.id)
        if raw is None or (isinstance(raw, str | list | tuple) and not raw):
            if q.required:
                errors[q.id] = "this question needs an answer"
            elif q.default is not None:
                values[q.id] = q.default
            continue
        try:
            values[q.id] = _answer(q, raw)
        except ValueError as exc:
            errors[q.id] = str(exc)
    if errors:
        listed = "; ".join(f"{k}: {v}" for k, v in errors.items())
        raise InputError(f"Some answers need fixing — {listed}.", details={"errors": errors})
    if isinstance(values.get("voice_and_tone"), list):
        values["voice_and_tone"] = ", ".join(values["voice_and_tone"])
    return ContentDNA(**values)
