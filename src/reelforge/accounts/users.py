"""Users: sign-up with only an email (P01), no one under 13 (P05), profile and email
correction (P23), and deletion of every row and file a user owns (P24's basis).
"""

from __future__ import annotations

import re
import shutil

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from reelforge.accounts import ratelimit
from reelforge.accounts.tables import OtpCode, User
from reelforge.clock import utc_now
from reelforge.config import Settings
from reelforge.errors import InputError, NotFound
from reelforge.store.blobs import BlobStore, owner_prefix

MIN_AGE = 13
NAME_MAX = 200
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"^[A-Za-z0-9.!#$%&'*+/=?^_`{{|}}~-]{{1,64}}@{_LABEL}(?:\.{_LABEL})+$")


def normalize_email(email: str) -> str:
    """The address in the form accounts are keyed by (trimmed, lower case), or InputError."""
    value = email.strip().lower()
    if len(value) > 254 or not _EMAIL.match(value):
        raise InputError(
            f"{email!r} does not look like an email address (name@example.com).",
            details={"field": "email"},
        )
    return value


def clean_name(name: str | None) -> str | None:
    if name is None:
        return None
    value = " ".join(name.split())
    if len(value) > NAME_MAX:
        raise InputError(f"A name can be at most {NAME_MAX} characters.", details={"field": "name"})
    return value or None


def get_user(db: Session, *, user_id: str) -> User:
    user = db.get(User, user_id)
    if user is None:
        raise NotFound("No such account.")
    return user


def find_user_by_email(db: Session, *, email: str) -> User | None:
    return db.scalars(select(User).where(User.email == normalize_email(email))).first()


def create_user(db: Session, *, email: str, age_confirmed: bool, name: str | None = None) -> User:
    """A new account: an email is all it needs; the user must confirm they are 13 or older."""
    if age_confirmed is not True:
        raise InputError(
            f"reelforge is not for anyone under {MIN_AGE}. To create an account, confirm you are "
            f"{MIN_AGE} or older (age_confirmed: true).",
            details={"field": "age_confirmed"},
        )
    address = normalize_email(email)
    if find_user_by_email(db, email=address) is not None:
        raise InputError("An account with this email already exists; sign in instead.")
    user = User(email=address, name=clean_name(name), age_confirmed_at=utc_now())
    db.add(user)
    db.flush()
    return user


def update_profile(db: Session, *, user_id: str, name: str | None) -> User:
    user = get_user(db, user_id=user_id)
    user.name = clean_name(name)
    db.flush()
    return user


def change_email(db: Session, *, user_id: str, new_email: str) -> User:
    """Switch the address (after the code sent to it was confirmed)."""
    user = get_user(db, user_id=user_id)
    address = normalize_email(new_email)
    other = find_user_by_email(db, email=address)
    if other is not None and other.id != user.id:
        raise InputError("That address belongs to another account.", details={"field": "email"})
    user.email = address
    db.flush()
    return user


def email_available(db: Session, *, email: str) -> bool:
    return find_user_by_email(db, email=email) is None


def delete_user(db: Session, *, settings: Settings, user_id: str, blobs: BlobStore) -> None:
    """Remove the user, every row they own (ON DELETE CASCADE) and every file under their
    prefix. Their sessions and API keys are rows, so they stop working at once."""
    user = get_user(db, user_id=user_id)
    blobs.delete_prefix(owner_prefix(user.id))
    # Render caches (voice clips, scripts, frames) live outside the blob store.
    shutil.rmtree(settings.home / "work" / user.id, ignore_errors=True)
    db.execute(delete(OtpCode).where(OtpCode.email == user.email))
    ratelimit.forget(db, settings=settings, subjects=[user.email, user.id])
    db.execute(delete(User).where(User.id == user.id))
    db.expunge(user)


def finish_onboarding(db: Session, *, user_id: str) -> User:
    """The user finished or skipped the dashboard's first steps (asked only once)."""
    user = get_user(db, user_id=user_id)
    if user.onboarded_at is None:
        user.onboarded_at = utc_now()
    return user
