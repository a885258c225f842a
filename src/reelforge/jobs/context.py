"""What a job handler gets and may raise: its context, the cancel signal, the handler type.

Kept apart from the runner so that domains (videos, research, publish) import
only this small module to write a handler, and the runner, which imports the
registry of every domain's handlers, is never imported back by them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.orm import Session

from reelforge.config import Settings
from reelforge.deps import Deps
from reelforge.jobs import records
from reelforge.jobs.tables import Job

HEARTBEAT_EVERY_S = 1.0  # progress writes are throttled to this


class JobCancelled(Exception):
    """Raised inside a handler when its owner asked to cancel."""


class Enqueuer(Protocol):
    """The part of the queue a handler or periodic task may use: queue a job id."""

    def enqueue(self, job_id: str) -> None: ...

    def later(self, job_id: str, delay_s: float) -> None: ...


@dataclass
class JobContext:
    deps: Deps
    job_id: str
    owner_id: str
    kind: str
    payload: dict[str, Any]
    attempt: int
    queue: Enqueuer
    _last_beat: float = field(default=0.0)

    @property
    def settings(self) -> Settings:
        return self.deps.settings

    def progress(
        self, stage: str, fraction: float, message: str = "", *, force: bool = False
    ) -> None:
        """Report progress (throttled); raises JobCancelled if the owner cancelled."""
        now = time.monotonic()
        if not force and now - self._last_beat < HEARTBEAT_EVERY_S:
            return
        self._last_beat = now
        with self.deps.database.session() as db:
            cancelled = records.heartbeat(
                db, job_id=self.job_id, stage=stage, progress=fraction, message=message
            )
        if cancelled:
            raise JobCancelled()


Handler = Callable[[JobContext], None]
PeriodicRun = Callable[[Deps, Enqueuer], None]
#: Called in the ending transaction when a job of its kind ends (any state but running).
EndHook = Callable[[Session, Job], None]
