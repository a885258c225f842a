"""Media values: a spoken clip with the time of every word, and a local media asset
(still or clip) with where it came from and its attribution."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field


class WordTiming(BaseModel):
    """One spoken word and when it is heard, in seconds from the start of its clip."""

    word: str
    start: float = Field(ge=0)
    end: float = Field(ge=0)


class Speech(BaseModel):
    """A voice provider's answer: the audio file it wrote and the word timings it knows."""

    path: Path
    duration: float
    words: list[WordTiming]
    timing_source: str  # "engine", "alignment" (forced) or "none"
    # What the user should know about this clip, e.g. "silent: no voice" (added by the voice stage).
    warnings: list[str] = Field(default_factory=list)


class MediaAsset(BaseModel):
    """A still or clip chosen for a scene, with what attribution needs."""

    path: Path
    kind: Literal["image", "video"]
    provider: str
    width: int = 0
    height: int = 0
    duration: float | None = None
    source_url: str = ""
    author: str = ""
    author_url: str = ""
    licence: str = ""
    # Caption colour with >= 7:1 contrast on this background ("#FFFFFF"); "" when unknown.
    text_color: str = ""
