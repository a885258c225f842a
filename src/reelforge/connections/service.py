"""Connected accounts: OAuth connect (state + PKCE kept server-side), tokens in the vault,
refresh with rotation, re-consent, disconnect with revoke.

Promises kept here:

* P08 — tokens are vault secrets (AES-GCM, key outside the database), named
  after the connection and bound to the owner by the cipher's associated data;
* P11 — a connection row holds only the open id, display name and avatar URL
  (plus flags); the user's platform password is never seen (OAuth);
* P12 — disconnecting revokes the grant at the platform and deletes the tokens
  in the same request, whether or not the platform answered;
* P13 — a connection is only ever read with its owner's id, so no other user's
  post can use it.

Which platforms exist, and everything that differs between them (whether
connecting is a sign-in, which account connected, which token revokes the
grant), comes from the platform provider (:func:`get_platform`, registry kind
``"platform"``); nothing here names a platform.

Why the state is bound to the session: the callback arrives from the user's
browser. A link asked for from a signed-in browser (cookie) is accepted only
back in that same browser session; a link asked for with an API key or a
bearer token (the CLI) is accepted with its unguessable, single-use state
alone, and never when another signed-in user's browser presents it.

Why a dashboard link's state carries a prefix: the platform sends every browser
back to the one registered redirect URI (the API's callback). A link asked for
from the dashboard's Connections page should land back on that page, and the
callback can tell so from the state alone — even when the state is unknown or
expired — without a column or a second cookie. The prefix decides only which
page shows the outcome; the state is still random, single-use and session-bound.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from reelforge.accounts import vault
from reelforge.clock import utc_now
from reelforge.connections.tables import OAuthState, PlatformConnection
from reelforge.deps import Deps
from reelforge.errors import Forbidden, InputError, NotFound, ReelforgeError
from reelforge.providers import registry
from reelforge.providers.base import Platform
from reelforge.providers.platforms import pkce
from reelforge.providers.types.publishing import ConnectedAccount, ConnectionTokens, OAuthClient

log = logging.getLogger(__name__)

TOKEN_KIND = "oauth_token"
VERIFIER_KIND = "oauth_pkce"
#: The start of a state minted for the dashboard (see the module docstring).
DASHBOARD_STATE = "dash."


def get_platform(settings: Any, name: str) -> Platform:
    """The registered platform ``name``; NotFound lists the registered ones."""
    choices = registry.available("platform")
    if name not in choices:
        raise NotFound(f"No platform {name!r}; use one of: {', '.join(sorted(choices))}.")
    found = registry.create("platform", name, settings)
    assert isinstance(found, Platform), f"{choices[name]} is not a Platform"
    return found


def signing_in(settings: Any, name: str) -> Platform:
    """The platform ``name`` when connecting it is an OAuth sign-in."""
    found = get_platform(settings, name)
    if not found.needs_oauth:
        raise NotFound(
            f"{found.display_name} needs no sign-in: connect it with "
            f"POST /api/v1/connections/{name}."
        )
    return found


def oauth_client(settings: Any, name: str) -> OAuthClient:
    """The OAuth client of platform ``name`` (ConfigError names the missing app credentials)."""
    return signing_in(settings, name).oauth()


@dataclass(frozen=True)
class PlatformChoice:
    """A registered platform as a person choosing where to connect sees it.

    ``problem`` says why it cannot be connected on this server right now (the app
    credentials or the redirect URI are not set up) and ``setting`` which setting
    fixes it; both are empty when connecting would work.
    """

    name: str
    display_name: str
    needs_oauth: bool
    problem: str = ""
    setting: str = ""

    @property
    def ready(self) -> bool:
        return not self.problem


def platform_choices(settings: Any) -> list[PlatformChoice]:
    """Every registered platform, and whether connecting it works with this server's settings.

    Building the sign-in link is local (no request leaves the server), so it is
    built once here to find a missing client id or an unusable redirect URI
    before the person clicks Connect.
    """
    found = []
    for name in registry.available("platform"):
        try:
            platform = get_platform(settings, name)
        except ReelforgeError as exc:
            found.append(PlatformChoice(name, name, True, exc.message))
            continue
        if not platform.needs_oauth:
            found.append(PlatformChoice(name, platform.display_name, False))
            continue
        try:
            client = platform.oauth()
            try:
                client.authorize(state=pkce.new_state())
            finally:
                client.close()
        except ReelforgeError as exc:
            setting = str(exc.details.get("setting", ""))
            found.append(PlatformChoice(name, platform.display_name, True, exc.message, setting))
            continue
        found.append(PlatformChoice(name, platform.display_name, True))
    return found


def token_name(connection_id: str) -> str:
    return f"connection:{connection_id}"


def _state_hash(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


def _dump(tokens: ConnectionTokens) -> str:
    return json.dumps(
        {
            "access_token": tokens.access_token.get_secret_value(),
            "refresh_token": tokens.refresh_token.get_secret_value()
            if tokens.refresh_token
            else None,
            "expires_at": tokens.expires_at.isoformat(),
            "refresh_expires_at": tokens.refresh_expires_at.isoformat()
            if tokens.refresh_expires_at
            else None,
            "scopes": list(tokens.scopes),
        }
    )


def _load(text: str) -> ConnectionTokens:
    return ConnectionTokens.model_validate(json.loads(text))


def store_tokens(
    db: Session, deps: Deps, *, connection: PlatformConnection, tokens: ConnectionTokens
) -> None:
    vault.put_secret(
        db,
        deps.vault,
        owner_id=connection.owner_id,
        kind=TOKEN_KIND,
        name=token_name(connection.id),
        value=_dump(tokens),
    )


def read_tokens(
    db: Session, deps: Deps, *, connection: PlatformConnection
) -> ConnectionTokens | None:
    text = vault.read_secret(
        db,
        deps.vault,
        owner_id=connection.owner_id,
        kind=TOKEN_KIND,
        name=token_name(connection.id),
    )
    return _load(text) if text is not None else None


def list_connections(db: Session, *, owner_id: str) -> list[PlatformConnection]:
    query = select(PlatformConnection).where(PlatformConnection.owner_id == owner_id)
    return list(db.scalars(query.order_by(PlatformConnection.created_at)))


def get_connection(db: Session, *, owner_id: str, connection_id: str) -> PlatformConnection:
    row = db.scalar(
        select(PlatformConnection).where(
            PlatformConnection.id == connection_id, PlatformConnection.owner_id == owner_id
        )
    )
    if row is None:
        raise NotFound("No such connection (it may belong to another account, or was removed).")
    return row


def _keep_account(
    db: Session, *, owner_id: str, platform_name: str, account: ConnectedAccount
) -> PlatformConnection:
    """The connection of this account: found by its key (connecting again updates it), or new."""
    connection = db.scalar(
        select(PlatformConnection).where(
            PlatformConnection.owner_id == owner_id,
            PlatformConnection.platform == platform_name,
            PlatformConnection.account_key == account.key,
        )
    )
    if connection is None:
        connection = PlatformConnection(
            owner_id=owner_id, platform=platform_name, account_key=account.key
        )
        db.add(connection)
    connection.open_id = account.open_id or None
    connection.display_name = account.display_name[:200]
    connection.avatar_url = account.avatar_url[:1000]
    connection.needs_reconsent = False
    db.flush()
    return connection


def connect_without_sign_in(
    db: Session, deps: Deps, *, owner_id: str, name: str
) -> PlatformConnection:
    """Connect a platform that needs no account (the outbox); connecting twice returns the same
    connection."""
    found = get_platform(deps.settings, name)
    if found.needs_oauth:
        raise InputError(
            f"{found.display_name} is connected by signing in: open the link "
            f"GET /api/v1/connections/{name}/authorize gives.",
        )
    return _keep_account(db, owner_id=owner_id, platform_name=name, account=found.account(None))


def start_authorize(
    db: Session,
    deps: Deps,
    *,
    owner_id: str,
    platform: str,
    session_id: str | None,
    now: datetime | None = None,
    for_dashboard: bool = False,
) -> str:
    """A fresh authorize URL; its state and PKCE verifier wait server-side for the callback.

    ``for_dashboard``: the link was asked for from the dashboard, whose Connections
    page the callback then sends the browser back to (:func:`started_in_dashboard`).
    """
    client = oauth_client(deps.settings, platform)
    now = now or utc_now()
    db.execute(
        delete(OAuthState).where(OAuthState.owner_id == owner_id, OAuthState.expires_at < now)
    )
    state = (DASHBOARD_STATE if for_dashboard else "") + pkce.new_state()
    try:
        request = client.authorize(state=state)
    finally:
        client.close()
    row = OAuthState(
        owner_id=owner_id,
        platform=platform,
        state_hash=_state_hash(request.state),
        session_id=session_id,
        redirect_uri=request.redirect_uri,
        expires_at=now + timedelta(seconds=deps.settings.oauth_state_ttl_s),
    )
    db.add(row)
    db.flush()
    vault.put_secret(
        db,
        deps.vault,
        owner_id=owner_id,
        kind=VERIFIER_KIND,
        name=row.id,
        value=request.code_verifier.get_secret_value(),
    )
    return request.url


def started_in_dashboard(state: str) -> bool:
    """True when the callback's ``state`` was minted for the dashboard (known or not)."""
    return state.startswith(DASHBOARD_STATE)


