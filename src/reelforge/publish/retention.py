"""Retention of uploaded images (promise P17), run hourly by the worker.

* An image that was posted is deleted ``upload_retention_posted_days`` (7, and
  never more) after the post went out — the platform has its own copy by then
  (kept longer only while another post that has not gone out yet uses it).
* An image never posted is deleted ``upload_retention_unposted_days`` (default
  30) after it was uploaded, unless a post that has not gone out yet (scheduled,
  queued, publishing) still needs it.

The file goes first, then the row (with its carousel links); the post history
keeps the post itself and its image count (P18). Each sweep writes one
``retention_sweeps`` row saying what it removed, so an operator can show that
the promise is kept. Authorize links that expired unused are removed on the way.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from reelforge.accounts import vault
from reelforge.clock import utc_now
from reelforge.connections.service import VERIFIER_KIND
from reelforge.connections.tables import OAuthState
from reelforge.deps import Deps
from reelforge.publish.post_ledger import IN_FLIGHT
from reelforge.publish.tables import Post, PostImage, RetentionSweep, Upload

log = logging.getLogger(__name__)
BATCH = 500


@dataclass(frozen=True)
class SweepResult:
    posted_removed: int
    unposted_removed: int
    bytes_freed: int
    upload_ids: tuple[str, ...]


def _expired(db: Session, deps: Deps, now: datetime) -> tuple[list[Upload], list[Upload]]:
    settings = deps.settings
    posted_cutoff = now - timedelta(days=settings.upload_retention_posted_days)
    unposted_cutoff = now - timedelta(days=settings.upload_retention_unposted_days)
    waiting = exists().where(
        PostImage.upload_id == Upload.id,
        PostImage.post_id == Post.id,
        Post.status.in_((*IN_FLIGHT, "scheduled")),
    )
    posted = db.scalars(
        select(Upload).where(Upload.posted_at <= posted_cutoff, ~waiting).limit(BATCH)
    ).all()
    unposted = db.scalars(
        select(Upload)
        .where(Upload.posted_at.is_(None), Upload.created_at <= unposted_cutoff, ~waiting)
        .limit(BATCH)
    ).all()
    return list(posted), list(unposted)


def _forget_abandoned_links(db: Session, now: datetime) -> None:
    """Authorize links nobody came back from: their state and PKCE verifier go too."""
    stale = db.scalars(select(OAuthState).where(OAuthState.expires_at < now).limit(BATCH)).all()
    for row in stale:
        vault.delete_secret(db, owner_id=row.owner_id, kind=VERIFIER_KIND, name=row.id)
        db.delete(row)


def sweep(deps: Deps, *, now: datetime | None = None) -> SweepResult:
    """Delete every expired upload (file, then row) and record the sweep."""
    now = now or utc_now()
    with deps.database.session() as db:
        posted, unposted = _expired(db, deps, now)
        removed: list[str] = []
        freed = 0
        for row in (*posted, *unposted):
            deps.blobs.delete(row.blob_key)
            freed += row.size_bytes
            removed.append(row.id)
            db.delete(row)
        db.add(
            RetentionSweep(
                ran_at=now,
                posted_removed=len(posted),
                unposted_removed=len(unposted),
                bytes_freed=freed,
                upload_ids=removed,
                details={
                    "posted_days": deps.settings.upload_retention_posted_days,
                    "unposted_days": deps.settings.upload_retention_unposted_days,
                },
            )
        )
        _forget_abandoned_links(db, now)
    if removed:
        log.info("retention: removed %d uploaded image(s)", len(removed))
    return SweepResult(len(posted), len(unposted), freed, tuple(removed))
