"""Research tables: creators, their public videos and stat snapshots, quota use, DNA versions.

Why these shapes:

* ``research_videos`` holds exactly the public fields of
  :class:`~reelforge.providers.types.research.VideoStats` plus bookkeeping (ids, owner,
  when we saw it) — promise P14 — and is unique on (creator, platform video
  id), so a refresh upserts instead of duplicating;
* every row hangs off its creator with ``ON DELETE CASCADE`` (videos,
  snapshots) and off its owner, so deleting a creator or an account removes
  all of it in one statement (P15, P24);
* ``research_snapshots`` keeps one row per video per refresh, keyed by the
  refresh's fixed ``captured_at``, so a retried refresh does not count twice;
* ``research_workspaces.generation`` changes with every change to a
  workspace's videos: the analytics snapshot file is named after it, so a
  stale snapshot is never read;
* ``research_quota_usage`` counts a daily API quota per key: ``scope`` is
  ``"server"`` for the operator's key (shared by every user's jobs, so
  ``owner_id`` is empty) or the user's id for their own key.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from reelforge.clock import utc_now
from reelforge.store.orm import AutoId, Base, IdStr, UTCDateTime, new_id, owner_column


def _owner_unindexed() -> Mapped[str]:
    """For tables whose composite index already starts with ``owner_id``."""
    return mapped_column(IdStr, ForeignKey("users.id", ondelete="CASCADE"))


def _creator() -> Mapped[str]:
    return mapped_column(IdStr, ForeignKey("research_creators.id", ondelete="CASCADE"), index=True)


class Workspace(Base):
    """One per user (the user's id is the workspace); created on first use."""

    __tablename__ = "research_workspaces"

    owner_id: Mapped[str] = mapped_column(
        IdStr, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    generation: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)


class Creator(Base):
    __tablename__ = "research_creators"
    __table_args__ = (UniqueConstraint("owner_id", "platform", "lookup"),)

    id: Mapped[str] = mapped_column(IdStr, primary_key=True, default=new_id)
    owner_id: Mapped[str] = owner_column()
    platform: Mapped[str] = mapped_column(String(16))
    handle: Mapped[str | None] = mapped_column(String(100))  # without "@"
    platform_id: Mapped[str | None] = mapped_column(String(64))  # YouTube channel id
    lookup: Mapped[str] = mapped_column(String(100))  # lower-cased handle, else platform_id
    source: Mapped[str] = mapped_column(
        String(32)
    )  # youtube, tiktok_research, tiktok_display, import
    display_name: Mapped[str | None] = mapped_column(String(200))
    followers: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    refreshed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    refresh_status: Mapped[str | None] = mapped_column(String(16))  # complete, partial, failed
    refresh_message: Mapped[str | None] = mapped_column(Text)
    retry_after: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when a quota resets


class ResearchVideo(Base):
    """A creator's public video: the VideoStats fields only (P14)."""

    __tablename__ = "research_videos"
    __table_args__ = (
        UniqueConstraint("creator_id", "platform_video_id"),
        Index(
            "ix_research_videos_owner_creator_published", "owner_id", "creator_id", "published_at"
        ),
    )

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    owner_id: Mapped[str] = _owner_unindexed()
    creator_id: Mapped[str] = mapped_column(
        IdStr, ForeignKey("research_creators.id", ondelete="CASCADE")
    )
    platform: Mapped[str] = mapped_column(String(16))
    platform_video_id: Mapped[str] = mapped_column(String(128))
    title: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    views: Mapped[int | None] = mapped_column(BigInteger)
    likes: Mapped[int | None] = mapped_column(BigInteger)
    comments: Mapped[int | None] = mapped_column(BigInteger)
    shares: Mapped[int | None] = mapped_column(BigInteger)
    duration_s: Mapped[float | None] = mapped_column(Float)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    hashtags: Mapped[str] = mapped_column(Text, default="")  # space-separated, no "#"
    url: Mapped[str] = mapped_column(Text, default="")
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class VideoSnapshot(Base):
    """A video's public counts at one refresh; consecutive ones give its growth."""

    __tablename__ = "research_snapshots"
    __table_args__ = (
        UniqueConstraint("video_id", "captured_at"),
        Index("ix_research_snapshots_owner_captured", "owner_id", "captured_at"),
    )

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    owner_id: Mapped[str] = _owner_unindexed()
    creator_id: Mapped[str] = _creator()
    video_id: Mapped[int] = mapped_column(
        AutoId, ForeignKey("research_videos.id", ondelete="CASCADE")
    )
    captured_at: Mapped[datetime] = mapped_column(UTCDateTime)
    views: Mapped[int | None] = mapped_column(BigInteger)
    likes: Mapped[int | None] = mapped_column(BigInteger)
    comments: Mapped[int | None] = mapped_column(BigInteger)
    shares: Mapped[int | None] = mapped_column(BigInteger)


class QuotaUsage(Base):
    """Units of a daily API quota used in the quota day that ends at ``resets_at``."""

    __tablename__ = "research_quota_usage"
    __table_args__ = (UniqueConstraint("scope", "provider", "quota", "resets_at"),)

    id: Mapped[str] = mapped_column(IdStr, primary_key=True, default=new_id)
    owner_id: Mapped[str | None] = mapped_column(
        IdStr, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    scope: Mapped[str] = mapped_column(String(40))  # "server" or the user's id
    provider: Mapped[str] = mapped_column(String(32))
    quota: Mapped[str] = mapped_column(String(16))  # units, requests, records
    resets_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used: Mapped[int] = mapped_column(BigInteger, default=0)


class DnaVersion(Base):
    """One saved Content DNA; the newest is the user's current profile."""

    __tablename__ = "research_dna_versions"
    __table_args__ = (UniqueConstraint("owner_id", "version"),)

    id: Mapped[str] = mapped_column(IdStr, primary_key=True, default=new_id)
    owner_id: Mapped[str] = owner_column()
    version: Mapped[int] = mapped_column(Integer)
    profile: Mapped[dict[str, Any]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(32))  # manual, wizard, derived, restore
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
