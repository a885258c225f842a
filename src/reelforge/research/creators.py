"""Creators in a user's workspace: add, list, find, remove — every query scoped by owner.

A creator is a public account the user learns from. ``source`` says where its
videos come from: a research source (an official API such as the YouTube Data
API, or TikTok's Display API for the user's own connected account; each says
which platform it reads) or files the user imports (``import``). reelforge
never scrapes websites.

Removing a creator deletes its videos and their stat snapshots in the same
transaction (promise P15) and bumps the workspace generation, so no analytics
snapshot that still holds them can be read again; the caller drops the
snapshot files after committing (:func:`reelforge.research.workspace.drop_snapshots`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from reelforge.accounts import usage
from reelforge.config import Settings
from reelforge.errors import InputError, NotFound
from reelforge.jobs.records import ACTIVE, request_cancel
from reelforge.jobs.tables import Job
from reelforge.providers.research import sources
from reelforge.providers.types.research import CreatorRef
from reelforge.research.tables import Creator, ResearchVideo, VideoSnapshot
from reelforge.research.workspace import bump

#: The source of creators whose videos come from files the user imports.
IMPORT = "import"
HANDLE_MAX = 100
REFRESH_KIND = "creator_refresh"


def label(creator: Creator) -> str:
    """How a creator is shown: ``@handle``, else the channel id."""
    return f"@{creator.handle}" if creator.handle else str(creator.platform_id or creator.id)


def ref_of(creator: Creator) -> CreatorRef:
    return CreatorRef(
        platform=creator.platform,
        handle=creator.handle,
        platform_id=creator.platform_id,
    )


def lookup_of(ref: CreatorRef) -> str:
    return (ref.handle or "").lower() or str(ref.platform_id)


def sources_for(platform: str) -> tuple[str, ...]:
    """The sources that can read ``platform``'s creators, the default first: those that
    read any public creator, then those that read only the user's own videos, then
    file imports."""
    readers = [(name, cls) for name, cls in sources().items() if cls.platform == platform]
    readers.sort(key=lambda nc: not nc[1].reads_any_creator)  # stable: registry order kept
    return (*(name for name, _ in readers), IMPORT)


def check_source(platform: str, source: str | None) -> str:
    allowed = sources_for(platform)
    if source is None:
        return allowed[0]
    if source not in allowed:
        raise InputError(
            f"A {platform} creator cannot be read from {source!r}; use one of: "
            f"{', '.join(allowed)}.",
            details={"field": "source"},
        )
    return source


def find_creator(db: Session, *, owner_id: str, ref: CreatorRef) -> Creator | None:
    """The owner's creator that ``ref`` names (handle case-insensitively, or channel id)."""
    matches = []
    if ref.handle:
        matches.append(Creator.lookup == ref.handle.lower())
        matches.append(func.lower(Creator.handle) == ref.handle.lower())
    if ref.platform_id:
        matches.append(Creator.platform_id == ref.platform_id)
        matches.append(Creator.lookup == ref.platform_id)
    query = select(Creator).where(
        Creator.owner_id == owner_id, Creator.platform == ref.platform, or_(*matches)
    )
    return db.scalars(query.order_by(Creator.created_at).limit(1)).first()


def add_creator(
    db: Session,
    settings: Settings,
    *,
    owner_id: str,
    platform: str,
    handle: str,
    source: str | None = None,
) -> tuple[Creator, bool]:
    """Add a creator (or return the one already there); True when it is new."""
    ref = CreatorRef.parse(platform, handle)
    if len(ref.handle or ref.platform_id or "") > HANDLE_MAX:
        raise InputError(f"That handle is longer than {HANDLE_MAX} characters.")
    chosen = check_source(ref.platform, source)
    existing = find_creator(db, owner_id=owner_id, ref=ref)
    if existing is not None:
        return existing, False
    return create_creator(db, settings, owner_id=owner_id, ref=ref, source=chosen), True


def create_creator(
    db: Session, settings: Settings, *, owner_id: str, ref: CreatorRef, source: str
) -> Creator:
    """A new creator in the workspace, within the plan's ``creators`` total."""
    tracked = db.scalar(
        select(func.count()).select_from(Creator).where(Creator.owner_id == owner_id)
    )
    usage.check_total(db, settings, owner_id=owner_id, metric="creators", current=tracked or 0)
    creator = Creator(
        owner_id=owner_id,
        platform=ref.platform,
        handle=ref.handle,
        platform_id=ref.platform_id,
        lookup=lookup_of(ref),
        source=source,
    )
    db.add(creator)
    db.flush()
    return creator


def get_creator(db: Session, *, owner_id: str, creator_id: str) -> Creator:
    creator = db.scalar(
        select(Creator).where(Creator.id == creator_id, Creator.owner_id == owner_id)
    )
    if creator is None:
        raise NotFound("No such creator in your workspace (it may have been removed).")
    return creator


def list_creators(db: Session, *, owner_id: str) -> list[Creator]:
    query = select(Creator).where(Creator.owner_id == owner_id).order_by(Creator.created_at)
    return list(db.scalars(query))


@dataclass(frozen=True)
class VideoCount:
    videos: int
    last_published: datetime | None


def video_counts(db: Session, *, owner_id: str) -> dict[str, VideoCount]:
    """Per creator id: stored videos and the newest publish time."""
    rows = db.execute(
        select(ResearchVideo.creator_id, func.count(), func.max(ResearchVideo.published_at))
        .where(ResearchVideo.owner_id == owner_id)
        .group_by(ResearchVideo.creator_id)
    )
    return {cid: VideoCount(int(n), last) for cid, n, last in rows}


def labels(db: Session, *, owner_id: str) -> dict[str, str]:
    """creator id -> label, for reports keyed by creator id."""
    rows = db.execute(
        select(Creator.id, Creator.handle, Creator.platform_id, Creator.platform).where(
            Creator.owner_id == owner_id
        )
    )
    return {
        cid: (f"@{handle}" if handle else str(pid or cid)) + f" ({platform})"
        for cid, handle, pid, platform in rows
    }


def delete_creator(db: Session, *, owner_id: str, creator_id: str) -> None:
    """Remove the creator, all its videos and snapshots, and stop its refresh jobs (P15)."""
    get_creator(db, owner_id=owner_id, creator_id=creator_id)
    owned = (VideoSnapshot.owner_id == owner_id, VideoSnapshot.creator_id == creator_id)
    db.execute(delete(VideoSnapshot).where(*owned))
    db.execute(
        delete(ResearchVideo).where(
            ResearchVideo.owner_id == owner_id, ResearchVideo.creator_id == creator_id
        )
    )
    db.execute(delete(Creator).where(Creator.owner_id == owner_id, Creator.id == creator_id))
    jobs = db.scalars(
        select(Job).where(Job.owner_id == owner_id, Job.kind == REFRESH_KIND, Job.state.in_(ACTIVE))
    ).all()
    for job in jobs:
        if job.payload.get("creator_id") == creator_id:
            request_cancel(db, owner_id=owner_id, job_id=job.id)
    bump(db, owner_id=owner_id)
