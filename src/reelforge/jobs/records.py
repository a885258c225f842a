"""Job rows: create, claim, report progress, finish, cancel — always scoped by owner.

The row is the truth about a job; the queue only says "look at job X". That is
what makes jobs safe to retry and to recover: :func:`claim` is an atomic state
change, so a job enqueued twice (or re-enqueued after a worker died) runs once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from reelforge.clock import utc_now
from reelforge.errors import InputError, NotFound
from reelforge.jobs.tables import Job, JobEvent

ACTIVE = ("queued", "running")
FINISHED = ("succeeded", "failed", "cancelled")
DEFAULT_STALE_AFTER = timedelta(seconds=90)  # running without a heartbeat this long = orphaned


def create_job(
    db: Session, *, owner_id: str, kind: str, payload: dict[str, Any], video_id: str | None = None
) -> Job:
    job = Job(owner_id=owner_id, kind=kind, payload=payload, video_id=video_id, state="queued")
    db.add(job)
    db.flush()
    db.add(
        JobEvent(job_id=job.id, owner_id=owner_id, stage="queued", progress=0.0, message="queued")
    )
    return job


def get_job(db: Session, *, owner_id: str, job_id: str) -> Job:
    job = db.scalar(select(Job).where(Job.id == job_id, Job.owner_id == owner_id))
    if job is None:
        raise NotFound("No such job (it may belong to another account, or was deleted).")
    return job


def list_jobs(
    db: Session, *, owner_id: str, state: str | None = None, limit: int = 50, offset: int = 0
) -> list[Job]:
    query = select(Job).where(Job.owner_id == owner_id)
    if state is not None:
        if state not in ACTIVE + FINISHED:
            raise InputError(
                f"Unknown job state {state!r}; use one of {', '.join(ACTIVE + FINISHED)}."
            )
        query = query.where(Job.state == state)
    return list(db.scalars(query.order_by(Job.created_at.desc()).limit(limit).offset(offset)))


def events_after(db: Session, *, owner_id: str, job_id: str, after_id: int = 0) -> list[JobEvent]:
    get_job(db, owner_id=owner_id, job_id=job_id)
    return list(
        db.scalars(
            select(JobEvent)
            .where(JobEvent.job_id == job_id, JobEvent.owner_id == owner_id, JobEvent.id > after_id)
            .order_by(JobEvent.id)
        )
    )


def claim(
    db: Session,
    *,
    job_id: str,
    now: datetime | None = None,
    stale_after: timedelta = DEFAULT_STALE_AFTER,
) -> Job | None:
    """Take a queued (or orphaned running) job for this worker; None if someone else has it."""
    now = now or utc_now()
    result = db.execute(
        update(Job)
        .where(
            Job.id == job_id,
            or_(
                Job.state == "queued",
                (Job.state == "running") & (Job.heartbeat_at < now - stale_after),
            ),
            Job.cancel_requested.is_(False),
        )
        .values(state="running", started_at=now, heartbeat_at=now, attempts=Job.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return db.get(Job, job_id, populate_existing=True)


def heartbeat(db: Session, *, job_id: str, stage: str, progress: float, message: str = "") -> bool:
    """Record progress; returns True when the owner asked to cancel."""
    job = db.get(Job, job_id, populate_existing=True)
    if job is None:
        return True  # the job (or its owner) was deleted: stop working on it
    job.stage, job.progress, job.heartbeat_at = stage, round(progress, 4), utc_now()
    db.add(
        JobEvent(
            job_id=job_id,
            owner_id=job.owner_id,
            stage=stage,
            progress=job.progress,
            message=message[:500],
        )
    )
    return job.cancel_requested


def _end(db: Session, job: Job, *, state: str, message: str) -> None:
    job.state, job.finished_at = state, utc_now()
    if state == "succeeded":
        job.progress = 1.0
    db.add(
        JobEvent(
            job_id=job.id,
            owner_id=job.owner_id,
            stage=state,
            progress=job.progress,
            message=message[:500],
        )
    )


def finish(db: Session, *, job_id: str, state: str, error: str | None = None) -> Job | None:
    """End the job (None when it, or its owner, is gone); the runner tells its kind."""
    job = db.get(Job, job_id, populate_existing=True)
    if job is not None:
        job.error = error
        _end(db, job, state=state, message=error or state)
    return job


def requeue(db: Session, *, job_id: str, error: str) -> None:
    """Back to the queue after a retryable failure (the queue decides when)."""
    job = db.get(Job, job_id, populate_existing=True)
    if job is None:
        return
    job.state, job.error = "queued", error
    db.add(
        JobEvent(
            job_id=job_id,
            owner_id=job.owner_id,
            stage="retrying",
            progress=job.progress,
            message=error[:500],
        )
    )


def request_cancel(db: Session, *, owner_id: str, job_id: str) -> Job:
    job = get_job(db, owner_id=owner_id, job_id=job_id)
    if job.state in FINISHED:
        raise InputError(f"Job {job_id} already {job.state}; there is nothing to cancel.")
    job.cancel_requested = True
    if job.state == "queued":
        _end(db, job, state="cancelled", message="cancelled before it started")
    return job


def orphaned(
    db: Session, *, now: datetime | None = None, stale_after: timedelta = DEFAULT_STALE_AFTER
) -> list[str]:
    """Jobs to re-enqueue: running without a heartbeat, or queued long ago and never claimed."""
    now = now or utc_now()
    rows = db.scalars(
        select(Job.id).where(
            Job.cancel_requested.is_(False),
            or_(
                (Job.state == "running") & (Job.heartbeat_at < now - stale_after),
                (Job.state == "queued") & (Job.created_at < now - stale_after),
            ),
        )
    )
    return list(rows)
