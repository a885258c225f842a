"""The video table: one row per video a user asked for, with its options, script and files."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from reelforge.clock import utc_now
from reelforge.store.orm import Base, IdStr, UTCDateTime, created_column, new_id, owner_column


class Video(Base):
    __tablename__ = "videos"

    id: Mapped[str] = mapped_column(IdStr, primary_key=True, default=new_id)
    owner_id: Mapped[str] = owner_column()
    topic: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(32), default="queued")
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    script: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    blob_prefix: Mapped[str | None] = mapped_column(String(300))  # users/<owner>/videos/<id>/
    created_at: Mapped[datetime] = created_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
