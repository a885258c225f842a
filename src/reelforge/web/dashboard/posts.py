"""Post history on the dashboard: every post with its status (scheduled, queued, publishing,
processing, published with its link, failed with what went wrong, cancelled), live progress
for the ones going out, one post's full history, and cancelling one that has not gone out.

The same service as ``/api/v1/posts`` (:mod:`reelforge.publish.posts`): every
lookup carries the signed-in owner, so another account's post is the 404 page.
Composing a post is :mod:`.posts_new`; the calendar and moving a scheduled post
are :mod:`.calendar`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from reelforge.connections import service as connections
from reelforge.errors import ReelforgeError
from reelforge.jobs import records
from reelforge.jobs.tables import Job
from reelforge.publish import posts
from reelforge.publish.post_ledger import FINISHED, IN_FLIGHT
from reelforge.publish.tables import Post, Upload
from reelforge.publish.uploads import get_upload
from reelforge.runtime import Runtime
from reelforge.web.dashboard.publishing_time import clean_tz, input_value, shown
from reelforge.web.dashboard.templating import render
from reelforge.web.dashboard.viewer import Viewer, ViewerDep
from reelforge.web.deps import DbDep, RuntimeDep

router = APIRouter()
PostId = Path(max_length=64)
UploadId = Path(max_length=64)
PAGE = 50

#: Privacy levels as the platforms' own apps name them.
PRIVACY_LABELS = {
    "PUBLIC_TO_EVERYONE": "Everyone",
    "MUTUAL_FOLLOW_FRIENDS": "Friends (followers you follow back)",
    "FOLLOWER_OF_CREATOR": "Followers",
    "SELF_ONLY": "Only me",
    "private": "Private",
    "unlisted": "Unlisted",
    "public": "Public",
}
#: How each status reads, and what it means.
STATUS = {
    "scheduled": ("Scheduled", "waits for its time; you can move or cancel it"),
    "queued": ("Queued", "about to go out"),
    "publishing": ("Publishing", "being sent to the platform"),
    "retrying": ("Retrying", "the platform failed for a moment; trying again"),
    "processing": ("Processing", "the platform has it and is processing it"),
    "published": ("Published", "out on the platform"),
    "sent_to_inbox": ("Sent to inbox", "waiting in the app's inbox for you to finish it"),
    "failed": ("Failed", "did not go out"),
    "cancelled": ("Cancelled", "stopped before it went out"),
}


async def _owner(viewer: ViewerDep, db: DbDep) -> Viewer:
    """The signed-in viewer, with the sign-in check's transaction ended at once (on SQLite
    a second request of the same page, like an image, would otherwise wait for it)."""
    db.commit()
    return viewer


OwnerDep = Annotated[Viewer, Depends(_owner)]


def platform_name(settings: object, name: str) -> str:
    try:
        return connections.get_platform(settings, name).display_name
    except ReelforgeError:  # no longer registered: its id is still a fine label
        return name


ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:[+-]\d\d:\d\d|Z)")


def readable_times(message: str, tz: str) -> str:
    """A history line with its ISO times ("to go out at 2030-01-31T17:00:00+00:00") on the
    person's clock, as the rest of the page shows times."""

    def one(match: re.Match[str]) -> str:
        try:
            return shown(datetime.fromisoformat(match[0].replace("Z", "+00:00")), tz)
        except ValueError:
            return match[0]

    return ISO_TIME.sub(one, message)


def can_cancel(post: Post) -> bool:
    return post.status not in FINISHED and post.phase is None


@dataclass
class Row:
    """One post as the history shows it."""

    post: Post
    platform: str
    when: str
    label: str
    meaning: str
    link: str  # an https link to the post on its platform, or ""
    where: str  # a non-web place (the outbox folder), or ""
    job: Job | None
    cancel: bool

    @property
    def live(self) -> bool:
        return self.job is not None and self.job.state in records.ACTIVE


def _jobs(db: Session, owner_id: str, rows: list[Post]) -> dict[str, Job]:
    ids = [p.job_id for p in rows if p.job_id and p.status in IN_FLIGHT]
    if not ids:
        return {}
    found = db.scalars(select(Job).where(Job.id.in_(ids), Job.owner_id == owner_id))
    return {j.id: j for j in found}


def rows_of(db: Session, settings: object, owner_id: str, found: list[Post], tz: str) -> list[Row]:
    jobs = _jobs(db, owner_id, found)
    rows = []
    for post in found:
        label, meaning = STATUS.get(post.status, (post.status, ""))
        url = post.url or ""
        rows.append(
            Row(
                post=post,
                platform=platform_name(settings, post.platform),
                when=shown(post.publish_at or post.created_at, tz),
                label=label,
                meaning=meaning,
                link=url if url.startswith("https://") else "",
                where=url.removeprefix("file://") if url.startswith("file://") else "",
                job=jobs.get(post.job_id or ""),
                cancel=can_cancel(post),
            )
        )
    return rows


