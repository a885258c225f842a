"""YouTubeResearch against a local fake of the Data API v3."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import SecretStr

from reelforge.config import Settings
from reelforge.errors import ConfigError, InputError, ProviderError
from reelforge.providers.research import QuotaBudget, collect, is_quota_error
from reelforge.providers.research.youtube import YouTubeResearch, parse_duration
from reelforge.providers.types.research import CreatorRef
from tests.fakes.server import FakeServer, serve
from tests.fakes.youtube_data import KEY, PREFIX, FakeYouTubeData, yt_video

CHANNEL_ID = "UC" + "a" * 22
BREADLAB = CreatorRef(platform="youtube", handle="BreadLab")
START = datetime(2024, 1, 1, tzinfo=UTC)


def uploads(n: int) -> list[dict[str, object]]:
    """``n`` videos, newest first, one a day."""
    return [
        yt_video(
            f"vid{i:03d}",
            title=f"Bread tip {i} #bread",
            published=(START + timedelta(days=i)).isoformat().replace("+00:00", "Z"),
            views=1000 + i,
            duration="PT1M5S",
        )
        for i in reversed(range(n))
    ]


@pytest.fixture
def fake() -> Iterator[tuple[FakeYouTubeData, FakeServer]]:
    youtube = FakeYouTubeData()
    youtube.add_channel("BreadLab", CHANNEL_ID, uploads(120), title="Bread Lab", subscribers=52000)
    with serve(youtube.handle) as srv:
        yield youtube, srv


def client(
    settings: Settings,
    srv: FakeServer,
    *,
    key: str | None = KEY,
    credential: str | None = None,
    quota: QuotaBudget | None = None,
) -> YouTubeResearch:
    configured = settings.model_copy(
        update={
            "youtube_base_url": srv.base_url + PREFIX,
            "youtube_api_key": SecretStr(key) if key else None,
        }
    )
    source = YouTubeResearch(configured, credential=credential)
    if quota is not None:
        source.use_budgets({"units": quota})
    return source


def test_channel_by_handle_then_uploads_paged_50_at_a_time(
    settings: Settings, fake: tuple[FakeYouTubeData, FakeServer]
) -> None:
    youtube, srv = fake
    yt = client(settings, srv)
    pages = list(yt.videos(BREADLAB))
    assert [len(p) for p in pages] == [50, 50, 20]
    videos = [v for p in pages for v in p]
    assert len({v.platform_video_id for v in videos}) == 120
    newest = videos[0]
    assert newest.platform_video_id == "vid119" and newest.views == 1119 and newest.likes == 10
    assert newest.shares is None and newest.duration_s == 65 and newest.hashtags == ["bread"]
    assert newest.published_at == START + timedelta(days=119)
    assert newest.url == "https://www.youtube.com/watch?v=vid119"
    calls = [(r.path.removeprefix(PREFIX), r.arg("pageToken")) for r in srv.requests]
    assert calls[0] == ("/channels", None) and srv.requests[0].arg("forHandle") == "@BreadLab"
    playlist = [r for r in srv.requests if r.path.endswith("/playlistItems")]
    assert [r.arg("maxResults") for r in playlist] == ["50", "50", "50"]
    assert playlist[0].arg("pageToken") is None and playlist[1].arg("pageToken")
    assert all(
        len((r.arg("id") or "").split(",")) <= 50
        for r in srv.requests
        if r.path.endswith("/videos")
    )
    assert all(r.arg("key") == KEY for r in srv.requests)
    assert (
        yt.quota.used == 7 == youtube.used_units
    )  # 1 channel + 3 playlist pages + 3 video batches


def test_profile_by_channel_id_reads_string_statistics(
    settings: Settings, fake: tuple[FakeYouTubeData, FakeServer]
) -> None:
    _, srv = fake
    profile = client(settings, srv).profile(CreatorRef(platform="youtube", platform_id=CHANNEL_ID))
    assert srv.requests[0].arg("id") == CHANNEL_ID
    assert (profile.handle, profile.display_name, profile.followers, profile.platform_id) == (
        "breadlab", "Bread Lab", 52000, CHANNEL_ID,
    )  # fmt: skip


def test_hidden_and_absent_statistics_are_unknown(settings: Settings) -> None:
    youtube = FakeYouTubeData()
    hidden = yt_video(
        "x1", title="Quiet", published="2024-02-01T10:00:00Z", views=500, likes=None, comments=None
    )
    youtube.add_channel("quiet", "UC" + "q" * 22, [hidden], subscribers=None)
    with serve(youtube.handle) as srv:
        yt = client(settings, srv)
        (video,) = [
            v for page in yt.videos(CreatorRef(platform="youtube", handle="quiet")) for v in page
        ]
        assert (video.views, video.likes, video.comments) == (500, None, None)
        assert yt.profile(CreatorRef(platform="youtube", handle="quiet")).followers is None


def test_unknown_handle_and_a_channel_without_uploads(settings: Settings) -> None:
    youtube = FakeYouTubeData()
    youtube.add_channel("empty", "UC" + "e" * 22, [])
    with serve(youtube.handle) as srv:
        yt = client(settings, srv)
        with pytest.raises(InputError, match="No YouTube channel @nobody"):
            yt.profile(CreatorRef(platform="youtube", handle="nobody"))
        assert (
            list(yt.videos(CreatorRef(platform="youtube", handle="empty"))) == []
        )  # 404 playlistNotFound


def test_quota_exceeded_stops_cleanly_keeping_what_was_fetched(settings: Settings) -> None:
    youtube = FakeYouTubeData(quota_units=3)  # channel + one playlist page + one video batch
    youtube.add_channel("BreadLab", CHANNEL_ID, uploads(120))
    with serve(youtube.handle) as srv:
        stored: list[int] = []
        outcome = collect(
            client(settings, srv).videos(BREADLAB), on_page=lambda p: stored.append(len(p))
        )
    assert stored == [50] and len(outcome.videos) == 50
    assert outcome.complete is False
    assert (
        outcome.stopped
        and "quotaExceeded" in outcome.stopped
        and "midnight Pacific time" in outcome.stopped
    )
    assert outcome.resets_at is not None
    resets = datetime.fromisoformat(outcome.resets_at)
    assert resets.astimezone(__import__("zoneinfo").ZoneInfo("America/Los_Angeles")).hour == 0


def test_quota_exceeded_is_a_clear_non_retryable_error(settings: Settings) -> None:
    youtube = FakeYouTubeData(quota_units=0)
    with serve(youtube.handle) as srv, pytest.raises(ProviderError) as caught:
        client(settings, srv).profile(BREADLAB)
    assert caught.value.retryable is False and is_quota_error(caught.value)
    assert "resets at midnight Pacific time" in caught.value.message
    assert len(srv.requests) == 1  # a 403 is not retried


def test_local_quota_budget_is_respected_before_calling(
    settings: Settings, fake: tuple[FakeYouTubeData, FakeServer]
) -> None:
    youtube, srv = fake
    budget = QuotaBudget(
        "youtube",
        limit=2,
        resets_at=datetime(2030, 1, 1, 8, tzinfo=UTC),
        reset_rule="midnight Pacific time",
    )
    outcome = collect(client(settings, srv, quota=budget).videos(BREADLAB))
    assert outcome.videos == [] and outcome.complete is False
    assert youtube.used_units == 2 and budget.used == 2
    assert "Try again after 2030-01-01 08:00 UTC" in (outcome.stopped or "")
    costly = settings.model_copy(update={"youtube_quota_costs": {"channels.list": 5}})
    with pytest.raises(ProviderError, match="needs 5"):
        client(
            costly, srv, quota=QuotaBudget("youtube", limit=4, resets_at=budget.resets_at)
        ).profile(BREADLAB)


def test_429_then_success_is_retried(
    settings: Settings, fake: tuple[FakeYouTubeData, FakeServer]
) -> None:
    youtube, srv = fake
    youtube.fail = [(429, "0"), (503, None)]
    profile = client(settings, srv).profile(BREADLAB)
    assert profile.display_name == "Bread Lab" and len(srv.requests) == 3


def test_a_refused_key_names_the_setting(
    settings: Settings, fake: tuple[FakeYouTubeData, FakeServer]
) -> None:
    _, srv = fake
    with pytest.raises(ConfigError, match="REELFORGE_YOUTUBE_API_KEY"):
        client(settings, srv, key="wrong").profile(BREADLAB)
    with pytest.raises(ConfigError, match="your own YouTube key"):
        client(settings, srv, key=None, credential="wrong").profile(BREADLAB)
    with pytest.raises(ConfigError):
        client(settings, srv, key=None)


def test_since_stops_paging_at_older_uploads(
    settings: Settings, fake: tuple[FakeYouTubeData, FakeServer]
) -> None:
    _, srv = fake
    since = START + timedelta(days=100)
    videos = [v for page in client(settings, srv).videos(BREADLAB, since=since) for v in page]
    assert len(videos) == 20 and all(v.published_at >= since for v in videos)
    assert len([r for r in srv.requests if r.path.endswith("/playlistItems")]) == 1


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("PT1M3S", 63),
        ("PT45S", 45),
        ("P1DT2H", 93600),
        ("P0D", 0),
        ("PT1H0M0.5S", 3600.5),
        ("", None),
        ("PT", None),
        ("1:03", None),
    ],
)
def test_iso_8601_durations(text: str, seconds: float | None) -> None:
    assert parse_duration(text) == seconds
