"""The "publish" job: hand one post to its platform, exactly once, resuming where a killed or
failed run stopped.

The job prepares the post's media (the video file, probed; a carousel as public
URLs and local files) and calls :meth:`reelforge.providers.base.Platform.publish`
with the database ledger and a token getter; it never knows which platform it
talks to. Exactly once rests on the ledger (:class:`~reelforge.publish.post_ledger.DbLedger`):
the platforms record their intent before every create call and the platform's id
right after it, so a rerun of this job — a retry, the orphan recovery after a
killed worker, a duplicate enqueue — continues the same post instead of making a
second one. A post that is already finished is never touched again. The job only
ever reads its owner's post and connection (P13).

While the platform is still processing after a run's polling window, the job
queues a fresh check a minute later instead of holding a worker.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from reelforge.av.ffmpeg import probe
from reelforge.connections import tokens
from reelforge.connections.service import get_platform
from reelforge.connections.tables import PlatformConnection
from reelforge.deps import Deps
from reelforge.errors import NotFound, ProviderError, ReconsentRequired, ReelforgeError
from reelforge.jobs.context import JobContext
from reelforge.providers.types.publishing import PlatformPost, PostRequest
from reelforge.publish import posts
from reelforge.publish.post_ledger import FINISHED, DbLedger, set_status
from reelforge.publish.tables import Post, PostImage, Upload
from reelforge.videos import service as videos
from reelforge.videos.tables import Video

RECHECK_S = 60.0


@dataclass(frozen=True)
class Plan:
    """What the job needs from the post row, read once in a short transaction."""

    post_id: str
    platform: str
    connection_id: str | None
    kind: str
    video_key: str | None
    image_keys: tuple[str, ...]
    post: Post  # detached snapshot (sessions keep attributes after commit)


def _plan(ctx: JobContext, post_id: str) -> Plan | None:
    with ctx.deps.database.session() as db:
        post = posts.get_post(db, owner_id=ctx.owner_id, post_id=post_id)
        if post.status in FINISHED or post.status == "scheduled":
            return None  # done already (never post twice), cancelled, or not due
        video_key = None
        if post.kind == "video":
            video = db.get(Video, post.video_id) if post.video_id else None
            if video is None or video.owner_id != ctx.owner_id:
                raise NotFound("The video of this post was deleted before it could be posted.")
            video_key = videos.file_key(video, "mp4")
        keys = tuple(
            db.scalars(
                select(Upload.blob_key)
                .join(PostImage, PostImage.upload_id == Upload.id)
                .where(PostImage.post_id == post.id, Upload.owner_id == ctx.owner_id)
                .order_by(PostImage.position)
            )
        )
        if post.kind == "photos" and len(keys) != post.image_count:
            raise NotFound("Some images of this post were deleted before it could be posted.")
        if post.status in ("queued", "retrying"):
            set_status(db, post, "publishing", f"attempt {ctx.attempt}")
        return Plan(
            post.id,
            post.platform,
            post.connection_id,
            post.kind,
            video_key,
            keys,
            post,
        )


def _local_video(deps: Deps, plan: Plan, work: Path) -> Path:
    assert plan.video_key is not None
    local = deps.blobs.local_path(plan.video_key)
    if local is not None and local.is_file():
        return local
    path = work / "video.mp4"  # kept across retries: a resumed upload needs the same bytes
    if not path.is_file():
        deps.blobs.download(plan.video_key, path)
    return path


def _local_images(deps: Deps, plan: Plan, work: Path) -> tuple[Path, ...]:
    """The carousel's images as local files, in order (a platform that takes files uses them)."""
    found = []
    for n, key in enumerate(plan.image_keys, start=1):
        local = deps.blobs.local_path(key)
        if local is not None and local.is_file():
            found.append(local)
            continue
        path = work / "images" / f"{n:02d}.jpg"
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            deps.blobs.download(key, path)
        found.append(path)
    return tuple(found)


