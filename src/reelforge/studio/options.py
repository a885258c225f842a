"""What a user can choose for one video; the same fields for the CLI, the API and jobs.

Provider names are checked against the registry, so a plugin provider is accepted
(and offered in the error) exactly like a built-in one.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from reelforge.config import Settings
from reelforge.errors import InputError
from reelforge.providers import registry
from reelforge.studio.models import PRESETS, RenderSpec

#: Option -> (the provider kind it names, how the option is called in errors).
PROVIDER_OPTIONS = {
    "writer": ("llm", "writer"),
    "voice": ("tts", "voice"),
    "media": ("media", "media source"),
    "imagegen": ("imagegen", "image generator"),
}


class MakeOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    writer: str = "offline"
    voice: str = "piper"
    media: list[str] = Field(default_factory=lambda: ["procedural"], min_length=1)
    imagegen: str = "openai"
    preset: str = "vertical"
    size: str | None = None  # "WxH" overrides the preset's size, e.g. "540x960"
    fps: int = Field(default=30, ge=23, le=60)
    crf: int = Field(default=23, ge=0, le=51)
    x264_preset: str = "veryfast"
    music: Path | None = None
    music_volume_db: float = Field(default=-14.0, ge=-40, le=0)
    captions: bool = True
    uppercase_captions: bool = False
    breath_s: float = Field(default=0.25, ge=0, le=2)
    target_lufs: float = Field(default=-16.0, ge=-30, le=-9)

    @field_validator(*PROVIDER_OPTIONS)
    @classmethod
    def _known_providers(cls, value: str | list[str], info: ValidationInfo) -> str | list[str]:
        kind, what = PROVIDER_OPTIONS[str(info.field_name)]
        choices = registry.available(kind)
        for name in [value] if isinstance(value, str) else value:
            if name not in choices:
                raise ValueError(f"unknown {what} {name!r}; choose one of {', '.join(choices)}")
        return value

    @field_validator("preset")
    @classmethod
    def _known_preset(cls, value: str) -> str:
        if value not in PRESETS:
            raise ValueError(f"unknown preset {value!r}; choose one of {', '.join(PRESETS)}")
        return value

    @field_validator("size")
    @classmethod
    def _size(cls, value: str | None) -> str | None:
        if value is None:
            return None
        w, sep, h = value.lower().partition("x")
        if not sep or not w.isdigit() or not h.isdigit():
            raise ValueError(f"size must look like 1080x1920, not {value!r}")
        if int(w) % 2 or int(h) % 2 or not (64 <= int(w) <= 4096 and 64 <= int(h) <= 4096):
            raise ValueError("size must be even numbers between 64 and 4096")
        return f"{int(w)}x{int(h)}"

    @field_validator("x264_preset")
    @classmethod
    def _known_x264(cls, value: str) -> str:
        allowed = ("ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow")
        if value not in allowed:
            raise ValueError(f"unknown x264 preset {value!r}; choose one of {', '.join(allowed)}")
        return value

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: object) -> MakeOptions:
        base: dict[str, object] = {
            "writer": settings.writer,
            "voice": settings.voice,
            "media": [m.strip() for m in settings.media.split(",") if m.strip()],
            "preset": settings.preset,
            "fps": settings.fps,
            "crf": settings.crf,
            "x264_preset": settings.x264_preset,
            "music": settings.music,
        }
        base.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls.model_validate(base)
        except ValueError as exc:
            raise InputError(f"Invalid option: {exc}") from exc

    def render_spec(self, font_path: Path | None = None) -> RenderSpec:
        preset = PRESETS[self.preset]
        width, height = preset.width, preset.height
        if self.size:
            w, _, h = self.size.partition("x")
            width, height = int(w), int(h)
        return RenderSpec(
            width=width,
            height=height,
            fps=self.fps,
            crf=self.crf,
            x264_preset=self.x264_preset,
            font_path=font_path,
        )


def slugify(text: str, *, max_len: int = 60) -> str:
    """File-name-safe, readable: "Why bread goes stale?" -> "why-bread-goes-stale"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_len].rstrip("-") or "video"
