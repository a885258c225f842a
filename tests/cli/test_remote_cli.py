"""The CLI against a real running server, with only an API key — and in local mode."""

from __future__ import annotations

import email
import os
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from reelforge.av.ffmpeg import probe


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REELFORGE_")}
    env.update(REELFORGE_HOME=str(home), REELFORGE_X264_PRESET="ultrafast", **extra)
    return env


def reelforge(cwd: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reelforge.cli.main", *args],
        cwd=cwd,
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=600,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """`reelforge serve --with-worker`, as `make run` starts it."""
    port = _free_port()
    home = tmp_path / "server-home"
    proc = subprocess.Popen(
        [sys.executable, "-m", "reelforge.cli.main", "serve", "--port", str(port), "--with-worker"],
        env=_env(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise AssertionError("server did not start")
    yield url
    proc.terminate()
    proc.wait(timeout=30)


def _sign_up_and_key(url: str, mail_dir: Path) -> str:
    assert (
        httpx.post(f"{url}/api/v1/auth/code", json={"email": "cli@example.com"}).status_code == 202
    )
    newest = max(mail_dir.glob("*.eml"), key=lambda p: p.stat().st_mtime)
    text = email.message_from_bytes(newest.read_bytes()).get_payload(decode=True).decode()  # type: ignore[union-attr]
    code = next(word for word in text.split() if word.isdigit() and len(word) == 6)
    verified = httpx.post(
        f"{url}/api/v1/auth/verify",
        json={"email": "cli@example.com", "code": code, "age_confirmed": True},
    )
    token = verified.json()["token"]
    made = httpx.post(
        f"{url}/api/v1/api-keys",
        json={"name": "laptop"},
        headers={"Authorization": f"Bearer {token}"},
    )
    return str(made.json()["key"])


@pytest.mark.slow
def test_with_only_an_api_key_the_cli_makes_a_video_on_a_server(
    server: str, tmp_path: Path
) -> None:
    key = _sign_up_and_key(server, tmp_path / "server-home" / "mail")
    client_home = tmp_path / "laptop"
    login = reelforge(tmp_path, client_home, "login", "--server", server, "--api-key", key)
    assert login.returncode == 0, login.stderr
    assert "cli@example.com" in login.stderr
    assert (client_home / "cli-login.json").stat().st_mode & 0o777 == 0o600

    made = reelforge(
        tmp_path,
        client_home,
        "make",
        "why ice floats",
        "--size",
        "180x320",
        "--fps",
        "24",
        "--voice",
        "none",
    )
    assert made.returncode == 0, made.stderr
    video = tmp_path / "out" / "why-ice-floats.mp4"
    assert probe(video).width == 180
    assert (tmp_path / "out" / "why-ice-floats.srt").exists()
    assert not (client_home / "projects").exists()  # rendered by the server, not here


def test_a_wrong_api_key_is_refused_with_what_to_do(server: str, tmp_path: Path) -> None:
    login = reelforge(
        tmp_path, tmp_path / "laptop", "login", "--server", server, "--api-key", "rf_live_nope"
    )
    assert login.returncode == 2
    assert "login" in login.stderr


def test_local_login_works_without_a_server(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert reelforge(tmp_path, home, "login", "--local").returncode == 0
    who = reelforge(tmp_path, home, "whoami")
    assert who.returncode == 0, who.stderr
    assert "you@reelforge.local" in who.stderr
    exported = reelforge(tmp_path, home, "export", "-o", "mine.zip")
    assert exported.returncode == 0, exported.stderr
    assert zipfile.ZipFile(tmp_path / "mine.zip").read("account.json")


def test_commands_that_need_the_service_say_how_to_log_in(tmp_path: Path) -> None:
    who = reelforge(tmp_path, tmp_path / "home", "whoami")
    assert who.returncode == 2
    assert "reelforge login --local" in who.stderr
