"""API keys (P06, P07): shown once, stored as SHA-256 only, usage recorded, revoked at once."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from reelforge.accounts import api_keys, users
from reelforge.accounts.tables import ApiKey
from reelforge.errors import InputError, NotFound, Unauthenticated
from reelforge.store.db import Database


def _two_users(db: Database) -> tuple[str, str]:
    with db.session() as s:
        a = users.create_user(s, email="a@example.com", age_confirmed=True).id
        b = users.create_user(s, email="b@example.com", age_confirmed=True).id
    return a, b


def test_P06_api_keys_stored_as_sha256_only(database: Database) -> None:
    owner, _ = _two_users(database)
    with database.session() as s:
        _, key = api_keys.create_api_key(s, owner_id=owner, name="laptop")
    assert key.startswith("rf_live_") and len(key) >= 40
    with database.session() as s:
        stored = s.scalars(select(ApiKey)).one()
        values = [str(getattr(stored, c.key)) for c in ApiKey.__table__.columns]
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert all(key not in v for v in values)
    assert stored.prefix == key[:14] and len(stored.prefix) < len(key) // 2  # display only


def test_P07_each_use_is_counted_and_timed(database: Database) -> None:
    owner, _ = _two_users(database)
    with database.session() as s:
        _, key = api_keys.create_api_key(s, owner_id=owner, name="ci")
    for _ in range(3):
        with database.session() as s:
            user, _row = api_keys.authenticate_api_key(s, key=key)
            assert user.id == owner
    with database.session() as s:
        (listed,) = api_keys.list_api_keys(s, owner_id=owner)
    assert listed.request_count == 3
    assert listed.last_used_at is not None


def test_P07_a_revoked_key_stops_working_at_once(database: Database) -> None:
    owner, _ = _two_users(database)
    with database.session() as s:
        row, key = api_keys.create_api_key(s, owner_id=owner, name="old")
    with database.session() as s:
        api_keys.revoke_api_key(s, owner_id=owner, key_id=row.id)
    with database.session() as s, pytest.raises(Unauthenticated) as info:
        api_keys.authenticate_api_key(s, key=key)
    assert "revoked" in info.value.message
    with database.session() as s:
        assert api_keys.list_api_keys(s, owner_id=owner) == []


def test_another_users_key_cannot_be_revoked_or_listed(database: Database) -> None:
    owner, intruder = _two_users(database)
    with database.session() as s:
        row, key = api_keys.create_api_key(s, owner_id=owner, name="mine")
    with database.session() as s, pytest.raises(NotFound):
        api_keys.revoke_api_key(s, owner_id=intruder, key_id=row.id)
    with database.session() as s:
        assert api_keys.list_api_keys(s, owner_id=intruder) == []
        assert api_keys.authenticate_api_key(s, key=key)[0].id == owner  # still works


def test_unknown_keys_and_empty_names_are_refused(sqlite_database: Database) -> None:
    owner, _ = _two_users(sqlite_database)
    with sqlite_database.session() as s, pytest.raises(Unauthenticated):
        api_keys.authenticate_api_key(s, key="rf_live_" + "x" * 43)
    with sqlite_database.session() as s, pytest.raises(InputError):
        api_keys.create_api_key(s, owner_id=owner, name="   ")
