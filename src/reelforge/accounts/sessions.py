"""Sessions: a row per signed-in client, named by a JWT signed with the server secret (P04).

The token (HS256) carries the user id (``sub``) and the session id (``sid``);
a request is accepted only while that session row exists, so signing out or
deleting the account ends the session at once even though the token itself
has not expired. The same token works as ``Authorization: Bearer`` and as
the dashboard's HttpOnly cookie.
"""

from __future__ import annotations

from datetime import timedelta

import jwt
from sqlalchemy import delete
from sqlalchemy.orm import Session

from reelforge.accounts.keyfiles import derived_key
from reelforge.accounts.tables import User, UserSession
from reelforge.clock import utc_now
from reelforge.config import Settings
from reelforge.errors import Unauthenticated

ISSUER = "reelforge"
ALGORITHM = "HS256"
TOUCH_EVERY = timedelta(minutes=5)  # how often last_seen_at is written


def create_session(db: Session, *, settings: Settings, user_id: str) -> tuple[UserSession, str]:
    """A new session row and the signed token that names it."""
    now = utc_now()
    row = UserSession(user_id=user_id, created_at=now, last_seen_at=now)
    row.expires_at = now + timedelta(seconds=settings.session_ttl_s)
    db.add(row)
    db.flush()
    claims = {
        "iss": ISSUER,
        "sub": user_id,
        "sid": row.id,
        "iat": int(now.timestamp()),
        "exp": int(row.expires_at.timestamp()),
    }
    token = jwt.encode(claims, derived_key(settings, "jwt"), algorithm=ALGORITHM)
    return row, token


def authenticate_token(db: Session, *, settings: Settings, token: str) -> tuple[User, UserSession]:
    """The user and session a token names, or :class:`Unauthenticated`."""
    try:
        claims = jwt.decode(
            token,
            derived_key(settings, "jwt"),
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "sid", "iss"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthenticated("Your session has expired; sign in again.") from exc
    except jwt.InvalidTokenError as exc:
        raise Unauthenticated("That token is not valid; sign in again.") from exc
    row = db.get(UserSession, str(claims["sid"]))
    now = utc_now()
    if row is None or row.user_id != claims["sub"] or row.expires_at <= now:
        raise Unauthenticated("This session has ended; sign in again.")
    user = db.get(User, row.user_id)
    if user is None:  # pragma: no cover - the cascade removes the session with the user
        raise Unauthenticated("This account no longer exists.")
    if row.last_seen_at is None or now - row.last_seen_at > TOUCH_EVERY:
        row.last_seen_at = now
    return user, row


def end_session(db: Session, *, user_id: str, session_id: str) -> None:
    """Sign out one session (scoped to its owner)."""
    db.execute(
        delete(UserSession).where(UserSession.id == session_id, UserSession.user_id == user_id)
    )


def end_all_sessions(db: Session, *, user_id: str) -> None:
    """Sign out everywhere (e.g. after a password or email change)."""
    db.execute(delete(UserSession).where(UserSession.user_id == user_id))
