"""Rendering pages: one Jinja2 environment, autoescaped, with what every page needs.

Every page gets the signed-in user (or None), its CSRF token, the navigation
and the current path; a page module passes only its own data. Templates live
in ``templates/`` beside this module and ship in the wheel.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

HERE = Path(__file__).resolve().parent

#: (path, label) of the main navigation, in order.
NAV: tuple[tuple[str, str], ...] = (
    ("/", "Home"),
    ("/videos/new", "New video"),
    ("/videos", "Videos"),
    ("/creators", "Creators"),
    ("/dna", "DNA"),
    ("/posts", "Posts"),
    ("/connections", "Connections"),
    ("/keys", "Keys"),
    ("/account", "Account"),
)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "—"


def _percent(value: float | None) -> str:
    return f"{round((value or 0) * 100)}%"


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = _when
    env.filters["percent"] = _percent
    return env


def render(
    request: Request, template: str, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """The page ``template`` with ``context``; ``request.state`` carries who is signed in."""
    viewer = getattr(request.state, "viewer", None)
    html = (
        environment()
        .get_template(template)
        .render(
            request=request,
            viewer=viewer,
            csrf_token=viewer.csrf_token if viewer is not None else "",
            nav=NAV if viewer is not None else (),
            path=request.url.path,
            **context,
        )
    )
    return HTMLResponse(html, status_code=status_code, headers={"Cache-Control": "no-store"})
