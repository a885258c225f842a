"""`reelforge doctor`: what works, what is missing, and every provider the registry offers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reelforge.cli.doctor import run_checks
from reelforge.config import Settings
from tests.cli.test_studio_cli import plugin_env
from tests.fakes import plugin_voice


def test_doctor_reports_the_embedded_defaults_as_working(settings: Settings) -> None:
    checks = {c.name: c for c in run_checks(settings)}
    assert checks["ffmpeg"].ok and checks["ffmpeg libx264"].ok and checks["ffmpeg ass"].ok
    assert checks["database"].ok and "sqlite" in checks["database"].detail
    assert checks["job queue"].ok and "SQLite" in checks["job queue"].detail
    assert not checks["script writer"].ok and "TEMPLATE" in checks["script writer"].cost


def test_doctor_says_what_an_unreachable_redis_costs(settings: Settings) -> None:
    settings.redis_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    queue = {c.name: c for c in run_checks(settings)}["job queue"]
    assert not queue.ok and queue.cost == "jobs cannot be queued"


def test_doctor_lists_a_plugin_voice_beside_the_built_in_ones(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(plugin_voice.install(tmp_path / "plugin")))
    checks = {c.name: c for c in run_checks(settings)}
    voice = checks["voice testvoice"]
    assert voice.ok and "(plugin)" in voice.detail and "no key needed" in voice.detail
    assert checks["voice piper"].ok and "(plugin)" not in checks["voice piper"].detail
    assert not checks["writer anthropic"].ok
    assert "REELFORGE_ANTHROPIC_API_KEY not set" in checks["writer anthropic"].detail
    assert checks["research tiktok_display"].detail == "uses the user's connected account"

    proc = subprocess.run(
        [sys.executable, "-m", "reelforge.cli.main", "doctor"],
        cwd=tmp_path,
        env=plugin_env(tmp_path, tmp_path / "plugin"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert (
        "voice testvoice" in proc.stderr and "voice piper" in proc.stderr
    )  # the console is stderr
