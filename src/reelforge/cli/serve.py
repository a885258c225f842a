"""`reelforge serve`: the web server and API (uvicorn), migrations applied on start."""

from __future__ import annotations

from typing import Annotated

import typer

Host = Annotated[str, typer.Option("--host", help="Address to listen on.")]
Port = Annotated[int, typer.Option("--port", help="Port to listen on.")]
Proxy = Annotated[
    str,
    typer.Option(
        "--forwarded-allow-ips",
        help="Proxies whose X-Forwarded-For/-Proto are trusted (comma list, or '*').",
    ),
]


WithWorker = Annotated[
    bool, typer.Option("--with-worker", help="Also run a job worker in this process.")
]


def serve(
    host: Host = "127.0.0.1",
    port: Port = 8000,
    forwarded_allow_ips: Proxy = "127.0.0.1",
    with_worker: WithWorker = False,
) -> None:
    """Run the web server. Honours REELFORGE_HOME and every other REELFORGE_ setting."""
    import uvicorn

    from reelforge.config import load_settings
    from reelforge.web.app import create_app

    settings = load_settings()
    url = f"http://{host}:{port}"
    typer.echo(
        f"""reelforge studio on {url}   (API docs: {url}/docs, home: {settings.home.resolve()})
Sign in with an email code:
  curl -X POST {url}/api/v1/auth/code -H 'Content-Type: application/json' -d '{{"email": "you@example.com"}}'
  # the 6-digit code is in the newest .eml file of {(settings.home / "mail").resolve()}
  curl -X POST {url}/api/v1/auth/verify -H 'Content-Type: application/json' \\
       -d '{{"email": "you@example.com", "code": "123456", "age_confirmed": true}}'
Or from a terminal on this machine:  reelforge login --local && reelforge make "why bread goes stale"
""",
        err=True,
    )
    consumer = None
    if with_worker:
        from reelforge.jobs.worker import start_embedded_worker
        from reelforge.runtime import runtime_for

        runtime = runtime_for(settings)
        consumer = start_embedded_worker(runtime, runtime.queue)
        typer.echo("worker: running in this process (jobs queue in SQLite or Redis)", err=True)
    try:
        uvicorn.run(
            create_app(settings),
            host=host,
            port=port,
            proxy_headers=True,
            forwarded_allow_ips=forwarded_allow_ips,
            log_level="info",
        )
    finally:
        if consumer is not None:
            consumer.stop(graceful=True)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
