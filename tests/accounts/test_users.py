"""Users: only an email needed (P01), 13 or older (P05), correction, deletion."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from reelforge.accounts import api_keys, otp, users
from reelforge.accounts.ratelimit import DbBackend, RateLimiter
from reelforge.accounts.tables import OtpCode, RateLimitHit, User
from reelforge.config import Settings
from reelforge.errors import InputError, NotFound
from reelforge.store.blobs import owner_prefix
from reelforge.store.db import Database
from reelforge.store.open_blobs import open_blob_store


def test_P01_an_account_needs_only_an_email(sqlite_database: Database) -> None:
    with sqlite_database.session() as s:
        user = users.create_user(s, email="  Sam@Example.COM ", age_confirmed=True)
        assert (user.email, user.name, user.password_hash) == ("sam@example.com", None, None)
    with sqlite_database.session() as s:
        named = users.create_user(s, email="kim@example.com", age_confirmed=True, name=" Kim  L ")
        assert named.name == "Kim L"


@pytest.mark.parametrize("confirmed", [False, None, "yes", 1])
def test_P05_sign_up_is_refused_without_confirming_13_or_older(
    sqlite_database: Database, confirmed: object
) -> None:
    with sqlite_database.session() as s, pytest.raises(InputError) as info:
        users.create_user(s, email="kid@example.com", age_confirmed=confirmed)  # type: ignore[arg-type]
    assert "13" in info.value.message
    with sqlite_database.session() as s:
        assert s.scalar(select(func.count()).select_from(User)) == 0


@pytest.mark.parametrize(
    "bad", ["", "plain", "a@b", "a b@example.com", "a,b@example.com", "x@-y.com"]
)
def test_addresses_that_are_not_emails_are_refused(bad: str) -> None:
    with pytest.raises(InputError):
        users.normalize_email(bad)


def test_one_account_per_address(sqlite_database: Database) -> None:
    with sqlite_database.session() as s:
        users.create_user(s, email="sam@example.com", age_confirmed=True)
    with sqlite_database.session() as s, pytest.raises(InputError):
        users.create_user(s, email="SAM@example.com", age_confirmed=True)


def test_P23_name_and_email_can_be_corrected(sqlite_database: Database) -> None:
    with sqlite_database.session() as s:
        uid = users.create_user(s, email="sam@example.com", age_confirmed=True).id
        users.create_user(s, email="taken@example.com", age_confirmed=True)
    with sqlite_database.session() as s:
        assert users.update_profile(s, user_id=uid, name="Sam R").name == "Sam R"
        assert users.change_email(s, user_id=uid, new_email="New@Example.com").email == (
            "new@example.com"
        )
    with sqlite_database.session() as s, pytest.raises(InputError):
        users.change_email(s, user_id=uid, new_email="taken@example.com")


def test_deleting_a_user_removes_their_rows_files_and_rate_counts(
    sqlite_database: Database, settings: Settings
) -> None:
    blobs = open_blob_store(settings)
    with sqlite_database.session() as s:
        uid = users.create_user(s, email="sam@example.com", age_confirmed=True).id
        other = users.create_user(s, email="kim@example.com", age_confirmed=True).id
        api_keys.create_api_key(s, owner_id=uid, name="laptop")
        otp.issue_code(s, settings=settings, email="sam@example.com", purpose="signin")
    blobs.put_bytes(owner_prefix(uid) + "videos/v/final.mp4", b"mp4")
    blobs.put_bytes(owner_prefix(other) + "videos/v/final.mp4", b"mp4")
    RateLimiter(settings, DbBackend(sqlite_database.engine)).check(
        "code_per_email", "sam@example.com"
    )

    with sqlite_database.session() as s:
        users.delete_user(s, settings=settings, user_id=uid, blobs=blobs)

    with sqlite_database.session() as s:
        assert s.get(User, uid) is None
        assert s.scalar(select(func.count()).select_from(OtpCode)) == 0
        assert s.scalar(select(func.count()).select_from(RateLimitHit)) == 0
        with pytest.raises(NotFound):
            users.get_user(s, user_id=uid)
    assert blobs.list(owner_prefix(uid)) == []
    assert blobs.list(owner_prefix(other)) == [owner_prefix(other) + "videos/v/final.mp4"]
