"""Times on the publishing pages: shown on the person's own clock, read back from their forms.

Why a module: reelforge keeps no time zone per user, while "tomorrow at 18:00" only
means something on someone's clock. The browser says its IANA zone
(``publishing.js`` puts it in a ``tz`` field or query parameter); until it has,
pages use UTC and say so. A form's ``datetime-local`` value is a wall-clock time
in that zone.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from reelforge.errors import InputError
from reelforge.publish.suggest import zone

DEFAULT_TZ = "UTC"


def clean_tz(tz: str | None) -> str:
    """A usable IANA zone name: the one given when it is known, else UTC."""
    if not tz:
        return DEFAULT_TZ
    try:
        zone(tz[:64])
    except InputError:
        return DEFAULT_TZ
    return tz[:64]


def local(value: datetime, tz: str) -> datetime:
    return value.astimezone(ZoneInfo(clean_tz(tz)))


def shown(value: datetime | None, tz: str) -> str:
    """'Tue 3 Mar 2026, 18:00' on the clock of ``tz``; '—' for no time."""
    if value is None:
        return "—"
    at = local(value, tz)
    return f"{at:%a} {at.day} {at:%b %Y}, {at:%H:%M}"


def input_value(value: datetime | None, tz: str) -> str:
    """The value of a ``datetime-local`` input for ``value`` in ``tz``."""
    return local(value, tz).strftime("%Y-%m-%dT%H:%M") if value else ""


def read_local(text: str, tz: str) -> datetime:
    """A ``datetime-local`` value (wall clock in ``tz``) as an aware time; InputError if odd."""
    try:
        naive = datetime.strptime(text.strip()[:16], "%Y-%m-%dT%H:%M")
    except ValueError:
        raise InputError("Give the date and time to post, e.g. 2030-01-31 18:00.") from None
    return naive.replace(tzinfo=ZoneInfo(clean_tz(tz)))


def read_day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise InputError("Give the day to move the post to, e.g. 2030-01-31.") from None
