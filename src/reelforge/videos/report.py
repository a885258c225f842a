"""What the last render of a video did: scene by scene, redone or reused from the cache.

The pipeline's cache makes a script edit cheap — only the scenes it changed are
encoded again — and this report is how a person sees that it did: the render
job writes it as ``render.json`` beside the video's files, and the video page
reads it to say "1 scene redone, 3 reused" and to draw each scene's length.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

REPORT_NAME = "render.json"


class SceneReport(BaseModel):
    duration: float = Field(ge=0)  # seconds, from the voice (the scene's real length)
    redone: bool  # encoded in this render (False: its segment came from the cache)


class RenderReport(BaseModel):
    scenes: list[SceneReport] = Field(default_factory=list)
    duration: float = 0.0  # the whole video, seconds
    redone: dict[str, int] = Field(default_factory=dict)  # the pipeline's counts per stage
    warnings: list[str] = Field(default_factory=list)
    first: bool = False  # the video's first render (nothing could be reused)
    rendered_at: str = ""

    @property
    def redone_scenes(self) -> int:
        return sum(1 for s in self.scenes if s.redone)

    @property
    def reused_scenes(self) -> int:
        return len(self.scenes) - self.redone_scenes

    def summary(self) -> str:
        """One sentence: how many scenes this render made and how many it reused."""
        redone, reused = self.redone_scenes, self.reused_scenes
        if not reused:
            return f"All {_scenes(redone)} rendered."
        if not redone:
            return f"No scene changed: all {_scenes(reused)} reused from the cache."
        return f"{_scenes(redone)} redone, {reused} reused from the cache."


def _scenes(n: int) -> str:
    return f"{n} scene" if n == 1 else f"{n} scenes"
