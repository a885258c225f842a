"""Render benchmark: a committed 6-scene, ~60 s script with the offline providers.

Prints, all measured in this run on this machine: each stage's wall time, each
ffmpeg invocation, the render time against a content-matched floor (a bare
libx264 re-encode of the output's own frames at the same preset/CRF/size), a
one-scene re-render against the full render, and peak memory.

    .venv/bin/python bench/render.py [--preset vertical] [--fps 30]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from reelforge.av.ffmpeg import Invocation, probe, record_invocations, run_ffmpeg
from reelforge.config import load_settings
from reelforge.studio.models import Script
from reelforge.studio.options import MakeOptions
from reelforge.studio.pipeline import Pipeline, RenderResult

SCRIPT = Path(__file__).parent / "fixtures" / "bench_script.json"
NOT_RENDER = ("voice", "media")  # synthesis and sourcing are timed on their own


def _render(
    pipeline: Pipeline, script: Script, out: Path
) -> tuple[RenderResult, list[Invocation], float]:
    with record_invocations() as log:
        t0 = time.perf_counter()
        result = pipeline.render(script, out_dir=out, name="bench")
        wall = time.perf_counter() - t0
    return result, log, wall


def _floor(video: Path, options: MakeOptions, work: Path) -> float:
    """Re-encode the output's own frames: same codec, preset, CRF, size, fps."""
    spec = options.render_spec()
    t0 = time.perf_counter()
    run_ffmpeg(
        [
            "-i",
            str(video),
            "-an",
            "-c:v",
            "libx264",
            "-preset",
            spec.x264_preset,
            "-crf",
            str(spec.crf),
            "-s",
            f"{spec.width}x{spec.height}",
            "-r",
            str(spec.fps),
            "-pix_fmt",
            "yuv420p",
            str(work / "floor.mp4"),
        ],
        what="floor encode",
    )
    return time.perf_counter() - t0


def _print_invocations(log: list[Invocation]) -> None:
    grouped: dict[str, list[Invocation]] = defaultdict(list)
    for item in log:
        grouped[item.what].append(item)
    for what, runs in grouped.items():
        times = [r.seconds for r in runs]
        print(
            f"    ffmpeg {what:<24} x{len(runs):<3} total {sum(times):6.2f} s  "
            f"(each {min(times):.2f}–{max(times):.2f} s, peak RSS {max(r.peak_rss_mb for r in runs):.0f} MB)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--preset", default="vertical")
    parser.add_argument("--fps", type=int, default=30)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="reelforge-bench-") as tmp:
        work = Path(tmp)
        settings = load_settings(home=work / "home", out_dir=work / "out")
        options = MakeOptions.from_settings(
            settings,
            writer="offline",
            voice="piper",
            media=["procedural"],
            preset=args.preset,
            fps=args.fps,
        )
        script = Script.model_validate(json.loads(SCRIPT.read_text()))
        pipeline = Pipeline(settings=settings, options=options, project_dir=work / "project")

        print(
            f"reelforge render benchmark — {os.cpu_count()} cores, preset {args.preset} "
            f"({options.render_spec().width}x{options.render_spec().height}) @ {args.fps} fps, "
            f"x264 {options.x264_preset} crf {options.crf}"
        )
        full, log, full_wall = _render(pipeline, script, work / "out")
        info = probe(full.video)
        print(
            f"\nfull run: {full_wall:.2f} s wall for a {info.duration:.1f} s video "
            f"({info.width}x{info.height}, {info.fps:g} fps)"
        )
        for stage, seconds in full.stage_seconds.items():
            if stage != "total":
                note = " (in parallel with segment)" if stage == "audio" else ""
                print(f"  stage {stage:<9} {seconds:6.2f} s{note}")
        _print_invocations(log)

        # The soundtrack is built on a second thread while scenes encode, so the render's
        # wall time is the whole run less the stages before it, not a sum of stages.
        render_wall = full.stage_seconds["total"] - sum(full.stage_seconds[s] for s in NOT_RENDER)
        floor = _floor(full.video, options, work)
        print(f"\nrender (captions, segments, soundtrack in parallel, join): {render_wall:.2f} s")
        print(f"floor (bare libx264 re-encode of the same frames): {floor:.2f} s")
        print(f"render / floor ratio: {render_wall / floor:.2f}x   (target <= 1.3x)")

        edited = script.model_copy(deep=True)
        edited.scenes[2].narration = (
            "As it cools, the starch chains line up again and push the water aside. "
            "Chemists call it retrogradation, and it is why the crumb turns firm."
        )
        again, log2, again_wall = _render(pipeline, edited, work / "out")
        print(f"\none-scene edit re-render: {again_wall:.2f} s, redone {dict(again.redone)}")
        _print_invocations(log2)
        print(f"re-render / full run: {again_wall / full_wall:.0%}   (target <= 25%)")

        self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        ffmpeg_rss = max(r.peak_rss_mb for r in log + log2)
        print(
            f"\npeak RSS: reelforge process {self_rss:.0f} MB, largest ffmpeg process "
            f"{ffmpeg_rss:.0f} MB (target <= 400 MB each)"
        )


if __name__ == "__main__":
    main()
