"""Connection tables: a connected platform account (open id, name, avatar — P11) and the
short-lived OAuth hand-off (state and PKCE verifier) between authorize and callback."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from reelforge.clock import utc_now
from reelforge.store.orm import (
    Base,
    IdStr,
    UTCDateTime,
    created_column,
    new_id,
    owner_column,
)


class PlatformConnection(Base):
    """A connected TikTok account, YouTube channel, or the outbox folder."""

    __tablename__ = "connections"
    __table_args__ = (UniqueConstraint("owner_id", "platform", "account_key"),)

    id: Mapped[str] = mapped_column(IdStr, primary_key=True, default=new_id)
    owner_id: Mapped[str] = owner_column()
    platform: Mapped[str] = mapped_column(String(16))  # a registered platform's name
    # What makes a connection unique per owner: the platform's account key (ConnectedAccount.key).
    account_key: Mapped[str] = mapped_column(String(128))
    open_id: Mapped[str | None] = mapped_column(String(128))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    avatar_url: Mapped[str] = mapped_column(String(1000), default="")
    scopes: Mapped[str] = mapped_column(String(500), default="")  # comma list granted
    needs_reconsent: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = created_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)


class OAuthState(Base):
    """An authorize link in flight: the state's hash, whose it is, until when."""

    __tablename__ = "oauth_states"

    id: Mapped[str] = mapped_column(IdStr, primary_key=True, default=new_id)
    owner_id: Mapped[str] = owner_column()
    platform: Mapped[str] = mapped_column(String(16))
    state_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 hex of state
    session_id: Mapped[str | None] = mapped_column(String(36))  # cookie session that asked
    redirect_uri: Mapped[str] = mapped_column(String(600))
    created_at: Mapped[datetime] = created_column()
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
