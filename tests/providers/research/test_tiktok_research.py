"""TikTokResearch against a local fake of the Research API."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from pydantic import SecretStr

from reelforge.config import Settings
from reelforge.errors import ConfigError, ProviderError
from reelforge.providers.research import QuotaBudget, collect, is_quota_error
from reelforge.providers.research.tiktok_research import TikTokResearch, parse_client_credentials
from reelforge.providers.types.research import CreatorRef
from tests.fakes.server import FakeServer, serve
from tests.fakes.tiktok_research import CLIENT_KEY, CLIENT_SECRET, FakeTikTokResearch, tt_video

TODAY = date(2024, 6, 30)
NOON = datetime(2024, 6, 30, 12, tzinfo=UTC)
BREADLAB = CreatorRef(platform="tiktok", handle="breadlab")


def videos_every(days: int, count: int, *, username: str = "breadlab") -> list[dict[str, object]]:
    return [
        tt_video(1000 + i, username=username, created=NOON - timedelta(days=i * days), views=100 + i,
                 description=f"Crumb shot {i} #bread", hashtags=["sourdough"])
        for i in range(count)
    ]  # fmt: skip


@pytest.fixture
def fake() -> Iterator[tuple[FakeTikTokResearch, FakeServer]]:
    research = FakeTikTokResearch(videos=videos_every(3, 60))  # 180 days of posts
    research.users["breadlab"] = {
        "display_name": "Bread Lab",
        "follower_count": 8800,
        "bio_description": "x",
    }
    with serve(research.handle) as srv:
        yield research, srv


def client(
    settings: Settings,
    srv: FakeServer,
    *,
    credential: str | None = None,
    requests_budget: QuotaBudget | None = None,
    records_budget: QuotaBudget | None = None,
    **tiktok_settings: object,
) -> TikTokResearch:
    overrides: dict[str, object] = {
        "tiktok_api_base_url": srv.base_url,
        "tiktok_research_client_key": SecretStr(CLIENT_KEY),
        "tiktok_research_client_secret": SecretStr(CLIENT_SECRET),
        "tiktok_research_horizon_days": 90,
        **tiktok_settings,
    }
    source = TikTokResearch(settings.model_copy(update=overrides), credential=credential)
    source.today = TODAY
    budgets = {"requests": requests_budget, "records": records_budget}
    source.use_budgets({unit: b for unit, b in budgets.items() if b is not None})
    return source


def test_client_credentials_token_then_bearer_queries(
    settings: Settings, fake: tuple[FakeTikTokResearch, FakeServer]
) -> None:
    _, srv = fake
    profile = client(settings, srv).profile(BREADLAB)
    token_call, info_call = srv.requests
    assert token_call.path == "/v2/oauth/token/"
    assert token_call.form() == {
        "client_key": CLIENT_KEY,
        "client_secret": CLIENT_SECRET,
        "grant_type": "client_credentials",
    }
    assert info_call.headers["authorization"] == "Bearer clt.token1"
    assert info_call.arg("fields") == "display_name,follower_count"
    assert info_call.json() == {"username": "breadlab"}
    assert (profile.display_name, profile.followers) == ("Bread Lab", 8800)


def test_videos_walk_30_day_windows_back_to_the_horizon(
    settings: Settings, fake: tuple[FakeTikTokResearch, FakeServer]
) -> None:
    research, srv = fake
    pages = list(client(settings, srv).videos(BREADLAB))
    windows = [(q["start_date"], q["end_date"]) for q in research.queries]
    assert windows == [
        ("20240601", "20240630"),
        ("20240502", "20240531"),
        ("20240402", "20240501"),
        ("20240401", "20240401"),  # the horizon: 90 days before 2024-06-30
    ]
    videos = [v for page in pages for v in page]
    assert len(videos) == 31  # every 3rd day from 2024-06-30 back to 2024-04-01
    assert min(v.published_at for v in videos).date() >= date(2024, 4, 1)
    first = videos[0]
    assert first.platform_video_id == "1000" and first.views == 100 and first.shares == 2
    assert first.hashtags == ["sourdough", "bread"] and first.duration_s == 30
    assert first.url == "https://www.tiktok.com/@breadlab/video/1000"
    query = research.queries[0]["query"]
    assert query == {
        "and": [{"operation": "EQ", "field_name": "username", "field_values": ["breadlab"]}]
    }
    asked = set((srv.requests[1].arg("fields") or "").split(","))
    assert (
        "region_code" not in asked and "music_id" not in asked
    )  # P14: public metadata we store only


def test_a_window_setting_over_30_days_is_clamped_to_what_the_api_allows(
    settings: Settings, fake: tuple[FakeTikTokResearch, FakeServer]
) -> None:
    research, srv = fake
    list(client(settings, srv, tiktok_research_window_days=45).videos(BREADLAB))
    for q in research.queries:
        span = datetime.strptime(q["end_date"], "%Y%m%d") - datetime.strptime(
            q["start_date"], "%Y%m%d"
        )
        assert span.days <= 30


def test_pages_follow_cursor_and_search_id(settings: Settings) -> None:
    research = FakeTikTokResearch(
        videos=[tt_video(i, username="busy", created=NOON - timedelta(hours=i)) for i in range(250)]
    )
    with serve(research.handle) as srv:
        tt = client(settings, srv, tiktok_research_horizon_days=15)
        pages = list(tt.videos(CreatorRef(platform="tiktok", handle="busy")))
    assert [len(p) for p in pages] == [100, 100, 50]
    first, second, third = research.queries[:3]
    assert first["cursor"] == 0 and "search_id" not in first and first["max_count"] == 100
    assert second["cursor"] == 100 and second["search_id"] == third["search_id"]
    assert third["cursor"] == 200
    assert tt.requests.used == len(research.queries) and tt.records.used == 250


def test_daily_request_quota_stops_cleanly(
    settings: Settings, fake: tuple[FakeTikTokResearch, FakeServer]
) -> None:
    research, srv = fake
    budget = QuotaBudget(
        "tiktok_research", limit=2, resets_at=datetime(2024, 7, 1, tzinfo=UTC), unit="requests"
    )
    outcome = collect(client(settings, srv, requests_budget=budget).videos(BREADLAB))
    assert len(research.queries) == 2 and outcome.complete is False
    assert len(outcome.videos) == 20  # two windows' worth (10 each) were kept
    assert "daily quota of 2 requests is used up" in (outcome.stopped or "")
    assert outcome.resets_at == "2024-07-01T00:00:00+00:00"


def test_daily_record_quota_shrinks_pages_then_stops(
    settings: Settings, fake: tuple[FakeTikTokResearch, FakeServer]
) -> None:
    research, srv = fake
    records = QuotaBudget(
        "tiktok_research", limit=15, resets_at=datetime(2024, 7, 1, tzinfo=UTC), unit="records"
    )
    outcome = collect(client(settings, srv, records_budget=records).videos(BREADLAB))
    # The first window holds 10 videos; the second page may then ask for only 5 more.
    assert [q["max_count"] for q in research.queries] == [15, 5]
    assert len(outcome.videos) == 15 and outcome.complete is False


def test_the_apis_own_quota_answer_is_a_quota_stop(
    settings: Settings, fake: tuple[FakeTikTokResearch, FakeServer]
) -> None:
    research, srv = fake
    research.daily_requests = 1
    outcome = collect(client(settings, srv).videos(BREADLAB))
    assert len(outcome.videos) == 10 and outcome.complete is False
    assert "daily_quota_limit_exceeded" in (outcome.stopped or "") and "midnight UTC" in (
        outcome.stopped or ""
    )


def test_errors_with_http_200_are_read_from_the_envelope(
    settings: Settings, fake: tuple[FakeTikTokResearch, FakeServer]
) -> None:
    research, srv = fake
    research.errors_200 = [("invalid_params", "Invalid query.")]
    with pytest.raises(
        ProviderError, match=r"invalid_params: Invalid query\. \(log_id 202401010000FAKE\)"
    ) as caught:
        client(settings, srv).profile(BREADLAB)
    assert caught.value.retryable is False and not is_quota_error(caught.value)
    research.errors_200 = [("internal_error", "Something broke.")]
    with pytest.raises(ProviderError) as busy:
        client(settings, srv).profile(BREADLAB)
    assert busy.value.retryable is True
    research.errors_200 = [("scope_not_authorized", "no")]
    with pytest.raises(ProviderError, match="approved research project"):
        client(settings, srv).profile(BREADLAB)


def test_429_then_success_and_an_expired_token_is_renewed_once(
    settings: Settings, fake: tuple[FakeTikTokResearch, FakeServer]
) -> None:
    research, srv = fake
    tt = client(settings, srv)
    research.fail = [429]
    assert tt.profile(BREADLAB).display_name == "Bread Lab"
    research.revoke_tokens()
    assert tt.profile(BREADLAB).followers == 8800
    assert research.token_requests == 2


def test_the_operators_credentials_in_one_setting_are_read_by_the_source(
    settings: Settings, fake: tuple[FakeTikTokResearch, FakeServer]
) -> None:
    _, srv = fake
    tt = client(
        settings,
        srv,
        tiktok_research_client_key=None,
        tiktok_research_client_secret=None,
        tiktok_research_api_key=SecretStr(f"{CLIENT_KEY}:{CLIENT_SECRET}"),
    )
    assert not tt.byok and tt.profile(BREADLAB).display_name == "Bread Lab"


def test_bad_or_missing_credentials_say_what_to_fix(
    settings: Settings, fake: tuple[FakeTikTokResearch, FakeServer]
) -> None:
    _, srv = fake
    with pytest.raises(ConfigError, match="client key/secret"):
        client(settings, srv, credential="wrong:pair").profile(BREADLAB)
    with pytest.raises(ConfigError, match="REELFORGE_TIKTOK_RESEARCH_CLIENT_KEY"):
        TikTokResearch(settings)
    assert parse_client_credentials('{"client_key": "k", "client_secret": "s"}') == ("k", "s")
    assert parse_client_credentials("k:s") == ("k", "s")
    with pytest.raises(ConfigError):
        parse_client_credentials("just-one-part")
