"""Uploads for posting: carousel images (checked by content, re-encoded ≤ 1080p JPEG) and
finished MP4 files (become a ready video the user can post).

Images live in the blob store under ``users/<owner>/uploads/<id>.jpg`` and are
removed by the retention sweep (P17); the re-encode also drops EXIF, so a
phone's GPS position never leaves the machine. An uploaded MP4 becomes a row in
``videos`` with status ``ready`` and its file where a rendered video's would
be, so posting, downloading and deleting it work the same as for renders.
"""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePath

from sqlalchemy import select
from sqlalchemy.orm import Session

from reelforge.accounts import usage
from reelforge.av.ffmpeg import probe
from reelforge.config import Settings
from reelforge.errors import InputError, NotFound, RenderError
from reelforge.publish.images import max_image_bytes, prepare_image
from reelforge.publish.post_ledger import IN_FLIGHT
from reelforge.publish.tables import Post, PostImage, Upload
from reelforge.store.blobs import BlobStore, owner_prefix
from reelforge.store.orm import new_id
from reelforge.videos import service as videos
from reelforge.videos.tables import Video

VIDEO_BRANDS = b"ftyp"  # ISO base media (MP4/MOV): bytes 4..8 of the file


def display_name(name: str | None, default: str) -> str:
    """The file's base name, without any path the client sent, for display only."""
    base = PurePath((name or "").replace("\\", "/")).name.strip()
    return (base or default)[:200]


def upload_key(owner_id: str, upload_id: str) -> str:
    return f"{owner_prefix(owner_id)}uploads/{upload_id}.jpg"


def max_video_bytes(settings: Settings) -> int:
    return int(settings.upload_max_video_mb * 1_000_000)


def add_images(
    db: Session,
    blobs: BlobStore,
    settings: Settings,
    *,
    owner_id: str,
    files: list[tuple[str, bytes]],
) -> list[Upload]:
    """Check every image first (all or nothing), then store each as a JPEG."""
    if not files:
        raise InputError("Send at least one image (multipart field 'files').")
    if len(files) > settings.upload_max_images:
        raise InputError(f"Send at most {settings.upload_max_images} images at once.")
    limit = max_image_bytes(settings)
    rows: list[Upload] = []
    with tempfile.TemporaryDirectory(prefix="reelforge-upload-") as tmp:
        prepared = []
        for index, (name, data) in enumerate(files, start=1):
            label = f"image {index} ({display_name(name, 'unnamed')})"
            upload_id = new_id()
            image = prepare_image(data, Path(tmp) / f"{upload_id}.jpg", name=label, max_bytes=limit)
            prepared.append((upload_id, display_name(name, f"image-{index}.jpg"), image))
        adding = sum(image.path.stat().st_size for _, _, image in prepared)
        usage.check_storage(db, settings, blobs, owner_id=owner_id, adding=adding)
        for upload_id, name, image in prepared:
            key = upload_key(owner_id, upload_id)
            blobs.put_file(key, image.path, content_type="image/jpeg")
            row = Upload(
                id=upload_id,
                owner_id=owner_id,
                blob_key=key,
                name=name,
                sha256=image.sha256,
                width=image.width,
                height=image.height,
                size_bytes=image.size_bytes,
                source_format=image.source_format,
            )
            db.add(row)
            rows.append(row)
    db.flush()
    return rows


def list_uploads(db: Session, *, owner_id: str, limit: int = 50, offset: int = 0) -> list[Upload]:
    query = select(Upload).where(Upload.owner_id == owner_id).order_by(Upload.created_at.desc())
    return list(db.scalars(query.limit(limit).offset(offset)))


def get_upload(db: Session, *, owner_id: str, upload_id: str) -> Upload:
    row = db.scalar(select(Upload).where(Upload.id == upload_id, Upload.owner_id == owner_id))
    if row is None:
        raise NotFound("No such upload (it may belong to another account, or was deleted).")
    return row


def get_uploads(db: Session, *, owner_id: str, upload_ids: list[str]) -> list[Upload]:
    """The owner's uploads in the order asked; NotFound names none of the others'."""
    if len(set(upload_ids)) != len(upload_ids):
        raise InputError("Each image may appear once in a post.")
    found = {
        u.id: u
        for u in db.scalars(
            select(Upload).where(Upload.owner_id == owner_id, Upload.id.in_(upload_ids))
        )
    }
    missing = [i for i in upload_ids if i not in found]
    if missing:
        raise NotFound(
            f"{len(missing)} of the images are not among your uploads (deleted, or never "
            "uploaded); upload them with POST /api/v1/uploads."
        )
    return [found[i] for i in upload_ids]


def delete_upload(db: Session, blobs: BlobStore, *, owner_id: str, upload_id: str) -> None:
    """Remove the image now, unless a post still waiting to go out needs it."""
    row = get_upload(db, owner_id=owner_id, upload_id=upload_id)
    waiting = db.scalar(
        select(Post.id)
        .join(PostImage, PostImage.post_id == Post.id)
        .where(
            PostImage.upload_id == row.id,
            Post.owner_id == owner_id,
            Post.status.in_((*IN_FLIGHT, "scheduled")),
        )
        .limit(1)
    )
    if waiting is not None:
        raise InputError(
            f"This image belongs to post {waiting}, which has not gone out yet; cancel that "
            "post first."
        )
    blobs.delete(row.blob_key)
    db.delete(row)
    db.flush()


def add_video(
    db: Session,
    blobs: BlobStore,
    settings: Settings,
    *,
    owner_id: str,
    name: str | None,
    path: Path,
) -> Video:
    """A finished MP4 from the user's machine → a ready video row with its file stored."""
    size = path.stat().st_size
    if size == 0:
        raise InputError("The video file is empty.")
    if size > max_video_bytes(settings):
        raise InputError(
            f"The video is {size / 1e6:.0f} MB; uploads may be at most "
            f"{settings.upload_max_video_mb:g} MB (REELFORGE_UPLOAD_MAX_VIDEO_MB)."
        )
    with path.open("rb") as fh:
        head = fh.read(12)
    if head[4:8] != VIDEO_BRANDS:
        raise InputError("That is not an MP4 file (checked by its content). Export MP4 (H.264).")
    try:
        info = probe(path, exe=settings.ffmpeg)
    except RenderError as exc:
        raise InputError("The MP4 file cannot be read; export it again (H.264/AAC).") from exc
    if not info.width or info.duration <= 0:
        raise InputError("The MP4 file has no video picture in it.")
    usage.check_storage(db, settings, blobs, owner_id=owner_id, adding=size)
    label = display_name(name, "upload.mp4")
    video = Video(
        owner_id=owner_id,
        topic=f"Uploaded file {label}",
        title=PurePath(label).stem[:300] or "Uploaded video",
        status="ready",
        options={},
    )
    db.add(video)
    db.flush()
    video.blob_prefix = videos.blob_prefix(owner_id, video.id)
    blobs.put_file(videos.file_key(video, "mp4"), path, content_type="video/mp4")
    return video
