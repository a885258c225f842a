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
from datetime import timedelta

from reelforge.config import Settings
from reelforge.deps import Deps
from reelforge.errors import ProviderError, ReelforgeError
from reelforge.jobs import records
from reelforge.jobs.context import Enqueuer, JobCancelled, JobContext
from reelforge.jobs.registry import JobRegistry

log = logging.getLogger(__name__)


def _stale_after(settings: Settings) -> timedelta:
    return timedelta(seconds=settings.job_stale_after_s)


def backoff_seconds(attempt: int, settings: Settings) -> float:
    return float(min(settings.job_retry_base_s * (2 ** max(0, attempt - 1)), 600))


def run_job(
    deps: Deps, registry: JobRegistry, *, job_id: str, queue: Enqueuer, retries: bool = True
) -> str:
    """Run the job if it can be claimed; returns its state afterwards.

    ``queue`` is where the handler queues follow-up work and where a retryable failure is
    put back; with ``retries=False`` (a one-off run) that failure fails the job instead."""
    settings = deps.settings
    with deps.database.session() as db:
        job = records.claim(db, job_id=job_id, stale_after=_stale_after(settings))
        if job is None:
            return "skipped"
        context = JobContext(
            deps,
            job.id,
            job.owner_id,
            job.kind,
            dict(job.payload),
            job.attempts,
            queue=queue,
        )
    try:
        registry.handler(context.kind)(context)
    except JobCancelled:
        return _finish(deps, registry, job_id, "cancelled", "cancelled by its owner")
    except ProviderError as exc:
        if exc.retryable and retries and context.attempt < settings.job_max_attempts:
            delay = exc.retry_after or backoff_seconds(context.attempt, settings)
            with deps.database.session() as db:
                records.requeue(
                    db, job_id=job_id, error=f"{exc.message} — retrying in {delay:.0f} s"
                )
            queue.later(job_id, delay)
            return "queued"
        return _finish(deps, registry, job_id, "failed", exc.message)
    except ReelforgeError as exc:
        return _finish(deps, registry, job_id, "failed", exc.message)
    except Exception as exc:
        log.exception("job %s crashed", job_id)
        return _finish(
            deps,
            registry,
            job_id,
            "failed",
            f"Internal error ({exc.__class__.__name__}); the server log has the details.",
        )
    return _finish(deps, registry, job_id, "succeeded", None)


def _finish(deps: Deps, registry: JobRegistry, job_id: str, state: str, error: str | None) -> str:
    with deps.database.session() as db:
        job = records.finish(db, job_id=job_id, state=state, error=error)
        if job is not None:
            registry.ended(db, job)
    return state


def recover_orphans(deps: Deps, *, queue: Enqueuer) -> list[str]:
    """Re-enqueue jobs whose worker died (claim() makes a duplicate harmless)."""
    with deps.database.session() as db:
        ids = records.orphaned(db, stale_after=_stale_after(deps.settings))
    for job_id in ids:
        queue.enqueue(job_id)
    if ids:
        log.info("re-enqueued %d orphaned job(s)", len(ids))
    return ids
