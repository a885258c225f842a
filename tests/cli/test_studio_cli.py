"""The `reelforge` command as a user runs it: a real process, real files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reelforge.av.ffmpeg import probe
from tests.fakes import plugin_voice

REPO = Path(__file__).parents[2]
BENCH_SCRIPT = REPO / "bench" / "fixtures" / "bench_script.json"
TINY = ["--size", "180x320", "--fps", "24"]


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REELFORGE_")}
    env.update(REELFORGE_HOME=str(tmp_path / "home"), REELFORGE_X264_PRESET="ultrafast")
    return env


def plugin_env(tmp_path: Path, plugin_dir: Path) -> dict[str, str]:
    """The CLI's environment with the test plugin's metadata (and this repo) importable."""
    env = _env(tmp_path)
    path = [str(plugin_dir), str(REPO), *filter(None, [env.get("PYTHONPATH")])]
    env.update(PYTHONPATH=os.pathsep.join(path), COLUMNS="200")
    return env


def reelforge(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reelforge.cli.main", *args],
        cwd=tmp_path,
        env=env or _env(tmp_path),
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_a_malformed_script_names_the_bad_field(tmp_path: Path) -> None:
    script = json.loads(BENCH_SCRIPT.read_text())
    script["scenes"][2]["search_terms"] = []
    (tmp_path / "bad.json").write_text(json.dumps(script))
    proc = reelforge(tmp_path, "render", "bad.json")
    assert proc.returncode == 2
    assert "scenes.2.search_terms" in proc.stderr


def test_broken_json_says_where(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text('{"topic": "x",\n "scenes": [}')
    proc = reelforge(tmp_path, "render", "broken.json")
    assert proc.returncode == 2
    assert "line 2" in proc.stderr


def test_unknown_preset_and_provider_are_refused_with_the_choices(tmp_path: Path) -> None:
    proc = reelforge(tmp_path, "render", str(BENCH_SCRIPT), "--preset", "imax")
    assert proc.returncode == 2 and "vertical-fast" in proc.stderr
    proc = reelforge(tmp_path, "render", str(BENCH_SCRIPT), "--voice", "robot")
    assert proc.returncode == 2 and "piper" in proc.stderr


def test_a_plugin_voice_is_offered_in_the_help_and_used_for_a_render(tmp_path: Path) -> None:
    env = plugin_env(tmp_path, plugin_voice.install(tmp_path / "plugin"))
    help_text = reelforge(tmp_path, "make", "--help", env=env)
    assert help_text.returncode == 0, help_text.stderr
    assert "testvoice" in help_text.stdout and "piper" in help_text.stdout

    script = json.loads(BENCH_SCRIPT.read_text())
    script["scenes"] = [
        {"narration": f"Plugin voice line {n}.", "search_terms": ["bread"]}
        for n in ("one", "two", "three", "four")
    ]
    (tmp_path / "tiny.json").write_text(json.dumps(script))
    proc = reelforge(tmp_path, "render", "tiny.json", "--voice", "testvoice", *TINY, env=env)
    assert proc.returncode == 0, proc.stderr
    said = (tmp_path / "home" / plugin_voice.LOG).read_text().splitlines()
    assert said == [f"Plugin voice line {n}." for n in ("one", "two", "three", "four")]
    assert probe(tmp_path / "out" / "tiny.mp4").duration > 2


def test_a_chosen_provider_without_its_key_names_the_setting(tmp_path: Path) -> None:
    proc = reelforge(tmp_path, "script", "why bread goes stale", "--writer", "anthropic")
    assert proc.returncode == 2
    assert "REELFORGE_ANTHROPIC_API_KEY" in proc.stderr


def test_script_then_render_an_edited_script(tmp_path: Path) -> None:
    proc = reelforge(tmp_path, "script", "why bread goes stale", "-o", "bread.json")
    assert proc.returncode == 0, proc.stderr
    script = json.loads((tmp_path / "bread.json").read_text())
    assert 4 <= len(script["scenes"]) <= 8
    assert "template" in proc.stderr.lower()  # says plainly that no model wrote it


def _finished(segments: Path) -> list[Path]:
    """Published segments (a run in progress also has hidden .part files there)."""
    if not segments.exists():
        return []
    return [p for p in segments.glob("*.mp4") if not p.name.startswith(".")]


@pytest.mark.slow
def test_a_render_killed_with_sigkill_resumes_from_finished_scenes(tmp_path: Path) -> None:
    args = [
        sys.executable,
        "-m",
        "reelforge.cli.main",
        "render",
        str(BENCH_SCRIPT),
        "--voice",
        "none",
        *TINY,
    ]
    proc = subprocess.Popen(
        args, cwd=tmp_path, env=_env(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    segments = tmp_path / "home" / "projects" / "why-bread-goes-stale" / "cache" / "segment"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        done = _finished(segments)
        if len(done) >= 2:
            break
        time.sleep(0.02)
    assert proc.poll() is None, (
        "render finished before it could be killed; make the test video longer"
    )
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    finished = {p.name: p.stat().st_mtime_ns for p in _finished(segments)}
    assert not (tmp_path / "out" / "bench_script.mp4").exists()

    resumed = reelforge(tmp_path, "render", str(BENCH_SCRIPT), "--voice", "none", *TINY)
    assert resumed.returncode == 0, resumed.stderr
    manifest = json.loads((segments.parents[1] / "manifest.json").read_text())
    assert manifest["redone"].get("segment", 0) == 6 - len(finished)
    for name, mtime in finished.items():
        assert (segments / name).stat().st_mtime_ns == mtime  # reused, not redone
    video = tmp_path / "out" / "bench_script.mp4"
    assert probe(video).duration > 10
    assert not list(segments.glob(".*part*"))  # no half-written leftovers
