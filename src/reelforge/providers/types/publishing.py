"""Typed inputs and outputs of publishing and the contracts between its parts: what to post,
where a post stands, what came back, the idempotency ledger and the OAuth client's shape.

These are plain values and protocols with no database or HTTP in them, so the
platform providers (:class:`reelforge.providers.base.Platform`), their resumable
state machines and the publishing service (which stores them in its own tables)
all speak the same types. Tokens are ``SecretStr`` so a stray ``repr`` or log
line never prints them (promise P10). Platform names are not a type here: they
come from the provider registry (kind ``"platform"``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal, Protocol, get_args

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from reelforge.clock import utc_now
from reelforge.errors import InputError

PrivacyLevel = Literal[
    "PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY"
]
PostMode = Literal["direct", "draft"]

#: TikTok statuses from ``/v2/post/publish/status/fetch/``.
TikTokStatus = Literal[
    "PROCESSING_UPLOAD",
    "PROCESSING_DOWNLOAD",
    "SEND_TO_USER_INBOX",
    "PUBLISH_COMPLETE",
    "FAILED",
]


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit TikTok counts titles in (an emoji is 2)."""
    return len(text.encode("utf-16-le")) // 2


class PostRequest(BaseModel):
    """One post as the user asked for it (a video file or a photo carousel).

    ``duration_s``/``width``/``height`` describe the video when the caller knows
    them (the studio does); otherwise the state machine probes the file. A
    carousel comes both ways, and each platform takes the one it needs:
    ``image_urls`` are public URLs under a verified prefix (TikTok pulls them),
    ``image_paths`` local copies of the same images in the same order (the
    outbox copies them).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str = ""
    description: str = ""
    privacy_level: str = "SELF_ONLY"
    disable_comment: bool = False
    disable_duet: bool = False
    disable_stitch: bool = False
    is_aigc: bool = False
    mode: PostMode = "direct"
    video_path: Path | None = None
    image_urls: tuple[str, ...] = ()
    image_paths: tuple[Path, ...] = ()
    photo_cover_index: int = 0
    auto_add_music: bool = True
    video_cover_timestamp_ms: int | None = None
    duration_s: float | None = None
    width: int | None = None
    height: int | None = None
    # YouTube only
    tags: tuple[str, ...] = ()
    category_id: str = "22"  # People & Blogs
    made_for_kids: bool = False

    @model_validator(mode="after")
    def _one_kind_of_media(self) -> PostRequest:
        if (self.video_path is None) == (not (self.image_urls or self.image_paths)):
            raise InputError("A post needs either one video file or a list of images, not both.")
        if self.image_urls and self.image_paths and len(self.image_urls) != len(self.image_paths):
            raise InputError("A carousel's image URLs and files must be the same images.")
        return self

    @property
    def is_video(self) -> bool:
        return self.video_path is not None

    def caption(self) -> str:
        """TikTok video posts have one text field: the title, then the description."""
        return f"{self.title}\n\n{self.description}" if self.description else self.title


class ConnectionTokens(BaseModel):
    """What an OAuth exchange or refresh gives back; the service encrypts it in the vault."""

    model_config = ConfigDict(frozen=True)

    access_token: SecretStr
    refresh_token: SecretStr | None = None
    expires_at: datetime
    refresh_expires_at: datetime | None = None
    scopes: tuple[str, ...] = ()
    open_id: str | None = None

    def needs_refresh(self, *, now: datetime | None = None, margin_s: float = 300.0) -> bool:
        """True when the access token expires within ``margin_s`` (refresh ahead of expiry)."""
        return (now or utc_now()) + timedelta(seconds=margin_s) >= self.expires_at

    def refresh_expired(self, *, now: datetime | None = None) -> bool:
        return self.refresh_expires_at is not None and (now or utc_now()) >= self.refresh_expires_at


class AuthorizationRequest(BaseModel):
    """Where to send the user's browser, plus what the callback must check.

    The service binds ``state`` to the user's session and keeps ``code_verifier``
    server-side until the callback exchanges the code.
    """

    model_config = ConfigDict(frozen=True)

    url: str
    state: str
    code_verifier: SecretStr
    redirect_uri: str


class ConnectedAccount(BaseModel):
    """Which account a connection is: all reelforge keeps about it (promise P11).

    ``key`` is unique per owner and platform (TikTok's open id; a fixed name where
    a platform has one account per user, like a YouTube channel or the outbox), so
    connecting the same account again updates its connection instead of adding one.
    """

    model_config = ConfigDict(frozen=True)

    key: str
    open_id: str | None = None
    display_name: str = ""
    avatar_url: str = ""


class UserInfo(BaseModel):
    """TikTok's answer to user/info: the open id, display name and avatar (promise P11)."""

    open_id: str
    display_name: str = ""
    avatar_url: str = ""


class CreatorInfo(BaseModel):
    """TikTok's answer to creator_info/query: what this creator may post right now."""

    username: str = ""
    nickname: str = ""
    avatar_url: str = ""
    privacy_level_options: tuple[str, ...] = ()
    comment_disabled: bool = False
    duet_disabled: bool = False
    stitch_disabled: bool = False
    max_video_post_duration_sec: int | None = None


class PublishStatus(BaseModel):
    """One answer of TikTok's status fetch."""

    status: str
    fail_reason: str = ""
    post_ids: tuple[str, ...] = ()
    uploaded_bytes: int = 0
    downloaded_bytes: int = 0

    @property
    def terminal(self) -> bool:
        return self.status in ("PUBLISH_COMPLETE", "FAILED", "SEND_TO_USER_INBOX")


# --- the resumable publish: phases, the ledger, polling ------------------------

