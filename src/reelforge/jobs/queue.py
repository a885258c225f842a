"""The queue: Huey on SQLite (embedded) or Redis (at scale), carrying job ids only.

Built by :func:`build_queue` from settings — never at import — so the web app,
the worker and tests each get the backend their settings name. Tasks are
registered on the instance here; their bodies live in :mod:`jobs.runner`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab

from reelforge.config import Settings
from reelforge.errors import ConfigError

QUEUE_NAME = "reelforge"


@dataclass
class JobQueue:
    huey: Huey
    task: Any  # the registered Huey task; called with a job id

    def enqueue(self, job_id: str) -> None:
        self.task(job_id)

    def later(self, job_id: str, delay_s: float) -> None:
        self.task.schedule(args=(job_id,), delay=delay_s)

    def enqueue_many(self, job_ids: list[str]) -> None:
        for job_id in job_ids:
            self.enqueue(job_id)


def _backend(settings: Settings, *, immediate: bool) -> Huey:
    if immediate:
        return MemoryHuey(QUEUE_NAME, immediate=True)
    if settings.redis_url:
        try:
            return RedisHuey(QUEUE_NAME, url=settings.redis_url)
        except ValueError as exc:
            raise ConfigError(
                f"REELFORGE_REDIS_URL is not a Redis URL: {exc}. Use redis://host:6379/0.",
                details={"setting": "REELFORGE_REDIS_URL"},
            ) from exc
    settings.home.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(QUEUE_NAME, filename=str(settings.home / "queue.db"))


def build_queue(settings: Settings, *, immediate: bool = False) -> JobQueue:
    """The queue for these settings. ``immediate`` runs tasks inline (tests, one-off CLI)."""
    from reelforge.jobs import runner

    huey = _backend(settings, immediate=immediate)

    def run_job(job_id: str) -> None:
        runner.run_job(settings, job_id=job_id, queue=queue)

    def recover_orphans() -> None:
        runner.recover_orphans(settings, queue=queue)

    task = huey.task(name="run_job")(run_job)
    huey.periodic_task(crontab(minute="*"), name="recover_orphans")(recover_orphans)
    queue = JobQueue(huey=huey, task=task)
    return queue
