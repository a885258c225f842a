"""The publishing domain's jobs: ``publish`` sends one post; every minute due scheduled posts
are queued; every hour uploads past their retention are swept (P17)."""

from __future__ import annotations

from reelforge.deps import Deps
from reelforge.jobs.context import Enqueuer
from reelforge.jobs.registry import JobRegistry
from reelforge.publish import retention, scheduler
from reelforge.publish.publish_job import publish_post


def _publish_due(deps: Deps, queue: Enqueuer) -> None:
    scheduler.run_due(deps, queue=queue)


def _retention_sweep(deps: Deps, queue: Enqueuer) -> None:
    retention.sweep(deps)


def register(jobs: JobRegistry) -> None:
    jobs.add_kind("publish", publish_post)
    jobs.add_periodic("publish_due", minute="*", run=_publish_due)
    jobs.add_periodic("retention_sweep", minute="7", run=_retention_sweep)
