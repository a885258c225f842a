"""Jobs: history, one job, its live progress (Server-Sent Events), cancel."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from fastapi import APIRouter, Header, Path, Query, Request, status
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from reelforge.jobs import records
from reelforge.jobs.tables import JobEvent
from reelforge.runtime import Runtime
from reelforge.web.api.bodies.jobs import JobOut
from reelforge.web.deps import DbDep, PrincipalDep, RuntimeDep

router = APIRouter(prefix="/jobs", tags=["jobs"])
JobId = Path(max_length=64)
POLL_S = 0.5
KEEPALIVE_S = 15.0


@router.get("", response_model=list[JobOut], summary="Your jobs, newest first")
def list_jobs(
    principal: PrincipalDep,
    db: DbDep,
    state: str | None = Query(None, max_length=16),
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> list[JobOut]:
    rows = records.list_jobs(
        db, owner_id=principal.user_id, state=state, limit=limit, offset=offset
    )
    return [JobOut.of(j) for j in rows]


@router.get("/{job_id}", response_model=JobOut, summary="One job: state, stage, progress, error")
def get_job(principal: PrincipalDep, db: DbDep, job_id: str = JobId) -> JobOut:
    return JobOut.of(records.get_job(db, owner_id=principal.user_id, job_id=job_id))


@router.post("/{job_id}/cancel", response_model=JobOut, summary="Ask a job to stop")
def cancel_job(
    principal: PrincipalDep, db: DbDep, runtime: RuntimeDep, job_id: str = JobId
) -> JobOut:
    job = records.request_cancel(db, owner_id=principal.user_id, job_id=job_id)
    runtime.registry.ended(db, job)  # a job cancelled before it started ends here
    return JobOut.of(job)


def _sse(event: JobEvent) -> str:
    data = {
        "stage": event.stage,
        "progress": event.progress,
        "message": event.message,
        "at": event.at.isoformat(),
    }
    return f"id: {event.id}\nevent: progress\ndata: {json.dumps(data)}\n\n"


def _poll(runtime: Runtime, owner_id: str, job_id: str, after: int) -> tuple[list[JobEvent], str]:
    with runtime.database.session() as db:
        events = records.events_after(db, owner_id=owner_id, job_id=job_id, after_id=after)
        state = records.get_job(db, owner_id=owner_id, job_id=job_id).state
    return events, state


@router.get(
    "/{job_id}/events",
    summary="Live progress as Server-Sent Events (resumable with Last-Event-ID)",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
def job_events(
    request: Request,
    principal: PrincipalDep,
    db: DbDep,
    runtime: RuntimeDep,
    job_id: str = JobId,
    last_event_id: str | None = Header(None, max_length=20),
) -> StreamingResponse:
    records.get_job(db, owner_id=principal.user_id, job_id=job_id)  # 404 for others' jobs
    after = int(last_event_id) if last_event_id and last_event_id.isdigit() else 0
    owner_id = principal.user_id

    async def stream() -> AsyncIterator[str]:
        nonlocal after
        quiet = 0.0
        while True:
            events, state = await run_in_threadpool(_poll, runtime, owner_id, job_id, after)
            for event in events:
                after = event.id
                yield _sse(event)
            if state in records.FINISHED:
                yield f"event: end\ndata: {json.dumps({'state': state})}\n\n"
                return
            if await request.is_disconnected():
                return
            quiet = 0.0 if events else quiet + POLL_S
            if quiet >= KEEPALIVE_S:
                quiet = 0.0
                yield ": keep-alive\n\n"
            await asyncio.sleep(POLL_S)

    return StreamingResponse(
        stream(),
        status_code=status.HTTP_200_OK,
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
