"""What every table shares: the declarative base, ids, UTC times and the owner column.

Domains define their own tables on :class:`Base` (``accounts.tables``,
``videos.tables``, ``jobs.tables``, ``research.tables`` …); the store knows none of
them. Why these shapes:

* every row a user owns carries ``owner_id`` with ``ON DELETE CASCADE`` from
  ``users``, so deleting an account removes every row in one statement and a
  service can always scope a query by owner;
* ids are time-ordered UUIDv7 strings (portable across SQLite and PostgreSQL,
  unguessable, and they sort by creation time);
* nothing secret is stored in a readable form: codes and API keys are hashes,
  passwords are argon2 hashes, provider keys and OAuth tokens are AES-GCM
  ciphertexts whose key lives outside the database (promises P02, P03, P06, P08,
  P09, P10).

Schema changes go through Alembic (``store/migrations``); ``reelforge.schema``
lists every domain's table module.
"""

from __future__ import annotations

import os
import time
import uuid
from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    DateTime,
    Dialect,
    ForeignKey,
    Integer,
    MetaData,
    String,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from reelforge.clock import utc_now

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


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; use reelforge.clock.utc_now()")
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
    return mapped_column(UTCDateTime, default=utc_now)
