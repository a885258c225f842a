"""PexelsMedia against a local fake that speaks the Pexels API."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from reelforge.config import Settings
from reelforge.errors import ConfigError, ProviderError
from reelforge.providers.base import MediaRequest
from reelforge.providers.media.pexels import PexelsMedia
from tests.fakes.pexels import KEY, FakePexels
from tests.fakes.server import FakeServer, serve


@pytest.fixture
def fake() -> Iterator[tuple[FakePexels, FakeServer]]:
    pexels = FakePexels()
    with serve(pexels.handle) as srv:
        pexels.base_url = srv.base_url
        yield pexels, srv


def configured(settings: Settings, srv: FakeServer, key: str | None = KEY) -> Settings:
    return settings.model_copy(
        update={"pexels_base_url": srv.base_url, "pexels_api_key": SecretStr(key) if key else None}
    )


def photo_request(**kw: object) -> MediaRequest:
    args: dict[str, object] = dict(
        query="stale bread", duration=4.0, width=180, height=320, kinds=("image",)
    )
    args.update(kw)
    return MediaRequest(**args)  # type: ignore[arg-type]


def api_calls(srv: FakeServer) -> list[str]:
    return [r.path for r in srv.requests if not r.path.startswith("/cdn/")]


def test_photo_search_asks_for_portrait_with_the_key_and_records_attribution(
    settings: Settings, fake: tuple[FakePexels, FakeServer], tmp_path: Path
) -> None:
    _, srv = fake
    asset = PexelsMedia(configured(settings, srv)).fetch(photo_request(), cache_dir=tmp_path)
    assert asset is not None
    search = srv.requests[0]
    assert search.path == "/v1/search"
    assert search.headers["authorization"] == KEY
    assert search.arg("query") == "stale bread"
    assert search.arg("orientation") == "portrait"
    assert search.arg("per_page") == "15"
    assert search.arg("size") == "medium"
    assert asset.kind == "image" and asset.provider == "pexels"
    assert asset.author == "Photographer 101"
    assert asset.author_url == "https://www.pexels.com/@p101"
    assert asset.source_url == "https://www.pexels.com/photo/bread-101/"
    assert asset.licence == "Pexels License"
    assert asset.path.is_file() and (asset.width, asset.height) == (80, 120)
    # The cropped 800x1200 portrait rendition is enough for a 320-px-high frame.
    download = next(r for r in srv.requests if r.path.startswith("/cdn/"))
    assert (download.arg("fit"), download.arg("h"), download.arg("w")) == ("crop", "1200", "800")


def test_tall_frames_get_the_larger_large2x_rendition(
    settings: Settings, fake: tuple[FakePexels, FakeServer], tmp_path: Path
) -> None:
    _, srv = fake
    PexelsMedia(configured(settings, srv)).fetch(
        photo_request(width=1080, height=1920), cache_dir=tmp_path
    )
    download = next(r for r in srv.requests if r.path.startswith("/cdn/"))
    assert (download.arg("dpr"), download.arg("h")) == ("2", "650")


def test_video_picks_the_smallest_file_that_fills_the_frame(
    settings: Settings, fake: tuple[FakePexels, FakeServer], tmp_path: Path
) -> None:
    pexels, srv = fake
    provider = PexelsMedia(configured(settings, srv))
    asset = provider.fetch(
        MediaRequest(query="city night traffic", duration=5, width=720, height=1280),
        cache_dir=tmp_path,
    )
    assert asset is not None and asset.kind == "video"
    assert (asset.width, asset.height) == (720, 1280)
    assert pexels.downloads == ["/cdn/videos/201/720x1280.mp4"]
    assert asset.duration == 12.0
    assert asset.author == "Filmmaker 201" and asset.author_url == "https://www.pexels.com/@f201"
    assert asset.source_url == "https://www.pexels.com/video/city-201/"
    assert srv.requests[0].path == "/videos/search"
    assert srv.requests[0].arg("orientation") == "portrait"

    full_hd = provider.fetch(
        MediaRequest(query="city night traffic", duration=5, width=1080, height=1920),
        cache_dir=tmp_path,
    )
    assert full_hd is not None and (full_hd.width, full_hd.height) == (1080, 1920)


def test_the_file_is_downloaded_once_and_reused_by_a_later_run(
    settings: Settings, fake: tuple[FakePexels, FakeServer], tmp_path: Path
) -> None:
    pexels, srv = fake
    first = PexelsMedia(configured(settings, srv)).fetch(photo_request(), cache_dir=tmp_path)
    second = PexelsMedia(configured(settings, srv)).fetch(photo_request(), cache_dir=tmp_path)
    assert first is not None and second is not None
    assert second.path == first.path
    assert len(pexels.downloads) == 1
    assert not [p for p in (tmp_path / "stock").iterdir() if p.name.endswith(".part")]


def test_the_api_key_never_goes_to_the_media_host(
    settings: Settings, fake: tuple[FakePexels, FakeServer], tmp_path: Path
) -> None:
    _, srv = fake
    PexelsMedia(configured(settings, srv)).fetch(photo_request(), cache_dir=tmp_path)
    cdn = [r for r in srv.requests if r.path.startswith("/cdn/")]
    assert cdn and all("authorization" not in r.headers for r in cdn)


def test_consecutive_scenes_with_the_same_query_get_different_shots(
    settings: Settings, fake: tuple[FakePexels, FakeServer], tmp_path: Path
) -> None:
    _, srv = fake
    provider = PexelsMedia(configured(settings, srv))
    a = provider.fetch(photo_request(seed=0), cache_dir=tmp_path)
    b = provider.fetch(photo_request(seed=1), cache_dir=tmp_path)
    assert a is not None and b is not None and a.source_url != b.source_url


def test_rate_limit_with_retry_after_is_waited_out(
    settings: Settings, fake: tuple[FakePexels, FakeServer], tmp_path: Path
) -> None:
    pexels, srv = fake
    pexels.rate_limited = 1
    asset = PexelsMedia(configured(settings, srv)).fetch(photo_request(), cache_dir=tmp_path)
    assert asset is not None
    assert api_calls(srv) == ["/v1/search", "/v1/search"]


def test_exhausted_quota_says_when_it_resets(
    settings: Settings, fake: tuple[FakePexels, FakeServer], tmp_path: Path
) -> None:
    pexels, srv = fake
    pexels.rate_limited = 99
    pexels.retry_after = None
    with pytest.raises(ProviderError) as caught:
        PexelsMedia(configured(settings, srv)).fetch(photo_request(), cache_dir=tmp_path)
    assert caught.value.status == 429 and caught.value.retryable
    assert "Requests left: 0 of 20000" in caught.value.message
    assert "resets at" in caught.value.message
    assert len(api_calls(srv)) == settings.http_max_retries + 1


def test_refused_key_is_a_config_error_naming_the_setting(
    settings: Settings, fake: tuple[FakePexels, FakeServer], tmp_path: Path
) -> None:
    _, srv = fake
    with pytest.raises(ConfigError, match="REELFORGE_PEXELS_API_KEY"):
        PexelsMedia(configured(settings, srv, key="wrong")).fetch(
            photo_request(), cache_dir=tmp_path
        )


def test_refused_own_key_says_it_was_the_users_key(
    settings: Settings, fake: tuple[FakePexels, FakeServer], tmp_path: Path
) -> None:
    _, srv = fake
    provider = PexelsMedia(configured(settings, srv), credential="users-own-wrong-key")
    with pytest.raises(ConfigError, match="your own saved key"):
        provider.fetch(photo_request(), cache_dir=tmp_path)


def test_missing_key_is_a_config_error_before_any_request(
    settings: Settings, fake: tuple[FakePexels, FakeServer]
) -> None:
    _, srv = fake
    with pytest.raises(ConfigError, match="REELFORGE_PEXELS_API_KEY"):
        PexelsMedia(configured(settings, srv, key=None))
    assert srv.requests == []


def test_no_results_returns_none_after_trying_videos_then_photos(
    settings: Settings, fake: tuple[FakePexels, FakeServer], tmp_path: Path
) -> None:
    pexels, srv = fake
    pexels.empty.add("zxqv")
    asset = PexelsMedia(configured(settings, srv)).fetch(
        MediaRequest(query="zxqv", duration=3, width=180, height=320), cache_dir=tmp_path
    )
    assert asset is None
    assert api_calls(srv) == ["/videos/search", "/v1/search"]
