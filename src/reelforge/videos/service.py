"""Stored videos: the service behind the API's /videos and the dashboard's video pages
(every query scoped by owner).

A video row holds the topic, options, script and status; its files live in the
blob store under ``users/<owner>/videos/<id>/``; its work directory (the
pipeline's content-addressed cache) under ``$REELFORGE_HOME/work/<owner>/<id>``,
so a script edit re-renders only what changed.

Choices that are not studio options travel in the video's options under their
own keys, read (and removed) by the render job before it builds
:class:`MakeOptions`: ``use_dna`` (False: write without the owner's Content DNA)
and ``music_blob`` (an uploaded music file kept beside the video's files). The
API's ``options`` cannot set them — :func:`parse_options` accepts studio options
only — so a caller can never point a render at someone else's file.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reelforge.accounts import usage
from reelforge.av.ffmpeg import probe
from reelforge.config import Settings
from reelforge.errors import InputError, NotFound, ReelforgeError
from reelforge.jobs import records
from reelforge.jobs.context import Enqueuer
from reelforge.jobs.tables import Job
from reelforge.store.blobs import BlobStore, owner_prefix
from reelforge.studio.models import parse_script
from reelforge.studio.options import MakeOptions
from reelforge.studio.write import validate_topic
from reelforge.videos.report import REPORT_NAME, RenderReport
from reelforge.videos.tables import Video

FILE_NAMES = {
    "mp4": "video.mp4",
    "srt": "video.srt",
    "ass": "video.ass",
    "credits": "credits.txt",
    "thumbnail": "thumbnail.jpg",
}
CONTENT_TYPES = {
    "mp4": "video/mp4",
    "srt": "application/x-subrip; charset=utf-8",
    "ass": "text/x-ssa; charset=utf-8",
    "credits": "text/plain; charset=utf-8",
    "thumbnail": "image/jpeg",
}
#: The files a person downloads (the thumbnail is for showing the video).
DOWNLOADS = ("mp4", "srt", "ass", "credits")
#: Keys of a video's options that are the service's, not the studio's (see above).
USE_DNA = "use_dna"
MUSIC_BLOB = "music_blob"
MUSIC_NAME = "music_name"
SERVICE_OPTIONS = (USE_DNA, MUSIC_BLOB, MUSIC_NAME)
MUSIC_TYPES = {
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".aac": "audio/aac",
    ".wav": "audio/wav",
    ".ogg": "audio/ogg",
    ".opus": "audio/ogg",
    ".flac": "audio/flac",
}
MUSIC_MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class MusicFile:
    """An uploaded music file waiting on disk to be checked and stored with its video."""

    path: Path
    filename: str


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


def check_music(settings: Settings, music: MusicFile) -> str:
    """The stored file's extension, once ``music`` is known to be a sound file of a fair size."""
    suffix = Path(music.filename).suffix.lower()
    if suffix not in MUSIC_TYPES:
        raise InputError(
            f"Music must be an audio file ({', '.join(MUSIC_TYPES)}); "
            f"{music.filename or 'that file'} is not one.",
            details={"field": "music"},
        )
    size = music.path.stat().st_size
    if size == 0 or size > MUSIC_MAX_BYTES:
        raise InputError(
            f"Music files may be up to {MUSIC_MAX_BYTES // (1024 * 1024)} MB and not empty; "
            "send a shorter or more compressed one.",
            details={"field": "music"},
        )
    try:
        has_audio = bool(probe(music.path, exe=settings.ffmpeg).audio_codec)
    except ReelforgeError:
        has_audio = False
    if not has_audio:
        raise InputError(
            f"{music.filename} has no sound that can be read; send an MP3, M4A, WAV, OGG "
            "or FLAC file.",
            details={"field": "music"},
        )
    return suffix


def create_video(
    db: Session,
    settings: Settings,
    *,
    owner_id: str,
    topic: str,
    options: dict[str, Any] | None,
    use_dna: bool = True,
    music: MusicFile | None = None,
    blobs: BlobStore | None = None,
) -> tuple[Video, Job]:
    """The video row and its render job (queued by the caller once committed).

    ``use_dna`` False writes the script without the owner's Content DNA; ``music``
    is stored in ``blobs`` beside the video's files and mixed under the voice."""
    topic = validate_topic(topic)
    parsed = parse_options(settings, options)
    suffix = check_music(settings, music) if music is not None else None
    usage.check_limit(db, settings, owner_id=owner_id, metric="jobs")
    usage.check_limit(db, settings, owner_id=owner_id, metric="renders")
    stored = parsed.model_dump(mode="json", exclude_none=True)
    if not use_dna:
        stored[USE_DNA] = False
    video = Video(owner_id=owner_id, topic=topic, status="queued", options=stored)
    db.add(video)
    db.flush()
    video.blob_prefix = blob_prefix(owner_id, video.id)
    if music is not None and suffix is not None:
        if blobs is None:
            raise ValueError("create_video needs the blob store to keep a music file")
        key = video.blob_prefix + "music" + suffix
        blobs.put_file(key, music.path, content_type=MUSIC_TYPES[suffix])
        stored.pop("music", None)  # the upload replaces the server's default music
        video.options = {**stored, MUSIC_BLOB: key, MUSIC_NAME: Path(music.filename).name[:200]}
    job = records.create_job(
        db, owner_id=owner_id, kind="video", payload={"video_id": video.id}, video_id=video.id
    )
    usage.record(db, settings, owner_id=owner_id, metric="jobs")
    return video, job


def start_video(
    db: Session,
    settings: Settings,
    queue: Enqueuer,
    *,
    owner_id: str,
    topic: str,
    options: dict[str, Any] | None,
    use_dna: bool = True,
    music: MusicFile | None = None,
    blobs: BlobStore | None = None,
) -> tuple[Video, Job]:
    """:func:`create_video`, committed, then handed to the worker (never run in the request)."""
    video, job = create_video(
        db,
        settings,
        owner_id=owner_id,
        topic=topic,
        options=options,
        use_dna=use_dna,
        music=music,
        blobs=blobs,
    )
    db.commit()  # the worker must see the rows before it hears of the job
    queue.enqueue(job.id)
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


def start_rerender(
    db: Session,
    settings: Settings,
    queue: Enqueuer,
    *,
    owner_id: str,
    video_id: str,
    script: dict[str, Any],
) -> tuple[Video, Job]:
    """:func:`update_script`, committed, then handed to the worker."""
    video, job = update_script(db, settings, owner_id=owner_id, video_id=video_id, script=script)
    db.commit()
    queue.enqueue(job.id)
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


def present_files(blobs: BlobStore, video: Video) -> list[str]:
    """Names (``mp4``, ``thumbnail``, …) of the files a finished video has in the store."""
    if video.status != "ready":
        return []
    return [n for n in FILE_NAMES if blobs.exists(file_key(video, n))]


def render_report(blobs: BlobStore, video: Video) -> RenderReport | None:
    """What the video's last finished render did (None before the first, or if unreadable)."""
    key = blob_prefix(video.owner_id, video.id) + REPORT_NAME
    if not blobs.exists(key):
        return None
    try:
        return RenderReport.model_validate(json.loads(blobs.get_bytes(key)))
    except ValueError:
        return None


def read_text_file(blobs: BlobStore, video: Video, name: str, *, limit: int = 100_000) -> str:
    """A small text file of the video (its credits), "" when it has none."""
    key = file_key(video, name)
    if not blobs.exists(key) or blobs.size(key) > limit:
        return ""
    return blobs.get_bytes(key).decode("utf-8", errors="replace")
