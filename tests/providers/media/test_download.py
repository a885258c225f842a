"""The stock download cache: once per URL, never a half file that looks finished."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from reelforge.config import Settings
from reelforge.errors import ProviderError
from reelforge.providers.media.download import DownloadCache, cache_key, suffix_for

URL = "https://cdn.example.test/video/123_small.mp4?token=abc"


class _BrokenStream(httpx.SyncByteStream):
    """Sends some bytes, then the connection drops (as when a download is killed)."""

    def __iter__(self) -> Iterator[bytes]:
        yield b"x" * 1000
        raise httpx.ReadError("connection reset")


def test_the_file_is_named_by_the_hash_of_its_url(settings: Settings, tmp_path: Path) -> None:
    calls: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        return httpx.Response(200, content=b"video bytes")

    cache = DownloadCache(settings, provider="test", transport=httpx.MockTransport(answer))
    path = cache.fetch(URL, cache_dir=tmp_path, suffix=".mp4")
    assert path == tmp_path / "stock" / f"{cache_key(URL)}.mp4"
    assert path.read_bytes() == b"video bytes"
    assert cache.fetch(URL, cache_dir=tmp_path, suffix=".mp4") == path
    assert calls == [URL]


def test_an_interrupted_download_leaves_no_file_behind(settings: Settings, tmp_path: Path) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Length": "5000"}, stream=_BrokenStream())

    cache = DownloadCache(
        settings.model_copy(update={"http_max_retries": 0}),
        provider="test",
        transport=httpx.MockTransport(answer),
    )
    with pytest.raises(ProviderError) as caught:
        cache.fetch(URL, cache_dir=tmp_path, suffix=".mp4")
    assert caught.value.retryable
    assert list((tmp_path / "stock").iterdir()) == []


def test_a_transient_failure_is_retried(settings: Settings, tmp_path: Path) -> None:
    answers = iter([httpx.Response(503), httpx.Response(200, content=b"ok")])
    cache = DownloadCache(
        settings, provider="test", transport=httpx.MockTransport(lambda _: next(answers))
    )
    assert cache.fetch(URL, cache_dir=tmp_path, suffix=".mp4").read_bytes() == b"ok"


def test_a_file_over_the_size_limit_is_refused(settings: Settings, tmp_path: Path) -> None:
    big = settings.model_copy(update={"stock_max_download_mb": 1})
    cache = DownloadCache(
        big,
        provider="test",
        transport=httpx.MockTransport(
            lambda _: httpx.Response(200, content=b"x" * (2 * 1024 * 1024))
        ),
    )
    with pytest.raises(ProviderError, match="REELFORGE_STOCK_MAX_DOWNLOAD_MB"):
        cache.fetch(URL, cache_dir=tmp_path, suffix=".mp4")
    assert list((tmp_path / "stock").iterdir()) == []


def test_suffix_comes_from_the_url_path_not_its_query() -> None:
    assert suffix_for(URL, default=".bin") == ".mp4"
    assert suffix_for("https://x.test/photo.jpeg?w=800", default=".jpg") == ".jpeg"
    assert suffix_for("https://x.test/get/abc", default=".jpg") == ".jpg"
