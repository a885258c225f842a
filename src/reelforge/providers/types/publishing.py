"""Typed inputs and outputs of publishing: what to post, where a post stands, what came back.

These are plain values with no database or HTTP in them, so the platform
clients, the resumable state machine and the service (which stores them in
its own tables) all speak the same types. Tokens are ``SecretStr`` so a stray
``repr`` or log line never prints them (promise P10).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, SecretStr, model_validator

from reelforge.clock import utc_now

PrivacyLevel = Literal[
    "PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY"
]
PostMode = Literal["direct", "draft"]
Platform = Literal["tiktok", "youtube", "outbox"]

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
    them (the studio does); otherwise the state machine probes the file.
    ``image_urls`` are public URLs under a verified prefix (TikTok pulls them);
    the outbox takes local files instead.
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
        if (self.video_path is None) == (not self.image_urls):
            from reelforge.errors import InputError

            raise InputError("A post needs either one video file or a list of images, not both.")
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


class UserInfo(BaseModel):
    """All reelforge keeps about a connected account (promise P11)."""

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
