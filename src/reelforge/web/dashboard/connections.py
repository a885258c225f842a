"""Connections on the dashboard: which platforms this server can post to, connecting one (the
OAuth round trip, or one click for the outbox), the connected accounts with their name and
picture (P11), and disconnecting with what it does said first (P12).

The same services as ``/api/v1/connections``: the sign-in link comes from
:func:`reelforge.connections.service.start_authorize` (minted for the dashboard,
so the API's callback sends the browser back here with the outcome as a code),
and disconnecting is :func:`reelforge.publish.posts.disconnect` (waiting posts
cancelled, then revoke and delete the tokens at once). Messages after a
redirect are fixed sentences chosen by a code in the query, never text from
the query, so a crafted link cannot make this page say something else.

Avatars: the page's Content-Security-Policy allows images from this server only
(no third party sees who looks at the dashboard), so a connection's picture is
fetched here, over https only, small and briefly cached, and drawn as initials
when it cannot be had.
"""

from __future__ import annotations

import re
import threading
import time
from html import escape
from typing import Annotated

import httpx
from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import RedirectResponse, Response

from reelforge.connections import service as connections
from reelforge.connections.tables import PlatformConnection
from reelforge.errors import ReelforgeError
from reelforge.publish import posts
from reelforge.web.dashboard.templating import render
from reelforge.web.dashboard.viewer import Viewer, ViewerDep
from reelforge.web.deps import DbDep, RuntimeDep

router = APIRouter()
PlatformName = Path(max_length=16, pattern=r"^[a-z0-9][a-z0-9_-]{0,15}$")
ConnectionId = Path(max_length=64)

#: What the callback's reason codes (the error codes of reelforge.errors) mean here.
FAILED = {
    "denied": "The connection was not approved at {platform}. Connect again and allow access.",
    "forbidden": "That sign-in link belongs to another browser session or account. Connect "
    "again from this page, in the browser where you are signed in.",
    "invalid_input": "That sign-in link expired or was already used. Connect again.",
    "config": "{platform} is not set up on this server; see below what it needs.",
    "quota_exceeded": "Too many attempts just now. Wait a minute, then connect again.",
    "provider_error": "{platform} did not complete the connection. Try again in a moment.",
    "platform_error": "{platform} refused the connection. Try again, or check the app's "
    "settings in {platform}'s developer portal.",
    "not_found": "That platform is not available on this server.",
}
FAILED_OTHER = "Connecting {platform} did not finish. Connect again."
#: What connecting means, per kind.
ABOUT = {
    "outbox": "Posts become folders on this server (the video or images plus a metadata "
    "file): try posting with no account at all, or hand the files to another tool.",
    "tiktok": "Sign in at TikTok and allow reelforge to post for you. reelforge keeps only "
    "your open ID, display name and avatar, plus the encrypted tokens.",
    "youtube": "Sign in with Google and allow uploads to your channel. reelforge keeps the "
    "encrypted tokens only.",
}


async def _owner(viewer: ViewerDep, db: DbDep) -> Viewer:
    """The signed-in viewer, with the sign-in check's transaction ended at once (on SQLite
    the avatar requests of this page would otherwise wait for it)."""
    db.commit()
    return viewer


OwnerDep = Annotated[Viewer, Depends(_owner)]


SETTING = re.compile(r"(REELFORGE_[A-Z0-9_]+)")


def with_settings(message: str) -> list[tuple[str, bool]]:
    """``message`` cut into (text, is a setting's name), so each name is shown whole as code."""
    return [(part, bool(SETTING.fullmatch(part))) for part in SETTING.split(message) if part]


def safe_next(next_path: str) -> str:
    """A same-site path to go back to (a compose page), else the Connections page."""
    if next_path.startswith("/") and not next_path.startswith("//") and "\\" not in next_path:
        return next_path[:500]
    return "/connections"


def _display(settings: object, name: str) -> str:
    try:
        return connections.get_platform(settings, name).display_name
    except ReelforgeError:
        return "the platform"


def _message(
    settings: object,
    *,
    connected: str,
    failed: str,
    reason: str,
    disconnected: str,
    revoked: str,
) -> tuple[str, str]:
    """(kind, sentence) for the page's message after a redirect; kind "" for none."""
    if connected:
        return "ok", f"{_display(settings, connected)} is connected"
    if failed:
        shown = _display(settings, failed)
        return "problem", FAILED.get(reason, FAILED_OTHER).format(platform=shown)
    if disconnected:
        shown = _display(settings, disconnected)
        if revoked == "1":
            return "ok", f"{shown} is disconnected: its tokens are deleted and access revoked."
        return "problem", (
            f"{shown} is disconnected and its tokens are deleted, but {shown} did not confirm "
            f"the revoke. Remove reelforge in your {shown} account's app settings too."
        )
    return "", ""


def _accounts(
    rows: list[PlatformConnection], waiting: dict[str, int], settings: object
) -> list[dict[str, object]]:
    found = []
    for row in rows:
        shown = _display(settings, row.platform)
        count = waiting.get(row.id, 0)
        posts_said = (
            "No post is waiting for it."
            if not count
            else f"{count} waiting post{'s' if count != 1 else ''} will be cancelled."
        )
        found.append(
            {
                "row": row,
                "platform": shown,
                "name": row.display_name or shown,
                "waiting": count,
                "confirm": f"Disconnect {row.display_name or shown} ({shown})? Its tokens are "
                f"deleted at once. {posts_said}",
            }
        )
    return found


