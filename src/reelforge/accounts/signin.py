"""Signing in, the same for every door: email codes (sign-up included) and passwords.

Why here and not in the routes: the REST API and the dashboard both sign
people in, and the rate limits (P30), the code rules (P02), the age check
(P05) and the wording that never reveals whether an address has an account
must be identical in both.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from reelforge.accounts import otp, passwords, sessions, users
from reelforge.accounts.mailer import Mailer
from reelforge.accounts.ratelimit import RateLimiter
from reelforge.accounts.tables import User
from reelforge.config import Settings
from reelforge.errors import InputError, Unauthenticated


def send_code(
    db: Session,
    *,
    settings: Settings,
    limiter: RateLimiter,
    mailer: Mailer,
    email: str,
    ip: str,
) -> None:
    """Email a sign-in code (also how a new account starts). Says nothing about whether an
    account exists; the code is committed before the mail goes out."""
    email = users.normalize_email(email)
    limiter.check("code_per_ip", ip)
    limiter.check("code_per_email", email)
    code = otp.issue_code(db, settings=settings, email=email, purpose="signin")
    db.commit()
    subject, text = otp.code_email(code=code, purpose="signin", minutes=settings.otp_ttl_s // 60)
    mailer.send(to=email, subject=subject, text=text)


def verify_code(
    db: Session,
    *,
    settings: Settings,
    limiter: RateLimiter,
    email: str,
    code: str,
    ip: str,
    age_confirmed: bool,
    name: str | None = None,
) -> tuple[User, str]:
    """Sign in (or up) with the emailed code; returns the user and a new session token.

    A new account needs ``age_confirmed`` (13 or older, P05); a refused sign-up rolls back,
    so the code still works once the age is confirmed."""
    email = users.normalize_email(email)
    limiter.check("signin_per_ip", ip)
    limiter.check("signin_per_email", email)
    otp.verify_code(db, settings=settings, purpose="signin", email=email, code=code)
    user = users.find_user_by_email(db, email=email)
    if user is None:
        user = users.create_user(db, email=email, age_confirmed=age_confirmed, name=name)
    _, token = sessions.create_session(db, settings=settings, user_id=user.id)
    return user, token


def password_login(
    db: Session, *, settings: Settings, limiter: RateLimiter, email: str, password: str, ip: str
) -> tuple[User, str]:
    """Sign in with a password (P03); the same answer for a wrong password and no account."""
    try:
        email = users.normalize_email(email)
    except InputError as exc:
        raise Unauthenticated("Email or password is wrong.") from exc
    limiter.check("signin_per_ip", ip)
    limiter.check("signin_per_email", email)
    user = users.find_user_by_email(db, email=email)
    stored = user.password_hash if user is not None else None
    if user is None or not passwords.verify_password(stored, password):
        raise Unauthenticated("Email or password is wrong.")
    if stored is not None and passwords.needs_rehash(stored):
        user.password_hash = passwords.hash_password(password)
    _, token = sessions.create_session(db, settings=settings, user_id=user.id)
    return user, token
