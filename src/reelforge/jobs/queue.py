"""The queue: Huey on SQLite (embedded) or Redis (at scale), carrying job ids only.

Built by :func:`build_queue` from settings — never at import — so the web app,
the worker and tests each get the backend their settings name. The tasks it
registers run the registry's handlers (:mod:`jobs.runner`) and periodic tasks;
the queue itself knows no job kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab

from reelforge.config import Settings
from reelforge.deps import Deps
from reelforge.errors import ConfigError
from reelforge.jobs import runner
from reelforge.jobs.registry import JobRegistry, PeriodicTask


@dataclass
class JobQueue:
    huey: Huey
    task: Any  # the registered Huey task; called with a job id
    recover_task: Any  # re-enqueues orphaned jobs; also runs every minute by itself

    def enqueue(self, job_id: str) -> None:
        self.task(job_id)

    def later(self, job_id: str, delay_s: float) -> None:
        self.task.schedule(args=(job_id,), delay=delay_s)

    def recover_later(self, delay_s: float) -> None:
        self.recover_task.schedule(delay=delay_s)

    def enqueue_many(self, job_ids: list[str]) -> None:
        for job_id in job_ids:
            self.enqueue(job_id)


def _backend(settings: Settings, *, immediate: bool) -> Huey:
    if immediate:
        return MemoryHuey(settings.queue_name, immediate=True)
    if settings.redis_url:
        try:
            return RedisHuey(settings.queue_name, url=settings.redis_url)
        except ValueError as exc:
            raise ConfigError(
                f"REELFORGE_REDIS_URL is not a Redis URL: {exc}. Use redis://host:6379/0.",
                details={"setting": "REELFORGE_REDIS_URL"},
            ) from exc
    settings.home.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(settings.queue_name, filename=str(settings.home / "queue.db"))


def _add_periodic(huey: Huey, task: PeriodicTask, deps: Deps, queue: JobQueue) -> None:
    def run() -> None:
        task.run(deps, queue)

    huey.periodic_task(crontab(minute=task.minute), name=task.name)(run)


def build_queue(deps: Deps, *, registry: JobRegistry, immediate: bool = False) -> JobQueue:
    """The queue for these settings, running ``registry``'s jobs with ``deps``.

    ``immediate`` runs tasks inline (tests, one-off CLI)."""
    huey = _backend(deps.settings, immediate=immediate)

    def run_job(job_id: str) -> None:
        runner.run_job(deps, registry, job_id=job_id, queue=queue)

    def recover_orphans() -> None:
        runner.recover_orphans(deps, queue=queue)

    task = huey.task(name="run_job")(run_job)
    recover_task = huey.task(name="recover_orphans_once")(recover_orphans)
    huey.periodic_task(crontab(minute="*"), name="recover_orphans")(recover_orphans)
    queue = JobQueue(huey=huey, task=task, recover_task=recover_task)
    for periodic in registry.periodic:
        _add_periodic(huey, periodic, deps, queue)
    return queue