@router.get("/connections")
def connections_page(
    request: Request,
    viewer: OwnerDep,
    db: DbDep,
    runtime: RuntimeDep,
    connected: str = "",
    failed: str = "",
    reason: str = "",
    disconnected: str = "",
    revoked: str = "",
) -> Response:
    settings = runtime.settings
    rows = connections.list_connections(db, owner_id=viewer.user_id)
    waiting = posts.waiting_by_connection(db, owner_id=viewer.user_id)
    kind, message = _message(
        settings,
        connected=connected[:16],
        failed=failed[:16],
        reason=reason[:32],
        disconnected=disconnected[:16],
        revoked=revoked[:1],
    )
    if kind == "ok" and connected:
        newest = next((r for r in reversed(rows) if r.platform == connected), None)
        named = f" as {newest.display_name}" if newest and newest.display_name else ""
        message += f"{named}: you can post there now."
    accounts = _accounts(rows, waiting, settings)
    db.commit()  # see _owner
    return render(
        request,
        "publishing/connections.html",
        title="Connections",
        accounts=accounts,
        choices=[
            {"choice": c, "problem": with_settings(c.problem)}
            for c in connections.platform_choices(settings)
        ],
        connected_names={r.platform for r in rows},
        about=ABOUT,
        kind=kind,
        message=message,
    )


@router.post("/connections/{platform}/connect")
def connect_without_sign_in(
    viewer: OwnerDep,
    db: DbDep,
    runtime: RuntimeDep,
    platform: str = PlatformName,
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """One click for a platform without sign-in (the outbox); back to ``next`` or this page."""
    connections.connect_without_sign_in(db, runtime, owner_id=viewer.user_id, name=platform)
    db.commit()
    if next:
        return RedirectResponse(safe_next(next), status_code=303)
    return RedirectResponse(f"/connections?connected={platform}", status_code=303)


@router.get("/connections/{platform}/start")
def start_sign_in(
    viewer: OwnerDep, db: DbDep, runtime: RuntimeDep, platform: str = PlatformName
) -> Response:
    """Off to the platform's sign-in page. A link, not a form: the page's CSP lets forms post
    only to this server, and a browser checks that on the redirect too. The state is bound
    to this browser session, so a link someone else made cannot connect their account here."""
    url = connections.start_authorize(
        db,
        runtime,
        owner_id=viewer.user_id,
        platform=platform,
        session_id=viewer.session_id,
        for_dashboard=True,
    )
    db.commit()
    return RedirectResponse(url, status_code=303)


@router.post("/connections/{connection_id}/disconnect")
def disconnect(
    viewer: OwnerDep, db: DbDep, runtime: RuntimeDep, connection_id: str = ConnectionId
) -> Response:
    row = connections.get_connection(db, owner_id=viewer.user_id, connection_id=connection_id)
    platform = row.platform
    done = posts.disconnect(db, runtime, owner_id=viewer.user_id, connection_id=connection_id)
    db.commit()
    revoked = "1" if done.revoked else "0"
    return RedirectResponse(
        f"/connections?disconnected={platform}&revoked={revoked}", status_code=303
    )


# --- avatars ---------------------------------------------------------------------------

AVATAR_MAX_BYTES = 512 * 1024
AVATAR_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")
AVATAR_TTL_S = 3600.0
_avatars: dict[str, tuple[float, bytes, str] | tuple[float, None, None]] = {}
_avatars_lock = threading.Lock()


def fetch_avatar(url: str, *, timeout_s: float = 4.0) -> tuple[bytes, str] | None:
    """The picture at ``url`` (https only, ≤ 512 KB, an image type), or None."""
    if not url.lower().startswith("https://"):
        return None
    now = time.monotonic()
    with _avatars_lock:
        cached = _avatars.get(url)
    if cached is not None and now - cached[0] < AVATAR_TTL_S:
        return (cached[1], cached[2]) if cached[1] is not None and cached[2] else None
    found: tuple[bytes, str] | None = None
    try:
        with httpx.stream("GET", url, timeout=timeout_s, follow_redirects=False) as answer:
            kind = answer.headers.get("content-type", "").split(";")[0].strip().lower()
            if answer.status_code == 200 and kind in AVATAR_TYPES:
                data = b""
                for chunk in answer.iter_bytes():
                    data += chunk
                    if len(data) > AVATAR_MAX_BYTES:
                        break
                if len(data) <= AVATAR_MAX_BYTES:
                    found = (data, kind)
    except httpx.HTTPError:
        found = None
    with _avatars_lock:
        if len(_avatars) > 256:
            _avatars.clear()
        _avatars[url] = (now, found[0], found[1]) if found else (now, None, None)
    return found


def initials_svg(name: str) -> bytes:
    """A round picture with the name's initials, in the palette's accent colours."""
    letters = "".join(w[0] for w in name.split()[:2] if w).upper() or "?"
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">'
        '<circle cx="32" cy="32" r="32" fill="#0b4f8a"/>'
        '<text x="32" y="41" font-family="system-ui, sans-serif" font-size="26" '
        f'font-weight="700" text-anchor="middle" fill="#ffffff">{escape(letters[:2])}</text>'
        "</svg>"
    ).encode()


@router.get("/connections/{connection_id}/avatar")
def avatar(viewer: OwnerDep, db: DbDep, connection_id: str = ConnectionId) -> Response:
    row = connections.get_connection(db, owner_id=viewer.user_id, connection_id=connection_id)
    url, name = row.avatar_url or "", row.display_name or row.platform
    db.commit()  # see _owner: the fetch below may take a moment
    headers = {"Cache-Control": "private, max-age=3600"}
    found = fetch_avatar(url) if url else None
    if found is None:
        return Response(initials_svg(name), media_type="image/svg+xml", headers=headers)
    return Response(found[0], media_type=found[1], headers=headers)
