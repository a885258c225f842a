"""The "video" job: topic (or edited script) -> rendered files in the blob store.

Besides the studio's outputs (MP4, captions, credits) it stores a thumbnail (a
frame of the finished video, for lists and the player's poster) and the render
report (which scenes this render encoded and which it reused from the cache),
and says the same in the job's last progress event.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import Any

from reelforge.accounts import usage
from reelforge.accounts.provider_keys import credential_for
from reelforge.av.ffmpeg import run_ffmpeg
from reelforge.errors import ReelforgeError
from reelforge.jobs.context import JobCancelled, JobContext
from reelforge.providers.registry import provider_class
from reelforge.research.dna import versions as dna_store
from reelforge.studio.cache import atomic_write_text
from reelforge.studio.models import Script
from reelforge.studio.options import MakeOptions
from reelforge.studio.pipeline import Event, Pipeline, RenderResult
from reelforge.videos import service as videos
from reelforge.videos.report import REPORT_NAME, RenderReport, SceneReport
from reelforge.videos.tables import Video

log = logging.getLogger(__name__)

#: px at most (never upscaled); lists show it 45-90 px wide, the player as its poster.
THUMBNAIL_WIDTH = 360


def _providers_used(options: MakeOptions, *, writes: bool) -> list[tuple[str, str]]:
    used = [("tts", options.voice)] + [("media", m) for m in options.media]
    if writes:
        used.append(("llm", options.writer))
    return used


def _forget_if_deleted(ctx: JobContext, video_id: str) -> None:
    """The video (or its owner) was deleted while rendering: leave no files behind."""
    with ctx.deps.database.session() as db:
        gone = db.get(Video, video_id) is None
    if gone:
        shutil.rmtree(videos.work_dir(ctx.settings, ctx.owner_id, video_id), ignore_errors=True)


def split_options(stored: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(studio options, the service's own keys) of a video's stored options."""
    studio = {k: v for k, v in stored.items() if k not in videos.SERVICE_OPTIONS}
    own = {k: v for k, v in stored.items() if k in videos.SERVICE_OPTIONS}
    return studio, own


def _music(ctx: JobContext, video_id: str, key: object) -> Path | None:
    """The uploaded music, fetched into the work directory (only from this video's files)."""
    if not isinstance(key, str) or not key.startswith(videos.blob_prefix(ctx.owner_id, video_id)):
        return None
    dest = videos.work_dir(ctx.settings, ctx.owner_id, video_id) / "music" / Path(key).name
    dest.parent.mkdir(parents=True, exist_ok=True)
    return ctx.deps.blobs.download(key, dest)


def make_thumbnail(video: Path, out: Path, *, duration: float, exe: str | None) -> Path:
    """A JPEG of one frame early in the video (the hook's first caption is on it)."""
    at = max(0.0, min(1.5, duration / 3))
    run_ffmpeg(
        ["-ss", f"{at:.2f}", "-i", str(video), "-frames:v", "1",
         "-vf", f"scale='min({THUMBNAIL_WIDTH},iw)':-2", "-q:v", "4", str(out)],
        exe=exe,
        what="thumbnail",
    )  # fmt: skip
    return out


def _segments_cached(pipeline: Pipeline) -> set[str]:
    """Names of the encoded scene segments already in the cache (before this render)."""
    folder = pipeline.cache.root / "segment"
    return {p.name for p in folder.glob("*.mp4")} if folder.is_dir() else set()


def render_report(pipeline: Pipeline, result: RenderResult, before: set[str]) -> RenderReport:
    """Scene by scene: its length, and whether this render encoded it or reused it."""
    manifest = json.loads((pipeline.project_dir / "manifest.json").read_text())
    scenes = [
        SceneReport(
            duration=float(s["duration"]),
            redone=pipeline.cache.path("segment", s["segment"], "mp4").name not in before,
        )
        for s in manifest["scenes"]
    ]
    return RenderReport(
        scenes=scenes,
        duration=result.duration,
        redone=result.redone,
        warnings=result.warnings,
        first=not before,
        rendered_at=str(manifest.get("rendered_at", "")),
    )


