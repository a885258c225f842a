"""Optional passwords, stored only as argon2id hashes (promise P03).

argon2id is slow and memory-hard on purpose: a stolen database does not give
passwords back at any useful speed. Nothing else about the password is kept —
not its length, not a hint.
"""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from reelforge.errors import InputError

MIN_LENGTH = 8
MAX_LENGTH = 1024  # longer inputs only cost hashing time

_hasher = PasswordHasher()


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise InputError(f"Choose a password of at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise InputError(f"Choose a password of at most {MAX_LENGTH} characters.")
    if not password.strip():
        raise InputError("A password cannot be only spaces.")


def hash_password(password: str) -> str:
    """An argon2id hash of an acceptable password (raises InputError otherwise)."""
    check_strength(password)
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when ``password`` matches. With no stored hash, a dummy hash is still checked so
    the answer takes the same time whether or not the account has a password."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _hasher.verify(stored_hash or _dummy_hash(), password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with older parameters (re-hash at next sign-in)."""
    return _hasher.check_needs_rehash(stored_hash)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash("reelforge-timing-equaliser")
