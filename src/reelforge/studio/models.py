"""Typed values that flow between the studio's stages.

They are pydantic models so that a script can be written to JSON, edited by a
person and read back with errors that point at the bad field.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from reelforge.errors import InputError


class VisualKind(StrEnum):
    STOCK = "stock"  # search a stock provider (pexels, pixabay) or the local library
    GENERATED = "generated"  # an image-generation prompt
    PROCEDURAL = "procedural"  # a background drawn locally


class Visual(BaseModel):
    """What a scene shows, as decided by the storyboard."""

    model_config = ConfigDict(extra="forbid")

    kind: VisualKind = VisualKind.PROCEDURAL
    query: str = ""  # stock/library search text
    prompt: str = ""  # image-generation prompt
    style: str = ""  # procedural style name; empty = chosen from the scene index


class Scene(BaseModel):
    model_config = ConfigDict(extra="forbid")

    narration: str = Field(min_length=1, max_length=600)
    on_screen_text: str = Field(default="", max_length=120)
    search_terms: list[str] = Field(min_length=1, max_length=3)
    visual: Visual | None = None

    @field_validator("search_terms")
    @classmethod
    def _terms_not_blank(cls, terms: list[str]) -> list[str]:
        cleaned = [t.strip() for t in terms]
        if any(not t for t in cleaned):
            raise ValueError("search terms must not be blank")
        return cleaned


class Script(BaseModel):
    """A short's script. The first scene's narration opens with the hook."""

    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    topic: str = Field(min_length=1)
    title: str = Field(min_length=1, max_length=100)
    hook: str = Field(min_length=1)
    scenes: list[Scene] = Field(min_length=4, max_length=8)
    call_to_action: str = ""
    hashtags: list[str] = Field(default_factory=list)
    writer: str = "offline"  # provider that wrote it
    model: str = ""  # model name, or "template" for the offline writer

    @field_validator("hook")
    @classmethod
    def _hook_short(cls, hook: str) -> str:
        if len(hook.split()) >= 12:
            raise ValueError("the hook must be under 12 words")
        return hook.strip()

    @property
    def model_written(self) -> bool:
        return self.writer != "offline"


class Preset(BaseModel):
    name: str
    width: int
    height: int


PRESETS: dict[str, Preset] = {
    "vertical": Preset(name="vertical", width=1080, height=1920),
    "vertical-fast": Preset(name="vertical-fast", width=720, height=1280),
    "square": Preset(name="square", width=1080, height=1080),
    "horizontal": Preset(name="horizontal", width=1920, height=1080),
}


class RenderSpec(BaseModel):
    """Everything that decides the look of the output, hashed into cache keys."""

    model_config = ConfigDict(frozen=True)

    width: int = Field(default=1080, ge=64, le=4096)
    height: int = Field(default=1920, ge=64, le=4096)
    fps: int = Field(default=30, ge=23, le=60)
    crf: int = Field(default=23, ge=0, le=51)
    x264_preset: str = "veryfast"
    font_path: Path | None = None

    @field_validator("width", "height")
    @classmethod
    def _even(cls, v: int) -> int:
        if v % 2:
            raise ValueError("width and height must be even for H.264")
        return v


def parse_script(raw: Any, *, source: str) -> Script:
    """Validate an edited script; the error names each bad field by its path
    (``scenes.2.search_terms``) so the user can find it in their JSON."""
    try:
        return Script.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(root)'}: {err['msg']}"
            for err in exc.errors()
        )
        raise InputError(f"{source} is not a valid script — {problems}.") from None
