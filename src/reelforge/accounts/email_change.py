"""Changing an account's email address, with a code sent to the new address (promise P23).

Why here and not in the routes: the REST API (``POST /api/v1/me/email`` and
``/confirm``) and the dashboard's account page both change addresses, and the
rate limits (P30), the code rules (P02), the answer that never reveals whether
an address already has an account, and the notice mailed to the old address
must be identical in both.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from reelforge.accounts import otp, users
from reelforge.accounts.mailer import Mailer
from reelforge.accounts.ratelimit import RateLimiter
from reelforge.accounts.tables import User
from reelforge.config import Settings


def start(
    db: Session,
    *,
    settings: Settings,
    limiter: RateLimiter,
    mailer: Mailer,
    user_id: str,
    new_email: str,
    ip: str,
) -> str:
    """Mail a code to ``new_email`` for ``user_id``; returns the address as normalised.

    An address that belongs to an account (this one included) gets no code, and
    the caller cannot tell: the return is the same. The code is committed before
    the mail goes out. Call it with no transaction open: the limiter runs first."""
    address = users.normalize_email(new_email)
    limiter.check("code_per_ip", ip)
    limiter.check("code_per_email", address)
    if not users.email_available(db, email=address):
        return address
    code = otp.issue_code(
        db, settings=settings, email=address, purpose="email_change", user_id=user_id
    )
    db.commit()
    subject, text = otp.code_email(
        code=code, purpose="email_change", minutes=settings.otp_ttl_s // 60
    )
    mailer.send(to=address, subject=subject, text=text)
    return address


def confirm(
    db: Session,
    *,
    settings: Settings,
    limiter: RateLimiter,
    mailer: Mailer,
    user: User,
    code: str,
    ip: str,
) -> User:
    """Switch to the address the code was sent to; the old address is told (committed first).

    A wrong code raises :class:`~reelforge.errors.CodeRejected` (the try is counted); an
    address taken meanwhile by another account raises InputError and nothing changes when
    the caller rolls back. ``user`` is the signed-in user, already loaded: the limiter runs
    before this session touches the database (on SQLite it holds the write lock once it
    does)."""
    limiter.check("signin_per_ip", ip)
    limiter.check("signin_per_email", user.email)
    old_email = user.email
    row = otp.verify_code(db, settings=settings, purpose="email_change", user_id=user.id, code=code)
    user = users.change_email(db, user_id=user.id, new_email=row.email)
    db.commit()
    mailer.send(
        to=old_email,
        subject="Your reelforge email was changed",
        text=f"The email of your reelforge account is now {user.email}. If you did not do "
        "this, sign in with your password or contact the server's operator.\n",
    )
    return user
