"""Runs one job by id: claim it, run its handler, record the outcome.

Errors are mapped here, once, for the job door: a retryable ProviderError puts
the job back with exponential backoff (up to ``job_max_attempts``); any other
ReelforgeError fails it with its user-facing message; a cancel request stops
it at the next progress report. A worker killed mid-job leaves a ``running``
row whose heartbeat goes stale; :func:`recover_orphans` re-enqueues it and the
handler resumes from the pipeline's cache.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from reelforge.config import Settings
from reelforge.errors import ProviderError, ReelforgeError
from reelforge.jobs import records
from reelforge.runtime import Services, services_for

if TYPE_CHECKING:
    from reelforge.jobs.queue import JobQueue

log = logging.getLogger(__name__)
HEARTBEAT_EVERY_S = 1.0  # progress writes are throttled to this


class JobCancelled(Exception):
    """Raised inside a handler when its owner asked to cancel."""


@dataclass
class JobContext:
    services: Services
    job_id: str
    owner_id: str
    kind: str
    payload: dict[str, Any]
    attempt: int
    _last_beat: float = field(default=0.0)

    @property
    def settings(self) -> Settings:
        return self.services.settings

    def progress(
        self, stage: str, fraction: float, message: str = "", *, force: bool = False
    ) -> None:
        """Report progress (throttled); raises JobCancelled if the owner cancelled."""
        now = time.monotonic()
        if not force and now - self._last_beat < HEARTBEAT_EVERY_S:
            return
        self._last_beat = now
        with self.services.database.session() as db:
            cancelled = records.heartbeat(
                db, job_id=self.job_id, stage=stage, progress=fraction, message=message
            )
        if cancelled:
            raise JobCancelled()


Handler = Callable[[JobContext], None]


def _handlers() -> dict[str, Handler]:
    from reelforge.publish.publish_job import publish_post
    from reelforge.research.refresh_job import refresh_creator
    from reelforge.videos.render_job import render_video

    return {"video": render_video, "creator_refresh": refresh_creator, "publish": publish_post}


def _stale_after(settings: Settings) -> timedelta:
    return timedelta(seconds=settings.job_stale_after_s)


def backoff_seconds(attempt: int, settings: Settings) -> float:
    return float(min(settings.job_retry_base_s * (2 ** max(0, attempt - 1)), 600))


def run_job(settings: Settings, *, job_id: str, queue: JobQueue | None = None) -> str:
    """Run the job if it can be claimed; returns its state afterwards."""
    services = services_for(settings)
    with services.database.session() as db:
        job = records.claim(db, job_id=job_id, stale_after=_stale_after(settings))
        if job is None:
            return "skipped"
        context = JobContext(
            services, job.id, job.owner_id, job.kind, dict(job.payload), job.attempts
        )
    handler = _handlers().get(context.kind)
    try:
        if handler is None:
            raise ReelforgeError(f"This worker does not know jobs of kind {context.kind!r}.")
        handler(context)
    except JobCancelled:
        return _finish(services, job_id, "cancelled", "cancelled by its owner")
    except ProviderError as exc:
        if exc.retryable and context.attempt < settings.job_max_attempts and queue is not None:
            delay = exc.retry_after or backoff_seconds(context.attempt, settings)
            with services.database.session() as db:
                records.requeue(
                    db, job_id=job_id, error=f"{exc.message} — retrying in {delay:.0f} s"
                )
            queue.later(job_id, delay)
            return "queued"
        return _finish(services, job_id, "failed", exc.message)
    except ReelforgeError as exc:
        return _finish(services, job_id, "failed", exc.message)
    except Exception as exc:
        log.exception("job %s crashed", job_id)
        return _finish(
            services,
            job_id,
            "failed",
            f"Internal error ({exc.__class__.__name__}); the server log has the details.",
        )
    return _finish(services, job_id, "succeeded", None)


def _finish(services: Services, job_id: str, state: str, error: str | None) -> str:
    with services.database.session() as db:
        records.finish(db, job_id=job_id, state=state, error=error)
    return state


def recover_orphans(settings: Settings, *, queue: JobQueue) -> list[str]:
    """Re-enqueue jobs whose worker died (claim() makes a duplicate harmless)."""
    services = services_for(settings)
    with services.database.session() as db:
        ids = records.orphaned(db, stale_after=_stale_after(settings))
    queue.enqueue_many(ids)
    if ids:
        log.info("re-enqueued %d orphaned job(s)", len(ids))
    return ids
