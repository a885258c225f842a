"""Security headers, the session cookie, and TLS awareness (promises P04, P28, P29).

The session cookie is the only cookie reelforge ever sets: HttpOnly (scripts
cannot read it), SameSite=Lax (other sites cannot make a browser send it with
a POST), and Secure whenever the server is reached over TLS — known from
``REELFORGE_PUBLIC_URL`` being ``https://…`` or ``REELFORGE_TLS=true`` (behind
a TLS-terminating proxy). Over TLS responses also carry HSTS.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from reelforge.config import Settings

SESSION_COOKIE = "reelforge_session"

# Dashboard pages load only their own scripts, styles and media (no third party, P28).
_PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "media-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)
# /docs loads Swagger UI from its CDN; the API answers JSON or files.
_API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
_DOCS_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: "
    "https://fastapi.tiangolo.com; connect-src 'self'; frame-ancestors 'none'"
)


def tls_enabled(settings: Settings) -> bool:
    return settings.tls or settings.public_url.lower().startswith("https://")


def set_session_cookie(response: Response, settings: Settings, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_ttl_s,
        path="/",
        httponly=True,
        samesite="lax",
        secure=tls_enabled(settings),
    )


def clear_session_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=tls_enabled(settings)
    )


def origin_allowed(origin: str | None, *, host: str | None, settings: Settings) -> bool:
    """A cookie-authenticated write must come from our own pages: its Origin (when the
    browser sends one) must be the public URL's or the requested host's."""
    if not origin:
        return True
    parts = urlsplit(origin)
    public = urlsplit(settings.public_url)
    if (parts.scheme, parts.netloc) == (public.scheme, public.netloc):
        return True
    return host is not None and parts.netloc == host


class SecurityHeaders:
    """Pure ASGI middleware (streams pass through untouched) adding the headers below."""

    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.app = app
        self.hsts = tls_enabled(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        # Pages say "same-origin": under "no-referrer" browsers send ``Origin: null`` with a
        # form post, and the Origin check could no longer tell our own forms from others'.
        referrer = b"no-referrer"
        if path.startswith("/docs"):
            csp = _DOCS_CSP
        elif path.startswith(("/api/", "/openapi.json")):
            csp = _API_CSP
        else:
            csp, referrer = _PAGE_CSP, b"same-origin"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                extra = {
                    b"x-content-type-options": b"nosniff",
                    b"x-frame-options": b"DENY",
                    b"referrer-policy": referrer,
                    b"cross-origin-opener-policy": b"same-origin",
                    b"permissions-policy": b"camera=(), microphone=(), geolocation=()",
                    b"content-security-policy": csp.encode(),
                }
                if path.startswith("/api/"):
                    extra[b"cache-control"] = b"no-store"
                if self.hsts:
                    extra[b"strict-transport-security"] = b"max-age=31536000; includeSubDomains"
                headers.extend((k, v) for k, v in extra.items() if k not in names)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
