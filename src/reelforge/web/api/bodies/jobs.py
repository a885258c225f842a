"""The body every route that queues work answers with: a job, its state and progress."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from reelforge.jobs.tables import Job


class JobOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    kind: str
    state: str
    stage: str | None
    progress: float
    error: str | None
    attempts: int
    video_id: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, job: Job) -> JobOut:
        return cls.model_validate(job)
