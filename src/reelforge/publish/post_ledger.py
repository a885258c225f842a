"""The idempotency ledger on the ``posts`` table: :class:`PostLedger` for the job worker.

Each method is one committed transaction, so what the publish state machine
writes down *before* a platform call is durable before that call leaves the
process — a worker killed at any point leaves a row the next run resumes from
(see :mod:`reelforge.providers.platforms.resumable`). The post id is the idempotency key and
every query is scoped by the owner, so one user's job can never write another
user's post.

Capability URLs are secrets: TikTok's ``upload_url`` (it carries an upload
token) and YouTube's resumable session URL (anyone holding it can upload into
that session) go into the vault, never into a column, and are deleted as soon
as the post is finished. The ledger also moves the post's user-facing status
and starts the retention clock of its images (P17) in the same transaction
as the final platform status, so the history is right even if the worker dies
just after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import get_args

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from reelforge.accounts import vault
from reelforge.accounts.vault import Vault
from reelforge.clock import utc_now
from reelforge.errors import InputError
from reelforge.providers.platforms.error_codes import explain_fail_reason
from reelforge.providers.types.publishing import Phase, PostState, StatusEvent, check_phase
from reelforge.publish.tables import Post, PostEvent, PostImage, Upload
from reelforge.store.db import Database

SECRET_KIND = "post_upload"
#: Post statuses that never change again.
FINISHED = frozenset({"published", "sent_to_inbox", "failed", "cancelled"})
#: Statuses of a post a job is (or will be) working on.
IN_FLIGHT = frozenset({"queued", "publishing", "retrying", "processing"})
STATUS_OF_PHASE = {"published": "published", "sent_to_inbox": "sent_to_inbox", "failed": "failed"}


def add_event(
    db: Session,
    post: Post,
    *,
    status: str,
    message: str | None = None,
    fail_reason: str = "",
    source: str = "reelforge",
    at: datetime | None = None,
) -> None:
    """Append one line to the post's history."""
    db.add(
        PostEvent(
            post_id=post.id,
            owner_id=post.owner_id,
            source=source,
            status=status[:32],
            fail_reason=fail_reason[:200],
            message=message[:2000] if message else None,
            at=at or utc_now(),
        )
    )


def set_status(db: Session, post: Post, status: str, message: str | None = None) -> None:
    """Move the post's user-facing status and record it in the history."""
    post.status, post.message = status, message
    if status in FINISHED and post.finished_at is None:
        post.finished_at = utc_now()
    add_event(db, post, status=status, message=message)


def mark_images_posted(db: Session, post: Post, *, at: datetime) -> None:
    """Start the 7-day clock (P17) of the images this post published."""
    ids = select(PostImage.upload_id).where(
        PostImage.post_id == post.id, PostImage.owner_id == post.owner_id
    )
    db.execute(
        update(Upload)
        .where(Upload.id.in_(ids), Upload.owner_id == post.owner_id, Upload.posted_at.is_(None))
        .values(posted_at=at)
        .execution_options(synchronize_session=False)
    )


def _secret_name(post_id: str, what: str) -> str:
    return f"{post_id}.{what}"


def forget_secrets(db: Session, *, owner_id: str, post_id: str) -> None:
    for what in ("upload_url", "publish_id"):
        vault.delete_secret(
            db, owner_id=owner_id, kind=SECRET_KIND, name=_secret_name(post_id, what)
        )


