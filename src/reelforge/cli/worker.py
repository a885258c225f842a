"""`reelforge worker`: run background jobs (renders) from the queue."""

from __future__ import annotations

from typing import Annotated

import typer

Threads = Annotated[int | None, typer.Option("--threads", help="Jobs run at once (default 1).")]


def worker(threads: Threads = None) -> None:
    """Run jobs from the queue until stopped. Honours REELFORGE_HOME and REELFORGE_REDIS_URL."""
    import logging

    from reelforge.config import load_settings
    from reelforge.jobs.worker import run_worker
    from reelforge.runtime import runtime_for

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = load_settings()
    backend = "Redis" if settings.redis_url else f"SQLite ({settings.home / 'queue.db'})"
    typer.echo(f"reelforge worker: queue on {backend}; Ctrl-C to stop", err=True)
    runtime = runtime_for(settings)  # applies migrations before the first job
    run_worker(runtime, runtime.queue, threads=threads)


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)
