"""Stored videos: the service behind the API's /videos (every query scoped by owner).

A video row holds the topic, options, script and status; its files live in the
blob store under ``users/<owner>/videos/<id>/``; its work directory (the
pipeline's content-addressed cache) under ``$REELFORGE_HOME/work/<owner>/<id>``,
so a script edit re-renders only what changed.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reelforge.accounts import usage
from reelforge.config import Settings
from reelforge.errors import InputError, NotFound
from reelforge.jobs import records
from reelforge.jobs.tables import Job
from reelforge.store.blobs import BlobStore, owner_prefix
from reelforge.studio.models import parse_script
from reelforge.studio.options import MakeOptions
from reelforge.studio.write import validate_topic
from reelforge.videos.tables import Video

FILE_NAMES = {"mp4": "video.mp4", "srt": "video.srt", "ass": "video.ass", "credits": "credits.txt"}
CONTENT_TYPES = {
    "mp4": "video/mp4",
    "srt": "application/x-subrip; charset=utf-8",
    "ass": "text/x-ssa; charset=utf-8",
    "credits": "text/plain; charset=utf-8",
}


def blob_prefix(owner_id: str, video_id: str) -> str:
    return f"{owner_prefix(owner_id)}videos/{video_id}/"


def work_dir(settings: Settings, owner_id: str, video_id: str) -> Path:
    return settings.home / "work" / owner_id / video_id


def parse_options(settings: Settings, raw: dict[str, Any] | None) -> MakeOptions:
    """Options from an API body: server defaults, then the caller's choices."""
    raw = dict(raw or {})
    if "music" in raw:
        raise InputError("options.music is not accepted over the API yet; render without music.")
    try:
        return MakeOptions.from_settings(settings, **raw)
    except TypeError as exc:
        raise InputError(f"Invalid options: {exc}") from exc


def create_video(
    db: Session, settings: Settings, *, owner_id: str, topic: str, options: dict[str, Any] | None
) -> tuple[Video, Job]:
    topic = validate_topic(topic)
    parsed = parse_options(settings, options)
    usage.check_limit(db, settings, owner_id=owner_id, metric="jobs")
    usage.check_limit(db, settings, owner_id=owner_id, metric="renders")
    video = Video(
        owner_id=owner_id,
        topic=topic,
        status="queued",
        options=parsed.model_dump(mode="json", exclude_none=True),
    )
    db.add(video)
    db.flush()
    video.blob_prefix = blob_prefix(owner_id, video.id)
    job = records.create_job(
        db, owner_id=owner_id, kind="video", payload={"video_id": video.id}, video_id=video.id
    )
    usage.record(db, settings, owner_id=owner_id, metric="jobs")
    return video, job


def get_video(db: Session, *, owner_id: str, video_id: str) -> Video:
    video = db.scalar(select(Video).where(Video.id == video_id, Video.owner_id == owner_id))
    if video is None:
        raise NotFound("No such video (it may belong to another account, or was deleted).")
    return video


def list_videos(db: Session, *, owner_id: str, limit: int = 50, offset: int = 0) -> list[Video]:
    query = select(Video).where(Video.owner_id == owner_id).order_by(Video.created_at.desc())
    return list(db.scalars(query.limit(limit).offset(offset)))


def latest_job(db: Session, *, owner_id: str, video_id: str) -> Job | None:
    return db.scalar(
        select(Job)
        .where(Job.owner_id == owner_id, Job.video_id == video_id)
        .order_by(Job.created_at.desc())
        .limit(1)
    )


def update_script(
    db: Session, settings: Settings, *, owner_id: str, video_id: str, script: dict[str, Any]
) -> tuple[Video, Job]:
    """Replace the script and queue a re-render (which reuses every unchanged scene)."""
    video = get_video(db, owner_id=owner_id, video_id=video_id)
    running = latest_job(db, owner_id=owner_id, video_id=video_id)
    if running is not None and running.state in records.ACTIVE:
        raise InputError("This video is still rendering; cancel its job or wait, then edit it.")
    parsed = parse_script(
        {**script, "topic": script.get("topic", video.topic)}, source="The script"
    )
    usage.check_limit(db, settings, owner_id=owner_id, metric="renders")
    video.script = parsed.model_dump(mode="json")
    video.title = parsed.title
    video.status = "queued"
    job = records.create_job(
        db, owner_id=owner_id, kind="video", payload={"video_id": video.id}, video_id=video.id
    )
    usage.record(db, settings, owner_id=owner_id, metric="jobs")
    return video, job


def delete_video(
    db: Session, settings: Settings, blobs: BlobStore, *, owner_id: str, video_id: str
) -> None:
    """Rows (the video and its jobs, by cascade), stored files and the work directory."""
    video = get_video(db, owner_id=owner_id, video_id=video_id)
    for job in db.scalars(select(Job).where(Job.video_id == video_id, Job.owner_id == owner_id)):
        job.cancel_requested = True
    db.delete(video)
    db.flush()
    blobs.delete_prefix(blob_prefix(owner_id, video_id))
    shutil.rmtree(work_dir(settings, owner_id, video_id), ignore_errors=True)


def file_key(video: Video, name: str) -> str:
    if name not in FILE_NAMES:
        raise NotFound(f"No file {name!r}; a video has: {', '.join(FILE_NAMES)}.")
    return blob_prefix(video.owner_id, video.id) + FILE_NAMES[name]
