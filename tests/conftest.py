"""Shared fixtures: isolated settings per test, no real network."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reelforge.config import Settings, load_settings


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings rooted in a temp home, with fast retries so error tests do not sleep."""
    monkeypatch.chdir(tmp_path)
    for name in list(__import__("os").environ):
        if name.startswith("REELFORGE_") and name != "REELFORGE_FFMPEG":
            monkeypatch.delenv(name, raising=False)
    return load_settings(
        home=tmp_path / "home",
        out_dir=tmp_path / "out",
        http_backoff_s=0.01,
        http_max_retries=2,
    )


@pytest.fixture(autouse=True)
def _fresh_services() -> Iterator[None]:
    """Each test gets its own process-wide services (database engines, queue)."""
    yield
    from reelforge.runtime import forget_runtimes

    forget_runtimes()
