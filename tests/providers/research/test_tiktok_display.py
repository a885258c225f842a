"""TikTokDisplay (the user's own videos) against a local fake of the Display API."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from reelforge.config import Settings
from reelforge.errors import ConfigError, ProviderError
from reelforge.providers.research.tiktok_display import TikTokDisplay
from reelforge.providers.types.research import CreatorRef
from tests.fakes.server import FakeServer, serve
from tests.fakes.tiktok_display import TOKEN, FakeTikTokDisplay, own_video

ME = CreatorRef(platform="tiktok", handle="me")
NOW = datetime(2024, 6, 30, 12, tzinfo=UTC)


@pytest.fixture
def fake() -> Iterator[tuple[FakeTikTokDisplay, FakeServer]]:
    display = FakeTikTokDisplay(
        videos=[
            own_video(f"v{i}", created=NOW - timedelta(days=i), title=f"Day {i}", views=10 * i)
            for i in range(45)
        ]
    )
    with serve(display.handle) as srv:
        yield display, srv


def client(settings: Settings, srv: FakeServer, token: str = TOKEN) -> TikTokDisplay:
    return TikTokDisplay(
        settings.model_copy(update={"tiktok_api_base_url": srv.base_url}), credential=token
    )


def test_video_list_pages_with_a_millisecond_cursor(
    settings: Settings, fake: tuple[FakeTikTokDisplay, FakeServer]
) -> None:
    _, srv = fake
    pages = list(client(settings, srv).videos(ME))
    assert [len(p) for p in pages] == [20, 20, 5]
    bodies = [r.json() for r in srv.requests]
    assert bodies[0] == {"max_count": 20}
    assert bodies[1]["cursor"] == int((NOW - timedelta(days=19)).timestamp()) * 1000
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in srv.requests)
    first = pages[0][0]
    assert (first.platform_video_id, first.title, first.views, first.shares) == (
        "v0",
        "Day 0",
        0,
        0,
    )
    assert first.hashtags == ["mine"] and first.duration_s == 20
    assert first.url == "https://www.tiktok.com/@me/video/v0"
    assert "cover_image_url" not in (
        srv.requests[0].arg("fields") or ""
    )  # P14: counts and text only


def test_since_stops_at_older_videos(
    settings: Settings, fake: tuple[FakeTikTokDisplay, FakeServer]
) -> None:
    _, srv = fake
    videos = [
        v
        for p in client(settings, srv).videos(ME, since=NOW - timedelta(days=4, hours=1))
        for v in p
    ]
    assert [v.platform_video_id for v in videos] == ["v0", "v1", "v2", "v3", "v4"]
    assert len(srv.requests) == 1


def test_query_asks_20_ids_at_a_time(
    settings: Settings, fake: tuple[FakeTikTokDisplay, FakeServer]
) -> None:
    _, srv = fake
    ids = [f"v{i}" for i in range(25)]
    videos = client(settings, srv).query(ids, creator=ME)
    assert {v.platform_video_id for v in videos} == set(ids)
    assert [len(r.json()["filters"]["video_ids"]) for r in srv.requests] == [20, 5]


def test_profile_reads_open_id_and_name(
    settings: Settings, fake: tuple[FakeTikTokDisplay, FakeServer]
) -> None:
    _, srv = fake
    profile = client(settings, srv).profile(ME)
    assert (profile.platform_id, profile.display_name, profile.handle) == ("open-123", "Me", "me")


def test_error_codes_with_http_200_and_a_revoked_token(
    settings: Settings, fake: tuple[FakeTikTokDisplay, FakeServer]
) -> None:
    display, srv = fake
    display.errors_200 = [("scope_not_authorized", "video.list not granted")]
    with pytest.raises(ProviderError, match=r"allow the video\.list permission"):
        list(client(settings, srv).videos(ME))
    with pytest.raises(ProviderError, match="Reconnect TikTok"):
        list(client(settings, srv, token="act.revoked").videos(ME))


def test_429_then_success(settings: Settings, fake: tuple[FakeTikTokDisplay, FakeServer]) -> None:
    display, srv = fake
    display.rate_limited = 1
    assert len(client(settings, srv).query(["v1"])) == 1
    assert len(srv.requests) == 2


def test_no_connection_no_client(settings: Settings) -> None:
    with pytest.raises(ConfigError, match="connected"):
        TikTokDisplay(settings)