@dataclass(frozen=True)
class TakenState:
    """A callback's state, already removed (single use); ``problem`` is raised after commit."""

    owner_id: str
    platform: str
    redirect_uri: str
    verifier: str | None
    problem: ReelforgeError | None


def take_state(
    db: Session,
    deps: Deps,
    *,
    platform: str,
    state: str,
    browser_session: tuple[str, str] | None,
    now: datetime | None = None,
) -> TakenState:
    """Find and delete the state row and its verifier. The caller commits the deletion before
    raising ``problem`` or going on, so a state works once whatever happens next.

    ``browser_session`` is (user id, session id) of the signed-in browser, if any.
    """
    signing_in(deps.settings, platform)
    now = now or utc_now()
    row = db.scalar(select(OAuthState).where(OAuthState.state_hash == _state_hash(state)))
    if row is None or row.platform != platform:
        raise InputError(
            "This sign-in link is unknown or was already used. Start connecting again "
            "(reelforge connect, or Connect in the dashboard)."
        )
    verifier = vault.read_secret(
        db, deps.vault, owner_id=row.owner_id, kind=VERIFIER_KIND, name=row.id
    )
    vault.delete_secret(db, owner_id=row.owner_id, kind=VERIFIER_KIND, name=row.id)
    db.delete(row)
    db.flush()
    problem: ReelforgeError | None = None
    if row.expires_at < now or verifier is None:
        problem = InputError("This sign-in link has expired. Start connecting again.")
    elif browser_session is not None and browser_session[0] != row.owner_id:
        problem = Forbidden("This sign-in link belongs to another reelforge account.")
    elif row.session_id is not None and (
        browser_session is None or browser_session[1] != row.session_id
    ):
        problem = Forbidden(
            "Open the sign-in link in the same browser where you are signed in to reelforge, "
            "then connect again."
        )
    return TakenState(row.owner_id, platform, row.redirect_uri, verifier, problem)


