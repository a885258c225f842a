"""The scene editor: a video's script as a form of scenes, and that form read back.

A draft is what the form holds — possibly not a valid script yet (a scene with
no narration, nine scenes) — so that a bad edit is shown again with the message
next to the field that is wrong and nothing typed is lost. Moving, adding and
deleting scenes are form actions answered with the edited draft (htmx swaps in
just the editor; without JavaScript the whole page comes back), and nothing is
saved until "Save and re-render". The editor's warnings
(:func:`~reelforge.studio.review.review_script`) are shown beside the scene they
name; each scene also shows its length and whether the last render redid it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from reelforge.studio.models import Scene, Script
from reelforge.studio.review import MAX_SCENES, MIN_SCENES, review_script
from reelforge.videos.report import RenderReport

FORM_MAX_SCENES = 16  # a form with more is cut here (the script allows MAX_SCENES)
VISUAL_KINDS = {
    "": "Chosen for me (the storyboard decides)",
    "stock": "Stock or library search",
    "generated": "Generated image",
    "procedural": "Procedural background",
}
VISUAL_TEXT = {"stock": "query", "generated": "prompt", "procedural": "style"}


@dataclass
class SceneDraft:
    narration: str = ""
    on_screen_text: str = ""
    search_terms: str = ""  # as typed: terms separated by commas
    visual_kind: str = ""  # "" leaves the choice to the storyboard
    visual_text: str = ""  # the search, prompt or style, by kind
    origin: int | None = None  # its place in the saved script; None: added in this edit
    warnings: list[str] = field(default_factory=list)
    duration: float | None = None  # seconds, in the last render
    redone: bool | None = None  # whether the last render encoded it (None: not rendered)


@dataclass
class Draft:
    title: str = ""
    hook: str = ""
    call_to_action: str = ""
    scenes: list[SceneDraft] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)  # field id -> what is wrong
    warnings: list[str] = field(default_factory=list)  # the script's, not one scene's
    hook_warnings: list[str] = field(default_factory=list)
    focus: str = ""  # the control to focus after an action (an element id)
    unsaved: bool = False
    longest: float = 0.0  # the longest scene's duration, for the bars
    first_render: bool = False  # the last render was the first: every scene was made

    def has_errors(self, prefix: str) -> bool:
        return any(name.startswith(prefix) for name in self.errors)

    @property
    def min_scenes(self) -> int:
        return MIN_SCENES

    @property
    def max_scenes(self) -> int:
        return MAX_SCENES


def _terms(raw: str) -> list[str]:
    return [t.strip() for t in raw.split(",") if t.strip()]


def from_script(script: Mapping[str, Any]) -> Draft:
    """The saved script as a draft."""
    scenes = []
    for i, scene in enumerate(script.get("scenes") or []):
        visual = scene.get("visual") or {}
        kind = str(visual.get("kind") or "")
        scenes.append(
            SceneDraft(
                narration=str(scene.get("narration", "")),
                on_screen_text=str(scene.get("on_screen_text", "")),
                search_terms=", ".join(scene.get("search_terms") or []),
                visual_kind=kind if kind in VISUAL_KINDS else "",
                visual_text=str(visual.get(VISUAL_TEXT.get(kind, "query"), "")),
                origin=i,
            )
        )
    return Draft(
        title=str(script.get("title", "")),
        hook=str(script.get("hook", "")),
        call_to_action=str(script.get("call_to_action", "")),
        scenes=scenes,
    )


def from_form(form: Mapping[str, Any]) -> Draft:
    """The draft a submitted editor form holds (every value as typed)."""

    def text(name: str) -> str:
        value = form.get(name)
        return value if isinstance(value, str) else ""

    try:
        count = max(0, min(int(text("scene_count") or 0), FORM_MAX_SCENES))
    except ValueError:
        count = 0
    scenes = []
    for i in range(count):
        origin = text(f"scene-{i}-origin")
        kind = text(f"scene-{i}-visual_kind")
        scenes.append(
            SceneDraft(
                narration=text(f"scene-{i}-narration"),
                on_screen_text=text(f"scene-{i}-on_screen_text"),
                search_terms=text(f"scene-{i}-search_terms"),
                visual_kind=kind if kind in VISUAL_KINDS else "",
                visual_text=text(f"scene-{i}-visual_text"),
                origin=int(origin) if origin.isdigit() else None,
            )
        )
    return Draft(
        title=text("title"),
        hook=text("hook"),
        call_to_action=text("call_to_action"),
        scenes=scenes,
    )


def apply(draft: Draft, action: str) -> None:
    """Move a scene up or down, add one after it, or delete it (``up:2``, ``add:end``)."""
    verb, _, where = action.partition(":")
    scenes = draft.scenes
    n = len(scenes)
    i = n - 1 if where == "end" else int(where) if where.isdigit() else -1
    if verb == "add" and -1 <= i < n and n < FORM_MAX_SCENES:
        scenes.insert(i + 1, SceneDraft())
        draft.focus = f"scene-{i + 1}-narration"
    elif not 0 <= i < n:
        return
    elif verb == "up" and i > 0:
        scenes[i - 1], scenes[i] = scenes[i], scenes[i - 1]
        draft.focus = f"scene-{i - 1}-up" if i - 1 > 0 else f"scene-{i - 1}-down"
    elif verb == "down" and i < n - 1:
        scenes[i + 1], scenes[i] = scenes[i], scenes[i + 1]
        draft.focus = f"scene-{i + 1}-down" if i + 1 < n - 1 else f"scene-{i + 1}-up"
    elif verb == "delete":
        del scenes[i]
        left = len(scenes)
        draft.focus = f"scene-{min(i, left - 1)}-narration" if left else "add-end"
    else:
        return
    draft.unsaved = True


def _visual(scene: SceneDraft) -> dict[str, str] | None:
    if not scene.visual_kind:
        return None
    return {"kind": scene.visual_kind, VISUAL_TEXT[scene.visual_kind]: scene.visual_text.strip()}


def to_script(draft: Draft, base: Mapping[str, Any]) -> dict[str, Any]:
    """The script the draft makes: the saved one's other fields with the edited ones."""
    return {
        **base,
        "title": draft.title.strip(),
        "hook": draft.hook.strip(),
        "call_to_action": draft.call_to_action.strip(),
        "scenes": [
            {
                "narration": s.narration.strip(),
                "on_screen_text": s.on_screen_text.strip(),
                "search_terms": _terms(s.search_terms),
                "visual": _visual(s),
            }
            for s in draft.scenes
        ],
    }


