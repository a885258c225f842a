"""Connected platforms: list, connect (OAuth authorize + callback, or the outbox), disconnect."""

from __future__ import annotations

from html import escape
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query, Request, status
from fastapi.responses import HTMLResponse

from reelforge.accounts import sessions
from reelforge.connections import service as connections
from reelforge.errors import ReelforgeError
from reelforge.publish import posts
from reelforge.web.api.bodies.publishing import AuthorizeOut, ConnectionOut, DisconnectOut
from reelforge.web.deps import (
    DbDep,
    PrincipalDep,
    RuntimeDep,
    SettingsDep,
    client_ip,
    cookie_scheme,
)
from reelforge.web.errors import ERROR_RESPONSES

router = APIRouter(prefix="/connections", tags=["connections"])
PlatformPath = Path(max_length=16, description="tiktok or youtube (the outbox needs no sign-in)")
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


@router.post(
    "/outbox",
    status_code=status.HTTP_201_CREATED,
    response_model=ConnectionOut,
    summary="Add the outbox target (posts become folders on the server; no account needed)",
)
def connect_outbox(principal: PrincipalDep, db: DbDep) -> ConnectionOut:
    return ConnectionOut.of(connections.connect_outbox(db, owner_id=principal.user_id))


@router.get(
    "/{platform}/authorize",
    response_model=AuthorizeOut,
    summary="Start connecting TikTok or YouTube: open the returned URL in a browser",
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
    summary="Where TikTok/Google send the browser back (register this URL with the platform)",
    responses={200: {"content": {"text/html": {}}}, **JSON_ERRORS},
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
) -> HTMLResponse:
    """No API key here: the platform redirects the user's browser. The single-use ``state``
    (and the browser's reelforge session, when the link was asked for from one) says whose
    connection this is."""
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
    page = CONNECTED_PAGE.format(
        platform=escape(platform.capitalize() if platform != "tiktok" else "TikTok"),
        name=escape(connection.display_name or platform),
    )
    return HTMLResponse(page)


@router.delete(
    "/{connection_id:uuid}",  # ":uuid": /connections/outbox is not a connection id
    response_model=DisconnectOut,
    summary="Disconnect: revoke at the platform and delete the tokens at once",
)
def disconnect(
    principal: PrincipalDep, db: DbDep, runtime: RuntimeDep, connection_id: UUID = ConnectionId
) -> DisconnectOut:
    done = posts.disconnect(
        db, runtime, owner_id=principal.user_id, connection_id=str(connection_id)
    )
    return DisconnectOut(id=str(connection_id), revoked=done.revoked, message=done.message)