def _request(deps: Deps, plan: Plan, work: Path) -> PostRequest:
    """The platform request: the local video file (probed), or the images as public URLs and
    local files."""
    if plan.kind != "video":
        return posts.build_request(
            plan.post,
            urls=posts.image_urls(deps.settings, plan.post),
            paths=_local_images(deps, plan, work),
        )
    path = _local_video(deps, plan, work)
    info = probe(path, exe=deps.settings.ffmpeg)
    return posts.build_request(
        plan.post, video_path=path, duration_s=info.duration, width=info.width, height=info.height
    )


def _send(ctx: JobContext, ledger: DbLedger, plan: Plan, request: PostRequest) -> PlatformPost:
    platform = get_platform(ctx.settings, plan.platform)

    def access_token(force: bool) -> str:
        if plan.connection_id is None:
            raise NotFound(
                "The account this post was for was disconnected; connect it and post again."
            )
        return tokens.access_token(
            ctx.deps, owner_id=ctx.owner_id, connection_id=plan.connection_id, force=force
        )

    def progress(sent: int, total: int) -> None:
        ctx.progress("upload", 0.1 + 0.8 * sent / max(total, 1), f"sent {sent} of {total} bytes")

    return platform.publish(
        ledger=ledger,
        post_key=plan.post_id,
        owner_id=ctx.owner_id,
        request=request,
        access_token=access_token,
        on_progress=progress,
    )


def _record_outcome(ctx: JobContext, plan: Plan, sent: PlatformPost) -> None:
    deps, settings = ctx.deps, ctx.settings
    with deps.database.session() as db:
        post = posts.get_post(db, owner_id=ctx.owner_id, post_id=plan.post_id)
        if sent.url:
            post.url = sent.url[:1000]
        if sent.done:
            if post.status not in FINISHED:  # the ledger normally moved it already
                set_status(db, post, "published" if sent.phase != "failed" else "failed")
            return
        post.checks += 1
        if post.checks >= settings.publish_status_checks_max:
            set_status(
                db,
                post,
                "failed",
                f"{plan.platform} did not finish processing the post; check your profile, and "
                "post again only if it is not there.",
            )
            return
        post.status = "processing"
        job_id = posts.queue_job(db, deps, post=post).id
    ctx.queue.later(job_id, RECHECK_S)


def _failed(ctx: JobContext, post_id: str, exc: ReelforgeError) -> None:
    retry = isinstance(exc, ProviderError) and exc.retryable
    retry = retry and ctx.attempt < ctx.settings.job_max_attempts
    with ctx.deps.database.session() as db:
        post = db.scalar(select(Post).where(Post.id == post_id, Post.owner_id == ctx.owner_id))
        if post is None:
            return  # not this owner's post: nothing of theirs to update (P13)
        if isinstance(exc, ReconsentRequired) and post.connection_id is not None:
            connection = db.get(PlatformConnection, post.connection_id)
            if connection is not None and connection.owner_id == ctx.owner_id:
                connection.needs_reconsent = True
        if post.status in FINISHED:
            return
        if retry:
            set_status(db, post, "retrying", f"{exc.message} (reelforge will try again)")
        else:
            set_status(db, post, "failed", exc.message)


def publish_post(ctx: JobContext) -> None:
    """Publish (or resume publishing) the post named in the job's payload."""
    post_id = str(ctx.payload["post_id"])
    deps = ctx.deps
    work = deps.settings.home / "work" / "publish" / ctx.owner_id / post_id
    try:
        plan = _plan(ctx, post_id)
        if plan is None:
            return
        ctx.progress("prepare", 0.05, f"posting to {plan.platform}", force=True)
        request = _request(deps, plan, work)
        ledger = DbLedger(deps.database, deps.vault, ctx.owner_id)
        sent = _send(ctx, ledger, plan, request)
        _record_outcome(ctx, plan, sent)
    except ReelforgeError as exc:
        _failed(ctx, post_id, exc)
        raise
    with deps.database.session() as db:
        done = db.scalar(select(Post.status).where(Post.id == post_id)) in FINISHED
    if done:
        shutil.rmtree(work, ignore_errors=True)
    ctx.progress("done", 1.0, "posted" if done else "still processing", force=True)