@dataclass
class DbLedger:
    """:class:`~reelforge.providers.types.publishing.PostLedger` over ``posts`` for one owner."""

    database: Database
    secrets: Vault
    owner_id: str

    def _row(self, db: Session, post_key: str) -> Post:
        post = db.scalar(select(Post).where(Post.id == post_key, Post.owner_id == self.owner_id))
        if post is None:
            raise InputError(f"No post {post_key!r} to publish (it was deleted?).")
        return post

    def _read(self, db: Session, post_id: str, what: str) -> str | None:
        return vault.read_secret(
            db,
            self.secrets,
            owner_id=self.owner_id,
            kind=SECRET_KIND,
            name=_secret_name(post_id, what),
        )

    def _keep(self, db: Session, post_id: str, what: str, value: str) -> None:
        vault.put_secret(
            db,
            self.secrets,
            owner_id=self.owner_id,
            kind=SECRET_KIND,
            name=_secret_name(post_id, what),
            value=value,
        )

    def load(self, post_key: str) -> PostState | None:
        with self.database.session() as db:
            post = db.scalar(
                select(Post).where(Post.id == post_key, Post.owner_id == self.owner_id)
            )
            if post is None or post.phase is None:
                return None
            events = db.scalars(
                select(PostEvent)
                .where(PostEvent.post_id == post.id, PostEvent.source == "platform")
                .order_by(PostEvent.id)
            )
            history = tuple(StatusEvent(e.status, e.at, e.fail_reason) for e in events)
            publish_id = post.publish_id
            if publish_id is None and post.phase not in ("init_sent", "rejected"):
                publish_id = self._read(db, post.id, "publish_id")
            phase = post.phase if post.phase in get_args(Phase) else "failed"
            return PostState(
                post_key=post.id,
                platform=post.platform,
                phase=phase,  # type: ignore[arg-type]
                publish_id=publish_id,
                upload_url=self._read(db, post.id, "upload_url"),
                uploaded_bytes=post.uploaded_bytes,
                total_bytes=post.total_bytes,
                chunk_size=post.chunk_size,
                status=post.platform_status,
                fail_reason=post.fail_reason,
                post_ids=tuple(post.post_ids or ()),
                init_attempts=post.init_attempts,
                history=history,
                updated_at=post.updated_at,
            )

    def record_init_sent(
        self, post_key: str, *, platform: str, total_bytes: int, chunk_size: int = 0
    ) -> PostState:
        with self.database.session() as db:
            post = self._row(db, post_key)
            if post.platform != platform:
                raise InputError(
                    f"Post {post_key!r} is for {post.platform}; use a new post for {platform}."
                )
            if post.status == "cancelled":  # checked in the same transaction as the intent
                raise InputError("This post was cancelled by its owner; nothing was sent.")
            forget_secrets(db, owner_id=self.owner_id, post_id=post.id)
            post.phase, post.publish_id = "init_sent", None
            post.total_bytes, post.chunk_size, post.uploaded_bytes = total_bytes, chunk_size, 0
            post.platform_status, post.fail_reason, post.post_ids = None, "", []
            post.init_attempts += 1
            post.status = "publishing"
        state = self.load(post_key)
        assert state is not None
        return state

    def record_init(self, post_key: str, *, publish_id: str, upload_url: str | None) -> None:
        with self.database.session() as db:
            post = self._row(db, post_key)
            post.phase = "initialised"
            if publish_id.startswith(("http://", "https://")):  # a capability URL: a secret
                post.publish_id = None
                self._keep(db, post.id, "publish_id", publish_id)
            else:
                post.publish_id = publish_id
            if upload_url:
                self._keep(db, post.id, "upload_url", upload_url)

    def record_upload(self, post_key: str, *, uploaded_bytes: int, complete: bool) -> None:
        with self.database.session() as db:
            post = self._row(db, post_key)
            post.uploaded_bytes = uploaded_bytes
            if complete:
                post.phase = "uploaded"

    def record_status(
        self,
        post_key: str,
        *,
        status: str,
        fail_reason: str = "",
        post_ids: tuple[str, ...] = (),
        phase: Phase | None = None,
    ) -> None:
        check_phase(phase)
        with self.database.session() as db:
            post = self._row(db, post_key)
            now = utc_now()
            add_event(db, post, status=status, fail_reason=fail_reason, source="platform", at=now)
            post.phase = phase or post.phase
            post.platform_status = status[:32]
            post.fail_reason = (fail_reason or post.fail_reason)[:200]
            if post_ids:
                post.post_ids = list(post_ids)
            final = STATUS_OF_PHASE.get(str(phase))
            if final is not None:
                forget_secrets(db, owner_id=self.owner_id, post_id=post.id)
                message = explain_fail_reason(post.fail_reason) if final == "failed" else None
                set_status(db, post, final, message)
                if final != "failed":
                    mark_images_posted(db, post, at=now)
            elif post.phase in ("uploaded", "initialised"):
                post.status = "processing" if post.phase == "uploaded" else "publishing"
