"""The user's chosen language model, for research: refining a wizard DNA and topic ideas.

Why optional and guarded: with the embedded defaults nothing leaves the
machine (promise P20), so a model is used only when the user's writer is one
(``writer`` in the request, else ``REELFORGE_WRITER``), with the user's own
key first (P09). A model's answer is checked like any input; when it fails or
answers nonsense, the offline result is kept and the caller says so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from reelforge.accounts.provider_keys import credential_for
from reelforge.deps import Deps
from reelforge.errors import ReelforgeError
from reelforge.providers import registry
from reelforge.providers.base import LLM, CompletionRequest
from reelforge.research.analytics_results import Breakout, VideoRef
from reelforge.research.dna.profile import ContentDNA, clean_items
from reelforge.research.ideas import Idea, IdeasResult, ideas_prompt

OFFLINE = "offline"
_FENCE = re.compile(r"^\s*```[A-Za-z]*\s*\n?(.*?)\n?\s*```\s*$", re.DOTALL)

REFINE_SYSTEM = (
    "You tidy a short-form video creator's style profile (Content DNA) that came from a "
    "questionnaire. Keep the creator's meaning and words; make niche, audience, voice and "
    "tone, and visual style specific and concise; add up to three hook styles or calls to "
    "action only if they clearly fit. Never remove a phrase to avoid. Reply with one JSON "
    "object with the same fields as the input. No prose, no markdown."
)


class AnswerError(ValueError):
    """A model's answer could not be used; the message says why."""


def writer_name(deps: Deps, writer: str | None) -> str:
    """The writer asked for (else the server's default), checked: InputError if unknown."""
    name = writer or deps.settings.writer
    registry.provider_class("llm", name)
    return name


def user_llm(db: Session, deps: Deps, *, owner_id: str, writer: str) -> LLM:
    """The user's model, built with their own key first (P09); ConfigError without one."""
    name = writer
    cls = registry.provider_class("llm", name)
    credential = None
    if cls.needs_key:
        credential = credential_for(db, deps.vault, deps.settings, user_id=owner_id, provider=name)
    llm: LLM = registry.create("llm", name, deps.settings, credential=credential)
    return llm


def json_object(text: str) -> dict[str, Any]:
    """The JSON object in a model's answer (fences and chatter around it tolerated)."""
    stripped = text.strip()
    fenced = _FENCE.match(stripped)
    if fenced:
        stripped = fenced.group(1).strip()
    start, end = stripped.find("{"), stripped.rfind("}")
    if start == -1 or end <= start:
        raise AnswerError("the answer holds no JSON object")
    try:
        data = json.loads(stripped[start : end + 1])
    except json.JSONDecodeError as exc:
        raise AnswerError(f"the answer is not valid JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise AnswerError("the answer is not a JSON object")
    return data


def refine_dna(llm: LLM, dna: ContentDNA) -> ContentDNA:
    """The model's tidier version of ``dna``; the user's own choices always win.

    Pacing and length stay as answered, and every phrase to avoid is kept.
    """
    fields = set(ContentDNA.model_fields)
    request = CompletionRequest(
        task="dna_refine",
        system=REFINE_SYSTEM,
        user="Content DNA from the questionnaire:\n" + dna.model_dump_json(indent=1),
        inputs={"dna": dna.model_dump(mode="json")},
        json_schema=ContentDNA.model_json_schema(),
    )
    data = json_object(llm.complete(request).text)
    merged = {**dna.model_dump(), **{k: v for k, v in data.items() if k in fields}}
    merged["words_per_minute"], merged["target_seconds"] = dna.words_per_minute, dna.target_seconds
    merged["phrases_to_avoid"] = clean_items(
        [*dna.phrases_to_avoid, *[str(p) for p in merged.get("phrases_to_avoid") or []]]
    )[:50]
    try:
        return ContentDNA.model_validate(merged)
    except ValidationError as exc:
        raise AnswerError(
            f"the refined profile is invalid ({exc.error_count()} problems)"
        ) from None


def llm_ideas(
    llm: LLM,
    breakouts: Sequence[Breakout | VideoRef],
    *,
    dna: ContentDNA | None,
    limit: int,
) -> IdeasResult:
    """Topic ideas from the user's model, from the same inputs as the heuristic."""
    system, user = ideas_prompt(breakouts, dna=dna, limit=limit)
    completion = llm.complete(
        CompletionRequest(
            task="ideas",
            system=system,
            user=user,
            inputs={"limit": limit},
            json_schema={"type": "object", "properties": {"ideas": {"type": "array"}}},
        )
    )
    items = json_object(completion.text).get("ideas")
    if not isinstance(items, list):
        raise AnswerError('the answer has no "ideas" list')
    known = {b.video_id for b in breakouts}
    ideas: list[Idea] = []
    for item in items[:limit]:
        if not isinstance(item, dict):
            continue
        try:
            idea = Idea.model_validate({"based_on": [], "why": "", **item})
        except ValidationError:
            continue
        idea.based_on = [v for v in idea.based_on if v in known]
        ideas.append(idea)
    if not ideas:
        raise AnswerError("the answer has no usable idea")
    model = completion.model or "unknown model"
    note = f"Suggested by your {llm.name} model ({model}) from your breakout videos and niche."
    return IdeasResult(source="llm", note=note, ideas=ideas)


def failure_note(writer: str, error: Exception) -> str:
    reason = error.message if isinstance(error, ReelforgeError) else str(error)
    return f"Your {writer} model could not be used ({reason}); the offline result is shown."
