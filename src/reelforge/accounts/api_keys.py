"""API keys: shown once, stored only as SHA-256 (P06), usage recorded, revocable at once
(P07, P25).

A key is ``rf_live_`` + 43 URL-safe characters (256 random bits). Only its
SHA-256 and a short non-secret prefix (for telling keys apart in a list) are
stored: with 256 bits of entropy a fast hash is enough, and lookup by hash is
one indexed query. Each successful use bumps ``request_count`` and
``last_used_at`` in one atomic UPDATE.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from reelforge.accounts.tables import ApiKey, User
from reelforge.clock import utc_now
from reelforge.errors import InputError, NotFound, Unauthenticated

KEY_PREFIX = "rf_live_"
SHOWN_PREFIX_CHARS = 6  # random characters kept for display after "rf_live_"
NAME_MAX = 100


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def looks_like_api_key(token: str) -> bool:
    return token.startswith(KEY_PREFIX)


def create_api_key(db: Session, *, owner_id: str, name: str) -> tuple[ApiKey, str]:
    """A new key row and the key itself — the only time the key exists in readable form."""
    label = " ".join(name.split())
    if not label or len(label) > NAME_MAX:
        raise InputError(f"Give the key a name of 1 to {NAME_MAX} characters.")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(
        owner_id=owner_id,
        name=label,
        prefix=key[: len(KEY_PREFIX) + SHOWN_PREFIX_CHARS],
        key_hash=hash_key(key),
        request_count=0,
    )
    db.add(row)
    db.flush()
    return row, key


def list_api_keys(db: Session, *, owner_id: str) -> list[ApiKey]:
    """The owner's keys that still work, newest first."""
    query = select(ApiKey).where(ApiKey.owner_id == owner_id, ApiKey.revoked_at.is_(None))
    return list(db.scalars(query.order_by(ApiKey.created_at.desc())))


def revoke_api_key(db: Session, *, owner_id: str, key_id: str) -> None:
    """Stop a key working at once. Another user's key is reported as not found."""
    row = db.scalars(
        select(ApiKey).where(
            ApiKey.id == key_id, ApiKey.owner_id == owner_id, ApiKey.revoked_at.is_(None)
        )
    ).first()
    if row is None:
        raise NotFound("No such API key.")
    row.revoked_at = utc_now()
    db.flush()


def authenticate_api_key(db: Session, *, key: str) -> tuple[User, ApiKey]:
    """The owner and key row for ``key``, counting this use; or :class:`Unauthenticated`."""
    row = db.scalars(select(ApiKey).where(ApiKey.key_hash == hash_key(key))).first()
    if row is None:
        raise Unauthenticated("That API key is not valid.")
    if row.revoked_at is not None:
        raise Unauthenticated("That API key was revoked; create a new one.")
    now = utc_now()
    db.execute(
        update(ApiKey)
        .where(ApiKey.id == row.id)
        .values(request_count=ApiKey.request_count + 1, last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    db.refresh(row)
    user = db.get(User, row.owner_id)
    if user is None:  # pragma: no cover - keys are deleted with their owner
        raise Unauthenticated("That API key is not valid.")
    return user, row
