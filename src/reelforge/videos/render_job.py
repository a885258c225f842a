"""The "video" job: topic (or edited script) -> rendered files in the blob store."""

from __future__ import annotations

import shutil

from reelforge.accounts import usage
from reelforge.accounts.provider_keys import credential_for
from reelforge.jobs.context import JobCancelled, JobContext
from reelforge.providers.registry import provider_class
from reelforge.research.dna import versions as dna_store
from reelforge.studio.models import Script
from reelforge.studio.options import MakeOptions
from reelforge.studio.pipeline import Event, Pipeline
from reelforge.videos import service as videos
from reelforge.videos.tables import Video


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


def render_video(ctx: JobContext) -> None:
    deps, settings = ctx.deps, ctx.settings
    video_id = str(ctx.payload["video_id"])
    with deps.database.session() as db:
        video = videos.get_video(db, owner_id=ctx.owner_id, video_id=video_id)
        options = MakeOptions.model_validate(video.options)
        topic, stored_script = video.topic, video.script
        video.status = "rendering"
        dna = dna_store.writer_dna(db, owner_id=ctx.owner_id)  # the owner's own Content DNA
        # Keys of *this* job's owner only (promise P09); keyless providers need none.
        credentials: dict[str, str] = {}
        for kind, name in _providers_used(options, writes=stored_script is None):
            if provider_class(kind, name).needs_key and name not in credentials:
                key = credential_for(db, deps.vault, settings, user_id=ctx.owner_id, provider=name)
                if key:
                    credentials[name] = key

    def on_event(event: Event) -> None:
        ctx.progress(event.stage, event.progress, event.message, force=event.stage == "done")

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
    try:
        result = pipeline.render(script, out_dir=out_dir, name="video")
    except JobCancelled:
        _forget_if_deleted(ctx, video_id)
        raise

    prefix = videos.blob_prefix(ctx.owner_id, video_id)
    outputs = {"mp4": result.video, "srt": result.srt, "ass": result.ass, "credits": result.credits}
    for name, path in outputs.items():
        if path is not None:
            deps.blobs.put_file(
                prefix + videos.FILE_NAMES[name], path, content_type=videos.CONTENT_TYPES[name]
            )
    with deps.database.session() as db:
        finished = db.get(Video, video_id)
        if finished is not None:
            finished.status = "ready"
            usage.record(db, settings, owner_id=ctx.owner_id, metric="renders")
            usage.record(
                db, settings, owner_id=ctx.owner_id, metric="render_seconds", amount=result.duration
            )
