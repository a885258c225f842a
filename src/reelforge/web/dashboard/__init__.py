"""The web dashboard: server-rendered pages for every job, over the same services as the API.

Pages are Jinja2 templates with htmx (vendored under ``static/``, no CDN, no
build step) for partial updates and a few lines of plain JavaScript for live
progress. They call the core services directly — never the REST API over
HTTP — and are signed in by the session cookie alone (P04, P28), with a
per-session CSRF token on every form that changes anything.

One module per area (``signin``, ``home``, ``videos``, …), each with its own
``router``: a module in this package that defines one is a page module, and
:func:`dashboard_router` mounts them all at ``/`` (a new area is one module and
its templates; nothing to register).
"""

from __future__ import annotations

import pkgutil
from importlib import import_module
from pathlib import Path

from fastapi import APIRouter

STATIC_DIR = Path(__file__).resolve().parent / "static"


def page_modules() -> list[str]:
    """Every module of this package that defines a ``router``, by name."""
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = import_module(f"{__name__}.{info.name}")
        if isinstance(getattr(module, "router", None), APIRouter):
            found.append(info.name)
    return found


def dashboard_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)
    for name in page_modules():
        router.include_router(import_module(f"{__name__}.{name}").router)
    return router
