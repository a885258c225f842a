"""Scene segments and the final join.

Why segments: each scene is encoded once into its own H.264 segment (media +
motion + burned captions in a single ffmpeg filtergraph), and the final video
joins the segments *without re-encoding* (concat demuxer, stream copy) and muxes
the soundtrack. Editing one scene therefore re-encodes only that scene, and the
full render costs one encode of every frame — the floor ``bench/render.py``
compares against.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reelforge.av.ffmpeg import ProgressCallback, run_ffmpeg
from reelforge.errors import InputError, RenderError
from reelforge.providers.types.media import MediaAsset
from reelforge.studio.models import RenderSpec

OVERSCAN = 1.10  # stills are drawn 10% larger than the frame, leaving room to pan
MAX_SECONDS = 600  # TikTok's upload limit (10 minutes)


def frame_count(seconds: float, fps: int) -> int:
    return max(1, round(seconds * fps))


def frame_aligned(seconds: float, fps: int) -> float:
    """Scene lengths are whole frames, so audio and video stay in step after joining."""
    return frame_count(seconds, fps) / fps


@dataclass(frozen=True)
class Segment:
    media: MediaAsset
    duration: float
    spec: RenderSpec
    ass_filter: str | None  # an `ass=...` filter (see studio.captions.ass_filter_arg)
    motion: int = 0  # picks the pan direction for stills


def _even(value: float) -> int:
    return round(value / 2) * 2


def _still_filters(seg: Segment, frames: int) -> str:
    w, h = seg.spec.width, seg.spec.height
    cw, ch = _even(w * OVERSCAN), _even(h * OVERSCAN)
    # Scale once, then repeat that one frame in memory: scaling a still per frame
    # would cost more than encoding it.
    ease = f"(0.5-0.5*cos(PI*n/{max(1, frames - 1)}))"
    direction = seg.motion % 4
    x_expr, y_expr = {
        0: (f"(iw-ow)*{ease}", "(ih-oh)/2"),
        1: (f"(iw-ow)*(1-{ease})", "(ih-oh)/2"),
        2: ("(iw-ow)/2", f"(ih-oh)*{ease}"),
        3: ("(iw-ow)/2", f"(ih-oh)*(1-{ease})"),
    }[direction]
    return (
        f"scale={cw}:{ch}:force_original_aspect_ratio=increase:flags=bicubic,crop={cw}:{ch},"
        f"setsar=1,loop=loop={frames - 1}:size=1:start=0,setpts=N/({seg.spec.fps}*TB),"
        f"crop={w}:{h}:x='{x_expr}':y='{y_expr}'"
    )


def _clip_filters(seg: Segment) -> str:
    w, h = seg.spec.width, seg.spec.height
    return (
        f"fps={seg.spec.fps},scale={w}:{h}:force_original_aspect_ratio=increase,"
        f"crop={w}:{h},setsar=1,setpts=N/({seg.spec.fps}*TB)"
    )


def segment_command(seg: Segment, out_path: Path) -> list[str]:
    frames = frame_count(seg.duration, seg.spec.fps)
    if seg.media.kind == "image":
        inputs = ["-i", str(seg.media.path)]
        chain = _still_filters(seg, frames)
    else:
        # Loop a short clip, trim a long one: -stream_loop repeats it, -frames cuts it.
        inputs = ["-stream_loop", "-1", "-i", str(seg.media.path)]
        chain = _clip_filters(seg)
    if seg.ass_filter:
        chain += f",{seg.ass_filter}"
    chain += ",format=yuv420p"
    return [
        *inputs,
        "-filter_complex",
        f"[0:v]{chain}[v]",
        "-map",
        "[v]",
        "-frames:v",
        str(frames),
        "-an",
        "-c:v",
        "libx264",
        "-preset",
        seg.spec.x264_preset,
        "-crf",
        str(seg.spec.crf),
        "-pix_fmt",
        "yuv420p",
        "-r",
        str(seg.spec.fps),
        "-g",
        str(seg.spec.fps * 2),
        "-video_track_timescale",
        "90000",
        "-f",
        "mp4",
        str(out_path),
    ]


def render_segment(
    seg: Segment,
    *,
    out_path: Path,
    on_progress: ProgressCallback | None = None,
    exe: str | None = None,
) -> None:
    if not seg.media.path.exists():
        raise RenderError(f"Scene media {seg.media.path} is missing; re-run to fetch it again.")
    run_ffmpeg(
        segment_command(seg, out_path), exe=exe, on_progress=on_progress, what="rendering a scene"
    )


def join_segments(
    segments: list[Path],
    *,
    soundtrack: Path,
    total_seconds: float,
    out_path: Path,
    list_path: Path,
    exe: str | None = None,
) -> None:
    """Concatenate encoded scenes (stream copy) and mux the soundtrack, web-optimised."""
    if total_seconds > MAX_SECONDS:
        raise InputError(
            f"The video would be {total_seconds:.0f} s long; TikTok accepts at most 10 minutes. "
            "Shorten the script."
        )
    lines = []
    for seg in segments:
        escaped = str(seg.resolve()).replace("'", "'\\''")
        lines.append(f"file '{escaped}'")
    list_path.write_text("\n".join(lines) + "\n")
    run_ffmpeg(
        [
            "-f",
            "concat",
            "-safe",
            "0",
            "-i",
            str(list_path),
            "-i",
            str(soundtrack),
            "-map",
            "0:v:0",
            "-map",
            "1:a:0",
            "-c",
            "copy",
            "-t",
            f"{total_seconds:.6f}",
            "-movflags",
            "+faststart",
            "-f",
            "mp4",
            str(out_path),
        ],
        exe=exe,
        what="joining scenes",
    )
