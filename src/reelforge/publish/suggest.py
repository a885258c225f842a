"""Next good times to post: from the user's own research data when there is enough, else
general defaults — and the answer always says which.

The research tables hold the public videos of creators the user studies (P14,
their own workspace only: P16). Their weekday × hour medians
(:func:`reelforge.research.analytics.weekday_hour`) say when such videos did
best; the next occurrence of each best slot after now is a suggestion. Without
enough data the defaults are common evening and weekend slots, labelled as
defaults so nobody mistakes them for analysis.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from reelforge.clock import utc_now
from reelforge.connections.tables import PlatformConnection
from reelforge.errors import InputError
from reelforge.providers.types.research import PLATFORMS

MAX_ROWS = 50_000
LEAD = timedelta(minutes=15)  # a suggestion leaves time to prepare the post
#: (weekday Monday=0, hour) in the user's time zone.
DEFAULT_SLOTS = ((1, 18), (3, 19), (5, 11))
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class SuggestedSlot:
    at: datetime
    weekday: str
    hour: int
    reason: str
    median_views: float | None = None
    posts: int = 0


@dataclass(frozen=True)
class Suggestion:
    source: str  # "research" or "default"
    label: str
    time_zone: str
    slots: list[SuggestedSlot]


def zone(tz: str) -> ZoneInfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InputError(
            f"Unknown time zone {tz!r}; use an IANA name such as Europe/Berlin."
        ) from None


def next_at(weekday: int, hour: int, *, now: datetime, tz: ZoneInfo) -> datetime:
    """The next time it is ``weekday`` at ``hour``:00 in ``tz``, at least LEAD from now."""
    local = (now + LEAD).astimezone(tz)
    days = (weekday - local.weekday()) % 7
    candidate = (local + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)
    if candidate < local:
        candidate += timedelta(days=7)
    return candidate


def _research_best(
    db: Session, *, owner_id: str, platform: str, tz: str
) -> list[tuple[int, int, float | None, int]]:
    """(weekday, hour, median views, posts) of the best slots, or [] without research data."""
    try:
        from reelforge.research.analytics import weekday_hour
        from reelforge.research.frame import VideoFrame
        from reelforge.research.tables import ResearchVideo
    except ImportError:  # research not installed in this build
        return []
    columns = ("creator_id", "platform", "platform_video_id", "views", "published_at")
    query = select(
        ResearchVideo.creator_id,
        ResearchVideo.platform,
        ResearchVideo.platform_video_id,
        ResearchVideo.views,
        ResearchVideo.published_at,
    ).where(ResearchVideo.owner_id == owner_id)
    if platform in PLATFORMS:  # a platform research reads; else every creator counts
        query = query.where(ResearchVideo.platform == platform)
    rows = [
        tuple(r)
        for r in db.execute(query.order_by(ResearchVideo.published_at.desc()).limit(MAX_ROWS))
    ]
    if not rows:
        return []
    table = weekday_hour(VideoFrame.from_records(rows, columns=columns), tz=tz)
    return [(s.weekday, s.hour, s.median_views, s.posts) for s in table.best]


def suggest(
    db: Session,
    *,
    owner_id: str,
    connection: PlatformConnection,
    tz: str = "UTC",
    now: datetime | None = None,
) -> Suggestion:
    """Up to three next slots for posting to ``connection``, soonest first."""
    now = now or utc_now()
    where = zone(tz)
    best = _research_best(db, owner_id=owner_id, platform=connection.platform, tz=tz)
    if best:
        slots = [
            SuggestedSlot(
                at=next_at(day, hour, now=now, tz=where),
                weekday=WEEKDAYS[day],
                hour=hour,
                reason=f"videos you study posted then had a median of {views or 0:,.0f} views "
                f"({posts} posts)",
                median_views=views,
                posts=posts,
            )
            for day, hour, views, posts in best
        ]
        label = (
            "From your research data: the weekday and hour when the creators you study did best."
        )
        return Suggestion("research", label, tz, sorted(slots, key=lambda s: s.at))
    slots = [
        SuggestedSlot(
            at=next_at(day, hour, now=now, tz=where),
            weekday=WEEKDAYS[day],
            hour=hour,
            reason="a common evening or weekend slot (default)",
        )
        for day, hour in DEFAULT_SLOTS
    ]
    label = (
        "Default slots, not based on any data: add creators in research (with at least two "
        "videos per slot) to get suggestions from their numbers."
    )
    return Suggestion("default", label, tz, sorted(slots, key=lambda s: s.at))
