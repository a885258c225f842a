"""Request dependencies: the database session, the runtime, and who is calling.

A caller is identified by ``Authorization: Bearer <token>`` where the token is
a session JWT or an API key (``rf_live_…``), or by the session cookie. Every
authenticated call is rate-limited (per IP before the credential is checked,
per key, per user after) and counted as usage; the count and the key's
``last_used_at``/``request_count`` are committed before the route runs, so
they stand even when the route then fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from reelforge.accounts import api_keys, sessions, usage
from reelforge.accounts.tables import User
from reelforge.config import Settings
from reelforge.errors import Forbidden, Unauthenticated
from reelforge.runtime import Runtime
from reelforge.web.security import SESSION_COOKIE, origin_allowed
from reelforge.web.state import AppState

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

bearer_scheme = HTTPBearer(
    auto_error=False,
    description="A session token from /auth/verify or /auth/login, or an API key (rf_live_…).",
)
cookie_scheme = APIKeyCookie(
    name=SESSION_COOKIE, auto_error=False, description="The dashboard's session cookie."
)


def get_runtime(request: Request) -> Runtime:
    state: AppState = request.app.state.reelforge
    return state.runtime


def get_settings(request: Request) -> Settings:
    state: AppState = request.app.state.reelforge
    return state.settings


def _session(request: Request) -> Iterator[Session]:
    """One session per request: committed after the route returns, rolled back on error."""
    db = get_runtime(request).database.new_session()
    try:
        yield db
        db.commit()
    except BaseException:
        db.rollback()
        raise
    finally:
        db.close()


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
DbDep = Annotated[Session, Depends(_session, scope="function")]


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@dataclass(frozen=True)
class Principal:
    """The caller: a user, and how they proved it."""

    user: User
    via: Literal["session", "cookie", "api_key"]
    session_id: str | None = None
    api_key_id: str | None = None

    @property
    def user_id(self) -> str:
        return self.user.id


def current_principal(
    request: Request,
    db: DbDep,
    runtime: RuntimeDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    cookie: Annotated[str | None, Depends(cookie_scheme)],
) -> Principal:
    token = bearer.credentials if bearer is not None else cookie
    if not token:
        raise Unauthenticated(
            "Sign in first: send 'Authorization: Bearer <token or API key>' or the session cookie."
        )
    limiter, settings = runtime.limiter, runtime.settings
    limiter.check("api_per_ip", client_ip(request))
    if bearer is not None and api_keys.looks_like_api_key(token):
        limiter.check("api_per_key", api_keys.hash_key(token))
        user, key = api_keys.authenticate_api_key(db, key=token)
        principal = Principal(user=user, via="api_key", api_key_id=key.id)
    else:
        user, row = sessions.authenticate_token(db, settings=settings, token=token)
        via: Literal["session", "cookie"] = "session" if bearer is not None else "cookie"
        if via == "cookie" and request.method not in SAFE_METHODS:
            host = request.headers.get("host")
            if not origin_allowed(request.headers.get("origin"), host=host, settings=settings):
                raise Forbidden("Cross-site request refused: the Origin is not this server.")
        principal = Principal(user=user, via=via, session_id=row.id)
    if not request.url.path.startswith("/api/v1/billing"):  # the way out of a limit stays open
        usage.check_limit(db, settings, owner_id=user.id, metric="api_requests")
    usage.record(db, settings, owner_id=user.id, metric="api_requests")
    db.commit()  # ends the transaction: the DB-backed limiter below opens its own
    limiter.check("api_per_user", user.id)
    return principal


def signed_in_principal(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    """For account-security actions (new API keys, password, email, deletion): a leaked API
    key must not be able to mint more keys or take over the account."""
    if principal.via == "api_key":
        raise Forbidden("This needs a signed-in session, not an API key.")
    return principal


PrincipalDep = Annotated[Principal, Depends(current_principal)]
SignedInDep = Annotated[Principal, Depends(signed_in_principal)]
