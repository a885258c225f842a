"""End-to-end studio runs at a tiny size with a fake (fast) voice."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from reelforge.av.ffmpeg import probe, run_ffmpeg
from reelforge.config import Settings
from reelforge.providers import registry
from reelforge.studio.models import Script
from reelforge.studio.options import MakeOptions
from reelforge.studio.pipeline import Pipeline
from tests.fakes.providers import FakeTTS

BENCH_SCRIPT = Path(__file__).parents[2] / "bench" / "fixtures" / "bench_script.json"


@pytest.fixture
def script() -> Script:
    full = Script.model_validate(json.loads(BENCH_SCRIPT.read_text()))
    short = [
        s.model_copy(update={"narration": " ".join(s.narration.split()[:6])})
        for s in full.scenes[:4]
    ]
    return full.model_copy(update={"scenes": short})


def _pipeline(settings: Settings, tmp_path: Path, **overrides: object) -> Pipeline:
    registry.register("tts", "fake", "tests.fakes.providers:FakeTTS")
    options = MakeOptions.from_settings(
        settings,
        voice="fake",
        media=["procedural"],
        size="180x320",
        fps=24,
        x264_preset="ultrafast",
        **overrides,
    )
    return Pipeline(settings=settings, options=options, project_dir=tmp_path / "project")


def _frame(video: Path, at: float, out: Path) -> np.ndarray:
    run_ffmpeg(["-ss", str(at), "-i", str(video), "-frames:v", "1", str(out)])
    return np.asarray(Image.open(out).convert("RGB")).astype(int)


@pytest.mark.slow
def test_a_script_renders_to_a_captioned_vertical_mp4_with_sidecars(
    settings: Settings, script: Script, tmp_path: Path
) -> None:
    result = _pipeline(settings, tmp_path).render(script, out_dir=tmp_path / "out", name="bread")
    info = probe(result.video)
    assert (info.width, info.height, info.fps) == (180, 320, 24)
    assert info.video_codec == "h264" and info.audio_codec == "aac"
    assert info.duration == pytest.approx(result.duration, abs=0.1)
    assert result.video.name == "bread.mp4"
    assert "-->" in result.srt.read_text() and "[Events]" in result.ass.read_text()
    manifest = json.loads((tmp_path / "project" / "manifest.json").read_text())
    assert len(manifest["scenes"]) == 4 and manifest["output"] == str(result.video)

    plain = _pipeline(settings, tmp_path, captions=False).render(script, out_dir=tmp_path / "plain")
    at = 0.6  # mid-word in the first scene
    with_caps = _frame(result.video, at, tmp_path / "a.png")
    without = _frame(plain.video, at, tmp_path / "b.png")
    assert np.abs(with_caps - without).mean() > 1.0  # captions are really burned in


@pytest.mark.slow
def test_editing_one_scene_redoes_only_that_scene_and_the_final_join(
    settings: Settings, script: Script, tmp_path: Path
) -> None:
    pipeline = _pipeline(settings, tmp_path)
    first = pipeline.render(script, out_dir=tmp_path / "out")
    assert first.redone["segment"] == 4

    FakeTTS.calls.clear()
    edited = script.model_copy(deep=True)
    edited.scenes[2].narration = "Chemists call it retrogradation, and it firms the crumb."
    again = _pipeline(settings, tmp_path).render(edited, out_dir=tmp_path / "out")
    assert FakeTTS.calls == [edited.scenes[2].narration]
    assert again.redone.get("voice") == 1
    assert again.redone.get("captions") == 1
    assert again.redone.get("segment") == 1
    assert again.redone.get("audio") == 1 and again.redone.get("join") == 1

    unchanged = _pipeline(settings, tmp_path).render(edited, out_dir=tmp_path / "out")
    assert unchanged.redone == {}
