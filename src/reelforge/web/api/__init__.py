"""REST API routers, one module per resource, mounted under /api/v1.

To add a resource: write ``api/<resource>.py`` with a module-level ``router``
and list the module in ``RESOURCES``. The cross-tenant test walks every route
automatically; give each request model an example (``json_schema_extra``).
"""

from __future__ import annotations

from importlib import import_module

from fastapi import APIRouter

from reelforge.web.errors import ERROR_RESPONSES

RESOURCES = (
    "health",
    "auth",
    "me",
    "privacy",
    "api_keys",
    "provider_keys",
    "usage",
    "billing",
    "videos",
    "jobs",
    "creators",
    "analytics",
    "dna",
    "ideas",
    "connections",
    "uploads",
    "posts",
    "schedule",
    "media",
)


def api_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)
    for name in RESOURCES:
        router.include_router(import_module(f"reelforge.web.api.{name}").router)
    return router
