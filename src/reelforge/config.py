"""Settings, read from the environment (prefix ``REELFORGE_``) and an optional ``.env``.

Built by :func:`load_settings`, never at import time, so tests and workers can
each build their own with overrides.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_home() -> Path:
    """``$REELFORGE_HOME`` or ``./.reelforge`` (kept beside the project, easy to find and delete)."""
    return Path(os.environ.get("REELFORGE_HOME", ".reelforge")).expanduser()


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="REELFORGE_", env_file=".env", extra="ignore", env_nested_delimiter="__"
    )

    home: Path = Field(default_factory=default_home)

    # --- studio defaults (each overridable per command) ---
    writer: str = "offline"
    voice: str = "piper"
    media: str = "procedural"
    preset: str = "vertical"
    fps: int = 30
    crf: int = 23
    x264_preset: str = "veryfast"
    music: Path | None = None
    library_dir: Path | None = None
    out_dir: Path = Path("out")
    ffmpeg: str | None = None  # path to an ffmpeg binary; default: the imageio-ffmpeg build

    # --- HTTP behaviour shared by every provider client ---
    http_timeout_s: float = 60.0
    http_max_retries: int = 3
    http_backoff_s: float = 1.0

    # --- LLMs ---
    openai_base_url: str = "https://api.openai.com"
    openai_api_key: SecretStr | None = None
    openai_model: str = "gpt-4o-mini"
    openai_tts_model: str = "gpt-4o-mini-tts"
    openai_tts_voice: str = "alloy"
    anthropic_base_url: str = "https://api.anthropic.com"
    anthropic_api_key: SecretStr | None = None
    anthropic_model: str = "claude-sonnet-4-5"
    gemini_base_url: str = "https://generativelanguage.googleapis.com"
    gemini_api_key: SecretStr | None = None
    gemini_model: str = "gemini-2.5-flash"

    # --- voices ---
    elevenlabs_base_url: str = "https://api.elevenlabs.io"
    elevenlabs_api_key: SecretStr | None = None
    elevenlabs_voice_id: str = "21m00Tcm4TlvDq8Ikachm"
    elevenlabs_model: str = "eleven_multilingual_v2"
    piper_model: Path | None = None  # a .onnx voice; default: the bundled en_US joe voice
    espeak_voice: str = "en-us"

    # --- stock media ---
    pexels_base_url: str = "https://api.pexels.com"
    pexels_api_key: SecretStr | None = None
    pixabay_base_url: str = "https://pixabay.com"
    pixabay_api_key: SecretStr | None = None

    # --- Write stage: LLM request details (added by the write/storyboard helper) ---
    # Some OpenAI-compatible servers reject response_format; turn JSON mode off for them.
    openai_json_mode: bool = True
    openai_max_tokens: int | None = None  # sent as max_tokens when set; else the server default
    anthropic_version: str = "2023-06-01"
    anthropic_max_tokens: int = 4096  # the Messages API requires max_tokens
    gemini_json_mode: bool = True  # generationConfig.responseMimeType = application/json
    llm_temperature: float = 0.7

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment, with explicit overrides winning."""
    return Settings(**overrides)  # type: ignore[arg-type]
