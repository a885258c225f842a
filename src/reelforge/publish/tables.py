"""Publishing tables: connected accounts, OAuth hand-offs, uploads, posts and their history.

Why these shapes:

* ``connections`` keeps only what promise P11 allows — the platform's open id,
  display name and avatar URL — plus flags; the tokens themselves are vault
  secrets (kind ``oauth_token``, AES-GCM, key outside the database: P08) named
  after the connection, so disconnecting deletes exactly one secret (P12);
* ``oauth_states`` binds an authorize link to the user (and to the browser
  session that asked, when there was one) until the callback uses it once;
  the PKCE verifier is a vault secret, never a column;
* ``posts`` is the post history (P18) *and* the idempotency ledger of the
  publish state machine: the post id is the idempotency key, and each ledger
  write is one committed UPDATE of this row. It outlives its video, images and
  connection (``SET NULL``), so the history stays while the account does;
* ``post_events`` is the status history shown to the user, one row per status;
* ``uploads`` are carousel images (P17 retention reads ``posted_at``), linked to
  posts by ``post_images``, which carries the position in the carousel;
* ``retention_sweeps`` records what each retention sweep removed — a system
  row (no owner), holding ids and counts only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from reelforge.clock import utc_now
from reelforge.store.orm import (
    AutoId,
    Base,
    IdStr,
    UTCDateTime,
    created_column,
    new_id,
    owner_column,
)


class Upload(Base):
    """A carousel image, re-encoded to a ≤ 1080p JPEG, waiting to be posted."""

    __tablename__ = "uploads"

    id: Mapped[str] = mapped_column(IdStr, primary_key=True, default=new_id)
    owner_id: Mapped[str] = owner_column()
    blob_key: Mapped[str] = mapped_column(String(300))
    name: Mapped[str] = mapped_column(String(200), default="")
    sha256: Mapped[str] = mapped_column(String(64))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    source_format: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = created_column()
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class Post(Base):
    """One post as its owner asked for it, and the ledger of publishing it."""

    __tablename__ = "posts"
    __table_args__ = (Index("ix_posts_status_publish_at", "status", "publish_at"),)

    id: Mapped[str] = mapped_column(IdStr, primary_key=True, default=new_id)
    owner_id: Mapped[str] = owner_column()
    connection_id: Mapped[str | None] = mapped_column(
        IdStr, ForeignKey("connections.id", ondelete="SET NULL"), index=True
    )
    platform: Mapped[str] = mapped_column(String(16))
    account_name: Mapped[str] = mapped_column(String(200), default="")  # kept for the history
    kind: Mapped[str] = mapped_column(String(8))  # video, photos
    video_id: Mapped[str | None] = mapped_column(
        IdStr, ForeignKey("videos.id", ondelete="SET NULL"), index=True
    )
    image_count: Mapped[int] = mapped_column(Integer, default=0)
    media_token: Mapped[str | None] = mapped_column(String(64), unique=True)  # public image path
    title: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    privacy_level: Mapped[str] = mapped_column(String(32))
    disable_comment: Mapped[bool] = mapped_column(Boolean, default=False)
    disable_duet: Mapped[bool] = mapped_column(Boolean, default=False)
    disable_stitch: Mapped[bool] = mapped_column(Boolean, default=False)
    is_aigc: Mapped[bool] = mapped_column(Boolean, default=False)
    mode: Mapped[str] = mapped_column(String(8))  # direct, draft
    publish_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # scheduled, queued, publishing, retrying, processing, published, sent_to_inbox,
    # failed, cancelled
    status: Mapped[str] = mapped_column(String(16))
    message: Mapped[str | None] = mapped_column(Text)  # what the user should know
    job_id: Mapped[str | None] = mapped_column(
        IdStr, ForeignKey("jobs.id", ondelete="SET NULL"), index=True
    )
    checks: Mapped[int] = mapped_column(Integer, default=0)  # status re-checks while processing
    # --- the ledger (publish.ledger.PostLedger) ---
    phase: Mapped[str | None] = mapped_column(String(16))
    publish_id: Mapped[str | None] = mapped_column(String(200))  # TikTok's; YouTube's is a secret
    uploaded_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    total_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    chunk_size: Mapped[int] = mapped_column(BigInteger, default=0)
    platform_status: Mapped[str | None] = mapped_column(String(32))
    fail_reason: Mapped[str] = mapped_column(String(200), default="")
    post_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    init_attempts: Mapped[int] = mapped_column(Integer, default=0)
    url: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = created_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PostEvent(Base):
    """One status in a post's history (ours or the platform's)."""

    __tablename__ = "post_events"

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    post_id: Mapped[str] = mapped_column(
        IdStr, ForeignKey("posts.id", ondelete="CASCADE"), index=True
    )
    owner_id: Mapped[str] = owner_column()
    at: Mapped[datetime] = created_column()
    source: Mapped[str] = mapped_column(String(16))  # "platform" (the ledger) or "reelforge"
    status: Mapped[str] = mapped_column(String(32))
    fail_reason: Mapped[str] = mapped_column(String(200), default="")
    message: Mapped[str | None] = mapped_column(Text)


class PostImage(Base):
    """An image of a carousel post, in order; goes when the upload is swept (P17)."""

    __tablename__ = "post_images"
    __table_args__ = (UniqueConstraint("post_id", "position"),)

    id: Mapped[str] = mapped_column(IdStr, primary_key=True, default=new_id)
    post_id: Mapped[str] = mapped_column(
        IdStr, ForeignKey("posts.id", ondelete="CASCADE"), index=True
    )
    upload_id: Mapped[str] = mapped_column(
        IdStr, ForeignKey("uploads.id", ondelete="CASCADE"), index=True
    )
    owner_id: Mapped[str] = owner_column()
    position: Mapped[int] = mapped_column(Integer)


class RetentionSweep(Base):
    """What one retention sweep removed (ids and counts only)."""

    __tablename__ = "retention_sweeps"

    id: Mapped[str] = mapped_column(IdStr, primary_key=True, default=new_id)
    ran_at: Mapped[datetime] = created_column()
    posted_removed: Mapped[int] = mapped_column(Integer, default=0)
    unposted_removed: Mapped[int] = mapped_column(Integer, default=0)
    bytes_freed: Mapped[int] = mapped_column(BigInteger, default=0)
    upload_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
