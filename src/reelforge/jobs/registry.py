"""Which job kinds and periodic tasks exist: each domain adds its own here.

Why a registry: the queue and the runner know no domain. A domain module
(``videos.jobs``, ``research.jobs``, ``publish.jobs``) says which kinds it
handles and which periodic tasks it needs; the composition root
(:mod:`reelforge.runtime`) calls each domain's ``register`` once. A new job
kind is one handler in its own folder plus one line in that domain's
``register``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from reelforge.errors import ReelforgeError
from reelforge.jobs.context import EndHook, Handler, PeriodicRun
from reelforge.jobs.records import FINISHED
from reelforge.jobs.tables import Job


@dataclass(frozen=True)
class PeriodicTask:
    name: str
    minute: str  # a crontab minute field: "*" every minute, "7" once an hour at :07
    run: PeriodicRun


@dataclass
class JobRegistry:
    handlers: dict[str, Handler] = field(default_factory=dict)
    end_hooks: dict[str, EndHook] = field(default_factory=dict)
    periodic: list[PeriodicTask] = field(default_factory=list)

    def add_kind(self, kind: str, handler: Handler, *, on_end: EndHook | None = None) -> None:
        """``on_end`` lets the kind's own rows follow its jobs (a video shows a failed render)."""
        if kind in self.handlers:
            raise ValueError(f"job kind {kind!r} is registered twice")
        self.handlers[kind] = handler
        if on_end is not None:
            self.end_hooks[kind] = on_end

    def add_periodic(self, name: str, *, minute: str, run: PeriodicRun) -> None:
        if any(task.name == name for task in self.periodic):
            raise ValueError(f"periodic task {name!r} is registered twice")
        self.periodic.append(PeriodicTask(name, minute, run))

    def ended(self, db: Session, job: Job) -> None:
        """Tell the job's kind that it ended (after the runner finished it, or a cancel)."""
        hook = self.end_hooks.get(job.kind)
        if hook is not None and job.state in FINISHED:
            hook(db, job)

    def handler(self, kind: str) -> Handler:
        found = self.handlers.get(kind)
        if found is None:
            raise ReelforgeError(f"This worker does not know jobs of kind {kind!r}.")
        return found
