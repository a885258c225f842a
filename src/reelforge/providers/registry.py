"""Provider lookup by kind and name.

Built-ins are listed here by import path so that importing the registry stays
cheap (piper and onnxruntime load only when their voice is chosen). Third
parties register through the ``reelforge.providers`` entry-point group with
names like ``tts.myvoice = package.module:ClassName``.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points
from typing import Any

import httpx

from reelforge.config import Settings
from reelforge.errors import InputError
from reelforge.providers.base import Provider

BUILTINS: dict[str, dict[str, str]] = {
    "llm": {
        "offline": "reelforge.providers.llm.offline:OfflineLLM",
        "openai": "reelforge.providers.llm.openai_compat:OpenAICompatLLM",
        "anthropic": "reelforge.providers.llm.anthropic:AnthropicLLM",
        "gemini": "reelforge.providers.llm.gemini:GeminiLLM",
    },
    "tts": {
        "piper": "reelforge.providers.tts.piper:PiperTTS",
        "espeak": "reelforge.providers.tts.espeak:EspeakTTS",
        "elevenlabs": "reelforge.providers.tts.elevenlabs:ElevenLabsTTS",
        "openai": "reelforge.providers.tts.openai_tts:OpenAITTS",
        "none": "reelforge.providers.tts.silent:SilentTTS",
    },
    "media": {
        "procedural": "reelforge.providers.media.procedural:ProceduralMedia",
        "library": "reelforge.providers.media.library:LibraryMedia",
        "pexels": "reelforge.providers.media.pexels:PexelsMedia",
        "pixabay": "reelforge.providers.media.pixabay:PixabayMedia",
    },
    "imagegen": {
        "openai": "reelforge.providers.imagegen.openai_images:OpenAIImageGen",
    },
    "research": {
        "youtube": "reelforge.providers.research.youtube:YouTubeResearch",
        "tiktok_research": "reelforge.providers.research.tiktok_research:TikTokResearch",
        "tiktok_display": "reelforge.providers.research.tiktok_display:TikTokDisplay",
    },
    "platform": {
        "tiktok": "reelforge.providers.platforms.tiktok:TikTokPlatform",
        "youtube": "reelforge.providers.platforms.youtube:YouTubePlatform",
        "outbox": "reelforge.providers.platforms.outbox:OutboxPlatform",
    },
}


def register(kind: str, name: str, target: str) -> None:
    """Add a provider at run time ("package.module:Class"); used by tests and embedders."""
    BUILTINS.setdefault(kind, {})[name] = target


def _plugins(kind: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for ep in entry_points(group="reelforge.providers"):
        ep_kind, _, ep_name = ep.name.partition(".")
        if ep_kind == kind and ep_name:
            found[ep_name] = ep.value
    return found


def available(kind: str) -> dict[str, str]:
    """Every provider of ``kind`` by name: the built-ins first, then plugins.

    A plugin cannot replace a built-in of the same name (the built-in wins)."""
    if kind not in BUILTINS:
        raise InputError(f"Unknown provider kind {kind!r}; known: {', '.join(sorted(BUILTINS))}.")
    builtins = BUILTINS[kind]
    return {**builtins, **{n: t for n, t in _plugins(kind).items() if n not in builtins}}


def provider_class(kind: str, name: str) -> type[Provider]:
    choices = available(kind)
    target = choices.get(name)
    if target is None:
        raise InputError(
            f"Unknown {kind} provider {name!r}. Choose one of: {', '.join(sorted(choices))}."
        )
    module_name, _, attr = target.partition(":")
    cls: type[Provider] = getattr(importlib.import_module(module_name), attr)
    return cls


def create(
    kind: str,
    name: str,
    settings: Settings,
    *,
    credential: str | None = None,
    transport: httpx.BaseTransport | None = None,
) -> Any:
    """Build a provider the one way every provider is built (:class:`Provider`).

    ``credential`` is how a job passes the requesting user's own key (BYOK):
    when given it wins over the server-wide setting (promise P09).
    """
    cls = provider_class(kind, name)
    return cls(settings, credential=credential, transport=transport)
