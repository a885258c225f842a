"""Store fetched or imported videos: upsert by platform video id, one stat snapshot each.

Why upsert and a fixed ``captured_at``: a refresh can be retried after a
429 or a dead worker, and an import can be run twice. Upserting by (creator,
platform video id) means a video is stored once whatever happens; a snapshot
is unique on (video, captured_at), and a refresh job fixes its
``captured_at`` when it is queued, so a retried job adds no second snapshot.

Only the public fields of :class:`VideoStats` are written (promise P14).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reelforge.clock import utc_now
from reelforge.providers.types.research import VideoStats
from reelforge.research.tables import ResearchVideo, VideoSnapshot
from reelforge.research.workspace import bump

CHUNK = 500
ID_MAX = 128


@dataclass
class Upserted:
    new: int = 0
    updated: int = 0
    snapshots: int = 0
    skipped: int = 0  # ids too long to be real platform ids

    def add(self, other: Upserted) -> None:
        self.new += other.new
        self.updated += other.updated
        self.snapshots += other.snapshots
        self.skipped += other.skipped


def public_fields(video: VideoStats) -> dict[str, Any]:
    """The stored columns of one video: its public metadata and nothing else (P14)."""
    return {
        "platform": video.platform,
        "platform_video_id": video.platform_video_id,
        "title": video.title,
        "description": video.description,
        "views": video.views,
        "likes": video.likes,
        "comments": video.comments,
        "shares": video.shares,
        "duration_s": video.duration_s,
        "published_at": video.published_at,
        "hashtags": " ".join(video.hashtags),
        "url": video.url,
    }


def upsert_videos(
    db: Session,
    *,
    owner_id: str,
    creator_id: str,
    videos: Sequence[VideoStats],
    captured_at: datetime | None = None,
) -> Upserted:
    """Insert new videos, update known ones, snapshot every one; bumps the workspace."""
    captured = captured_at or utc_now()
    total = Upserted()
    latest: dict[str, VideoStats] = {}
    for video in videos:  # a repeated id keeps its last occurrence
        if len(video.platform_video_id) > ID_MAX:
            total.skipped += 1
            continue
        latest[video.platform_video_id] = video
    unique = list(latest.values())
    for start in range(0, len(unique), CHUNK):
        total.add(_chunk(db, owner_id, creator_id, unique[start : start + CHUNK], captured))
    if unique:
        bump(db, owner_id=owner_id)
    return total


def _chunk(
    db: Session, owner_id: str, creator_id: str, videos: list[VideoStats], captured: datetime
) -> Upserted:
    done = Upserted()
    ids = [v.platform_video_id for v in videos]
    existing = {
        row.platform_video_id: row
        for row in db.scalars(
            select(ResearchVideo).where(
                ResearchVideo.owner_id == owner_id,
                ResearchVideo.creator_id == creator_id,
                ResearchVideo.platform_video_id.in_(ids),
            )
        )
    }
    now = utc_now()
    rows: list[tuple[ResearchVideo, VideoStats]] = []
    for video in videos:
        fields = public_fields(video)
        row = existing.get(video.platform_video_id)
        if row is None:
            row = ResearchVideo(
                owner_id=owner_id, creator_id=creator_id, first_seen_at=now, updated_at=now
            )
            for name, value in fields.items():
                setattr(row, name, value)
            db.add(row)
            done.new += 1
        else:
            for name, value in fields.items():
                setattr(row, name, value)
            row.updated_at = now
            done.updated += 1
        rows.append((row, video))
    db.flush()
    have = set(
        db.scalars(
            select(VideoSnapshot.video_id).where(
                VideoSnapshot.video_id.in_([row.id for row, _ in rows]),
                VideoSnapshot.captured_at == captured,
            )
        )
    )
    for row, video in rows:
        if row.id in have:
            continue
        db.add(
            VideoSnapshot(
                owner_id=owner_id,
                creator_id=creator_id,
                video_id=row.id,
                captured_at=captured,
                views=video.views,
                likes=video.likes,
                comments=video.comments,
                shares=video.shares,
            )
        )
        done.snapshots += 1
    db.flush()
    return done
