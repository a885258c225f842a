"""One-time codes sent by email: sign-in and email change (promises P02, P23).

A code is 6 digits, lives ``otp_ttl_s`` (10 minutes), works once, and is kept
only as an HMAC keyed by the server secret — a copy of the database cannot be
used to sign in, and guessing offline needs the secret. After
``otp_max_attempts`` (5) wrong tries the code is locked: even the right code
is then refused and the user asks for a new one. Asking for a new code
replaces the old one.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Literal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from reelforge.accounts.keyfiles import derived_key
from reelforge.accounts.tables import OtpCode
from reelforge.clock import utc_now
from reelforge.config import Settings
from reelforge.errors import CodeRejected

Purpose = Literal["signin", "email_change"]
CODE_DIGITS = 6


def _hash(settings: Settings, *, purpose: str, email: str, code: str) -> str:
    message = f"{purpose}\x1f{email}\x1f{code}".encode()
    return hmac.new(derived_key(settings, "otp"), message, hashlib.sha256).hexdigest()


def issue_code(
    db: Session, *, settings: Settings, email: str, purpose: Purpose, user_id: str | None = None
) -> str:
    """Store a new code for ``email`` (replacing earlier ones) and return it for mailing."""
    same = OtpCode.email == email if purpose == "signin" else OtpCode.user_id == user_id
    db.execute(delete(OtpCode).where(OtpCode.purpose == purpose, same))
    # Expired codes of addresses that never came back: no reason to keep them.
    db.execute(delete(OtpCode).where(OtpCode.expires_at < utc_now() - timedelta(days=1)))
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    db.add(
        OtpCode(
            email=email,
            purpose=purpose,
            user_id=user_id,
            code_hash=_hash(settings, purpose=purpose, email=email, code=code),
            expires_at=utc_now() + timedelta(seconds=settings.otp_ttl_s),
        )
    )
    db.flush()
    return code


def verify_code(
    db: Session,
    *,
    settings: Settings,
    purpose: Purpose,
    code: str,
    email: str | None = None,
    user_id: str | None = None,
) -> OtpCode:
    """Consume the matching code or raise :class:`CodeRejected`.

    Sign-in codes are found by ``email``; email-change codes by ``user_id`` (the
    new address is on the code row). A wrong try is committed before raising,
    so the count survives the failed request.
    """
    query = select(OtpCode).where(OtpCode.purpose == purpose, OtpCode.used_at.is_(None))
    if purpose == "signin":
        query = query.where(OtpCode.email == (email or ""))
    else:
        query = query.where(OtpCode.user_id == (user_id or ""))
    row = db.scalars(query.order_by(OtpCode.created_at.desc()).limit(1)).first()
    if row is None or row.expires_at <= utc_now():
        raise CodeRejected("That code is wrong or has expired. Ask for a new code.")
    if row.attempts >= settings.otp_max_attempts:
        raise CodeRejected(
            "Too many wrong tries: this code is locked. Ask for a new code.",
            details={"locked": True},
        )
    expected = _hash(settings, purpose=purpose, email=row.email, code=code.strip())
    if not hmac.compare_digest(expected, row.code_hash):
        row.attempts += 1
        left = max(0, settings.otp_max_attempts - row.attempts)
        db.commit()
        raise CodeRejected(
            f"That code is wrong. {left} tries left before it locks."
            if left
            else "That code is wrong, and it is now locked. Ask for a new code.",
            details={"tries_left": left},
        )
    row.used_at = utc_now()
    db.flush()
    return row


def code_email(*, code: str, purpose: Purpose, minutes: int) -> tuple[str, str]:
    """Subject and text of the mail carrying a code (the only place a code is ever written)."""
    if purpose == "signin":
        subject = f"Your reelforge sign-in code: {code}"
        intro = "Use this code to sign in to reelforge:"
    else:
        subject = f"Confirm your new reelforge email: {code}"
        intro = "Use this code to confirm this address as your reelforge email:"
    text = (
        f"{intro}\n\n    {code}\n\n"
        f"It works once and expires in {minutes} minutes. If you did not ask for it, "
        "ignore this mail; nothing changes.\n"
    )
    return subject, text
