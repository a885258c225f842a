"""The service's tables (SQLAlchemy 2, typed ``Mapped[...]`` columns).

Why these shapes:

* every row a user owns carries ``owner_id`` with ``ON DELETE CASCADE`` from
  ``users``, so deleting an account removes every row in one statement and a
  service can always scope a query by owner;
* ids are time-ordered UUIDv7 strings (portable across SQLite and PostgreSQL,
  unguessable, and they sort by creation time);
* nothing secret is stored in a readable form: codes and API keys are hashes,
  passwords are argon2 hashes, provider keys and OAuth tokens are AES-GCM
  ciphertexts whose key lives outside the database (promises P02, P03, P06, P08,
  P09, P10).

Schema changes go through Alembic (``store/migrations``); the first migration
creates all of these tables, later ones only add.
"""

from __future__ import annotations

import os
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    """A UUIDv7 string: 48-bit millisecond time, then 74 random bits."""
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version 7
    value |= ((rand >> 64) & 0xFFF) << 64  # rand_a (12 bits)
    value |= 0b10 << 62  # RFC 4122 variant
    value |= rand & ((1 << 62) - 1)  # rand_b (62 bits)
    return str(uuid.UUID(int=value))


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; use reelforge.store.utcnow()")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


IdStr = String(36)
AutoId = BigInteger().with_variant(Integer(), "sqlite")  # SQLite autoincrements INTEGER only


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def owner_column() -> Mapped[str]:
    """``owner_id``: the user who owns the row; deleting the user deletes it."""
    return mapped_column(IdStr, ForeignKey("users.id", ondelete="CASCADE"), index=True)


def created_column() -> Mapped[datetime]:
    return mapped_column(UTCDateTime, default=utcnow)


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(IdStr, primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    plan: Mapped[str | None] = mapped_column(String(64))  # None: the server's default plan
    age_confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = created_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class UserSession(Base):
    """A signed-in browser or client; the JWT names it, so deleting it ends the session."""

    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(IdStr, primary_key=True, default=new_id)
    user_id: Mapped[str] = owner_column()
    created_at: Mapped[datetime] = created_column()
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OtpCode(Base):
    """A one-time code, stored only as an HMAC of (purpose, email, code)."""

    __tablename__ = "otp_codes"
    __table_args__ = (Index("ix_otp_codes_email_purpose", "email", "purpose"),)

    id: Mapped[str] = mapped_column(IdStr, primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(320))
    purpose: Mapped[str] = mapped_column(String(32))  # "signin" or "email_change"
    user_id: Mapped[str | None] = mapped_column(
        IdStr, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = created_column()
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(IdStr, primary_key=True, default=new_id)
    owner_id: Mapped[str] = owner_column()
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(32))  # non-secret start, for display
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 hex
    created_at: Mapped[datetime] = created_column()
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    request_count: Mapped[int] = mapped_column(BigInteger, default=0)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Secret(Base):
    """A vault entry: AES-GCM ciphertext plus the id of the key that sealed it."""

    __tablename__ = "secrets"
    __table_args__ = (UniqueConstraint("owner_id", "kind", "name"),)

    id: Mapped[str] = mapped_column(IdStr, primary_key=True, default=new_id)
    owner_id: Mapped[str] = owner_column()
    kind: Mapped[str] = mapped_column(String(32))  # "provider_key", "oauth_token", …
    name: Mapped[str] = mapped_column(String(100))  # e.g. the provider
    key_id: Mapped[str] = mapped_column(String(32))
    nonce: Mapped[bytes] = mapped_column(LargeBinary)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    hint: Mapped[str | None] = mapped_column(String(8))  # e.g. last four characters
    created_at: Mapped[datetime] = created_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class UsageCounter(Base):
    __tablename__ = "usage_counters"
    __table_args__ = (UniqueConstraint("owner_id", "metric", "period_start"),)

    id: Mapped[str] = mapped_column(IdStr, primary_key=True, default=new_id)
    owner_id: Mapped[str] = owner_column()
    metric: Mapped[str] = mapped_column(String(32))
    period_start: Mapped[datetime] = mapped_column(UTCDateTime)
    value: Mapped[float] = mapped_column(Float, default=0.0)


class RateLimitHit(Base):
    """A fixed-window counter. ``bucket`` is an HMAC of (rule, subject): no raw email or IP."""

    __tablename__ = "rate_limit_hits"

    bucket: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[int] = mapped_column(BigInteger, primary_key=True)  # epoch seconds
    count: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[int] = mapped_column(BigInteger, index=True)  # epoch seconds


class Video(Base):
    __tablename__ = "videos"

    id: Mapped[str] = mapped_column(IdStr, primary_key=True, default=new_id)
    owner_id: Mapped[str] = owner_column()
    topic: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(32), default="queued")
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    script: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    blob_prefix: Mapped[str | None] = mapped_column(String(300))  # users/<owner>/videos/<id>/
    created_at: Mapped[datetime] = created_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_state_created_at", "state", "created_at"),)

    id: Mapped[str] = mapped_column(IdStr, primary_key=True, default=new_id)
    owner_id: Mapped[str] = owner_column()
    kind: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16), default="queued")
    stage: Mapped[str | None] = mapped_column(String(64))
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # ids only
    video_id: Mapped[str | None] = mapped_column(
        IdStr, ForeignKey("videos.id", ondelete="CASCADE"), index=True
    )
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = created_column()
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # last progress report


class JobEvent(Base):
    """Stage/progress history of a job; integer ids give SSE a resumable order."""

    __tablename__ = "job_events"

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    job_id: Mapped[str] = mapped_column(
        IdStr, ForeignKey("jobs.id", ondelete="CASCADE"), index=True
    )
    owner_id: Mapped[str] = owner_column()
    at: Mapped[datetime] = created_column()
    stage: Mapped[str | None] = mapped_column(String(64))
    progress: Mapped[float | None] = mapped_column(Float)
    message: Mapped[str | None] = mapped_column(Text)


OWNED_TABLES: tuple[type[Base], ...] = (
    UserSession,
    OtpCode,
    ApiKey,
    Secret,
    UsageCounter,
    Video,
    Job,
    JobEvent,
)
"""Every table with rows that belong to a user (checked by the deletion test)."""
