"""The one composition root: settings -> database, vault, blobs, mailer, limiter, queue, jobs.

The web app, the worker and CLI commands build their runtime here and nowhere
else; a process keeps one per configuration (:func:`runtime_for`). Domain
functions receive the runtime typed as :class:`reelforge.deps.Deps` (settings,
database, vault, blobs): they never see the queue. Job kinds and periodic tasks
come from each domain's ``register`` function, listed once in
:data:`JOB_REGISTRATIONS`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from reelforge.accounts.mailer import Mailer, mailer_for
from reelforge.accounts.ratelimit import RateLimiter
from reelforge.accounts.vault import Vault
from reelforge.billing import jobs as billing_jobs
from reelforge.config import Settings
from reelforge.jobs import runner
from reelforge.jobs.queue import JobQueue, build_queue
from reelforge.jobs.registry import JobRegistry
from reelforge.publish import jobs as publish_jobs
from reelforge.research import jobs as research_jobs
from reelforge.store.blobs import BlobStore
from reelforge.store.db import Database
from reelforge.store.migrations import upgrade_database
from reelforge.store.open_blobs import open_blob_store
from reelforge.videos import jobs as video_jobs

#: Each domain's job kinds and periodic tasks; a new domain adds one line.
JOB_REGISTRATIONS: tuple[Callable[[JobRegistry], None], ...] = (
    video_jobs.register,
    research_jobs.register,
    publish_jobs.register,
    billing_jobs.register,
)


def registered_jobs() -> JobRegistry:
    registry = JobRegistry()
    for register in JOB_REGISTRATIONS:
        register(registry)
    return registry


@dataclass
class Runtime:
    """Everything one process holds for a configuration; satisfies :class:`Deps`."""

    settings: Settings
    database: Database
    blobs: BlobStore
    vault: Vault
    mailer: Mailer
    limiter: RateLimiter
    registry: JobRegistry
    queue: JobQueue = field(init=False)

    def close(self) -> None:
        self.database.dispose()


def build_runtime(settings: Settings, *, immediate_queue: bool = False) -> Runtime:
    """Build everything; applies migrations first when REELFORGE_MIGRATE_ON_START is on."""
    database = Database.from_settings(settings)
    if settings.migrate_on_start:
        upgrade_database(database)
    runtime = Runtime(
        settings=settings,
        database=database,
        blobs=open_blob_store(settings),
        vault=Vault.from_settings(settings),
        mailer=mailer_for(settings),
        limiter=RateLimiter.from_settings(settings, engine=database.engine),
        registry=registered_jobs(),
    )
    runtime.queue = build_queue(runtime, registry=runtime.registry, immediate=immediate_queue)
    return runtime


_cache: dict[tuple[str, str, str], Runtime] = {}
_lock = threading.Lock()


def runtime_for(settings: Settings) -> Runtime:
    """This process's runtime for these settings (built once, then shared)."""
    key = (str(settings.home.resolve()), settings.database_url or "", settings.storage_url or "")
    with _lock:
        if key not in _cache:
            _cache[key] = build_runtime(settings)
        return _cache[key]


def forget_runtimes() -> None:
    """Drop cached runtimes (tests that delete their home directory call this)."""
    with _lock:
        for runtime in _cache.values():
            runtime.close()
        _cache.clear()


def queue_for(settings: Settings, *, immediate: bool = False) -> JobQueue:
    """A queue of its own on these settings' runtime (another queue name, or inline tasks)."""
    runtime = runtime_for(settings)
    return build_queue(runtime, registry=runtime.registry, immediate=immediate)


def run_job(settings: Settings, *, job_id: str, queue: JobQueue | None = None) -> str:
    """Run one job now, in this process (tests and one-off commands).

    Follow-up work goes to ``queue`` or the runtime's queue; a retryable failure is put
    back on ``queue`` when one is given, and fails the job when none is."""
    runtime = runtime_for(settings)
    return runner.run_job(
        runtime,
        runtime.registry,
        job_id=job_id,
        queue=queue or runtime.queue,
        retries=queue is not None,
    )
