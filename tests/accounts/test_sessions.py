"""Sessions (P04): JWTs signed with the server secret, ended server-side."""

from __future__ import annotations

import os
import stat

import jwt
import pytest

from reelforge.accounts import sessions, users
from reelforge.accounts.keyfiles import server_secret
from reelforge.config import Settings
from reelforge.errors import Unauthenticated
from reelforge.store.db import Database
from tests.store.support import configured


def _user(db: Database) -> str:
    with db.session() as s:
        return users.create_user(s, email="sam@example.com", age_confirmed=True).id


def _auth(db: Database, settings: Settings, token: str) -> str:
    with db.session() as s:
        user, _ = sessions.authenticate_token(s, settings=settings, token=token)
        return user.id


def test_P04_session_tokens_are_jwts_signed_with_the_server_secret(
    sqlite_database: Database, settings: Settings
) -> None:
    uid = _user(sqlite_database)
    with sqlite_database.session() as s:
        row, token = sessions.create_session(s, settings=settings, user_id=uid)
    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, options={"verify_signature": False})
    assert header["alg"] == "HS256"
    assert (claims["sub"], claims["sid"]) == (uid, row.id)
    assert _auth(sqlite_database, settings, token) == uid

    forged = jwt.encode({**claims}, "not the server secret, though long enough", algorithm="HS256")
    other_server = configured(settings, secret_key="another server's secret")
    for bad, with_settings in ((forged, settings), (token, other_server), (token + "x", settings)):
        with pytest.raises(Unauthenticated):
            _auth(sqlite_database, with_settings, bad)


def test_P04_signing_out_ends_the_session_at_once(
    sqlite_database: Database, settings: Settings
) -> None:
    uid = _user(sqlite_database)
    with sqlite_database.session() as s:
        row, token = sessions.create_session(s, settings=settings, user_id=uid)
        _, other = sessions.create_session(s, settings=settings, user_id=uid)
    with sqlite_database.session() as s:
        sessions.end_session(s, user_id=uid, session_id=row.id)
    with pytest.raises(Unauthenticated):
        _auth(sqlite_database, settings, token)  # the token has not expired, but it is over
    assert _auth(sqlite_database, settings, other) == uid  # other sessions go on
    with sqlite_database.session() as s:
        sessions.end_all_sessions(s, user_id=uid)
    with pytest.raises(Unauthenticated):
        _auth(sqlite_database, settings, other)


def test_expired_tokens_are_refused(sqlite_database: Database, settings: Settings) -> None:
    uid = _user(sqlite_database)
    short = configured(settings, session_ttl_s=-1)
    with sqlite_database.session() as s:
        _, token = sessions.create_session(s, settings=short, user_id=uid)
    with pytest.raises(Unauthenticated) as info:
        _auth(sqlite_database, settings, token)
    assert "expired" in info.value.message


def test_the_server_secret_is_made_once_in_a_private_file(settings: Settings) -> None:
    first = server_secret(settings)
    path = settings.home / "secret.key"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert len(first) >= 32
    assert server_secret(configured(settings)) == first  # reused, not remade


def test_a_configured_secret_wins_over_the_file(settings: Settings) -> None:
    assert server_secret(configured(settings, secret_key="s3cret-from-env")) == b"s3cret-from-env"
    assert not (settings.home / "secret.key").exists()
