"""Posts: ask for one (now or at a time), see the history with every status, cancel."""

from __future__ import annotations

from fastapi import APIRouter, Path, Query, status

from reelforge.publish import posts
from reelforge.web.api.bodies.jobs import JobOut
from reelforge.web.api.bodies.publishing import PostAndJob, PostCreate, PostOut
from reelforge.web.deps import DbDep, PrincipalDep, RuntimeDep

router = APIRouter(prefix="/posts", tags=["posts"])
PostId = Path(max_length=64)


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=PostAndJob,
    summary="Post a video or a photo carousel to a connected account, now or at publish_at",
)
def create_post(
    body: PostCreate, principal: PrincipalDep, db: DbDep, runtime: RuntimeDep
) -> PostAndJob:
    ask = posts.PostInput(
        connection_id=body.connection_id,
        video_id=body.video_id,
        images=tuple(body.images),
        title=body.title,
        description=body.description,
        privacy_level=body.privacy_level,
        disable_comment=body.disable_comment,
        disable_duet=body.disable_duet,
        disable_stitch=body.disable_stitch,
        is_aigc=body.is_aigc,
        publish_at=body.publish_at,
        mode=body.mode,
    )
    post, job = posts.create_post(db, runtime, owner_id=principal.user_id, ask=ask)
    db.commit()  # the worker must see the rows before it hears of the job
    if job is not None:
        runtime.queue.enqueue(job.id)
    return PostAndJob(post=PostOut.of(post), job=JobOut.of(job) if job else None)


@router.get("", response_model=list[PostOut], summary="Your post history, newest first")
def list_posts(
    principal: PrincipalDep,
    db: DbDep,
    status: str | None = Query(None, max_length=16),
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> list[PostOut]:
    rows = posts.list_posts(
        db, owner_id=principal.user_id, status=status, limit=limit, offset=offset
    )
    return [PostOut.of(p) for p in rows]


@router.get("/{post_id}", response_model=PostOut, summary="One post with its full status history")
def get_post(principal: PrincipalDep, db: DbDep, post_id: str = PostId) -> PostOut:
    post = posts.get_post(db, owner_id=principal.user_id, post_id=post_id)
    return PostOut.of(post, posts.view(db, post))


@router.post(
    "/{post_id}/cancel",
    response_model=PostOut,
    summary="Cancel a post that has not reached the platform yet",
)
def cancel_post(principal: PrincipalDep, db: DbDep, post_id: str = PostId) -> PostOut:
    post = posts.cancel_post(db, owner_id=principal.user_id, post_id=post_id)
    return PostOut.of(post, posts.view(db, post))
