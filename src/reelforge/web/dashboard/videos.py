"""Videos on the dashboard: make one from a topic, follow it live, watch it, download its
files, delete it (editing the scenes and re-rendering: :mod:`.videos_edit`).

The same service as ``/api/v1/videos`` (:mod:`reelforge.videos.service`): a new
video and a re-render are queued for the worker exactly as the API queues
them, so a render survives a reload or a closed tab and the page picks up its
progress again from the job's events. Every lookup is scoped by the signed-in
owner, so another account's video or file answers the 404 page.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, Path, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from reelforge.errors import InputError, NotFound, QuotaExceeded
from reelforge.jobs import records
from reelforge.jobs.tables import Job
from reelforge.runtime import Runtime
from reelforge.studio.models import PRESETS
from reelforge.studio.options import slugify
from reelforge.videos import service as videos
from reelforge.videos.tables import Video
from reelforge.web.dashboard import videos_editor as editor
from reelforge.web.dashboard import videos_form as new_form
from reelforge.web.dashboard.templating import render
from reelforge.web.dashboard.viewer import ViewerDep
from reelforge.web.deps import DbDep, RuntimeDep
from reelforge.web.ranges import ranged_response

router = APIRouter()
VideoId = Path(max_length=64)
FileName = Path(max_length=16)

#: What a person reads for each downloadable file.
DOWNLOAD_LABELS = {
    "mp4": ("MP4 video", "mp4"),
    "srt": ("SRT subtitles", "srt"),
    "ass": ("ASS subtitles (styled)", "ass"),
    "credits": ("Credits (text)", "credits.txt"),
}
#: The studio's stages in the order a render reaches them (the job's event stage names).
STAGES = (
    ("write", "Writing the script"),
    ("voice", "Voicing the scenes"),
    ("media", "Finding the visuals"),
    ("segment", "Encoding the scenes"),
    ("join", "Joining scenes and sound"),
    ("done", "Storing the files"),
)


async def _form(request: Request) -> FormData:
    return await request.form()


FormDep = Annotated[FormData, Depends(_form)]


# --- the list -------------------------------------------------------------------


@router.get("/videos")
def list_page(
    request: Request, viewer: ViewerDep, db: DbDep, runtime: RuntimeDep, deleted: str = ""
) -> Response:
    rows = videos.list_videos(db, owner_id=viewer.user_id, limit=200)
    items = [
        {
            "video": v,
            "thumbnail": v.status == "ready"
            and runtime.blobs.exists(videos.file_key(v, "thumbnail")),
        }
        for v in rows
    ]
    db.commit()  # see _owner
    return render(request, "videos/list.html", title="Videos", items=items, deleted=deleted[:300])


# --- New video ------------------------------------------------------------------


def _new_page(
    request: Request,
    choices: new_form.Choices,
    form: new_form.NewVideo,
    *,
    problem: str = "",
    status_code: int = 200,
    music_again: bool = False,
) -> Response:
    return render(
        request,
        "videos/new.html",
        music_again=music_again,
        status_code=status_code,
        title="New video",
        choices=choices,
        form=form,
        problem=problem,
        slots=new_form.MEDIA_SLOTS,
        max_mb=videos.MUSIC_MAX_BYTES // (1024 * 1024),
    )


@router.get("/videos/new")
def new_page(
    request: Request, viewer: ViewerDep, db: DbDep, runtime: RuntimeDep, topic: str = ""
) -> Response:
    choices = new_form.choices_for(db, runtime.settings, owner_id=viewer.user_id)
    form = new_form.defaults(runtime.settings, choices)
    form.topic = topic[:200]
    db.commit()  # see _owner
    return _new_page(request, choices, form)


@router.post("/videos")
def create_video(
    request: Request,
    viewer: ViewerDep,
    db: DbDep,
    runtime: RuntimeDep,
    topic: Annotated[str, Form(max_length=2000)] = "",
    writer: Annotated[str, Form(max_length=64)] = "",
    voice: Annotated[str, Form(max_length=64)] = "",
    media_1: Annotated[str, Form(max_length=64)] = "",
    media_2: Annotated[str, Form(max_length=64)] = "",
    media_3: Annotated[str, Form(max_length=64)] = "",
    preset: Annotated[str, Form(max_length=64)] = "",
    use_dna: Annotated[str, Form(max_length=8)] = "",
    music: Annotated[UploadFile | None, File()] = None,
) -> Response:
    settings = runtime.settings
    choices = new_form.choices_for(db, settings, owner_id=viewer.user_id)
    form = new_form.read_form(
        choices,
        topic=topic,
        writer=writer,
        voice=voice,
        media=[media_1, media_2, media_3],
        preset=preset,
        use_dna=use_dna == "on",
    )
    chose_music = music is not None and bool(music.filename)
    if form.errors:
        db.commit()  # see _owner
        return _new_page(request, choices, form, status_code=400, music_again=chose_music)
    upload = None
    try:
        upload = new_form.save_upload(music, new_form.upload_folder(settings))
        video, _ = videos.start_video(
            db,
            settings,
            runtime.queue,
            owner_id=viewer.user_id,
            topic=form.topic,
            options=form.options(),
            use_dna=form.use_dna,
            music=upload,
            blobs=runtime.blobs,
        )
    except (InputError, QuotaExceeded) as exc:
        db.rollback()
        where = str(exc.details.get("field", "")) if isinstance(exc, InputError) else ""
        again = chose_music and where != "music"
        if where in ("topic", "music"):
            form.errors[where] = exc.message
            return _new_page(request, choices, form, status_code=400, music_again=again)
        return _new_page(
            request, choices, form, problem=exc.message, status_code=400, music_again=again
        )
    finally:
        new_form.discard(upload)
    return RedirectResponse(f"/videos/{video.id}", status_code=303)


# --- the video page ---------------------------------------------------------------


def _thumb_size(video: Video, width: int = 180) -> tuple[int, int]:
    options = video.options or {}
    preset = PRESETS.get(str(options.get("preset", "")), PRESETS["vertical"])
    w, h = preset.width, preset.height
    if isinstance(size := options.get("size"), str) and "x" in size:
        sw, _, sh = size.partition("x")
        if sw.isdigit() and sh.isdigit() and int(sw) > 0:
            w, h = int(sw), int(sh)
    return width, max(2, round(width * h / w))


def _stage_index(job: Job | None) -> int:
    names = [name for name, _ in STAGES]
    if job is None or job.stage not in names:
        return 0
    return names.index(job.stage)


def video_page_response(
    request: Request,
    runtime: Runtime,
    db: Session,
    video: Video,
    *,
    draft: editor.Draft | None = None,
    problem: str = "",
    status_code: int = 200,
) -> Response:
    job = videos.latest_job(db, owner_id=video.owner_id, video_id=video.id)
    active = job is not None and job.state in records.ACTIVE
    files = videos.present_files(runtime.blobs, video)
    report = videos.render_report(runtime.blobs, video) if video.status == "ready" else None
    if draft is None and video.script:
        draft = editor.from_script(video.script)
    if draft is not None:
        editor.annotate(draft, report)
    credits = []
    if "credits" in files:
        credits = videos.read_text_file(runtime.blobs, video, "credits").splitlines()
    stem = slugify(video.title or video.topic)
    downloads = [
        {"name": n, "label": DOWNLOAD_LABELS[n][0], "filename": f"{stem}.{DOWNLOAD_LABELS[n][1]}"}
        for n in videos.DOWNLOADS
        if n in files
    ]
    db.commit()  # see _owner
    return render(
        request,
        "videos/page.html",
        status_code=status_code,
        title=video.title or video.topic,
        video=video,
        job=job,
        active=active,
        files=files,
        downloads=downloads,
        report=report,
        credits=[c for c in credits if c.strip()],
        draft=draft,
        problem=problem,
        stages=STAGES,
        stage_index=_stage_index(job) if active else 0,
        thumb=_thumb_size(video),
        music_name=str((video.options or {}).get(videos.MUSIC_NAME, "")),
        without_dna=(video.options or {}).get(videos.USE_DNA) is False,
        visual_kinds=editor.VISUAL_KINDS,
    )


@router.get("/videos/{video_id}")
def video_page(
    request: Request, viewer: ViewerDep, db: DbDep, runtime: RuntimeDep, video_id: str = VideoId
) -> Response:
    video = videos.get_video(db, owner_id=viewer.user_id, video_id=video_id)
    return video_page_response(request, runtime, db, video)


@router.get("/videos/{video_id}/file/{name}")
def video_file(
    request: Request,
    viewer: ViewerDep,
    db: DbDep,
    runtime: RuntimeDep,
    video_id: str = VideoId,
    name: str = FileName,
) -> Response:
    """A rendered file, the owner's only, with Range support (the player seeks with it)."""
    video = videos.get_video(db, owner_id=viewer.user_id, video_id=video_id)
    if name not in videos.FILE_NAMES:
        raise NotFound(f"A video has no file {name!r}; it has {', '.join(videos.FILE_NAMES)}.")
    stem = slugify(video.title or video.topic)
    suffix = DOWNLOAD_LABELS.get(name, ("", "jpg"))[1]
    key = videos.file_key(video, name)
    db.commit()  # see _owner: the file streams long after this returns
    return ranged_response(
        runtime.blobs,
        key,
        range_header=request.headers.get("range"),
        content_type=videos.CONTENT_TYPES[name],
        filename=f"{stem}.{suffix}",
    )


@router.get("/videos/{video_id}/thumbnail")
def video_thumbnail(
    request: Request, viewer: ViewerDep, db: DbDep, runtime: RuntimeDep, video_id: str = VideoId
) -> Response:
    return video_file(request, viewer, db, runtime, video_id=video_id, name="thumbnail")


@router.post("/videos/{video_id}/delete")
def delete_video(
    viewer: ViewerDep, db: DbDep, runtime: RuntimeDep, video_id: str = VideoId
) -> Response:
    video = videos.get_video(db, owner_id=viewer.user_id, video_id=video_id)
    name = video.title or video.topic
    videos.delete_video(
        db, runtime.settings, runtime.blobs, owner_id=viewer.user_id, video_id=video_id
    )
    db.commit()
    return RedirectResponse("/videos?" + urlencode({"deleted": name[:100]}), status_code=303)
