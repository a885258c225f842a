"""The posting calendar: a month or a week of scheduled and past posts on the person's own
clock, and moving a scheduled post to another day at the same time of day (drag it, or use
the move form that is always there for the keyboard), or to any new time from its page.

Moves go through :func:`reelforge.publish.posts.move_to_day` and
:func:`~reelforge.publish.posts.reschedule`, which only move a post that is
still scheduled (a post the scheduler just queued is refused, not moved after
it went out). Every lookup carries the signed-in owner.
"""

from __future__ import annotations

import calendar as cal
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Annotated
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from reelforge.clock import utc_now
from reelforge.errors import InputError, NotFound
from reelforge.publish import posts
from reelforge.publish.tables import Post
from reelforge.runtime import Runtime
from reelforge.web.dashboard.posts import (
    STATUS,
    OwnerDep,
    PostId,
    platform_name,
    post_page_response,
)
from reelforge.web.dashboard.publishing_time import clean_tz, local, read_day, read_local, shown
from reelforge.web.dashboard.templating import render
from reelforge.web.dashboard.viewer import Viewer
from reelforge.web.deps import DbDep, RuntimeDep

router = APIRouter()
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass
class Chip:
    post: Post
    time: str
    platform: str
    label: str

    @property
    def movable(self) -> bool:
        return self.post.status == "scheduled"


@dataclass
class Day:
    day: date
    in_range: bool
    today: bool
    chips: list[Chip] = field(default_factory=list)

    @property
    def weekday(self) -> str:
        return WEEKDAYS[self.day.weekday()]


@dataclass(frozen=True)
class Span:
    """The days a view shows, and where its arrows go."""

    view: str
    anchor: date
    first: date  # first day drawn (a Monday)
    last: date  # last day drawn (a Sunday)
    heading: str
    previous: date
    following: date


def span_of(view: str, anchor: date) -> Span:
    if view == "week":
        first = anchor - timedelta(days=anchor.weekday())
        last = first + timedelta(days=6)
        heading = f"Week of {first.day} {first:%B %Y}"
        return Span(
            "week",
            anchor,
            first,
            last,
            heading,
            first - timedelta(days=7),
            last + timedelta(days=1),
        )
    start = anchor.replace(day=1)
    end = start.replace(day=cal.monthrange(start.year, start.month)[1])
    first = start - timedelta(days=start.weekday())
    last = end + timedelta(days=6 - end.weekday())
    previous = (start - timedelta(days=1)).replace(day=1)
    return Span("month", start, first, last, f"{start:%B %Y}", previous, end + timedelta(days=1))


def _anchor(text: str, today: date) -> date:
    try:
        return date.fromisoformat(text[:10]) if text else today
    except ValueError:
        return today


def calendar_url(view: str, anchor: date, tz: str, **extra: str) -> str:
    return "/posts/calendar?" + urlencode(
        {"view": view, "date": anchor.isoformat(), "tz": tz, **extra}
    )


def calendar_response(
    request: Request,
    db: Session,
    runtime: Runtime,
    viewer: Viewer,
    *,
    view: str,
    anchor_text: str,
    tz: str,
    tz_given: bool,
    notice: str = "",
    problem: str = "",
    status_code: int = 200,
) -> Response:
    where = ZoneInfo(tz)
    today = local(utc_now(), tz).date()
    span = span_of(view if view in ("month", "week") else "month", _anchor(anchor_text, today))
    start = datetime.combine(span.first, time(0), tzinfo=where)
    end = datetime.combine(span.last + timedelta(days=1), time(0), tzinfo=where)
    found = posts.calendar_posts(db, owner_id=viewer.user_id, start=start, end=end)
    days = {
        span.first + timedelta(days=n): Day(
            span.first + timedelta(days=n),
            in_range=span.view == "week"
            or (span.first + timedelta(days=n)).month == span.anchor.month,
            today=span.first + timedelta(days=n) == today,
        )
        for n in range((span.last - span.first).days + 1)
    }
    movable = []
    for post in found:
        at = local(post.publish_at or post.created_at, tz)
        chip = Chip(
            post,
            f"{at:%H:%M}",
            platform_name(runtime.settings, post.platform),
            STATUS.get(post.status, (post.status, ""))[0],
        )
        if at.date() in days:
            days[at.date()].chips.append(chip)
        if chip.movable:
            movable.append(
                {"chip": chip, "day": at.date().isoformat(), "when": shown(post.publish_at, tz)}
            )
    weeks = [list(days.values())[i : i + 7] for i in range(0, len(days), 7)]
    in_view = span.view == "month" and today.month == span.anchor.month
    week_of = (
        today
        if in_view or (span.view == "week" and span.first <= today <= span.last)
        else span.anchor
    )
    db.commit()  # see posts._owner
    return render(
        request,
        "publishing/calendar.html",
        status_code=status_code,
        title="Calendar",
        span=span,
        weeks=weeks,
        weekdays=WEEKDAYS,
        movable=movable,
        tz=tz,
        tz_given=tz_given,
        today=today,
        empty=not found,
        urls={
            "previous": calendar_url(span.view, span.previous, tz),
            "next": calendar_url(span.view, span.following, tz),
            "today": calendar_url(span.view, today, tz),
            "month": calendar_url("month", span.anchor, tz),
            "week": calendar_url("week", week_of, tz),
        },
        notice=notice,
        problem=problem,
        min_day=today.isoformat(),
    )


