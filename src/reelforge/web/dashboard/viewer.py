"""Who is looking at a page: the session cookie's user, or a redirect to sign in.

A page dependency (:data:`ViewerDep`) reads only the session cookie — never a
bearer token or an API key, so a leaked key cannot drive the dashboard — and
checks the CSRF token and the Origin on every write. Pages that work signed out
(sign-in itself) use :data:`MaybeViewerDep`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from reelforge.accounts import sessions
from reelforge.accounts.tables import User
from reelforge.config import Settings
from reelforge.errors import Forbidden, Unauthenticated
from reelforge.web.dashboard import csrf
from reelforge.web.deps import SAFE_METHODS, DbDep, RuntimeDep
from reelforge.web.security import SESSION_COOKIE, origin_allowed


class SignInRequired(Exception):
    """Raised by a page dependency when nobody is signed in; answered with a redirect."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path

    @property
    def location(self) -> str:
        return f"/signin?next={quote(self.next_path, safe='/')}"


@dataclass(frozen=True)
class Viewer:
    user: User
    session_id: str
    csrf_token: str

    @property
    def user_id(self) -> str:
        return self.user.id


def _from_cookie(request: Request, db: Session, settings: Settings) -> Viewer | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        user, row = sessions.authenticate_token(db, settings=settings, token=token)
    except Unauthenticated:
        return None
    return Viewer(user=user, session_id=row.id, csrf_token=csrf.token_for(settings, row.id))


def _check_origin(request: Request, settings: Settings) -> None:
    if not origin_allowed(
        request.headers.get("origin"), host=request.headers.get("host"), settings=settings
    ):
        raise Forbidden("Cross-site request refused: the Origin is not this server.")


async def _check_write(request: Request, viewer: Viewer, settings: Settings) -> None:
    if request.method in SAFE_METHODS:
        return
    _check_origin(request, settings)
    presented = request.headers.get(csrf.HEADER)
    if presented is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(csrf.FIELD)
            presented = value if isinstance(value, str) else None
    csrf.check(settings, viewer.session_id, presented)


def _cookie_viewer(request: Request, db: DbDep, runtime: RuntimeDep) -> Viewer | None:
    """The cookie's viewer, read in the threadpool, with the transaction ended at once.

    On SQLite every transaction takes the write lock (``BEGIN IMMEDIATE``, and the
    session check may touch ``last_seen_at``): held for the rest of the request, a second
    request of the same page (a thumbnail, the player's Range request, a progress stream)
    would wait for it."""
    found = _from_cookie(request, db, runtime.settings)
    db.commit()
    return found


async def maybe_viewer(
    request: Request,
    runtime: RuntimeDep,
    found: Annotated[Viewer | None, Depends(_cookie_viewer)],
) -> Viewer | None:
    """The viewer or None; on a write, the Origin (and for a viewer the CSRF token) checked."""
    request.state.viewer = found
    if found is not None:
        await _check_write(request, found, runtime.settings)
    elif request.method not in SAFE_METHODS:
        _check_origin(request, runtime.settings)  # signing in from another site is refused too
    return found


async def viewer(
    request: Request, found: Annotated[Viewer | None, Depends(maybe_viewer)]
) -> Viewer:
    if found is None:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(path if request.method in SAFE_METHODS else "/")
    return found


ViewerDep = Annotated[Viewer, Depends(viewer)]
MaybeViewerDep = Annotated[Viewer | None, Depends(maybe_viewer)]
