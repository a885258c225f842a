"""Uploads for posting: carousel images (multipart) and finished MP4 files."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path as FilePath
from typing import Annotated, BinaryIO
from uuid import UUID

from fastapi import APIRouter, File, Path, Query, Response, UploadFile, status

from reelforge.config import Settings
from reelforge.errors import InputError
from reelforge.publish import uploads
from reelforge.publish.images import max_image_bytes
from reelforge.publish.tables import Upload
from reelforge.videos.tables import Video
from reelforge.web.api.bodies.publishing import UploadOut
from reelforge.web.api.bodies.videos import VideoOut
from reelforge.web.deps import DbDep, PrincipalDep, RuntimeDep, SettingsDep

router = APIRouter(prefix="/uploads", tags=["uploads"])
UploadId = Path(description="An upload id")  # ":uuid": /uploads/videos is not one
CHUNK = 1024 * 1024


def _out(row: Upload, settings: Settings) -> UploadOut:
    return UploadOut.of(
        row,
        posted_days=settings.upload_retention_posted_days,
        unposted_days=settings.upload_retention_unposted_days,
    )


def _read_limited(source: BinaryIO, limit: int, name: str) -> bytes:
    data = source.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"{name} is larger than {limit / 1e6:.0f} MB; send a smaller file.")
    return data


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=list[UploadOut],
    summary="Upload carousel images (JPEG, PNG or WebP by content; stored as ≤ 1080p JPEG)",
)
def upload_images(
    principal: PrincipalDep,
    db: DbDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    files: Annotated[list[UploadFile], File(description="One or more images, in order.")],
) -> list[UploadOut]:
    limit = max_image_bytes(settings)
    if len(files) > settings.upload_max_images:
        raise InputError(f"Send at most {settings.upload_max_images} images at once.")
    received = [
        (f.filename or "", _read_limited(f.file, limit, f.filename or "an image")) for f in files
    ]
    rows = uploads.add_images(
        db, runtime.blobs, settings, owner_id=principal.user_id, files=received
    )
    return [_out(r, settings) for r in rows]


@router.get("", response_model=list[UploadOut], summary="Your uploaded images, newest first")
def list_uploads(
    principal: PrincipalDep,
    db: DbDep,
    settings: SettingsDep,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> list[UploadOut]:
    rows = uploads.list_uploads(db, owner_id=principal.user_id, limit=limit, offset=offset)
    return [_out(r, settings) for r in rows]


@router.delete(
    "/{upload_id:uuid}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete an image now"
)
def delete_upload(
    principal: PrincipalDep, db: DbDep, runtime: RuntimeDep, upload_id: UUID = UploadId
) -> Response:
    uploads.delete_upload(db, runtime.blobs, owner_id=principal.user_id, upload_id=str(upload_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/videos",
    status_code=status.HTTP_201_CREATED,
    response_model=VideoOut,
    summary="Upload a finished MP4; it becomes a ready video you can post",
)
def upload_video(
    principal: PrincipalDep,
    db: DbDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="An MP4 (H.264) file.")],
) -> VideoOut:
    limit = uploads.max_video_bytes(settings)
    with tempfile.TemporaryDirectory(prefix="reelforge-video-") as tmp:
        path = FilePath(tmp) / "upload.mp4"
        with path.open("wb") as out:
            shutil.copyfileobj(file.file, out, CHUNK)
        if path.stat().st_size > limit:
            raise InputError(
                f"The video is larger than {settings.upload_max_video_mb:g} MB "
                "(REELFORGE_UPLOAD_MAX_VIDEO_MB)."
            )
        video: Video = uploads.add_video(
            db, runtime.blobs, settings, owner_id=principal.user_id, name=file.filename, path=path
        )
    return VideoOut.of(video, files=["mp4"])