def complete_authorize(
    db: Session,
    deps: Deps,
    *,
    taken: TakenState,
    code: str | None,
    error: str | None = None,
    error_description: str = "",
) -> PlatformConnection:
    """The rest of the callback: trade the code for tokens, keep only what P11 allows."""
    if taken.problem is not None:
        raise taken.problem
    name = taken.platform
    if error or not code or taken.verifier is None:
        said = f" ({error}: {error_description})" if error_description else f" ({error})"
        raise InputError(
            f"The {name} connection was not approved{said if error else ''}. "
            "Connect again and allow access."
        )
    found = signing_in(deps.settings, name)
    client = found.oauth()
    try:
        tokens = client.exchange_code(
            code=code, code_verifier=taken.verifier, redirect_uri=taken.redirect_uri
        )
    finally:
        client.close()
    account = found.account(tokens)
    connection = _keep_account(db, owner_id=taken.owner_id, platform_name=name, account=account)
    connection.scopes = ",".join(tokens.scopes)[:500]
    store_tokens(db, deps, connection=connection, tokens=tokens)
    return connection


@dataclass(frozen=True)
class Disconnected:
    revoked: bool
    message: str


def _revoke(deps: Deps, name: str, tokens: ConnectionTokens | None) -> Disconnected:
    if tokens is None:
        return Disconnected(True, "Disconnected.")
    try:
        found = signing_in(deps.settings, name)
        client = found.oauth()
    except ReelforgeError as exc:  # no longer registered, or its app credentials are gone
        return _unconfirmed(name, exc)
    try:
        client.revoke(token=found.revoke_token(tokens))
    except ReelforgeError as exc:
        return _unconfirmed(name, exc)
    finally:
        client.close()
    return Disconnected(True, f"Disconnected; {name} revoked reelforge's access.")


def _unconfirmed(name: str, exc: ReelforgeError) -> Disconnected:
    log.warning("revoking a %s grant failed: %s", name, exc.code)
    return Disconnected(
        False,
        f"Disconnected and the tokens deleted, but {name} did not confirm the revoke "
        f"({exc.message}). Remove reelforge in your {name} account's app settings too.",
    )


def disconnect(db: Session, deps: Deps, *, owner_id: str, connection_id: str) -> Disconnected:
    """Revoke at the platform, then delete the tokens and the connection (P12).

    Posts waiting for it are publishing's business: :func:`reelforge.publish.posts.disconnect`
    cancels them first.
    """
    connection = get_connection(db, owner_id=owner_id, connection_id=connection_id)
    try:
        tokens = read_tokens(db, deps, connection=connection)
    except ReelforgeError:  # a token we cannot open cannot be revoked, only deleted
        tokens = None
    result = _revoke(deps, connection.platform, tokens)
    vault.delete_secret(db, owner_id=owner_id, kind=TOKEN_KIND, name=token_name(connection.id))
    db.delete(connection)
    db.flush()
    return result


def disconnect_all(db: Session, deps: Deps, *, owner_id: str) -> list[Disconnected]:
    """Revoke and delete every connection of the owner (for account deletion, P12/P24)."""
    return [
        disconnect(db, deps, owner_id=owner_id, connection_id=row.id)
        for row in list_connections(db, owner_id=owner_id)
    ]
