"""PixabayMedia against a local fake that speaks the Pixabay API."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from reelforge.config import Settings
from reelforge.errors import ConfigError, ProviderError
from reelforge.providers.base import MediaRequest
from reelforge.providers.media.pixabay import PixabayMedia
from tests.fakes.pixabay import KEY, FakePixabay
from tests.fakes.server import FakeServer, serve


@pytest.fixture
def fake() -> Iterator[tuple[FakePixabay, FakeServer]]:
    pixabay = FakePixabay()
    with serve(pixabay.handle) as srv:
        pixabay.base_url = srv.base_url
        yield pixabay, srv


def configured(settings: Settings, srv: FakeServer, key: str | None = KEY) -> Settings:
    return settings.model_copy(
        update={
            "pixabay_base_url": srv.base_url,
            "pixabay_api_key": SecretStr(key) if key else None,
        }
    )


def image_request(**kw: object) -> MediaRequest:
    args: dict[str, object] = dict(
        query="stale bread", duration=4.0, width=180, height=320, kinds=("image",)
    )
    args.update(kw)
    return MediaRequest(**args)  # type: ignore[arg-type]


def video_request(**kw: object) -> MediaRequest:
    return image_request(kinds=("video",), query="city night traffic", **kw)


def api_calls(srv: FakeServer) -> list[str]:
    return [r.path for r in srv.requests if not r.path.startswith("/cdn/")]


def test_image_search_sends_key_vertical_and_safesearch_and_records_attribution(
    settings: Settings, fake: tuple[FakePixabay, FakeServer], tmp_path: Path
) -> None:
    _, srv = fake
    asset = PixabayMedia(configured(settings, srv)).fetch(image_request(), cache_dir=tmp_path)
    assert asset is not None
    search = srv.requests[0]
    assert search.path == "/api/"
    assert search.arg("key") == KEY
    assert search.arg("q") == "stale bread"
    assert search.arg("orientation") == "vertical"
    assert search.arg("safesearch") == "true"
    assert search.arg("image_type") == "photo"
    assert asset.kind == "image" and asset.provider == "pixabay"
    assert asset.author == "maker301"
    assert asset.author_url == "https://pixabay.com/users/maker301-3010/"
    assert asset.source_url == "https://pixabay.com/photos/bread-301/"
    assert asset.licence == "Pixabay Content License"
    assert (asset.width, asset.height) == (64, 96)


def test_video_uses_the_smallest_rendition_that_fills_the_frame_and_skips_empty_large(
    settings: Settings, fake: tuple[FakePixabay, FakeServer], tmp_path: Path
) -> None:
    pixabay, srv = fake
    asset = PixabayMedia(configured(settings, srv)).fetch(
        video_request(width=720, height=1280), cache_dir=tmp_path
    )
    assert asset is not None and asset.kind == "video"
    assert (asset.width, asset.height) == (720, 1280)
    assert pixabay.downloads == ["/cdn/video/401_small.mp4"]
    assert asset.duration == 14.0
    assert asset.author == "filmer401" and asset.source_url == "https://pixabay.com/videos/id-401/"
    search = srv.requests[0]
    assert search.path == "/api/videos/" and search.arg("orientation") is None


def test_landscape_videos_are_still_used_when_nothing_portrait_exists(
    settings: Settings, fake: tuple[FakePixabay, FakeServer], tmp_path: Path
) -> None:
    pixabay, srv = fake
    pixabay.landscape_only = True
    asset = PixabayMedia(configured(settings, srv)).fetch(video_request(), cache_dir=tmp_path)
    assert asset is not None and asset.width > asset.height


def test_the_file_is_downloaded_once_and_reused_by_a_later_run(
    settings: Settings, fake: tuple[FakePixabay, FakeServer], tmp_path: Path
) -> None:
    pixabay, srv = fake
    first = PixabayMedia(configured(settings, srv)).fetch(video_request(), cache_dir=tmp_path)
    second = PixabayMedia(configured(settings, srv)).fetch(video_request(), cache_dir=tmp_path)
    assert first is not None and second is not None and first.path == second.path
    assert len(pixabay.downloads) == 1
    assert all("key" not in r.query for r in srv.requests if r.path.startswith("/cdn/"))


def test_rate_limit_with_retry_after_is_waited_out(
    settings: Settings, fake: tuple[FakePixabay, FakeServer], tmp_path: Path
) -> None:
    pixabay, srv = fake
    pixabay.rate_limited = 1
    assert PixabayMedia(configured(settings, srv)).fetch(image_request(), cache_dir=tmp_path)
    assert api_calls(srv) == ["/api/", "/api/"]


def test_exhausted_rate_limit_reports_the_text_error_and_the_reset(
    settings: Settings, fake: tuple[FakePixabay, FakeServer], tmp_path: Path
) -> None:
    pixabay, srv = fake
    pixabay.rate_limited = 99
    with pytest.raises(ProviderError) as caught:
        PixabayMedia(configured(settings, srv)).fetch(image_request(), cache_dir=tmp_path)
    assert caught.value.status == 429 and caught.value.retryable
    assert "[ERROR 429]" in caught.value.message
    assert "Requests left: 0 of 100" in caught.value.message and "resets at" in caught.value.message


def test_invalid_key_text_error_becomes_a_config_error_naming_the_setting(
    settings: Settings, fake: tuple[FakePixabay, FakeServer], tmp_path: Path
) -> None:
    _, srv = fake
    with pytest.raises(ConfigError) as caught:
        PixabayMedia(configured(settings, srv, key="wrong")).fetch(
            image_request(), cache_dir=tmp_path
        )
    assert "REELFORGE_PIXABAY_API_KEY" in caught.value.message
    assert "Invalid API key" in caught.value.message


def test_missing_key_is_a_config_error(
    settings: Settings, fake: tuple[FakePixabay, FakeServer]
) -> None:
    _, srv = fake
    with pytest.raises(ConfigError, match="REELFORGE_PIXABAY_API_KEY"):
        PixabayMedia(configured(settings, srv, key=None))


def test_long_queries_are_cut_to_pixabays_100_characters(
    settings: Settings, fake: tuple[FakePixabay, FakeServer], tmp_path: Path
) -> None:
    _, srv = fake
    long_query = "bread " * 40
    assert PixabayMedia(configured(settings, srv)).fetch(
        image_request(query=long_query), cache_dir=tmp_path
    )
    assert len(srv.requests[0].arg("q") or "") == 100


def test_no_hits_returns_none(
    settings: Settings, fake: tuple[FakePixabay, FakeServer], tmp_path: Path
) -> None:
    pixabay, srv = fake
    pixabay.empty.add("zxqv")
    assert (
        PixabayMedia(configured(settings, srv)).fetch(
            MediaRequest(query="zxqv", duration=3, width=180, height=320), cache_dir=tmp_path
        )
        is None
    )
    assert api_calls(srv) == ["/api/videos/", "/api/"]
