"""PKCE (RFC 7636) verifiers and S256 challenges.

Why the encoding is a choice: TikTok's Login Kit docs describe the challenge as
the *hex* SHA-256 of the verifier, while RFC 7636 (and Google) use unpadded
base64url, and some TikTok integrators report base64url working. reelforge
defaults TikTok to hex (``tiktok_pkce_encoding``) and always uses base64url for
Google.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import string
from typing import Literal

from reelforge.errors import InputError

ChallengeEncoding = Literal["hex", "base64url"]

#: RFC 7636 "unreserved" characters.
VERIFIER_ALPHABET = string.ascii_letters + string.digits + "-._~"
_VERIFIER_RE = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")


def new_verifier(length: int = 64) -> str:
    """A fresh random verifier of ``length`` (43–128) unreserved characters."""
    if not 43 <= length <= 128:
        raise InputError("A PKCE code verifier must be 43 to 128 characters long.")
    return "".join(secrets.choice(VERIFIER_ALPHABET) for _ in range(length))


def check_verifier(verifier: str) -> str:
    if not _VERIFIER_RE.match(verifier):
        raise InputError(
            "A PKCE code verifier must be 43–128 characters of letters, digits and -._~."
        )
    return verifier


def challenge(verifier: str, encoding: ChallengeEncoding = "hex") -> str:
    """The S256 challenge for ``verifier`` in the given encoding."""
    digest = hashlib.sha256(check_verifier(verifier).encode("ascii")).digest()
    if encoding == "hex":
        return digest.hex()
    if encoding == "base64url":
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    raise InputError(
        f"Unknown PKCE challenge encoding {encoding!r}; use 'hex' or 'base64url' "
        "(setting REELFORGE_TIKTOK_PKCE_ENCODING)."
    )


def new_state() -> str:
    """An unguessable OAuth ``state`` value (the service binds it to the user's session)."""
    return secrets.token_urlsafe(32)
