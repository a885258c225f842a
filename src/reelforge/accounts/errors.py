"""Account errors that the shared tree (``reelforge.errors``) does not have yet.

``Unauthenticated`` means "who are you?" (HTTP 401) as opposed to
``Forbidden`` ("you may not", 403); ``CodeRejected`` is a wrong, expired or
locked one-time code (HTTP 400).
"""

from __future__ import annotations

from reelforge.errors import InputError, ReelforgeError


class Unauthenticated(ReelforgeError):
    code = "unauthenticated"


class CodeRejected(InputError):
    code = "invalid_code"
