"""One abstract class per provider kind.

A provider is small: a ``name``, whether it ``needs_key``, and one or two
methods with typed inputs and outputs. It maps its own HTTP/SDK failures to
:class:`~reelforge.errors.ProviderError` at its edge, so callers never see
``httpx`` exceptions.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal

from reelforge.providers.types.media import MediaAsset, Speech


class Provider(ABC):
    name: ClassVar[str]
    kind: ClassVar[str]
    needs_key: ClassVar[bool] = False
    #: True when using it sends the user's content off this machine (promise P20).
    remote: ClassVar[bool] = False
    #: Settings attribute holding its key, shown in "missing key" errors.
    key_setting: ClassVar[str | None] = None

    @classmethod
    def api_key(cls, settings: object, credential: str | None) -> str:
        """This provider's key: the user's own (BYOK) first, else the server setting."""
        assert cls.key_setting is not None, f"{cls.__name__} declares no key_setting"
        return require_key(
            settings, setting=cls.key_setting, credential=credential, provider=cls.name
        )


# --- LLM -------------------------------------------------------------------


@dataclass(frozen=True)
class CompletionRequest:
    """A request for structured text.

    ``task`` and ``inputs`` let the offline provider do the job with templates
    (it cannot read prose); network models use ``system`` and ``user``.
    """

    task: str
    system: str
    user: str
    inputs: dict[str, Any] = field(default_factory=dict)
    json_schema: dict[str, Any] | None = None
    history: tuple[tuple[str, str], ...] = ()  # earlier (role, text) turns, e.g. a retry


@dataclass(frozen=True)
class Completion:
    text: str
    model: str


class LLM(Provider):
    kind = "llm"

    @abstractmethod
    def complete(self, request: CompletionRequest) -> Completion: ...


# --- TTS -------------------------------------------------------------------


class TTS(Provider):
    kind = "tts"

    @abstractmethod
    def speak(self, *, text: str, out_path: Path) -> Speech:
        """Write ``text`` as speech to ``out_path`` (WAV) with word timings from the engine
        or forced alignment, never estimated from text length."""


# --- media -----------------------------------------------------------------


@dataclass(frozen=True)
class MediaRequest:
    query: str
    duration: float
    width: int
    height: int
    seed: int = 0  # scene index etc.: varies procedural output deterministically
    kinds: tuple[Literal["image", "video"], ...] = ("video", "image")
    style: str = ""


class MediaSource(Provider):
    kind = "media"

    @abstractmethod
    def fetch(self, request: MediaRequest, *, cache_dir: Path) -> MediaAsset | None:
        """Return a local asset for the request, or None when nothing matches.

        Downloads go into ``cache_dir`` under a content-derived name, so a
        second call for the same item does not download again."""


# --- image generation --------------------------------------------------------


class ImageGen(Provider):
    kind = "imagegen"

    @abstractmethod
    def generate(self, *, prompt: str, width: int, height: int, out_path: Path) -> MediaAsset: ...


def require_key(settings: object, *, setting: str, credential: str | None, provider: str) -> str:
    """The user's own key (BYOK) first, else the server setting, else a clear error."""
    if credential:
        return credential
    value = getattr(settings, setting, None)
    if value is not None:
        secret = value.get_secret_value() if hasattr(value, "get_secret_value") else str(value)
        if secret:
            return str(secret)
    from reelforge.errors import ConfigError

    env = f"REELFORGE_{setting.upper()}"
    raise ConfigError(
        f"The {provider} provider needs an API key. Set {env} (or add your own key with "
        f"`reelforge keys set {provider}` / PUT /api/v1/provider-keys/{provider}), "
        "or choose an offline provider.",
        details={"setting": env, "provider": provider},
    )
