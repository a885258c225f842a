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

Why the state is bound to the session: the callback arrives from the user's
browser. A link asked for from a signed-in browser (cookie) is accepted only
back in that same browser session; a link asked for with an API key or a
bearer token (the CLI) is accepted with its unguessable, single-use state
alone, and never when another signed-in user's browser presents it.
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
from reelforge.errors import Forbidden, InputError, NotFound, ProviderError, ReelforgeError
from reelforge.providers.platforms import pkce
from reelforge.providers.platforms.google_oauth import GoogleOAuth
from reelforge.providers.platforms.tiktok_oauth import TikTokOAuth
from reelforge.providers.types.publishing import ConnectionTokens

log = logging.getLogger(__name__)

TOKEN_KIND = "oauth_token"
VERIFIER_KIND = "oauth_pkce"
PLATFORMS = ("tiktok", "youtube", "outbox")
OAUTH_PLATFORMS = ("tiktok", "youtube")
OAuthClient = TikTokOAuth | GoogleOAuth


def check_platform(platform: str, *, oauth: bool = False) -> str:
    allowed = OAUTH_PLATFORMS if oauth else PLATFORMS
    if platform not in allowed:
        extra = " (the outbox needs no sign-in: POST /api/v1/connections/outbox)" if oauth else ""
        raise NotFound(f"No platform {platform!r}; use one of: {', '.join(allowed)}{extra}.")
    return platform


def oauth_client(settings: Any, platform: str) -> OAuthClient:
    """The OAuth client for ``platform`` (ConfigError names the missing app credentials)."""
    if check_platform(platform, oauth=True) == "tiktok":
        return TikTokOAuth(settings)
    return GoogleOAuth(settings)


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


def connect_outbox(db: Session, *, owner_id: str) -> PlatformConnection:
    """The outbox target (no account, no tokens); connecting twice returns the same one."""
    found = db.scalar(
        select(PlatformConnection).where(
            PlatformConnection.owner_id == owner_id, PlatformConnection.platform == "outbox"
        )
    )
    if found is not None:
        return found
    row = PlatformConnection(
        owner_id=owner_id, platform="outbox", account_key="outbox", display_name="Outbox folder"
    )
    db.add(row)
    db.flush()
    return row


def start_authorize(
    db: Session,
    deps: Deps,
    *,
    owner_id: str,
    platform: str,
    session_id: str | None,
    now: datetime | None = None,
) -> str:
    """A fresh authorize URL; its state and PKCE verifier wait server-side for the callback."""
    client = oauth_client(deps.settings, platform)
    now = now or utc_now()
    db.execute(
        delete(OAuthState).where(OAuthState.owner_id == owner_id, OAuthState.expires_at < now)
    )
    try:
        request = client.authorize(state=pkce.new_state())
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
    check_platform(platform, oauth=True)
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
    platform = taken.platform
    if error or not code or taken.verifier is None:
        said = f" ({error}: {error_description})" if error_description else f" ({error})"
        raise InputError(
            f"The {platform} connection was not approved{said if error else ''}. "
            "Connect again and allow access."
        )
    client = oauth_client(deps.settings, platform)
    try:
        tokens = client.exchange_code(
            code=code, code_verifier=taken.verifier, redirect_uri=taken.redirect_uri
        )
        if isinstance(client, TikTokOAuth):
            info = client.user_info(access_token=tokens.access_token.get_secret_value())
            open_id = info.open_id or tokens.open_id or ""
            if not open_id:
                raise ProviderError(
                    "TikTok did not say which account connected.", provider="tiktok"
                )
            key, name, avatar = open_id, info.display_name, info.avatar_url
        else:
            open_id, key, name, avatar = "", "youtube", "YouTube channel", ""
    finally:
        client.close()
    connection = db.scalar(
        select(PlatformConnection).where(
            PlatformConnection.owner_id == taken.owner_id,
            PlatformConnection.platform == platform,
            PlatformConnection.account_key == key,
        )
    )
    if connection is None:
        connection = PlatformConnection(owner_id=taken.owner_id, platform=platform, account_key=key)
        db.add(connection)
    connection.open_id = open_id or None
    connection.display_name, connection.avatar_url = name[:200], avatar[:1000]
    connection.scopes = ",".join(tokens.scopes)[:500]
    connection.needs_reconsent = False
    db.flush()
    store_tokens(db, deps, connection=connection, tokens=tokens)
    return connection


@dataclass(frozen=True)
class Disconnected:
    revoked: bool
    message: str


def _revoke(deps: Deps, platform: str, tokens: ConnectionTokens | None) -> Disconnected:
    if platform == "outbox" or tokens is None:
        return Disconnected(True, "Disconnected.")
    client = oauth_client(deps.settings, platform)
    # TikTok revokes by access token; Google's refresh token revokes the whole grant.
    token = tokens.access_token if platform == "tiktok" else tokens.refresh_token
    try:
        client.revoke(token=(token or tokens.access_token).get_secret_value())
    except ReelforgeError as exc:
        log.warning("revoking a %s grant failed: %s", platform, exc.code)
        return Disconnected(
            False,
            f"Disconnected and the tokens deleted, but {platform} did not confirm the revoke "
            f"({exc.message}). Remove reelforge in your {platform} account's app settings too.",
        )
    finally:
        client.close()
    return Disconnected(True, f"Disconnected; {platform} revoked reelforge's access.")


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
