"""Passwords (P03): only an argon2 hash is stored."""

from __future__ import annotations

import pytest

from reelforge.accounts import passwords
from reelforge.errors import InputError

PASSWORD = "correct horse battery staple"


def test_P03_only_a_slow_argon2id_hash_is_kept() -> None:
    stored = passwords.hash_password(PASSWORD)
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert stored != passwords.hash_password(PASSWORD)  # salted: no two hashes alike
    assert passwords.verify_password(stored, PASSWORD)
    assert not passwords.verify_password(stored, PASSWORD + "!")


def test_accounts_without_a_password_never_match() -> None:
    assert not passwords.verify_password(None, "anything at all")


@pytest.mark.parametrize("weak", ["short", " " * 12, "x" * 1025])
def test_unusable_passwords_are_refused_with_a_reason(weak: str) -> None:
    with pytest.raises(InputError):
        passwords.hash_password(weak)


def test_a_garbled_stored_hash_does_not_crash_sign_in() -> None:
    assert not passwords.verify_password("not-a-hash", PASSWORD)
