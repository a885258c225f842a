"""One abstract class per provider kind, and the one way every provider is built.

A provider is small: a ``name``, whether it ``needs_key``, and one or two
methods with typed inputs and outputs. Every provider, built-in or plugin, is
built as ``cls(settings, credential=..., transport=...)`` (:class:`Provider`),
so the registry needs to know nothing about any of them; what a provider keeps
(clients, model names) it builds in :meth:`Provider.setup`. It maps its own
HTTP/SDK failures to :class:`~reelforge.errors.ProviderError` at its edge, so
callers never see ``httpx`` exceptions.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal

import httpx

from reelforge.config import Settings, secret_text
from reelforge.errors import ConfigError, InputError
from reelforge.providers.http import ProviderHTTP, client_for
from reelforge.providers.types.media import MediaAsset, Speech
from reelforge.providers.types.publishing import (
    ConnectedAccount,
    ConnectionTokens,
    OAuthClient,
    PlatformPost,
    PollPolicy,
    PostLedger,
    PostRequest,
    Progress,
    TokenGetter,
)


class Provider(ABC):
    name: ClassVar[str]
    kind: ClassVar[str]
    needs_key: ClassVar[bool] = False
    #: True when using it sends the user's content off this machine (promise P20).
    remote: ClassVar[bool] = False
    #: Settings attribute holding its key, shown in "missing key" errors.
    key_setting: ClassVar[str | None] = None

    def __init__(
        self,
        settings: Settings,
        *,
        credential: str | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        """Build the provider for one user's work; the registry builds every provider so.

        ``credential`` is the requesting user's own key or token (BYOK, promise P09): it
        wins over the server-wide setting and is kept only on this instance, which serves
        only that user's requests. ``transport`` stands in for the network (tests point
        it at a local fake). A provider that needs neither simply never reads them.
        """
        self.settings = settings
        #: Whose key this provider uses: the user's own (True) or the server's setting.
        self.byok = bool(credential)
        self._credential = credential
        self._transport = transport
        self.setup()

    def setup(self) -> None:  # noqa: B027 (a hook; most providers keep nothing)
        """Build what the provider keeps from ``self.settings`` (clients, model names).

        Runs once, at the end of ``__init__``, so a missing key raises ConfigError when
        the provider is chosen rather than half-way through a render."""

    def api_key(self) -> str:
        """This provider's key: the user's own (BYOK) first, else ``key_setting``, else an error."""
        assert self.key_setting is not None, f"{type(self).__name__} declares no key_setting"
        return require_key(
            self.settings, setting=self.key_setting, credential=self._credential, provider=self.name
        )

    def http_client(self, base_url: str, *, headers: dict[str, str] | None = None) -> ProviderHTTP:
        """An HTTP client for this provider: its name in errors, the settings' timeout and
        retries, and the transport it was given. The key (:meth:`api_key`) goes in
        ``headers`` where the API wants it there; a client for files on a CDN gets none."""
        return client_for(
            self.settings,
            provider=self.name,
            base_url=base_url,
            headers=headers,
            transport=self._transport,
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

    @abstractmethod
    def cache_identity(self) -> dict[str, str]:
        """The settings that change how this voice sounds (its voice, model, pace).

        Part of every clip's cache key, with the voice's name and the text: when one
        of them changes the scenes are voiced again, and nothing else re-voices them.
        Keep it stable: a changed identity re-voices every cached clip."""


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


# --- publishing platforms ------------------------------------------------------


class Platform(Provider):
    """Where posts go (TikTok, YouTube, the outbox): connecting an account, checking a post
    before it is queued, publishing it exactly once.

    The connections service, the publish job, the routes and the CLI reach a
    platform only through these methods, so a new one is one module with a
    subclass plus one line in the registry (kind ``"platform"``).
    """

    kind = "platform"
    #: How people write its name ("TikTok"); ``name`` stays the id in URLs and rows.
    display_name: ClassVar[str]
    #: True: connecting is an OAuth sign-in (:meth:`oauth`) and posting uses the
    #: connection's token. False: connecting is one call and posting needs no token.
    needs_oauth: ClassVar[bool] = True

    def oauth(self) -> OAuthClient:
        """The sign-in client (ConfigError names missing app credentials); the caller closes it."""
        raise InputError(f"{self.display_name} needs no sign-in.")

    @abstractmethod
    def account(self, tokens: ConnectionTokens | None) -> ConnectedAccount:
        """Which account connected: right after the code exchange, with its tokens; for a
        platform without sign-in, with None."""

    def revoke_token(self, tokens: ConnectionTokens) -> str:
        """The token whose revoke ends the whole grant on disconnect (default: the access token)."""
        return tokens.access_token.get_secret_value()

    def check_post(self, request: PostRequest) -> None:
        """Refuse, before anything is queued, what this platform never takes (InputError or
        ConfigError saying what to change). The media are stand-ins: a video path, or image
        URLs under the public media prefix; sizes and durations are not known yet."""

    @abstractmethod
    def publish(
        self,
        *,
        ledger: PostLedger,
        post_key: str,
        owner_id: str,
        request: PostRequest,
        access_token: TokenGetter,
        poll: PollPolicy | None = None,
        on_progress: Progress | None = None,
    ) -> PlatformPost:
        """Publish one post, or resume it where a stopped run left it, exactly once.

        Every side effect is recorded in ``ledger`` under ``post_key`` before and after
        it happens, so calling this again continues the same post and a finished one is
        returned as recorded. ``access_token(force)`` gives the connection's token
        (refreshed when ``force``: the platform refused the one it had). ``poll`` is how
        long to wait while the platform processes (None: the platform's own settings); a
        post still processing comes back not ``done``. ``owner_id`` says whose post it is
        (a platform keeping files, like the outbox, keeps each user's apart)."""


def require_key(settings: object, *, setting: str, credential: str | None, provider: str) -> str:
    """The user's own key (BYOK) first, else the server setting, else a clear error."""
    if credential:
        return credential
    secret = secret_text(getattr(settings, setting, None))
    if secret:
        return secret
    env = f"REELFORGE_{setting.upper()}"
    raise ConfigError(
        f"The {provider} provider needs an API key. Set {env} (or add your own key with "
        f"`reelforge keys set {provider}` / PUT /api/v1/provider-keys/{provider}), "
        "or choose an offline provider.",
        details={"setting": env, "provider": provider},
    )
