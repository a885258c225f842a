"""A usable access token for a publish job: refresh ahead of expiry, store the rotated refresh
token in the same transaction, flag re-consent when the grant is gone.

Why refresh under a row lock: refresh tokens may rotate (TikTok's do) — the
answer's refresh token replaces the old one, which dies. Two jobs refreshing the same
connection at once would each spend the same refresh token, and the loser
would see ``invalid_grant`` and wrongly flag the connection. The connection row
is locked (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's write transaction
already serialises writers) from reading the old token to storing the new one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from reelforge.clock import utc_now
from reelforge.connections.service import oauth_client, read_tokens, store_tokens
from reelforge.connections.tables import PlatformConnection
from reelforge.deps import Deps
from reelforge.errors import NotFound, ProviderError, ReconsentRequired


def _reconsent(platform: str, reason: str) -> ReconsentRequired:
    return ReconsentRequired(
        f"The {platform} connection needs to be approved again ({reason}). Connect {platform} "
        "again (reelforge connect, or Connect in the dashboard), then retry the post.",
        provider=platform,
        platform_code="needs_reconsent",
    )


def _flag_reconsent(deps: Deps, *, owner_id: str, connection_id: str) -> None:
    with deps.database.session() as db:
        row = db.get(PlatformConnection, connection_id)
        if row is not None and row.owner_id == owner_id:
            row.needs_reconsent = True


def access_token(
    deps: Deps,
    *,
    owner_id: str,
    connection_id: str,
    force: bool = False,
    now: datetime | None = None,
) -> str:
    """The connection's access token, refreshed first when it expires soon (or ``force``)."""
    now = now or utc_now()
    margin = deps.settings.publish_token_refresh_margin_s
    failure: ReconsentRequired | None = None
    with deps.database.session() as db:
        connection = db.scalar(
            select(PlatformConnection)
            .where(PlatformConnection.id == connection_id, PlatformConnection.owner_id == owner_id)
            .with_for_update()
        )
        if connection is None:
            raise NotFound("The account this post was for is no longer connected.")
        platform = connection.platform
        if connection.needs_reconsent:
            raise _reconsent(platform, "the last refresh was refused")
        tokens = read_tokens(db, deps, connection=connection)
        if tokens is None:
            raise _reconsent(platform, "no tokens are stored")
        if not force and not tokens.needs_refresh(now=now, margin_s=margin):
            return tokens.access_token.get_secret_value()
        if tokens.refresh_token is None or tokens.refresh_expired(now=now):
            failure = _reconsent(platform, "the authorisation expired")
        else:
            client = oauth_client(deps.settings, platform)
            try:
                fresh = client.refresh(
                    refresh_token=tokens.refresh_token.get_secret_value(), now=now
                )
            except ReconsentRequired as exc:
                failure = exc
            except ProviderError:
                if now < tokens.expires_at and not force:
                    return tokens.access_token.get_secret_value()  # still valid: use it
                raise
            finally:
                client.close()
            if failure is None:
                if fresh.refresh_token is None:  # not rotated: the old refresh token stays
                    fresh = fresh.model_copy(update={"refresh_token": tokens.refresh_token})
                store_tokens(db, deps, connection=connection, tokens=fresh)
                connection.scopes = ",".join(fresh.scopes or tokens.scopes)[:500]
                return fresh.access_token.get_secret_value()
    assert failure is not None
    _flag_reconsent(deps, owner_id=owner_id, connection_id=connection_id)
    raise failure
