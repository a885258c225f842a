"""The FastAPI application: ``create_app(settings)``.

Cheap to call and to import: the runtime (database, vault, mailer, limiter) is
built on start-up — and migrations applied, unless
``REELFORGE_MIGRATE_ON_START=false`` — by the lifespan hook, or on the first
request when a test client skips it. OpenAPI is at /openapi.json, docs at /docs; the
dashboard's pages are at / (:mod:`reelforge.web.dashboard`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from reelforge import __version__
from reelforge.config import Settings, load_settings
from reelforge.web import errors
from reelforge.web.api import api_router
from reelforge.web.dashboard import STATIC_DIR, dashboard_router
from reelforge.web.security import SecurityHeaders
from reelforge.web.state import AppState

DESCRIPTION = """
reelforge's REST API. Sign in with an email code (`POST /api/v1/auth/code`, then
`POST /api/v1/auth/verify`) and send the returned token as `Authorization: Bearer <token>`,
or create an API key (`POST /api/v1/api-keys`) and send that instead. Every error has the
shape `{"error": {"code", "message", "details"}}`.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    state = AppState(settings or load_settings())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(lambda: state.runtime)
        try:
            yield
        finally:
            state.close()

    app = FastAPI(
        title="reelforge",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.reelforge = state
    errors.install(app)
    app.add_middleware(SecurityHeaders, settings=state.settings)
    app.include_router(api_router())
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(dashboard_router())
    return app


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory reelforge.web.app:app_from_env`` (settings from env)."""
    return create_app(load_settings())
