"""Helpers for the publishing service tests: media made on the spot, the API wired to the
platform fakes, and a user's way through connecting and posting."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from pydantic import SecretStr

from reelforge.av.ffmpeg import ffmpeg_exe
from reelforge.config import Settings
from reelforge.jobs.queue import JobQueue
from reelforge.runtime import run_job, runtime_for
from reelforge.web.app import create_app
from tests.fakes.google_oauth import FakeGoogleOAuth
from tests.fakes.server import serve
from tests.fakes.youtube_upload import FakeYouTube
from tests.providers.platforms.conftest import consent
from tests.web.support import Account, Api

MEDIA_PREFIX = "https://media.reelforge.example/p/"  # verified at the fake TikTok
YT_REDIRECT = "https://reelforge.example/api/v1/connections/youtube/callback"


def png_bytes(
    size: tuple[int, int] = (64, 96), color: tuple[int, int, int] = (200, 40, 40), fmt: str = "PNG"
) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def tiny_mp4(path: Path, *, seconds: float = 1.0) -> Path:
    """A real 180x320 H.264/AAC MP4 (what a rendered short looks like, only smaller)."""
    subprocess.run(
        [
            ffmpeg_exe(),
            *("-hide_banner", "-loglevel", "error", "-y"),
            *("-f", "lavfi", "-i", f"testsrc=size=180x320:rate=24:duration={seconds}"),
            *("-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"),
            *("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"),
            *("-c:a", "aac", "-shortest", str(path)),
        ],
        check=True,
    )
    return path


def with_fakes(settings: Settings, **update: Any) -> Settings:
    """Publishing settings: fast polling, the verified media prefix; fakes' URLs in ``update``."""
    return settings.model_copy(
        update={
            "publish_media_url": MEDIA_PREFIX,
            "tiktok_poll_interval_s": 0.01,
            "tiktok_chunk_bytes": 5 * 1024 * 1024,  # an 11 MB file goes in two chunks
            "job_retry_base_s": 0.01,
            **update,
        }
    )


@pytest.fixture
def pub_settings(
    tt_settings: Settings, google: FakeGoogleOAuth, youtube: FakeYouTube
) -> Iterator[Settings]:
    """Settings wired to the fake TikTok, Google OAuth and YouTube servers."""
    with serve(google) as g, serve(youtube) as y:
        yield with_fakes(
            tt_settings,
            google_client_id=google.client_id,
            google_client_secret=SecretStr(google.client_secret),
            google_auth_base_url=g.base_url,
            google_token_url=f"{g.base_url}/token",
            google_revoke_url=f"{g.base_url}/revoke",
            google_redirect_uri=YT_REDIRECT,
            youtube_upload_base_url=y.base_url,
        )


@pytest.fixture
def pub_api(pub_settings: Settings) -> Iterator[Api]:
    with TestClient(create_app(pub_settings)) as client:
        yield Api(client, pub_settings)


def queue_of(settings: Settings) -> JobQueue:
    return runtime_for(settings).queue


def run(settings: Settings, job_id: str) -> str:
    """What a worker does with a job id (retries go back on the queue, as in production)."""
    return run_job(settings, job_id=job_id, queue=queue_of(settings))


def connect(api: Api, account: Account, platform: str = "tiktok") -> dict[str, Any]:
    """The user's way: ask for the link, approve at the platform, come back to the callback."""
    answer = api.client.get(f"/api/v1/connections/{platform}/authorize", headers=account.headers)
    assert answer.status_code == 200, answer.text
    params = consent(answer.json()["url"])  # the browser at the platform's consent screen
    back = api.client.get(f"/api/v1/connections/{platform}/callback", params=params)
    assert back.status_code == 200, back.text
    listed = api.client.get("/api/v1/connections", headers=account.headers).json()
    return dict(next(c for c in listed if c["platform"] == platform))


def upload_video(api: Api, account: Account, path: Path) -> str:
    with path.open("rb") as fh:
        answer = api.client.post(
            "/api/v1/uploads/videos",
            files={"file": (path.name, fh, "video/mp4")},
            headers=account.headers,
        )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def upload_images(api: Api, account: Account, count: int = 3) -> list[str]:
    colors = [(200, 40, 40), (40, 200, 40), (40, 40, 200), (200, 200, 40)]
    formats = ["PNG", "JPEG", "WEBP"]
    files = [
        ("files", (f"slide{i}.img", png_bytes(color=colors[i % 4], fmt=formats[i % 3]), "x/y"))
        for i in range(count)
    ]
    answer = api.client.post("/api/v1/uploads", files=files, headers=account.headers)
    assert answer.status_code == 201, answer.text
    return [u["id"] for u in answer.json()]


def post(api: Api, account: Account, **body: Any) -> dict[str, Any]:
    answer = api.client.post("/api/v1/posts", json=body, headers=account.headers)
    assert answer.status_code == 202, answer.text
    return dict(answer.json())


def get_post(api: Api, account: Account, post_id: str) -> dict[str, Any]:
    answer = api.client.get(f"/api/v1/posts/{post_id}", headers=account.headers)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def media_path(url: str) -> str:
    """The route behind a public media URL (the proxy/CDN in front maps the prefix to it)."""
    assert url.startswith(MEDIA_PREFIX)
    return "/api/v1/media/" + url[len(MEDIA_PREFIX) :]


def host_of(url: str) -> str:
    return urlsplit(url).netloc


def worker_process(settings: Settings, tiktok_url: str) -> subprocess.Popen[bytes]:
    """`reelforge worker` in its own process, configured like the test's settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("REELFORGE_")}
    env.update(
        REELFORGE_HOME=str(settings.home),
        REELFORGE_TIKTOK_CLIENT_KEY="ck_test",
        REELFORGE_TIKTOK_CLIENT_SECRET="cs_test",
        REELFORGE_TIKTOK_API_BASE_URL=tiktok_url,
        REELFORGE_TIKTOK_AUTH_BASE_URL=tiktok_url,
        REELFORGE_TIKTOK_REDIRECT_URI=str(settings.tiktok_redirect_uri),
        REELFORGE_PUBLISH_MEDIA_URL=MEDIA_PREFIX,
        REELFORGE_TIKTOK_POLL_INTERVAL_S="0.01",
        REELFORGE_JOB_STALE_AFTER_S="2",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "reelforge.cli.main", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for_status(
    api: Api, account: Account, post_id: str, status: str, timeout: float = 120
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    shown = get_post(api, account, post_id)
    while shown["status"] != status:
        if time.monotonic() > deadline:
            raise AssertionError(f"the post never became {status}: {shown}")
        time.sleep(0.2)
        shown = get_post(api, account, post_id)
    return shown
