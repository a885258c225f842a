"""Videos: make one from a topic, follow it, download its files, edit and re-render, delete."""

from __future__ import annotations

from fastapi import APIRouter, Path, Query, Request, Response, status
from fastapi.responses import StreamingResponse

from reelforge.store.blobs import BlobStore
from reelforge.videos import service as videos
from reelforge.videos.tables import Video
from reelforge.web.api.bodies.jobs import JobOut
from reelforge.web.api.bodies.videos import ScriptUpdate, VideoAndJob, VideoCreate, VideoOut
from reelforge.web.deps import DbDep, PrincipalDep, RuntimeDep, SettingsDep
from reelforge.web.ranges import ranged_response

router = APIRouter(prefix="/videos", tags=["videos"])
VideoId = Path(max_length=64)


def _out(video: Video, blobs: BlobStore) -> VideoOut:
    # The thumbnail is served at files/thumbnail but not listed yet: `reelforge make` on a
    # server downloads every listed file by a fixed table of suffixes.
    present = [n for n in videos.present_files(blobs, video) if n in videos.DOWNLOADS]
    return VideoOut.of(video, files=present)


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=VideoAndJob,
    summary="Make a video from a topic (a background job renders it)",
)
def create_video(
    body: VideoCreate,
    principal: PrincipalDep,
    db: DbDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
) -> VideoAndJob:
    video, job = videos.start_video(
        db,
        settings,
        runtime.queue,
        owner_id=principal.user_id,
        topic=body.topic,
        options=body.options,
    )
    return VideoAndJob(video=VideoOut.of(video, files=[]), job=JobOut.of(job))


@router.get("", response_model=list[VideoOut], summary="Your videos, newest first")
def list_videos(
    principal: PrincipalDep,
    db: DbDep,
    runtime: RuntimeDep,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> list[VideoOut]:
    rows = videos.list_videos(db, owner_id=principal.user_id, limit=limit, offset=offset)
    return [_out(v, runtime.blobs) for v in rows]


@router.get("/{video_id}", response_model=VideoOut, summary="One video: script, status, files")
def get_video(
    principal: PrincipalDep, db: DbDep, runtime: RuntimeDep, video_id: str = VideoId
) -> VideoOut:
    return _out(videos.get_video(db, owner_id=principal.user_id, video_id=video_id), runtime.blobs)


@router.get(
    "/{video_id}/files/{name}",
    summary="Download a rendered file (mp4, srt, ass, credits, thumbnail); supports Range requests",
    response_class=StreamingResponse,
)
def get_file(
    request: Request,
    principal: PrincipalDep,
    db: DbDep,
    runtime: RuntimeDep,
    video_id: str = VideoId,
    name: str = Path(max_length=16),
) -> Response:
    video = videos.get_video(db, owner_id=principal.user_id, video_id=video_id)
    key = videos.file_key(video, name)
    return ranged_response(
        runtime.blobs,
        key,
        range_header=request.headers.get("range"),
        content_type=videos.CONTENT_TYPES[name],
        filename=f"{video.id}-{videos.FILE_NAMES[name]}",
    )


@router.put(
    "/{video_id}/script",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=VideoAndJob,
    summary="Replace the script and re-render (unchanged scenes are reused)",
)
def put_script(
    body: ScriptUpdate,
    principal: PrincipalDep,
    db: DbDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    video_id: str = VideoId,
) -> VideoAndJob:
    video, job = videos.start_rerender(
        db,
        settings,
        runtime.queue,
        owner_id=principal.user_id,
        video_id=video_id,
        script=body.script,
    )
    return VideoAndJob(video=VideoOut.of(video, files=[]), job=JobOut.of(job))


@router.delete(
    "/{video_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a video and its files"
)
def delete_video(
    principal: PrincipalDep,
    db: DbDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    video_id: str = VideoId,
) -> Response:
    videos.delete_video(db, settings, runtime.blobs, owner_id=principal.user_id, video_id=video_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
