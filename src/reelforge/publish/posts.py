"""Posts: created only when their owner asks (P13), checked before anything is queued, kept as
the post history (P18).

A post is "scheduled" (``publish_at`` in the future; the scheduler queues it
when due) or "queued" at once with its publish job. Everything that can be
known without calling the platform is checked before that, by the platform
itself (:meth:`reelforge.providers.base.Platform.check_post`), so a mistake (a
title too long for TikTok, a draft on YouTube, a carousel without a public https
media prefix) is a 400 now rather than a failed job later.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from reelforge.accounts import usage
from reelforge.clock import utc_now
from reelforge.connections import service as connections
from reelforge.connections.service import Disconnected, get_connection, get_platform
from reelforge.deps import Deps
from reelforge.errors import InputError, NotFound
from reelforge.jobs import records
from reelforge.jobs.tables import Job
from reelforge.providers.types.publishing import PostRequest
from reelforge.publish.post_ledger import FINISHED, add_event, set_status
from reelforge.publish.suggest import zone
from reelforge.publish.tables import Post, PostEvent, PostImage, Upload
from reelforge.publish.uploads import get_uploads
from reelforge.videos import service as videos
from reelforge.videos.tables import Video

MAX_AHEAD = timedelta(days=365)
#: Statuses of a post that has not reached its platform yet (disconnecting cancels them).
WAITING = ("scheduled", "queued", "retrying")


@dataclass(frozen=True)
class PostInput:
    """What the owner asked for (the API body, the CLI's options)."""

    connection_id: str
    video_id: str | None = None
    images: tuple[str, ...] = ()
    title: str = ""
    description: str = ""
    privacy_level: str = "SELF_ONLY"
    disable_comment: bool = False
    disable_duet: bool = False
    disable_stitch: bool = False
    is_aigc: bool = False
    publish_at: datetime | None = None
    mode: str = "direct"


@dataclass
class PostView:
    post: Post
    images: list[str] = field(default_factory=list)
    history: list[PostEvent] = field(default_factory=list)


def media_prefix(settings: Any) -> str:
    """The public prefix TikTok pulls carousel images from (always ends in "/")."""
    prefix = settings.publish_media_url or f"{str(settings.public_url).rstrip('/')}/api/v1/media/"
    return prefix if prefix.endswith("/") else prefix + "/"


def image_urls(settings: Any, post: Post) -> tuple[str, ...]:
    prefix = media_prefix(settings)
    return tuple(f"{prefix}{post.media_token}/{n}.jpg" for n in range(1, post.image_count + 1))


def build_request(
    post: Post,
    *,
    video_path: Path | None = None,
    urls: tuple[str, ...] = (),
    paths: tuple[Path, ...] = (),
    duration_s: float | None = None,
    width: int | None = None,
    height: int | None = None,
) -> PostRequest:
    return PostRequest(
        title=post.title,
        description=post.description,
        privacy_level=post.privacy_level,
        disable_comment=post.disable_comment,
        disable_duet=post.disable_duet,
        disable_stitch=post.disable_stitch,
        is_aigc=post.is_aigc,
        mode="draft" if post.mode == "draft" else "direct",
        video_path=video_path,
        image_urls=urls,
        image_paths=paths,
        duration_s=duration_s,
        width=width,
        height=height,
    )


def _check_for_platform(deps: Deps, platform: str, ask: PostInput, count: int) -> None:
    """The platform's own rules, on stand-ins for the media (nothing is sent anywhere)."""
    video = ask.video_id is not None
    prefix = media_prefix(deps.settings)
    request = PostRequest(
        title=ask.title,
        description=ask.description,
        privacy_level=ask.privacy_level,
        mode="draft" if ask.mode == "draft" else "direct",
        video_path=Path("video.mp4") if video else None,
        image_urls=() if video else tuple(f"{prefix}check/{n}.jpg" for n in range(1, count + 1)),
    )
    get_platform(deps.settings, platform).check_post(request)


def _check_video(db: Session, deps: Deps, *, owner_id: str, video_id: str) -> Video:
    video = videos.get_video(db, owner_id=owner_id, video_id=video_id)
    if video.status != "ready" or not deps.blobs.exists(videos.file_key(video, "mp4")):
        raise InputError(
            f"Video {video_id} is not finished yet (status {video.status}); post it once its "
            "job has succeeded."
        )
    return video


def create_post(
    db: Session, deps: Deps, *, owner_id: str, ask: PostInput, now: datetime | None = None
) -> tuple[Post, Job | None]:
    """Record the owner's post and queue it (or schedule it); nothing is sent yet."""
    now = now or utc_now()
    settings = deps.settings
    connection = get_connection(db, owner_id=owner_id, connection_id=ask.connection_id)
    if connection.needs_reconsent:
        raise InputError(
            f"The {connection.platform} connection must be approved again first: connect "
            f"{connection.platform} again, then post."
        )
    if (ask.video_id is None) == (not ask.images):
        raise InputError("A post needs either video_id or images (a list of upload ids).")
    if ask.mode not in ("direct", "draft"):
        raise InputError("mode must be 'direct' or 'draft'.")
    uploads = []
    if ask.video_id is not None:
        _check_video(db, deps, owner_id=owner_id, video_id=ask.video_id)
    else:
        if len(ask.images) > settings.upload_max_images:
            raise InputError(f"A carousel has at most {settings.upload_max_images} images.")
        uploads = get_uploads(db, owner_id=owner_id, upload_ids=list(ask.images))
    _check_for_platform(deps, connection.platform, ask, len(uploads))
    if ask.publish_at is not None:
        if ask.publish_at.tzinfo is None:
            raise InputError("publish_at needs a time zone, e.g. 2030-01-31T18:00:00+01:00.")
        if ask.publish_at > now + MAX_AHEAD:
            raise InputError("publish_at may be at most one year ahead.")
    later = ask.publish_at is not None and ask.publish_at > now
    usage.check_limit(db, settings, owner_id=owner_id, metric="posts")
    if not later:
        usage.check_limit(db, settings, owner_id=owner_id, metric="jobs")
    post = Post(
        owner_id=owner_id,
        connection_id=connection.id,
        platform=connection.platform,
        account_name=connection.display_name,
        kind="video" if ask.video_id else "photos",
        video_id=ask.video_id,
        image_count=len(uploads),
        media_token=secrets.token_urlsafe(32) if uploads else None,
        title=ask.title,
        description=ask.description,
        privacy_level=ask.privacy_level,
        disable_comment=ask.disable_comment,
        disable_duet=ask.disable_duet,
        disable_stitch=ask.disable_stitch,
        is_aigc=ask.is_aigc,
        mode=ask.mode,
        publish_at=ask.publish_at,
        status="scheduled" if later else "queued",
        post_ids=[],
    )
    db.add(post)
    db.flush()
    for position, upload in enumerate(uploads, start=1):
        db.add(
            PostImage(post_id=post.id, upload_id=upload.id, owner_id=owner_id, position=position)
        )
    usage.record(db, settings, owner_id=owner_id, metric="posts")
    if later:
        assert ask.publish_at is not None
        add_event(
            db, post, status="scheduled", message=f"to go out at {ask.publish_at.isoformat()}"
        )
        return post, None
    add_event(db, post, status="queued", message="asked for by its owner")
    return post, queue_job(db, deps, post=post)


def queue_job(db: Session, deps: Deps, *, post: Post) -> Job:
    """A publish job for the post (the caller commits, then enqueues the job id)."""
    job = records.create_job(
        db, owner_id=post.owner_id, kind="publish", payload={"post_id": post.id}
    )
    usage.record(db, deps.settings, owner_id=post.owner_id, metric="jobs")
    post.job_id = job.id
    return job


def get_post(db: Session, *, owner_id: str, post_id: str) -> Post:
    post = db.scalar(select(Post).where(Post.id == post_id, Post.owner_id == owner_id))
    if post is None:
        raise NotFound("No such post (it may belong to another account).")
    return post


def view(db: Session, post: Post) -> PostView:
    images = db.scalars(
        select(PostImage.upload_id)
        .where(PostImage.post_id == post.id, PostImage.owner_id == post.owner_id)
        .order_by(PostImage.position)
    )
    history = db.scalars(
        select(PostEvent)
        .where(PostEvent.post_id == post.id, PostEvent.owner_id == post.owner_id)
        .order_by(PostEvent.id)
    )
    return PostView(post, list(images), list(history))


def list_posts(
    db: Session, *, owner_id: str, status: str | None = None, limit: int = 50, offset: int = 0
) -> list[Post]:
    query = select(Post).where(Post.owner_id == owner_id)
    if status is not None:
        query = query.where(Post.status == status)
    query = query.order_by(Post.created_at.desc(), Post.id.desc())
    return list(db.scalars(query.limit(limit).offset(offset)))


def cancel_post(db: Session, *, owner_id: str, post_id: str) -> Post:
    """Stop a post that has not reached the platform yet."""
    post = get_post(db, owner_id=owner_id, post_id=post_id)
    if post.status in FINISHED:
        raise InputError(f"This post is already {post.status}; there is nothing to cancel.")
    if post.phase is not None:
        raise InputError(
            "This post is already being sent to the platform and cannot be stopped; "
            "delete it on the platform once it appears."
        )
    if post.job_id is not None:
        job = db.get(Job, post.job_id)
        if job is not None and job.state in records.ACTIVE:
            records.request_cancel(db, owner_id=owner_id, job_id=job.id)
    set_status(db, post, "cancelled", "cancelled by its owner")
    return post


def reschedule(
    db: Session, *, owner_id: str, post_id: str, publish_at: datetime, now: datetime | None = None
) -> Post:
    """Move a scheduled post to ``publish_at`` (the calendar's move, the post page's form).

    Only a post still waiting for its time can move: the UPDATE matches it only while it
    is ``scheduled``, so a post the scheduler queued a moment ago is refused rather than
    moved after it went out.
    """
    now = now or utc_now()
    post = get_post(db, owner_id=owner_id, post_id=post_id)
    if publish_at.tzinfo is None:
        raise InputError("The new time needs a time zone, e.g. 2030-01-31T18:00:00+01:00.")
    if post.status != "scheduled":
        raise InputError(
            f"This post is {post.status}, not scheduled: only a post waiting for its time "
            "can be moved."
        )
    if publish_at <= now:
        raise InputError("Pick a time in the future; to post now, cancel this one and post again.")
    if publish_at > now + MAX_AHEAD:
        raise InputError("A post may be scheduled at most one year ahead.")
    moved = db.execute(
        update(Post)
        .where(Post.id == post.id, Post.owner_id == owner_id, Post.status == "scheduled")
        .values(publish_at=publish_at)
        .execution_options(synchronize_session=False)
    )
    if getattr(moved, "rowcount", 0) != 1:
        raise InputError("This post just started going out, so it can no longer be moved.")
    db.refresh(post)
    add_event(db, post, status="scheduled", message=f"moved to {publish_at.isoformat()}")
    return post


def move_to_day(
    db: Session,
    *,
    owner_id: str,
    post_id: str,
    day: date,
    tz: str = "UTC",
    now: datetime | None = None,
) -> Post:
    """Move a scheduled post to another ``day``, keeping its time of day on the clock of ``tz``
    (a post at 18:30 in Berlin stays at 18:30 in Berlin, across a daylight-saving change too)."""
    where = zone(tz)
    post = get_post(db, owner_id=owner_id, post_id=post_id)
    if post.publish_at is None or post.status != "scheduled":
        raise InputError(
            f"This post is {post.status}, not scheduled: only a post waiting for its time "
            "can be moved."
        )
    clock = post.publish_at.astimezone(where).time().replace(tzinfo=None)
    moved = datetime.combine(day, clock, tzinfo=where)
    return reschedule(db, owner_id=owner_id, post_id=post_id, publish_at=moved, now=now)


def calendar_posts(
    db: Session, *, owner_id: str, start: datetime, end: datetime, limit: int = 1000
) -> list[Post]:
    """The owner's posts on the calendar between ``start`` and ``end``: scheduled ones at
    their ``publish_at``, the others at the time they were asked for (or published)."""
    at = func.coalesce(Post.publish_at, Post.created_at)
    query = (
        select(Post)
        .where(
            Post.owner_id == owner_id,
            or_(
                and_(Post.publish_at.is_not(None), Post.publish_at >= start, Post.publish_at < end),
                and_(Post.publish_at.is_(None), Post.created_at >= start, Post.created_at < end),
            ),
        )
        .order_by(at, Post.id)
        .limit(limit)
    )
    return list(db.scalars(query))


def waiting_by_connection(db: Session, *, owner_id: str) -> dict[str, int]:
    """How many posts wait for each of the owner's connections (cancelled on disconnect)."""
    rows = db.execute(
        select(Post.connection_id, func.count())
        .where(Post.owner_id == owner_id, Post.status.in_(WAITING))
        .group_by(Post.connection_id)
    )
    return {str(cid): int(n) for cid, n in rows if cid is not None}


def public_image_key(
    db: Session, *, token: str, number: int, serve_hours: float, now: datetime | None = None
) -> str:
    """The blob key behind a public carousel image URL, while its post needs it.

    The URL is a capability (an unguessable per-post token, no sign-in, because
    TikTok fetches it): it works while the post waits to go out or is being
    published, and for ``serve_hours`` after it finished; otherwise, like for
    any wrong token, there is nothing there.
    """
    gone = NotFound("No such image.")
    post = db.scalar(select(Post).where(Post.media_token == token))
    if post is None or post.status in ("scheduled", "cancelled", "failed"):
        raise gone
    if post.status in FINISHED:
        finished = post.finished_at or post.updated_at
        if finished < (now or utc_now()) - timedelta(hours=serve_hours):
            raise gone
    key = db.scalar(
        select(Upload.blob_key)
        .join(PostImage, PostImage.upload_id == Upload.id)
        .where(PostImage.post_id == post.id, PostImage.position == number)
    )
    if key is None:
        raise gone
    return key


def disconnect(db: Session, deps: Deps, *, owner_id: str, connection_id: str) -> Disconnected:
    """Disconnect a platform account (P12): posts waiting for it are cancelled first; the post
    history stays (P18)."""
    connection = get_connection(db, owner_id=owner_id, connection_id=connection_id)
    waiting = db.scalars(
        select(Post).where(
            Post.owner_id == owner_id,
            Post.connection_id == connection.id,
            Post.status.in_(WAITING),
        )
    )
    for post in waiting:
        set_status(db, post, "cancelled", "The account was disconnected before posting.")
    return connections.disconnect(db, deps, owner_id=owner_id, connection_id=connection_id)