@router.get("/posts/calendar")
def calendar_page(
    request: Request,
    viewer: OwnerDep,
    db: DbDep,
    runtime: RuntimeDep,
    view: str = "month",
    anchor: Annotated[str, Query(alias="date", max_length=20)] = "",
    tz: str = "",
    moved: str = "",
) -> Response:
    zone = clean_tz(tz)
    notice = ""
    if moved:
        try:
            post = posts.get_post(db, owner_id=viewer.user_id, post_id=moved[:64])
        except NotFound:  # an old or foreign id: no message, no leak
            post = None
        if post is not None and post.status == "scheduled":
            notice = (
                f"Moved “{post.title or 'untitled'}” to {shown(post.publish_at, zone)} "
                "(the same time of day)."
            )
    return calendar_response(
        request,
        db,
        runtime,
        viewer,
        view=view,
        anchor_text=anchor,
        tz=zone,
        tz_given=bool(tz),
        notice=notice,
    )


@router.post("/posts/{post_id}/move")
def move(
    request: Request,
    viewer: OwnerDep,
    db: DbDep,
    runtime: RuntimeDep,
    post_id: str = PostId,
    day: Annotated[str, Form(max_length=20)] = "",
    tz: Annotated[str, Form(max_length=64)] = "",
    view: Annotated[str, Form(max_length=8)] = "month",
    anchor: Annotated[str, Form(alias="date", max_length=20)] = "",
) -> Response:
    """Another day, the same time of day (on the clock of ``tz``)."""
    post = posts.get_post(db, owner_id=viewer.user_id, post_id=post_id)  # the owner first
    zone = clean_tz(tz)
    try:
        posts.move_to_day(db, owner_id=viewer.user_id, post_id=post.id, day=read_day(day), tz=zone)
    except InputError as exc:
        db.rollback()
        return calendar_response(
            request,
            db,
            runtime,
            viewer,
            view=view,
            anchor_text=anchor or day,
            tz=zone,
            tz_given=True,
            problem=exc.message,
            status_code=400,
        )
    db.commit()
    back = _anchor(anchor or day, local(utc_now(), zone).date())
    return RedirectResponse(
        calendar_url(view if view in ("month", "week") else "month", back, zone, moved=post.id),
        status_code=303,
    )


@router.post("/posts/{post_id}/reschedule")
def reschedule(
    request: Request,
    viewer: OwnerDep,
    db: DbDep,
    runtime: RuntimeDep,
    post_id: str = PostId,
    publish_local: Annotated[str, Form(max_length=20)] = "",
    tz: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Any new time, from the post's page."""
    post = posts.get_post(db, owner_id=viewer.user_id, post_id=post_id)  # the owner first
    zone = clean_tz(tz)
    try:
        posts.reschedule(
            db,
            owner_id=viewer.user_id,
            post_id=post.id,
            publish_at=read_local(publish_local, zone),
        )
    except InputError as exc:
        db.rollback()
        post = posts.get_post(db, owner_id=viewer.user_id, post_id=post_id)
        return post_page_response(
            request,
            db,
            runtime,
            viewer,
            post,
            tz=zone,
            tz_given=True,
            problem=exc.message,
            status_code=400,
        )
    db.commit()
    return RedirectResponse(
        f"/posts/{post.id}?" + urlencode({"moved": "1", "tz": zone}), status_code=303
    )
