"""Setting or changing one's own password (promise P03), the same for the API and the dashboard.

Why here and not in the routes: both doors let a signed-in user set a password,
and the rules must match — the current password is asked (and rate-limited like
a sign-in, P30) whenever one exists, and only an argon2id hash is stored.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from reelforge.accounts import passwords
from reelforge.accounts.ratelimit import RateLimiter
from reelforge.accounts.tables import User
from reelforge.errors import WrongPassword


def set_password(
    db: Session,
    *,
    limiter: RateLimiter,
    user: User,
    password: str,
    current_password: str | None,
    ip: str,
) -> None:
    """Store ``password``'s hash. When the account has a password, ``current_password`` must
    match it (:class:`WrongPassword` otherwise); a weak password raises InputError.

    ``user`` is the signed-in user, already loaded: the limiter runs before this session
    touches the database (on SQLite it holds the write lock once it does)."""
    if user.password_hash is not None:
        limiter.check("signin_per_ip", ip)
        limiter.check("signin_per_email", user.email)
        if not passwords.verify_password(user.password_hash, current_password or ""):
            raise WrongPassword("Your current password is wrong.")
    user.password_hash = passwords.hash_password(password)
    db.add(user)
