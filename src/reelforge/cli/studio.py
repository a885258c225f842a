"""`reelforge make | script | render`: the studio from the terminal.

The --writer, --voice and --media help lists what the provider registry offers
(plugins included), so an installed plugin shows up beside the built-ins.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from reelforge.cli.output import console, progress_bar, warn
from reelforge.config import Settings, load_settings
from reelforge.errors import InputError
from reelforge.providers import registry
from reelforge.studio.models import Script, parse_script
from reelforge.studio.options import MakeOptions, slugify
from reelforge.studio.pipeline import Pipeline, RenderResult, project_dir_for
from reelforge.studio.review import review_script


def _choices(kind: str, sep: str = " | ") -> str:
    return sep.join(registry.available(kind))


Writer = Annotated[str | None, typer.Option("--writer", help=_choices("llm"))]
Voice = Annotated[str | None, typer.Option("--voice", help=_choices("tts"))]
Media = Annotated[
    str | None,
    typer.Option("--media", help=f"Comma list tried in order: {_choices('media', ', ')}"),
]
Preset = Annotated[
    str | None, typer.Option("--preset", help="vertical | vertical-fast | square | horizontal")
]
Size = Annotated[str | None, typer.Option("--size", help="WxH, overrides the preset's size")]
Fps = Annotated[int | None, typer.Option("--fps", help="Frames per second (23-60)")]
Crf = Annotated[
    int | None, typer.Option("--crf", help="x264 quality, lower is better (default 23)")
]
Music = Annotated[Path | None, typer.Option("--music", help="Audio file ducked under the voice")]
OutDir = Annotated[Path | None, typer.Option("--out", "-o", help="Output folder (default ./out)")]
NoCaptions = Annotated[bool, typer.Option("--no-captions", help="Do not burn captions")]


def _options(
    writer: str | None,
    voice: str | None,
    media: str | None,
    preset: str | None,
    size: str | None,
    fps: int | None,
    crf: int | None,
    music: Path | None,
    no_captions: bool,
) -> MakeOptions:
    settings = load_settings()
    media_list = [m.strip() for m in media.split(",") if m.strip()] if media else None
    return MakeOptions.from_settings(
        settings,
        writer=writer,
        voice=voice,
        media=media_list,
        preset=preset,
        size=size,
        fps=fps,
        crf=crf,
        music=music,
        captions=False if no_captions else None,
    )


def _report(result: RenderResult) -> None:
    warn(result.warnings)
    console.print(f"[green]✓[/green] {result.video}  ({result.duration:.1f} s)")
    console.print(f"  captions: {result.srt}, {result.ass}")
    if result.credits:
        console.print(f"  credits:  {result.credits}")


def make(
    topic: Annotated[str, typer.Argument(help="What the short is about")],
    writer: Writer = None,
    voice: Voice = None,
    media: Media = None,
    preset: Preset = None,
    size: Size = None,
    fps: Fps = None,
    crf: Crf = None,
    music: Music = None,
    out: OutDir = None,
    no_captions: NoCaptions = False,
    here: Annotated[
        bool, typer.Option("--here", help="Render on this machine even when logged in to a server")
    ] = False,
) -> None:
    """Topic in, finished MP4 out (plus .srt and .ass captions).

    Rendered here, or — after `reelforge login --server …` — by that server's workers."""
    settings = load_settings()
    options = _options(writer, voice, media, preset, size, fps, crf, music, no_captions)
    if not here and (server := remote_login(settings)) is not None:
        make_remotely(settings, server, topic, options, out or settings.out_dir)
        return
    pipeline_dir = project_dir_for(settings, topic)
    with progress_bar("making") as on_event:
        pipeline = Pipeline(
            settings=settings, options=options, project_dir=pipeline_dir, on_event=on_event
        )
        written = pipeline.write(topic)
        result = pipeline.render(written.script, out_dir=out or settings.out_dir)
    result.warnings[:0] = written.warnings
    _report(result)
    console.print(f"  project:  {pipeline_dir} (edit script.json and `reelforge render` it)")


def remote_login(settings: Settings) -> str | None:
    """The server URL of a saved remote login, if any."""
    from reelforge.cli.client import LOCAL, load_login, login_path

    if not login_path(settings).exists():
        return None
    server = load_login(settings).server
    return None if server == LOCAL else server


def make_remotely(
    settings: Settings, server: str, topic: str, options: MakeOptions, out_dir: Path
) -> None:
    from reelforge.cli.client import api_client

    if options.music is not None:
        raise InputError("--music is not sent to servers yet; use --here to render with music.")
    client = api_client(settings)
    try:
        body = options.model_dump(mode="json", exclude_none=True, exclude={"music"})
        made = client.post("/api/v1/videos", json={"topic": topic, "options": body})
        console.print(f"video {made['video']['id']} queued on {server}")
        job = client.follow_job(made["job"]["id"], "making")
        if job["state"] != "succeeded":
            raise InputError(f"The server could not make the video: {job.get('error')}")
        video = client.get(f"/api/v1/videos/{made['video']['id']}")
        stem = slugify(topic)
        for name, path in video["files"].items():
            suffix = {"mp4": ".mp4", "srt": ".srt", "ass": ".ass", "credits": ".credits.txt"}[name]
            saved = client.download(path, out_dir / f"{stem}{suffix}")
            console.print(f"[green]✓[/green] {saved}")
    finally:
        client.close()


def script(
    topic: Annotated[str, typer.Argument(help="What the short is about")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Where to write the script JSON")
    ] = None,
    writer: Writer = None,
) -> None:
    """Write a script only, as JSON you can edit, then `reelforge render` it."""
    settings = load_settings()
    options = MakeOptions.from_settings(settings, writer=writer)
    pipeline = Pipeline(
        settings=settings, options=options, project_dir=project_dir_for(settings, topic)
    )
    written = pipeline.write(topic)
    path = output or Path(f"{slugify(topic)}.json")
    path.write_text(written.script.model_dump_json(indent=2) + "\n", encoding="utf-8")
    warn(written.warnings)
    console.print(
        f"[green]✓[/green] script written to {path} ({len(written.script.scenes)} scenes)"
    )


def load_script(path: Path) -> Script:
    """Read an edited script; errors point at the bad field (e.g. scenes.2.narration)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            f"No script at {path}. Write one with `reelforge script TOPIC -o {path}`."
        ) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path} is not valid JSON: line {exc.lineno}, column {exc.colno}: {exc.msg}."
        ) from None
    return parse_script(raw, source=str(path))


def render(
    script_path: Annotated[Path, typer.Argument(help="A script JSON (from `reelforge script`)")],
    voice: Voice = None,
    media: Media = None,
    preset: Preset = None,
    size: Size = None,
    fps: Fps = None,
    crf: Crf = None,
    music: Music = None,
    out: OutDir = None,
    no_captions: NoCaptions = False,
) -> None:
    """Render an (edited) script; unchanged scenes are reused from the cache."""
    settings = load_settings()
    parsed = load_script(script_path)
    options = _options(None, voice, media, preset, size, fps, crf, music, no_captions)
    warn(review_script(parsed))
    with progress_bar("rendering") as on_event:
        pipeline = Pipeline(
            settings=settings,
            options=options,
            project_dir=project_dir_for(settings, parsed.topic),
            on_event=on_event,
        )
        result = pipeline.render(parsed, out_dir=out or settings.out_dir, name=script_path.stem)
    _report(result)


def register(app: typer.Typer) -> None:
    app.command()(make)
    app.command()(script)
    app.command()(render)
