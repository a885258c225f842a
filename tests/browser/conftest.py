"""Browser journeys: Debian's Chromium driven by Playwright against a real
``reelforge serve --with-worker`` on a loopback port with its own home.

Playwright cannot download a browser here, so these tests use
``/usr/bin/chromium`` (``make test`` installs Debian's ``chromium`` package when
it can) and skip with the reason when it or Playwright is missing. Every page a
test visits is screenshotted at 1280 px and at a 390 px phone width under the
test's tmp dir, checked for horizontal scrolling at 390 px, and the test fails
on any console error or failed request it did not expect.
"""

from __future__ import annotations

import email
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

CHROMIUM = Path(os.environ.get("REELFORGE_TEST_CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
CODE = re.compile(r"\b(\d{6})\b")
SHOTS = os.environ.get("REELFORGE_SCREENSHOTS")  # a folder: also copy screenshots there

try:
    from playwright.sync_api import Browser, ConsoleMessage, Page, Request, sync_playwright

    HAVE_PLAYWRIGHT = True
except ImportError:  # pragma: no cover - playwright is a dev dependency
    HAVE_PLAYWRIGHT = False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))


def _skip_reason() -> str | None:
    if not HAVE_PLAYWRIGHT:
        return "Playwright is not installed (make setup installs it with the dev tools)"
    if not CHROMIUM.exists():
        return (
            f"no Chromium at {CHROMIUM}: run `apt-get install chromium` (make test does it when "
            "it runs as root) or set REELFORGE_TEST_CHROMIUM to a Chromium binary"
        )
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    home: Path

    def latest_code(self, address: str) -> str:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            for path in sorted((self.home / "mail").glob("*.eml"), reverse=True):
                message = email.message_from_bytes(path.read_bytes())
                if message["To"] == address and (found := CODE.search(str(message["Subject"]))):
                    return found.group(1)
            time.sleep(0.1)
        raise AssertionError(f"no sign-in code mailed to {address}")


def server_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REELFORGE_")}
    if "REELFORGE_FFMPEG" in os.environ:
        env["REELFORGE_FFMPEG"] = os.environ["REELFORGE_FFMPEG"]
    env.update(
        {
            "REELFORGE_HOME": str(home),
            "REELFORGE_PRESET": "vertical-fast",  # small frames: a render takes seconds
            "REELFORGE_WORKER_THREADS": "2",
        }
    )
    return env


@contextmanager
def running_server(home: Path, *, extra_env: dict[str, str] | None = None) -> Iterator[Server]:
    """`reelforge serve --with-worker`, as `make run` starts it, on a free loopback port with
    its own home (``extra_env`` points it at fakes); stopped when the block ends."""
    if (reason := _skip_reason()) is not None:
        pytest.skip(reason)
    home.parent.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    log = (home.parent / "server.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "reelforge.cli.main", "serve", "--port", str(port), "--with-worker"],
        env={**server_env(home), **(extra_env or {})},
        cwd=home.parent,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
            if proc.poll() is not None:
                raise AssertionError((home.parent / "server.log").read_text())
        else:
            raise AssertionError("the server did not start in 90 s")
        yield Server(url=url, home=home)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("server") / "home") as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if (reason := _skip_reason()) is not None:
        pytest.skip(reason)
    with sync_playwright() as playwright:
        # launch() gives every run a fresh, empty profile (user-data dir)
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


@dataclass
class Visit:
    """A page plus what went wrong in it; ``expect_errors`` allows the next N console errors."""

    page: Page
    server: Server
    shots: Path
    problems: list[str] = field(default_factory=list)
    allowed: list[str] = field(default_factory=list)

    def goto(self, path: str) -> Any:
        return self.page.goto(self.server.url + path)

    def allow(self, fragment: str) -> None:
        """The next console error or failed request containing ``fragment`` is expected."""
        self.allowed.append(fragment)

    def _problem(self, text: str) -> None:
        for i, fragment in enumerate(self.allowed):
            if fragment in text:
                del self.allowed[i]
                return
        self.problems.append(text)

    def shoot(self, name: str) -> None:
        """Screenshots at 1280 px and 390 px; at 390 px nothing may scroll sideways."""
        self.page.wait_for_load_state("networkidle")
        self.page.set_viewport_size({"width": 1280, "height": 900})
        self.page.screenshot(path=str(self.shots / f"{name}-1280.png"), full_page=True)
        self.page.set_viewport_size({"width": 390, "height": 844})
        self.page.wait_for_timeout(100)
        wide = self.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        self.page.screenshot(path=str(self.shots / f"{name}-390.png"), full_page=True)
        self.page.set_viewport_size({"width": 1280, "height": 900})
        assert wide <= 0, f"{name}: the page scrolls sideways by {wide} px at 390 px wide"
        if SHOTS:
            folder = Path(SHOTS)
            folder.mkdir(parents=True, exist_ok=True)
            for width in (1280, 390):
                shot = self.shots / f"{name}-{width}.png"
                (folder / shot.name).write_bytes(shot.read_bytes())

    def sign_in(self, address: str, *, new: bool = True) -> None:
        """The way a person signs in: ask for a code, read it from the mail folder, enter it."""
        self.goto("/signin")
        self.page.get_by_label("Email address").first.fill(address)
        self.page.get_by_role("button", name="Email me a sign-in code").click()
        self.page.get_by_label("Sign-in code").fill(self.server.latest_code(address))
        if new:
            self.page.get_by_label("I am 13 or older").check()
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state("networkidle")


@pytest.fixture
def visit(browser: Browser, server: Server, tmp_path: Path) -> Iterator[Visit]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    shots = tmp_path / "screenshots"
    shots.mkdir()
    seen = Visit(page=page, server=server, shots=shots)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            seen._problem(f"console error: {message.text}")

    def on_failed(request: Request) -> None:
        failure = request.failure or ""
        if "ERR_ABORTED" in failure:
            return  # a navigation or download that replaced the request
        seen._problem(f"request failed: {request.method} {request.url} ({failure})")

    page.on("console", on_console)
    page.on("requestfailed", on_failed)
    page.on("pageerror", lambda exc: seen._problem(f"page error: {exc}"))
    yield seen
    context.close()
    assert seen.problems == [], "\n".join(seen.problems)
