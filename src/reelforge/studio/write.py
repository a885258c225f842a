"""Write stage: a topic (and the creator's Content DNA) in, a validated Script out.

Why the retry-once rule: language models sometimes answer with broken JSON or
a script that breaks a limit (a 14-word hook, nine scenes). Sending the answer
back with the exact validation error fixes most of these in one turn; a second
failure means the model cannot do the job, and the user is better served by a
clear error than by more paid calls.

Every script comes back with the editor's warnings (``studio/review.py``); a
script from the offline writer also says plainly that no model wrote it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import ValidationError

from reelforge.errors import InputError, ProviderError
from reelforge.providers.base import LLM, CompletionRequest
from reelforge.studio.models import Script
from reelforge.studio.prompts import (
    SCRIPT_SYSTEM,
    script_retry_prompt,
    script_schema,
    script_user_prompt,
)
from reelforge.studio.review import review_script

MAX_TOPIC_CHARS = 200
TEMPLATE_MODEL = "template"
OFFLINE_WARNING = (
    "Written by the offline template writer — no language model was used. The script follows a "
    "generic structure: edit the JSON, or set REELFORGE_WRITER to openai (any OpenAI-compatible "
    "server, e.g. a local Ollama), anthropic or gemini for a script written by a model."
)

_FENCE = re.compile(r"^\s*```[A-Za-z]*\s*\n?(.*?)\n?\s*```\s*$", re.DOTALL)
_SCENE_KEYS = ("narration", "on_screen_text", "search_terms")
_EXAMPLE = '"why bread goes stale"'


@dataclass(frozen=True)
class WriteResult:
    script: Script
    warnings: list[str] = field(default_factory=list)


class ScriptOutputError(ValueError):
    """A model's answer could not be turned into a Script; the message says why."""


def validate_topic(topic: str) -> str:
    """The topic with its whitespace tidied, or an InputError that says what to do."""
    cleaned = " ".join((topic or "").split())
    if not cleaned:
        raise InputError(f"The topic is empty: give a short subject, e.g. {_EXAMPLE}.")
    if len(cleaned) > MAX_TOPIC_CHARS:
        raise InputError(
            f"The topic is {len(cleaned)} characters long; keep it to {MAX_TOPIC_CHARS} or fewer. "
            f"A short subject such as {_EXAMPLE} works best — add details by editing the script."
        )
    if not any(ch.isalpha() for ch in cleaned):
        raise InputError(
            f"The topic {cleaned!r} has no words in it: describe a subject in words, e.g. "
            f"{_EXAMPLE}."
        )
    return cleaned


def _json_text(text: str) -> str:
    """The JSON inside an answer, tolerating ```json fences and chatter around the object."""
    stripped = text.strip()
    fenced = _FENCE.match(stripped)
    if fenced:
        stripped = fenced.group(1).strip()
    if not stripped.startswith("{"):
        start, end = stripped.find("{"), stripped.rfind("}")
        if start != -1 and end > start:
            stripped = stripped[start : end + 1]
    return stripped


def _known_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Drop keys the model was not asked for (we set topic/writer/model; storyboard sets visual)."""
    wanted = script_schema()["properties"]
    kept = {k: v for k, v in data.items() if k in wanted}
    scenes = kept.get("scenes")
    if isinstance(scenes, list):
        kept["scenes"] = [
            {k: v for k, v in s.items() if k in _SCENE_KEYS} if isinstance(s, dict) else s
            for s in scenes
        ]
    return kept


def _describe(error: ValidationError) -> str:
    problems = []
    for item in error.errors()[:10]:
        where = ".".join(str(p) for p in item["loc"]) or "(top level)"
        problems.append(f"{where}: {item['msg']}")
    return "; ".join(problems)


def parse_script(text: str, *, topic: str, writer: str, model: str) -> Script:
    """Turn a model's answer into a Script, or raise ScriptOutputError saying what is wrong."""
    try:
        data = json.loads(_json_text(text))
    except json.JSONDecodeError as exc:
        raise ScriptOutputError(
            f"The answer is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})."
        ) from exc
    if not isinstance(data, dict):
        raise ScriptOutputError(
            f"The answer must be one JSON object with the script's fields, not a {type(data).__name__}."
        )
    fields = _known_fields(data)
    fields.update(topic=topic, writer=writer, model=model)
    try:
        return Script.model_validate(fields)
    except ValidationError as exc:
        raise ScriptOutputError(_describe(exc)) from exc


def script_request(
    *, topic: str, dna: dict[str, Any] | None, max_words: int, words_per_minute: float
) -> CompletionRequest:
    return CompletionRequest(
        task="script",
        system=SCRIPT_SYSTEM,
        user=script_user_prompt(topic=topic, max_words=max_words, dna=dna),
        inputs={
            "topic": topic,
            "dna": dict(dna or {}),
            "max_words": max_words,
            "words_per_minute": words_per_minute,
        },
        json_schema=script_schema(),
    )


def write_script(
    *,
    topic: str,
    llm: LLM,
    dna: dict[str, Any] | None = None,
    words_per_minute: float = 160,
    max_seconds: float = 60,
) -> WriteResult:
    """Ask ``llm`` for a script about ``topic``; validate it; retry once with the error.

    ``words_per_minute`` and ``max_seconds`` set the narration budget in words;
    the real length comes later from the voice.
    """
    topic = validate_topic(topic)
    if words_per_minute <= 0 or max_seconds <= 0:
        raise InputError("words_per_minute and max_seconds must be positive numbers.")
    max_words = int(max_seconds * words_per_minute / 60)
    request = script_request(
        topic=topic, dna=dna, max_words=max_words, words_per_minute=words_per_minute
    )
    completion = llm.complete(request)
    try:
        script = parse_script(completion.text, topic=topic, writer=llm.name, model=completion.model)
    except ScriptOutputError as first:
        retry = replace(
            request,
            user=script_retry_prompt(error=str(first)),
            history=(*request.history, ("user", request.user), ("assistant", completion.text)),
        )
        completion = llm.complete(retry)
        try:
            script = parse_script(
                completion.text, topic=topic, writer=llm.name, model=completion.model
            )
        except ScriptOutputError as second:
            raise ProviderError(
                f"The {llm.name} writer (model {completion.model or 'unknown'}) returned an "
                f"unusable script twice. Last problem: {second} Try again, choose a stronger "
                "model, or use the offline writer (REELFORGE_WRITER=offline).",
                provider=llm.name,
                retryable=False,
                details={"validation_error": str(second), "first_error": str(first)},
            ) from second

    warnings = [OFFLINE_WARNING] if script.model == TEMPLATE_MODEL else []
    warnings += review_script(script, words_per_minute=words_per_minute, max_seconds=max_seconds)
    return WriteResult(script=script, warnings=warnings)