def render_video(ctx: JobContext) -> None:
    deps, settings = ctx.deps, ctx.settings
    video_id = str(ctx.payload["video_id"])
    with deps.database.session() as db:
        # An account already past its plan's storage total renders nothing more.
        usage.check_storage(db, settings, deps.blobs, owner_id=ctx.owner_id, adding=0)
        video = videos.get_video(db, owner_id=ctx.owner_id, video_id=video_id)
        studio_options, own = split_options(video.options)
        options = MakeOptions.model_validate(studio_options)
        topic, stored_script = video.topic, video.script
        video.status = "rendering"
        # The owner's own Content DNA, unless they chose to write without it.
        use_dna = own.get(videos.USE_DNA, True) is not False
        dna = dna_store.writer_dna(db, owner_id=ctx.owner_id) if use_dna else None
        # Keys of *this* job's owner only (promise P09); keyless providers need none.
        credentials: dict[str, str] = {}
        for kind, name in _providers_used(options, writes=stored_script is None):
            if provider_class(kind, name).needs_key and name not in credentials:
                key = credential_for(db, deps.vault, settings, user_id=ctx.owner_id, provider=name)
                if key:
                    credentials[name] = key
    if (music := _music(ctx, video_id, own.get(videos.MUSIC_BLOB))) is not None:
        options = options.model_copy(update={"music": music})

    def on_event(event: Event) -> None:
        # The pipeline's "done" message is the output's path on this server: not for users.
        message = "storing the files" if event.stage == "done" else event.message
        ctx.progress(event.stage, event.progress, message, force=event.stage == "done")

    pipeline = Pipeline(
        settings=settings,
        options=options,
        project_dir=videos.work_dir(settings, ctx.owner_id, video_id),
        on_event=on_event,
        credentials=credentials,
    )
    ctx.progress("write", 0.0, "writing the script", force=True)
    if stored_script is None:
        script = pipeline.write(topic, dna=dna).script
        with deps.database.session() as db:
            row = videos.get_video(db, owner_id=ctx.owner_id, video_id=video_id)
            row.script, row.title = script.model_dump(mode="json"), script.title
    else:
        script = Script.model_validate(stored_script)
    out_dir = videos.work_dir(settings, ctx.owner_id, video_id) / "out"
    before = _segments_cached(pipeline)
    try:
        result = pipeline.render(script, out_dir=out_dir, name="video")
    except JobCancelled:
        _forget_if_deleted(ctx, video_id)
        raise

    prefix = videos.blob_prefix(ctx.owner_id, video_id)
    outputs: dict[str, Path | None] = {
        "mp4": result.video,
        "srt": result.srt,
        "ass": result.ass,
        "credits": result.credits,
    }
    try:
        outputs["thumbnail"] = make_thumbnail(
            result.video, out_dir / "thumbnail.jpg", duration=result.duration, exe=settings.ffmpeg
        )
    except ReelforgeError as exc:  # the video is fine without one; lists show a blank
        log.warning("no thumbnail for video %s: %s", video_id, exc)
    for name, path in outputs.items():
        if path is not None:
            deps.blobs.put_file(
                prefix + videos.FILE_NAMES[name], path, content_type=videos.CONTENT_TYPES[name]
            )
    if result.credits is None:  # a re-render without credits must not keep the old ones
        deps.blobs.delete(prefix + videos.FILE_NAMES["credits"])
    report = render_report(pipeline, result, before)
    report_path = out_dir / REPORT_NAME
    atomic_write_text(report_path, report.model_dump_json(indent=2))
    deps.blobs.put_file(prefix + REPORT_NAME, report_path, content_type="application/json")
    ctx.progress("done", 1.0, report.summary(), force=True)  # the job's last word
    with deps.database.session() as db:
        finished = db.get(Video, video_id)
        if finished is not None:
            finished.status = "ready"
            usage.record(db, settings, owner_id=ctx.owner_id, metric="renders")
            usage.record(
                db, settings, owner_id=ctx.owner_id, metric="render_seconds", amount=result.duration
            )
