"""CSRF tokens for the dashboard's forms: one per session, checked on every write.

Why a token on top of SameSite=Lax and the Origin check: Lax still lets a
top-level cross-site GET through, some browsers omit Origin on same-site
POSTs, and a subdomain shares the site. The token is an HMAC of the session id
with a key derived from the server secret, so it needs no storage and no second
cookie (P28: the session cookie is the only one), and it dies with the session.
"""

from __future__ import annotations

import hashlib
import hmac

from reelforge.accounts.keyfiles import derived_key
from reelforge.config import Settings
from reelforge.errors import Forbidden

FIELD = "csrf_token"
HEADER = "x-csrf-token"  # htmx requests send it as a header (hx-headers on <body>)


def token_for(settings: Settings, session_id: str) -> str:
    digest = hmac.new(derived_key(settings, "csrf"), session_id.encode(), hashlib.sha256)
    return digest.hexdigest()


def check(settings: Settings, session_id: str, presented: str | None) -> None:
    if not presented or not hmac.compare_digest(presented, token_for(settings, session_id)):
        raise Forbidden(
            "This form expired or did not come from reelforge. Reload the page and try again."
        )
