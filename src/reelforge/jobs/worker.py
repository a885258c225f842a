"""Workers: Huey consumers that run jobs, as their own process or inside `serve`.

On start a worker re-enqueues orphaned jobs (a worker killed mid-job leaves a
``running`` row with a stale heartbeat); the ``recover_orphans`` periodic task
repeats that every minute while it runs.
"""

from __future__ import annotations

import logging

from huey.consumer import Consumer

from reelforge.deps import Deps
from reelforge.jobs import runner
from reelforge.jobs.queue import JobQueue

log = logging.getLogger(__name__)


class EmbeddedConsumer(Consumer):  # type: ignore[misc]
    """A consumer that can run beside a web server: no signal handlers of its own."""

    def _set_signal_handlers(self) -> None:
        return


def _consumer(deps: Deps, queue: JobQueue, *, threads: int, embedded: bool) -> Consumer:
    runner.recover_orphans(deps, queue=queue)
    # A job this worker's predecessor was running is not stale yet; look again once it is.
    queue.recover_later(deps.settings.job_stale_after_s + 1)
    cls = EmbeddedConsumer if embedded else Consumer
    return cls(
        queue.huey,
        workers=threads,
        worker_type="thread",
        periodic=True,
        initial_delay=0.05,
        max_delay=1.0,
    )


def run_worker(deps: Deps, queue: JobQueue, *, threads: int | None = None) -> None:
    """Block running jobs until interrupted (SIGINT/SIGTERM finish the current job first)."""
    threads = threads or deps.settings.worker_threads
    _consumer(deps, queue, threads=threads, embedded=False).run()


def start_embedded_worker(deps: Deps, queue: JobQueue, *, threads: int | None = None) -> Consumer:
    """Start workers in this process's threads; call ``.stop(graceful=True)`` to end them."""
    threads = threads or deps.settings.worker_threads
    consumer = _consumer(deps, queue, threads=threads, embedded=True)
    consumer.start()
    return consumer
