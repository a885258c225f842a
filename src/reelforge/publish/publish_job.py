"""The "publish" job: send one post to its platform, exactly once, resuming where a killed or
failed run stopped.

Exactly once rests on the ledger (:class:`~reelforge.publish.post_ledger.DbLedger`):
the platform state machines record their intent before every create call and
the platform's id right after it, so a rerun of this job — a retry, the
orphan recovery after a killed worker, a duplicate enqueue — continues the same
post instead of making a second one. A post that is already finished is never
touched again. The job only ever reads its owner's post and connection (P13).

While TikTok is still processing after a run's polling window, the job queues
a fresh check a minute later instead of holding a worker.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from reelforge.av.ffmpeg import probe
from reelforge.connections import tokens
from reelforge.connections.tables import PlatformConnection
from reelforge.deps import Deps
from reelforge.errors import (
    NotFound,
    PlatformError,
    ProviderError,
    ReconsentRequired,
    ReelforgeError,
)
from reelforge.jobs.context import JobContext
from reelforge.providers.platforms.tiktok_posting import TikTokPosting, post_url
from reelforge.providers.platforms.youtube_upload import YouTubeUploader
from reelforge.providers.types.publishing import PostRequest
from reelforge.publish import posts
from reelforge.publish.outbox import user_outbox, write_outbox
from reelforge.publish.post_ledger import FINISHED, DbLedger, set_status
from reelforge.publish.post_state import PlatformPost
from reelforge.publish.tables import Post, PostImage, Upload
from reelforge.publish.tiktok_machine import PollPolicy, publish_photos, publish_video, result
from reelforge.publish.youtube_machine import publish_youtube
from reelforge.videos import service as videos
from reelforge.videos.tables import Video

RECHECK_S = 60.0
TOKEN_REJECTED = frozenset({"access_token_invalid", "authError"})


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


def _request(deps: Deps, plan: Plan, work: Path) -> PostRequest:
    """The platform request: the local video file (probed), or the public image URLs."""
    if plan.kind != "video":
        return posts.build_request(plan.post, urls=posts.image_urls(deps.settings, plan.post))
    path = _local_video(deps, plan, work)
    info = probe(path)
    return posts.build_request(
        plan.post, video_path=path, duration_s=info.duration, width=info.width, height=info.height
    )


def _outbox(ctx: JobContext, ledger: DbLedger, plan: Plan, request: PostRequest) -> PlatformPost:
    state = ledger.load(plan.post_id)
    if state is not None and state.terminal:
        return result(state)
    with tempfile.TemporaryDirectory(prefix="reelforge-outbox-") as tmp:
        media = []
        for n, key in enumerate(plan.image_keys, start=1):
            media.append(ctx.deps.blobs.download(key, Path(tmp) / f"{n:02d}.jpg"))
        total = sum(p.stat().st_size for p in media) or (
            request.video_path.stat().st_size if request.video_path else 0
        )
        ledger.record_init_sent(plan.post_id, platform="outbox", total_bytes=total)
        written = write_outbox(
            root=user_outbox(ctx.settings, ctx.owner_id),
            post_id=plan.post_id,
            request=request,
            media=media,
        )
    ledger.record_init(plan.post_id, publish_id=written.folder.name, upload_url=None)
    ledger.record_upload(plan.post_id, uploaded_bytes=total, complete=True)
    ledger.record_status(plan.post_id, status="WRITTEN", phase="published")
    return written.as_post(plan.post_id)


def _platform(
    ctx: JobContext, ledger: DbLedger, plan: Plan, request: PostRequest, token: str
) -> PlatformPost:
    settings = ctx.settings

    def progress(sent: int, total: int) -> None:
        ctx.progress("upload", 0.1 + 0.8 * sent / max(total, 1), f"sent {sent} of {total} bytes")

    if plan.platform == "youtube":
        uploader = YouTubeUploader(settings, access_token=token)
        try:
            return publish_youtube(
                client=uploader,
                ledger=ledger,
                post_key=plan.post_id,
                request=request,
                chunk_size=settings.youtube_chunk_bytes,
                shorts=settings.youtube_shorts,
                shorts_max_s=settings.youtube_shorts_max_s,
                on_progress=progress,
            )
        finally:
            uploader.close()
    client = TikTokPosting(settings, access_token=token)
    poll = PollPolicy(
        first_s=settings.tiktok_poll_interval_s, max_wait_s=settings.tiktok_poll_max_wait_s
    )
    try:
        if plan.kind == "photos":
            post = publish_photos(
                client=client, ledger=ledger, post_key=plan.post_id, request=request, poll=poll
            )
        else:
            post = publish_video(
                client=client,
                ledger=ledger,
                post_key=plan.post_id,
                request=request,
                chunk_size=settings.tiktok_chunk_bytes,
                poll=poll,
                on_progress=progress,
            )
        if post.post_ids and post.done:
            try:  # the public URL needs the creator's username
                name = client.creator_info().username
                post = post.model_copy(
                    update={"url": post_url(name, post.post_ids[0], photo=plan.kind == "photos")}
                )
            except ProviderError:
                pass  # the post is out; only its link is missing
        return post
    finally:
        client.close()


def _send(ctx: JobContext, ledger: DbLedger, plan: Plan, request: PostRequest) -> PlatformPost:
    if plan.platform == "outbox":
        return _outbox(ctx, ledger, plan, request)
    if plan.connection_id is None:
        raise NotFound("The account this post was for was disconnected; connect it and post again.")
    token_for: Callable[[bool], str] = lambda force: tokens.access_token(  # noqa: E731
        ctx.deps, owner_id=ctx.owner_id, connection_id=str(plan.connection_id), force=force
    )
    try:
        return _platform(ctx, ledger, plan, request, token_for(False))
    except PlatformError as exc:
        if exc.platform_code not in TOKEN_REJECTED:
            raise
    return _platform(ctx, ledger, plan, request, token_for(True))  # once, with a new token


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
