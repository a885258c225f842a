"""The typed records research works with: creators, their public videos, stat snapshots.

Why so few fields: promise P14 says creator research uses only public video
metadata (titles, counts, upload dates). :class:`VideoStats` is the one shape
every source (YouTube, TikTok, file imports) is turned into, and it forbids
extra fields, so nothing else can slip into the store by accident.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from reelforge.errors import InputError

#: A platform whose creators research reads (not the publishing side's ``Platform``).
CreatorPlatform = Literal["youtube", "tiktok"]
PLATFORMS: tuple[CreatorPlatform, ...] = ("youtube", "tiktok")
#: How each platform is named to users.
PLATFORM_NAMES: dict[CreatorPlatform, str] = {"youtube": "YouTube", "tiktok": "TikTok"}

_HASHTAG = re.compile(r"(?<![\w#])#(\w[\w.]*\w|\w)", re.UNICODE)
_YT_CHANNEL_ID = re.compile(r"^UC[A-Za-z0-9_-]{22}$")
_URL_HANDLE = re.compile(r"(?:youtube\.com|tiktok\.com)/@([^/?#\s]+)", re.IGNORECASE)
_URL_CHANNEL = re.compile(r"youtube\.com/channel/(UC[A-Za-z0-9_-]{22})", re.IGNORECASE)


def hashtags_in(*texts: str) -> list[str]:
    """The hashtags in ``texts``, lower-cased, without "#", first-seen order, no repeats."""
    seen: dict[str, None] = {}
    for text in texts:
        for tag in _HASHTAG.findall(text or ""):
            seen.setdefault(tag.lower(), None)
    return list(seen)


def clean_hashtags(tags: list[str] | tuple[str, ...]) -> list[str]:
    """Normalise a list of tags: strip "#", lower-case, drop blanks and repeats."""
    seen: dict[str, None] = {}
    for tag in tags:
        word = str(tag).strip().lstrip("#").strip().lower()
        if word:
            seen.setdefault(word, None)
    return list(seen)


class CreatorRef(BaseModel):
    """A creator the user wants to learn from: a handle (``@name``) or a platform id."""

    model_config = ConfigDict(frozen=True)

    platform: CreatorPlatform
    handle: str | None = None  # without the "@"
    platform_id: str | None = None  # YouTube channel id (UC…); TikTok has none in its APIs

    @field_validator("handle")
    @classmethod
    def _strip_at(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip().lstrip("@").strip()
        return value or None

    @model_validator(mode="after")
    def _one_of(self) -> CreatorRef:
        if not self.handle and not self.platform_id:
            raise ValueError("give the creator's @handle or its channel id")
        return self

    @classmethod
    def parse(cls, platform: str, text: str) -> CreatorRef:
        """Read what a user typed: ``@name``, ``name``, a channel id or a profile URL."""
        if platform not in PLATFORMS:
            raise InputError(f"Unknown platform {platform!r}; use one of: {', '.join(PLATFORMS)}.")
        text = text.strip()
        if not text:
            raise InputError("Give the creator's @handle (or, for YouTube, the channel id).")
        if match := _URL_CHANNEL.search(text):
            return cls(platform=platform, platform_id=match.group(1))
        if match := _URL_HANDLE.search(text):
            return cls(platform=platform, handle=match.group(1))
        if platform == "youtube" and _YT_CHANNEL_ID.match(text):
            return cls(platform=platform, platform_id=text)
        if "/" in text or " " in text:
            raise InputError(
                f"{text!r} is not a handle. Give it as @name (or paste the profile URL)."
            )
        return cls(platform=platform, handle=text)

    @property
    def label(self) -> str:
        return f"@{self.handle}" if self.handle else str(self.platform_id)


class CreatorProfile(BaseModel):
    """A creator's public profile as the platform reports it."""

    platform: CreatorPlatform
    handle: str | None
    display_name: str = ""
    followers: int | None = Field(default=None, ge=0)
    platform_id: str | None = None


class VideoStats(BaseModel):
    """One public video and its public counts (promise P14: nothing else).

    ``shares`` is None where the platform has no share count (YouTube); any
    count a source does not give is None, never 0, so medians are not skewed.
    """

    model_config = ConfigDict(extra="forbid")

    platform: CreatorPlatform
    platform_video_id: str = Field(min_length=1)
    title: str = ""
    description: str = ""
    views: int | None = Field(default=None, ge=0)
    likes: int | None = Field(default=None, ge=0)
    comments: int | None = Field(default=None, ge=0)
    shares: int | None = Field(default=None, ge=0)
    duration_s: float | None = Field(default=None, ge=0)
    published_at: AwareDatetime
    hashtags: list[str] = Field(default_factory=list)
    url: str = ""

    @field_validator("published_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)

    @field_validator("hashtags")
    @classmethod
    def _tags(cls, value: list[str]) -> list[str]:
        return clean_hashtags(value)

    @property
    def engagement_rate(self) -> float | None:
        """(likes + comments + shares) / views; counts a platform lacks count as 0."""
        if not self.views:
            return None
        interactions = (self.likes or 0) + (self.comments or 0) + (self.shares or 0)
        return interactions / self.views
