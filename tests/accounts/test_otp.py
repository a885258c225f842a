"""One-time codes (P02): 6 digits, hashed, single use, 10-minute expiry, locked after 5 misses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from reelforge.accounts import otp
from reelforge.accounts.tables import OtpCode
from reelforge.clock import utc_now
from reelforge.config import Settings
from reelforge.errors import CodeRejected
from reelforge.store.db import Database

EMAIL = "sam@example.com"


def _issue(db: Database, settings: Settings) -> str:
    with db.session() as s:
        return otp.issue_code(s, settings=settings, email=EMAIL, purpose="signin")


def _verify(db: Database, settings: Settings, code: str) -> None:
    with db.session() as s:
        otp.verify_code(s, settings=settings, purpose="signin", email=EMAIL, code=code)


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_P02_codes_are_six_digits_and_stored_only_as_a_hash(
    database: Database, db_settings: Settings
) -> None:
    code = _issue(database, db_settings)
    assert len(code) == 6 and code.isdigit()
    with database.session() as s:
        row = s.scalars(select(OtpCode)).one()
        stored = [str(v) for v in vars(row).values()]
    assert all(code not in value for value in stored)
    assert len(row.code_hash) == 64  # HMAC-SHA256, keyed by the server secret


def test_P02_a_code_works_once(database: Database, db_settings: Settings) -> None:
    code = _issue(database, db_settings)
    _verify(database, db_settings, code)
    with pytest.raises(CodeRejected):
        _verify(database, db_settings, code)


def test_P02_codes_expire_after_ten_minutes(sqlite_database: Database, settings: Settings) -> None:
    assert settings.otp_ttl_s == 600
    code = _issue(sqlite_database, settings)
    with sqlite_database.session() as s:
        row = s.scalars(select(OtpCode)).one()
        assert timedelta(minutes=9) < row.expires_at - utc_now() <= timedelta(minutes=10)
        row.expires_at = utc_now() - timedelta(seconds=1)  # ten minutes later
    with pytest.raises(CodeRejected) as info:
        _verify(sqlite_database, settings, code)
    assert "expired" in info.value.message


def test_P02_five_wrong_tries_lock_the_code(database: Database, db_settings: Settings) -> None:
    code = _issue(database, db_settings)
    for left in (4, 3, 2, 1, 0):
        with pytest.raises(CodeRejected) as info:
            _verify(database, db_settings, _wrong(code))
        assert info.value.details["tries_left"] == left
    with pytest.raises(CodeRejected) as info:
        _verify(database, db_settings, code)  # even the right code, now
    assert info.value.details == {"locked": True}


def test_P02_asking_again_replaces_the_old_code(
    sqlite_database: Database, settings: Settings
) -> None:
    first = _issue(sqlite_database, settings)
    second = _issue(sqlite_database, settings)
    if first != second:
        with pytest.raises(CodeRejected):
            _verify(sqlite_database, settings, first)
    _verify(sqlite_database, settings, second)


def test_a_code_for_one_address_does_not_sign_in_another(
    sqlite_database: Database, settings: Settings
) -> None:
    code = _issue(sqlite_database, settings)
    with sqlite_database.session() as s, pytest.raises(CodeRejected):
        otp.verify_code(s, settings=settings, purpose="signin", email="eve@example.com", code=code)


def test_the_code_mail_says_how_long_it_lasts() -> None:
    subject, text = otp.code_email(code="123456", purpose="signin", minutes=10)
    assert "123456" in subject and "123456" in text
    assert "10 minutes" in text
