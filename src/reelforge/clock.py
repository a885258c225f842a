"""The one clock: timezone-aware UTC now.

Every stored time is UTC (the store refuses naive datetimes); code that needs
"now" calls :func:`utc_now`, and tests that move the clock pass ``now=`` to the
service functions that take it.
"""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)
