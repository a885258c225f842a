"""Workers as they run in production: a separate process, killed and restarted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from reelforge.config import Settings
from reelforge.web.app import create_app
from tests.web.support import Api

VIDEO_OPTIONS = {"size": "180x320", "fps": 24, "x264_preset": "ultrafast", "voice": "none"}


@pytest.fixture
def api(settings: Settings) -> Iterator[Api]:
    with TestClient(create_app(settings)) as client:
        yield Api(client, settings)


def _worker(settings: Settings, **env: str) -> subprocess.Popen[bytes]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("REELFORGE_")}
    environment.update(REELFORGE_HOME=str(settings.home), **env)
    return subprocess.Popen(
        [sys.executable, "-m", "reelforge.cli.main", "worker"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait(
    api: Api, headers: dict[str, str], job_id: str, until: Any, timeout: float = 240
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, Any] = api.client.get(f"/api/v1/jobs/{job_id}", headers=headers).json()
        if until(job):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job never reached the expected state: {job}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.mark.slow
def test_a_worker_process_renders_a_video_queued_through_the_api(
    api: Api, settings: Settings
) -> None:
    account = api.sign_up("queue@example.com")
    answer = api.client.post(
        "/api/v1/videos",
        json={"topic": "why ice floats", "options": VIDEO_OPTIONS},
        headers=account.headers,
    )
    job_id = answer.json()["job"]["id"]
    worker = _worker(settings)
    try:
        job = _wait(api, account.headers, job_id, lambda j: j["state"] in ("succeeded", "failed"))
    finally:
        _stop(worker)
    assert job["state"] == "succeeded", job["error"]


@pytest.mark.slow
def test_a_job_whose_worker_was_killed_is_resumed_from_the_cache(
    api: Api, settings: Settings
) -> None:
    account = api.sign_up("resume@example.com")
    options = {**VIDEO_OPTIONS, "size": "360x640"}  # long enough to kill mid-render
    answer = api.client.post(
        "/api/v1/videos",
        json={"topic": "why bread goes stale", "options": options},
        headers=account.headers,
    )
    video_id, job_id = answer.json()["video"]["id"], answer.json()["job"]["id"]
    segments_glob = f"work/*/{video_id}/cache/segment/[!.]*.mp4"
    stale = {"REELFORGE_JOB_STALE_AFTER_S": "2"}

    first = _worker(settings, **stale)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and len(list(settings.home.glob(segments_glob))) < 2:
        time.sleep(0.02)
    first.send_signal(signal.SIGKILL)
    first.wait()
    done_before = {p.name: p.stat().st_mtime_ns for p in settings.home.glob(segments_glob)}
    job = api.client.get(f"/api/v1/jobs/{job_id}", headers=account.headers).json()
    assert job["state"] == "running" and len(done_before) >= 2

    second = _worker(settings, **stale)
    try:
        job = _wait(api, account.headers, job_id, lambda j: j["state"] in ("succeeded", "failed"))
    finally:
        _stop(second)
    assert job["state"] == "succeeded", job["error"]
    assert job["attempts"] == 2
    for name, mtime in done_before.items():  # finished scenes were reused, not rendered again
        assert (
            next(settings.home.glob(f"work/*/{video_id}/cache/segment/{name}"))
        ).stat().st_mtime_ns == mtime