def _message(loc: tuple[Any, ...], kind: str, msg: str, draft: Draft) -> str:
    name = loc[-1] if loc else ""
    n = len(draft.scenes)
    if loc == ("scenes",):
        if kind == "too_short":
            return f"A short needs at least {MIN_SCENES} scenes; this one has {n}: add one."
        if kind == "too_long":
            return (
                f"A short has at most {MAX_SCENES} scenes; this one has {n}: delete "
                f"{n - MAX_SCENES}."
            )
    if name == "narration":
        if kind == "string_too_short":
            return "Write what the narrator says in this scene (or delete the scene)."
        if kind == "string_too_long":
            return "Keep the narration under 600 characters: split it into two scenes."
    if "search_terms" in loc:
        if kind == "too_short":
            return "Give at least one search term; separate terms with commas."
        if kind == "too_long":
            return "Use at most 3 search terms, separated by commas."
    if name == "on_screen_text" and kind == "string_too_long":
        return "Keep the on-screen text under 120 characters: a few words read at a glance."
    if name == "title":
        return (
            "Give the video a title."
            if kind == "string_too_short"
            else "Keep the title under 100 characters."
        )
    if name == "hook" and kind == "string_too_short":
        return "Write the hook: the first line, under 12 words, that makes people stay."
    return msg.removeprefix("Value error, ").rstrip(".") + "."


def _field(loc: tuple[Any, ...]) -> str:
    if len(loc) >= 3 and loc[0] == "scenes" and isinstance(loc[1], int):
        part = str(loc[2])
        return f"scene-{loc[1]}-{'visual' if part == 'visual' else part}"
    if loc and loc[0] in ("title", "hook", "call_to_action", "scenes"):
        return str(loc[0])
    return "script"


def check(draft: Draft, base: Mapping[str, Any]) -> dict[str, Any] | None:
    """The script to save, or None with ``draft.errors`` saying what is wrong, by field."""
    script = to_script(draft, base)
    try:
        Script.model_validate(script)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            draft.errors.setdefault(_field(loc), _message(loc, err["type"], err["msg"], draft))
        draft.focus = next(
            (f for f in draft.errors if f.startswith(("scene-", "title", "hook"))), ""
        )
        return None
    return script


# --- what the editor shows beside each scene -------------------------------------

_SCENE = re.compile(r"^Scene (\d+)\b")
_PAIR = re.compile(r"in scenes \d+ and (\d+)")
_TWICE = re.compile(r'^The search term "(.+)" is used twice in that scene')


def _loose(draft: Draft) -> Script:
    """The draft as a script without validation: warnings are worth showing mid-edit too."""
    scenes = [
        Scene.model_construct(
            narration=s.narration,
            on_screen_text=s.on_screen_text,
            search_terms=_terms(s.search_terms),
            visual=None,  # the checks read only the words
        )
        for s in draft.scenes
    ]
    return Script.model_construct(
        topic="",
        title=draft.title,
        hook=draft.hook,
        call_to_action=draft.call_to_action,
        scenes=scenes,
    )


def _scene_of(warning: str, draft: Draft) -> int | None:
    """The scene (0-based) a warning is about, or None when it is about the whole script."""
    if m := _SCENE.match(warning):
        return int(m[1]) - 1
    if m := _PAIR.search(warning):
        return int(m[1]) - 1
    if m := _TWICE.match(warning):
        term = m[1].strip().lower()
        for i, s in enumerate(draft.scenes):
            if [t.lower() for t in _terms(s.search_terms)].count(term) > 1:
                return i
    return None


def annotate(draft: Draft, report: RenderReport | None) -> Draft:
    """Warnings beside their scenes (or the hook), and each scene's last render."""
    for warning in review_script(_loose(draft)):
        index = _scene_of(warning, draft)
        if index is not None and 0 <= index < len(draft.scenes):
            draft.scenes[index].warnings.append(warning)
        elif warning.startswith("The hook"):
            draft.hook_warnings.append(warning)
        else:
            draft.warnings.append(warning)
    if report is not None:
        for scene in draft.scenes:
            if scene.origin is not None and scene.origin < len(report.scenes):
                rendered = report.scenes[scene.origin]
                scene.duration, scene.redone = rendered.duration, rendered.redone
        draft.longest = max((s.duration or 0.0 for s in draft.scenes), default=0.0)
        draft.first_render = report.first
    return draft
