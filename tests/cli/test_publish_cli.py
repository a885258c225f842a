"""`reelforge connect / post / posts / disconnect` against a running server with only an API
key, and locally — the platform being the fake TikTok."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from tests.cli.test_remote_cli import _free_port, _sign_up_and_key
from tests.fakes.server import FakeServer, serve
from tests.fakes.tiktok import FakeTikTok
from tests.providers.platforms.conftest import REDIRECT, consent
from tests.publish.support import MEDIA_PREFIX, png_bytes, tiny_mp4


def _env(home: Path, fake: FakeServer) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REELFORGE_")}
    env.update(
        REELFORGE_HOME=str(home),
        REELFORGE_TIKTOK_CLIENT_KEY="ck_test",
        REELFORGE_TIKTOK_CLIENT_SECRET="cs_test",
        REELFORGE_TIKTOK_API_BASE_URL=fake.base_url,
        REELFORGE_TIKTOK_AUTH_BASE_URL=fake.base_url,
        REELFORGE_TIKTOK_REDIRECT_URI=REDIRECT,
        REELFORGE_PUBLISH_MEDIA_URL=MEDIA_PREFIX,
        REELFORGE_TIKTOK_POLL_INTERVAL_S="0.01",
        COLUMNS="200",  # a wide "terminal", so table cells stay on one line
    )
    return env


def _cli(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reelforge.cli.main", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def fake() -> Iterator[tuple[FakeTikTok, FakeServer]]:
    tiktok = FakeTikTok()
    with serve(tiktok) as server:
        yield tiktok, server


@pytest.fixture
def server(tmp_path: Path, fake: tuple[FakeTikTok, FakeServer]) -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "reelforge.cli.main", "serve", "--port", str(port), "--with-worker"],
        env=_env(tmp_path / "server-home", fake[1]),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if proc.poll() is not None:
            raise AssertionError("the server exited")
        import time

        time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=30)


def _connect(cwd: Path, env: dict[str, str], deliver: str) -> str:
    """`reelforge connect tiktok`: print the link, the user approves, the CLI sees it arrive."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "reelforge.cli.main", "connect", "tiktok", "--wait", "120"],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    params = consent(url)  # the browser approves at TikTok and is sent back to the callback
    back = httpx.get(f"{deliver}/api/v1/connections/tiktok/callback?{urlencode(params)}")
    assert back.status_code == 200, back.text
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "tiktok connected: Test Creator" in err
    return err


@pytest.mark.slow
def test_with_only_an_api_key_the_cli_connects_posts_and_shows_the_history(
    server: str, tmp_path: Path, fake: tuple[FakeTikTok, FakeServer]
) -> None:
    tiktok, fake_server = fake
    key = _sign_up_and_key(server, tmp_path / "server-home" / "mail")
    env = _env(tmp_path / "laptop", fake_server)
    assert _cli(tmp_path, env, "login", "--server", server, "--api-key", key).returncode == 0

    _connect(tmp_path, env, server)

    clip = tiny_mp4(tmp_path / "short.mp4")
    video = _cli(tmp_path, env, "post", str(clip), "--title", "From the CLI", "--to", "tiktok")
    assert video.returncode == 0, video.stderr
    assert "published on tiktok" in video.stderr
    slides = []
    for n, fmt in enumerate(("PNG", "JPEG", "WEBP")):
        path = tmp_path / f"slide{n}.{fmt.lower()}"
        path.write_bytes(png_bytes(fmt=fmt))
        slides.append(str(path))
    carousel = _cli(tmp_path, env, "post", *slides, "--title", "Three", "--to", "tiktok")
    assert carousel.returncode == 0, carousel.stderr

    history = _cli(tmp_path, env, "posts")
    assert history.returncode == 0, history.stderr
    assert history.stderr.count("PUBLISH_COMPLETE") == 2 and "From the CLI" in history.stderr
    assert len(tiktok.inits) == 2

    listed = _cli(tmp_path, env, "connections")
    connection_id = next(
        word
        for line in listed.stderr.splitlines()
        if "tiktok" in line
        for word in line.split()
        if len(word) == 36
    )
    gone = _cli(tmp_path, env, "disconnect", connection_id)
    assert gone.returncode == 0 and "revoked" in gone.stderr
    assert all(not grant.alive for grant in tiktok.access.values())


def test_posting_without_a_connection_says_how_to_connect(
    tmp_path: Path, fake: tuple[FakeTikTok, FakeServer]
) -> None:
    env = _env(tmp_path / "home", fake[1])
    assert _cli(tmp_path, env, "login", "--local").returncode == 0
    clip = tmp_path / "x.mp4"
    clip.write_bytes(b"not really")
    answer = _cli(tmp_path, env, "post", str(clip), "--to", "tiktok")
    assert answer.returncode == 2 and "reelforge connect tiktok" in answer.stderr


@pytest.mark.slow
def test_locally_the_cli_posts_to_the_outbox_without_a_server(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REELFORGE_")}
    env.update(REELFORGE_HOME=str(tmp_path / "home"), COLUMNS="200")
    assert _cli(tmp_path, env, "login", "--local").returncode == 0
    clip = tiny_mp4(tmp_path / "local.mp4")
    made = _cli(tmp_path, env, "post", str(clip), "--title", "Offline", "--to", "outbox")
    assert made.returncode == 0, made.stderr
    (user_folder,) = [p for p in (tmp_path / "home" / "outbox").iterdir() if p.is_dir()]
    (folder,) = [p for p in user_folder.iterdir() if p.is_dir()]  # outbox/<user>/<post>
    assert (folder / "video.mp4").read_bytes() == clip.read_bytes()
    assert "Offline" in _cli(tmp_path, env, "posts").stderr
    tomorrow = (datetime.now() + timedelta(days=1)).replace(microsecond=0).isoformat()
    later = _cli(tmp_path, env, "post", str(clip), "--to", "outbox", "--at", tomorrow)
    assert later.returncode == 0 and "scheduled for" in later.stderr, later.stderr
    assert "scheduled" in _cli(tmp_path, env, "posts").stderr