#: Where a post stands in reelforge's own state machine (what the ledger stores).
#:
#: ``init_sent``    the create call was about to go out (recorded *before* sending it);
#:                  if a run stops here, whether the platform got it is unknown
#: ``rejected``     the platform answered the create call with a refusal (nothing was made;
#:                  safe to create again, e.g. after a rate limit)
#: ``initialised``  the platform answered with an id (publish_id / upload session)
#: ``uploaded``     every byte is on the platform
#: ``published`` / ``sent_to_inbox`` / ``failed``  terminal
Phase = Literal[
    "init_sent", "rejected", "initialised", "uploaded", "published", "sent_to_inbox", "failed"
]

TERMINAL_PHASES: frozenset[str] = frozenset({"published", "sent_to_inbox", "failed"})

#: ``access_token(force)``: the connection's access token, refreshed first when ``force``
#: (the platform refused the one it had). Platforms without sign-in never call it.
TokenGetter = Callable[[bool], str]
#: ``on_progress(sent_bytes, total_bytes)`` while a video uploads.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class StatusEvent:
    """One status the platform reported, kept for the post's history."""

    status: str
    at: datetime
    fail_reason: str = ""


@dataclass(frozen=True)
class PostState:
    """The ledger's record of one post: enough to resume it without repeating a side effect."""

    post_key: str
    platform: str
    phase: Phase
    publish_id: str | None = None  # TikTok publish_id, or the YouTube upload session URL
    upload_url: str | None = None
    uploaded_bytes: int = 0
    total_bytes: int = 0
    chunk_size: int = 0  # fixed at init: a resumed upload must cut the file the same way
    status: str | None = None  # the platform's last status word
    fail_reason: str = ""
    post_ids: tuple[str, ...] = ()
    init_attempts: int = 0
    history: tuple[StatusEvent, ...] = field(default=())
    updated_at: datetime = field(default_factory=utc_now)

    @property
    def terminal(self) -> bool:
        return self.phase in TERMINAL_PHASES


class PlatformPost(BaseModel):
    """What a publish run hands back to the caller (and the post history shows)."""

    platform: str
    post_key: str
    phase: str
    publish_id: str | None = None
    status: str | None = None
    fail_reason: str = ""
    fail_message: str = ""
    post_ids: tuple[str, ...] = ()
    url: str | None = None
    history: tuple[str, ...] = Field(default=())

    @property
    def done(self) -> bool:
        return self.phase in TERMINAL_PHASES


@dataclass(frozen=True)
class PollPolicy:
    """Status polling with backoff while the platform processes a post (TikTok allows 30
    status fetches a minute); after ``max_wait_s`` a run returns "still processing" and a
    later run polls on."""

    first_s: float = 2.0
    factor: float = 1.5
    max_interval_s: float = 30.0
    max_wait_s: float = 600.0


def check_phase(phase: str | None) -> None:
    """A ledger refuses phases the state machine does not know (a bug, not user input)."""
    if phase is not None and phase not in get_args(Phase):
        raise InputError(f"Unknown post phase {phase!r}.")


class PostLedger(Protocol):
    """Durable per-post progress, keyed by the caller's idempotency key.

    What a publish state machine writes down before and after each platform call,
    so a retried or resumed run continues instead of posting twice. Every method
    must be durable when it returns: the machine relies on ``record_init_sent``
    being stored *before* the create call leaves the process. The publishing
    service implements it on its ``posts`` table;
    :class:`reelforge.providers.platforms.memory_ledger.InMemoryLedger` is the reference
    implementation (tests, one-shot runs).
    """

    def load(self, post_key: str) -> PostState | None:
        """The post's state, or None when nothing was ever recorded for it."""

    def record_init_sent(
        self, post_key: str, *, platform: str, total_bytes: int, chunk_size: int = 0
    ) -> PostState:
        """Persist, BEFORE the platform call, that a create call is about to go out."""

    def record_init(self, post_key: str, *, publish_id: str, upload_url: str | None) -> None:
        """Persist the id the platform gave the new post (or upload session): ``initialised``."""

    def record_upload(self, post_key: str, *, uploaded_bytes: int, complete: bool) -> None:
        """Persist upload progress; ``complete`` moves the post to ``uploaded``."""

    def record_status(
        self,
        post_key: str,
        *,
        status: str,
        fail_reason: str = "",
        post_ids: tuple[str, ...] = (),
        phase: Phase | None = None,
    ) -> None:
        """Append a platform status to the history; ``phase`` moves the post (e.g. to
        ``published``, ``failed`` or ``rejected``)."""


# --- connecting: the OAuth client's shape ---------------------------------------


class OAuthClient(Protocol):
    """What connecting an account by OAuth needs from a platform's sign-in client.

    The service keeps ``state`` and the PKCE verifier server-side between
    :meth:`authorize` and the callback, and seals the tokens in the vault.
    :class:`reelforge.providers.platforms.oauth.PkceOAuth` implements the part
    TikTok and Google share (authorization code with PKCE, refresh, token answers).
    """

    def authorize(self, *, state: str | None = None) -> AuthorizationRequest:
        """Where to send the user's browser, with a fresh PKCE verifier and ``state``."""

    def exchange_code(
        self,
        *,
        code: str,
        code_verifier: str,
        redirect_uri: str | None = None,
        now: datetime | None = None,
    ) -> ConnectionTokens:
        """Trade the callback's ``code`` (and the stored verifier) for tokens."""

    def refresh(self, *, refresh_token: str, now: datetime | None = None) -> ConnectionTokens:
        """New tokens (a refresh token the answer rotates replaces the old one, which dies);
        :class:`~reelforge.errors.ReconsentRequired` when the grant is gone."""

    def revoke(self, *, token: str) -> None:
        """End the grant at the platform (disconnect, promise P12)."""

    def close(self) -> None:
        """Close its HTTP connections."""
