"""The scheduler: scheduled posts go out when their time comes — once, even after downtime.

Why the post rows are the truth (and not a delayed queue message): a queue
entry can be lost with a Redis flush or a deleted queue file, and a worker that
was down for a day would otherwise have nothing to catch up from. Every minute
(and at worker start: Huey's scheduler checks periodic tasks as soon as the
consumer starts) :func:`run_due` looks for ``scheduled`` posts whose time has
passed and moves each to ``queued`` with an atomic ``UPDATE … WHERE
status = 'scheduled'`` in the same transaction that creates its job. Two
workers, or the start-up check and the minute tick, can race for the same
post; only one UPDATE matches, so only one job exists, and the job itself is
idempotent (the ledger) should it ever run twice.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select, update

from reelforge.clock import utc_now
from reelforge.deps import Deps
from reelforge.publish.post_ledger import add_event
from reelforge.publish.posts import queue_job
from reelforge.publish.tables import Post

if TYPE_CHECKING:
    from reelforge.jobs.context import Enqueuer

log = logging.getLogger(__name__)
BATCH = 200


def run_due(deps: Deps, *, queue: Enqueuer, now: datetime | None = None) -> list[str]:
    """Queue every scheduled post that is due; returns the ids this call queued."""
    now = now or utc_now()
    with deps.database.session() as db:
        due = list(
            db.scalars(
                select(Post.id)
                .where(Post.status == "scheduled", Post.publish_at <= now)
                .order_by(Post.publish_at)
                .limit(BATCH)
            )
        )
    queued: list[str] = []
    for post_id in due:
        with deps.database.session() as db:
            claimed = db.execute(
                update(Post)
                .where(Post.id == post_id, Post.status == "scheduled")
                .values(status="queued")
                .execution_options(synchronize_session=False)
            )
            if getattr(claimed, "rowcount", 0) != 1:
                continue  # another scheduler took it
            post = db.get(Post, post_id, populate_existing=True)
            assert post is not None
            late = (now - post.publish_at).total_seconds() if post.publish_at else 0.0
            note = "its scheduled time came" + (
                f" ({late / 60:.0f} min late: the worker was not running)" if late > 120 else ""
            )
            add_event(db, post, status="queued", message=note)
            job_id = queue_job(db, deps, post=post).id
        queue.enqueue(job_id)
        queued.append(post_id)
    if queued:
        log.info("queued %d scheduled post(s)", len(queued))
    return queued
