"""Connected platforms: list, describe a platform, connect (OAuth authorize + callback, or one
call for a platform without sign-in, like the outbox), disconnect.

The platforms are the registry's (kind ``"platform"``): these routes take any
registered name and ask the platform what connecting it takes.
"""

from __future__ import annotations

from html import escape
from typing import Annotated, Any
from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.convertors import StringConvertor, register_url_convertor

from reelforge.accounts import sessions
from reelforge.connections import service as connections
from reelforge.errors import ReelforgeError
from reelforge.publish import posts
from reelforge.web.api.bodies.publishing import (
    AuthorizeOut,
    ConnectionOut,
    DisconnectOut,
    PlatformOut,
)
from reelforge.web.deps import (
    DbDep,
    PrincipalDep,
    RuntimeDep,
    SettingsDep,
    client_ip,
    cookie_scheme,
)
from reelforge.web.errors import ERROR_RESPONSES, ErrorBody


class SlugConvertor(StringConvertor):
    """A platform name in a path: 1-16 of a-z, 0-9, '-', '_' (the ``connections.platform``
    column is 16 long). It never matches a connection id (a 36-character UUID), so
    ``/connections/{platform:slug}`` and ``/connections/{connection_id:uuid}`` do not
    overlap and a wrong method on either is still a 405."""

    regex = "[a-z0-9][a-z0-9_-]{0,15}"


register_url_convertor("slug", SlugConvertor())
router = APIRouter(prefix="/connections", tags=["connections"])
PlatformPath = Path(
    max_length=16,
    pattern=f"^{SlugConvertor.regex}$",
    description="A registered platform, e.g. tiktok or youtube",
)
ConnectionId = Path(description="A connection id")

# The page is HTML, its errors are the API's JSON (FastAPI would document them as HTML).
JSON_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {
        "description": spec["description"],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}},
    }
    for code, spec in ERROR_RESPONSES.items()
}
CONNECTED_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Connected</title></head>
<body style="font-family:system-ui;max-width:32rem;margin:4rem auto">
<h1>{platform} is connected</h1>
<p>reelforge can now post to <strong>{name}</strong> when you ask it to.
You can close this tab.</p></body></html>
"""


@router.get("", response_model=list[ConnectionOut], summary="Your connected accounts")
def list_connections(principal: PrincipalDep, db: DbDep) -> list[ConnectionOut]:
    rows = connections.list_connections(db, owner_id=principal.user_id)
    return [ConnectionOut.of(r) for r in rows]


@router.get(
    "/{platform:slug}",
    response_model=PlatformOut,
    summary="What connecting a platform takes (an OAuth sign-in, or one POST)",
)
def describe_platform(
    principal: PrincipalDep, settings: SettingsDep, platform: str = PlatformPath
) -> PlatformOut:
    return PlatformOut.of(connections.get_platform(settings, platform))


@router.post(
    "/{platform:slug}",
    status_code=status.HTTP_201_CREATED,
    response_model=ConnectionOut,
    summary="Connect a platform that needs no sign-in, like the outbox (posts become folders on "
    "the server); connecting again returns the same connection",
)
def connect_without_sign_in(
    principal: PrincipalDep, db: DbDep, runtime: RuntimeDep, platform: str = PlatformPath
) -> ConnectionOut:
    row = connections.connect_without_sign_in(
        db, runtime, owner_id=principal.user_id, name=platform
    )
    return ConnectionOut.of(row)


@router.get(
    "/{platform}/authorize",
    response_model=AuthorizeOut,
    summary="Start connecting a platform by OAuth: open the returned URL in a browser",
)
def authorize(
    principal: PrincipalDep,
    db: DbDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    platform: str = PlatformPath,
) -> AuthorizeOut:
    session_id = principal.session_id if principal.via == "cookie" else None
    url = connections.start_authorize(
        db, runtime, owner_id=principal.user_id, platform=platform, session_id=session_id
    )
    return AuthorizeOut(url=url, platform=platform, expires_in_s=settings.oauth_state_ttl_s)


@router.get(
    "/{platform}/callback",
    response_class=HTMLResponse,
    summary="Where the platform sends the browser back (register this URL with the platform)",
    responses={
        200: {"content": {"text/html": {}}},
        303: {
            "description": "The link was started on the dashboard's Connections page: back "
            "there, with connected={platform} or failed={platform}&reason={error code}",
        },
        **JSON_ERRORS,
    },
)
def callback(
    request: Request,
    db: DbDep,
    runtime: RuntimeDep,
    cookie: Annotated[str | None, Depends(cookie_scheme)],
    platform: str = PlatformPath,
    state: str = Query(min_length=1, max_length=200),
    code: str | None = Query(None, max_length=2000),
    error: str | None = Query(None, max_length=200),
    error_description: str | None = Query(None, max_length=1000),
) -> Response:
    """No API key here: the platform redirects the user's browser. The single-use ``state``
    (and the browser's reelforge session, when the link was asked for from one) says whose
    connection this is. A link started on the dashboard goes back to its Connections page,
    with the outcome as a code (the page words it)."""
    if not connections.started_in_dashboard(state):
        return _finish_callback(
            request, db, runtime, cookie, platform, state, code, error, error_description
        )
    try:
        _finish_callback(
            request, db, runtime, cookie, platform, state, code, error, error_description
        )
    except ReelforgeError as exc:
        db.rollback()  # the used-up state was committed already; nothing else is kept
        reason = "denied" if error else exc.code
        return RedirectResponse(
            f"/connections?failed={platform}&reason={quote(reason)}", status_code=303
        )
    return RedirectResponse(f"/connections?connected={platform}", status_code=303)


def _finish_callback(
    request: Request,
    db: DbDep,
    runtime: RuntimeDep,
    cookie: str | None,
    platform: str,
    state: str,
    code: str | None,
    error: str | None,
    error_description: str | None,
) -> HTMLResponse:
    runtime.limiter.check("api_per_ip", client_ip(request))
    browser: tuple[str, str] | None = None
    if cookie:
        try:
            user, row = sessions.authenticate_token(db, settings=runtime.settings, token=cookie)
            browser = (user.id, row.id)
        except ReelforgeError:
            browser = None  # an old cookie: treated as no session
    taken = connections.take_state(
        db, runtime, platform=platform, state=state, browser_session=browser
    )
    db.commit()  # the state is used up, whatever happens next
    connection = connections.complete_authorize(
        db,
        runtime,
        taken=taken,
        code=code,
        error=error,
        error_description=error_description or "",
    )
    shown = connections.get_platform(runtime.settings, platform).display_name
    page = CONNECTED_PAGE.format(
        platform=escape(shown), name=escape(connection.display_name or shown)
    )
    return HTMLResponse(page)


@router.delete(
    "/{connection_id:uuid}",  # ":uuid": /connections/{platform} is not a connection id
    response_model=DisconnectOut,
    summary="Disconnect: revoke at the platform and delete the tokens at once",
    responses={
        405: {
            "model": ErrorBody,
            "description": "The path names a platform (GET or POST), not a connection id.",
        }
    },
)
def disconnect(
    principal: PrincipalDep, db: DbDep, runtime: RuntimeDep, connection_id: UUID = ConnectionId
) -> DisconnectOut:
    done = posts.disconnect(
        db, runtime, owner_id=principal.user_id, connection_id=str(connection_id)
    )
    return DisconnectOut(id=str(connection_id), revoked=done.revoked, message=done.message)