@router.get("/posts")
def history(
    request: Request,
    viewer: OwnerDep,
    db: DbDep,
    runtime: RuntimeDep,
    status: str = "",
    page: int = 1,
    tz: str = "",
) -> Response:
    status = status if status in STATUS else ""
    page = max(1, min(page, 10_000))
    zone = clean_tz(tz)
    found = posts.list_posts(
        db,
        owner_id=viewer.user_id,
        status=status or None,
        limit=PAGE + 1,
        offset=(page - 1) * PAGE,
    )
    rows = rows_of(db, runtime.settings, viewer.user_id, found[:PAGE], zone)
    has_connection = bool(connections.list_connections(db, owner_id=viewer.user_id))
    db.commit()  # see _owner
    return render(
        request,
        "publishing/posts.html",
        title="Posts",
        rows=rows,
        status=status,
        statuses=STATUS,
        page=page,
        more=len(found) > PAGE,
        tz=zone,
        tz_given=bool(tz),
        has_connection=has_connection,
    )


@router.get("/posts/uploads/{upload_id}")
def upload_image(
    viewer: OwnerDep, db: DbDep, runtime: RuntimeDep, upload_id: str = UploadId
) -> Response:
    """An uploaded carousel image, its owner's only (the compose page's previews)."""
    row = get_upload(db, owner_id=viewer.user_id, upload_id=upload_id)
    key = row.blob_key
    db.commit()  # see _owner
    return Response(
        runtime.blobs.get_bytes(key),
        media_type="image/jpeg",
        headers={"Cache-Control": "private, max-age=3600"},
    )


def post_page_response(
    request: Request,
    db: Session,
    runtime: Runtime,
    viewer: Viewer,
    post: Post,
    *,
    tz: str,
    tz_given: bool,
    notice: str = "",
    problem: str = "",
    status_code: int = 200,
) -> Response:
    """One post's page: what it is, where it stands, its history; the calendar's move and
    the reschedule form answer with it too (with their message)."""
    view = posts.view(db, post)
    (row,) = rows_of(db, runtime.settings, viewer.user_id, [post], tz)
    present = set(
        db.scalars(
            select(Upload.id).where(Upload.owner_id == viewer.user_id, Upload.id.in_(view.images))
        )
    )
    history = [
        {
            "at": shown(e.at, tz),
            "status": STATUS.get(e.status, (e.status, ""))[0],
            "message": readable_times(e.message or e.fail_reason or "", tz),
            "source": e.source,
        }
        for e in view.history
    ]
    db.commit()  # see _owner
    return render(
        request,
        "publishing/post.html",
        status_code=status_code,
        title=post.title or "Post",
        row=row,
        post=post,
        images=[i for i in view.images if i in present],
        history=history,
        tz=tz,
        tz_given=tz_given,
        privacy=PRIVACY_LABELS.get(post.privacy_level, post.privacy_level),
        publish_value=input_value(post.publish_at, tz),
        day_value=input_value(post.publish_at, tz)[:10],
        notice=notice,
        problem=problem,
    )


@router.get("/posts/{post_id}")
def post_page(
    request: Request,
    viewer: OwnerDep,
    db: DbDep,
    runtime: RuntimeDep,
    post_id: str = PostId,
    tz: str = "",
    cancelled: str = "",
    moved: str = "",
    created: str = "",
) -> Response:
    post = posts.get_post(db, owner_id=viewer.user_id, post_id=post_id)
    zone = clean_tz(tz)
    notice = ""
    if cancelled == "1":
        notice = "Cancelled: this post will not go out."
    elif moved == "1" and post.status == "scheduled":
        notice = f"Moved: it goes out {shown(post.publish_at, zone)}."
    elif created == "1" and post.status == "scheduled":
        notice = f"Scheduled: it goes out {shown(post.publish_at, zone)}."
    elif created == "1" and post.status in IN_FLIGHT:
        notice = "Asked for: reelforge is sending it now. This page follows it."
    return post_page_response(
        request, db, runtime, viewer, post, tz=zone, tz_given=bool(tz), notice=notice
    )


@router.post("/posts/{post_id}/cancel")
def cancel(viewer: OwnerDep, db: DbDep, post_id: str = PostId) -> Response:
    post = posts.cancel_post(db, owner_id=viewer.user_id, post_id=post_id)
    db.commit()
    return RedirectResponse(f"/posts/{post.id}?cancelled=1", status_code=303)
