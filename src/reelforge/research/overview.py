"""The creators of a workspace as a list shows them: counts, last refresh, running refresh.

Why one query set for the list: the dashboard's creators page (and its delete
confirmation, which says how many videos and stat snapshots go with a creator,
P15) needs per creator the stored videos, the snapshots, the newest publish
time and the refresh job that is queued or running, if any — four grouped
queries for the whole workspace instead of four per creator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reelforge.jobs.records import ACTIVE
from reelforge.jobs.tables import Job
from reelforge.research import creators
from reelforge.research.tables import Creator, VideoSnapshot


@dataclass(frozen=True)
class CreatorRow:
    creator: Creator
    label: str
    videos: int
    snapshots: int
    last_published: datetime | None
    job: Job | None  # the refresh queued or running now

    @property
    def from_files(self) -> bool:
        return self.creator.source == creators.IMPORT


def _snapshot_counts(db: Session, owner_id: str) -> dict[str, int]:
    rows = db.execute(
        select(VideoSnapshot.creator_id, func.count())
        .where(VideoSnapshot.owner_id == owner_id)
        .group_by(VideoSnapshot.creator_id)
    )
    return {cid: int(n) for cid, n in rows}


def active_refreshes(db: Session, *, owner_id: str) -> dict[str, Job]:
    """creator id -> its refresh job that is queued or running."""
    jobs = db.scalars(
        select(Job)
        .where(
            Job.owner_id == owner_id,
            Job.kind == creators.REFRESH_KIND,
            Job.state.in_(ACTIVE),
        )
        .order_by(Job.created_at)
    )
    return {str(job.payload.get("creator_id")): job for job in jobs}


def creator_rows(db: Session, *, owner_id: str) -> list[CreatorRow]:
    """Every creator of the workspace, oldest first, with its counts."""
    counts = creators.video_counts(db, owner_id=owner_id)
    snapshots = _snapshot_counts(db, owner_id)
    jobs = active_refreshes(db, owner_id=owner_id)
    rows = []
    for creator in creators.list_creators(db, owner_id=owner_id):
        count = counts.get(creator.id)
        rows.append(
            CreatorRow(
                creator=creator,
                label=creators.label(creator),
                videos=count.videos if count else 0,
                snapshots=snapshots.get(creator.id, 0),
                last_published=count.last_published if count else None,
                job=jobs.get(creator.id),
            )
        )
    return rows


def creator_row(db: Session, *, owner_id: str, creator_id: str) -> CreatorRow:
    """One creator with its counts; NotFound when it is not the owner's."""
    creators.get_creator(db, owner_id=owner_id, creator_id=creator_id)
    return next(r for r in creator_rows(db, owner_id=owner_id) if r.creator.id == creator_id)
