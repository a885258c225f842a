"""TikTok Content Posting client against the fake: chunk rules, creator checks, photos,
rate limits and the error envelope (also inside HTTP 200)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from reelforge.config import Settings
from reelforge.errors import InputError, PlatformError, ReconsentRequired
from reelforge.providers.platforms.error_codes import TIKTOK_ERRORS
from reelforge.providers.platforms.tiktok_posting import (
    MIN_CHUNK,
    TikTokPosting,
    plan_chunks,
)
from reelforge.providers.types.publishing import PostRequest
from tests.fakes.tiktok import FakeTikTok

VERIFIED = "https://media.reelforge.example/p/"


@pytest.fixture
def client(tt_settings: Settings, tiktok: FakeTikTok) -> TikTokPosting:
    return TikTokPosting(tt_settings, access_token=tiktok.issue_tokens()["access_token"])


def video(tmp_path: Path, size: int = 1000) -> PostRequest:
    path = tmp_path / "v.mp4"
    path.write_bytes(b"\0" * size)
    return PostRequest(title="Hi", privacy_level="SELF_ONLY", video_path=path, duration_s=10)


def photos(*urls: str, title: str = "Three") -> PostRequest:
    return PostRequest(title=title, privacy_level="SELF_ONLY", image_urls=urls)


# --- the chunk rules ----------------------------------------------------------------


def test_eleven_megabytes_in_five_mib_chunks_is_two_chunks_with_the_rest_in_the_last() -> None:
    plan = plan_chunks(11_000_000, 5 * 1024 * 1024)
    assert (plan.chunk_size, plan.total_chunk_count) == (5_242_880, 2)
    assert plan.ranges() == [(0, 5_242_879), (5_242_880, 10_999_999)]


def test_a_file_under_five_megabytes_is_one_whole_chunk() -> None:
    plan = plan_chunks(3_000_000, 10_000_000)
    assert (plan.chunk_size, plan.total_chunk_count) == (3_000_000, 1)
    assert plan.ranges() == [(0, 2_999_999)]


@pytest.mark.parametrize(
    ("size", "wish"),
    [
        (1, 10_000_000),
        (4_999_999, 10_000_000),
        (5_000_000, 1),
        (MIN_CHUNK, 10_000_000),
        (11_000_000, 10_000_000),
        (64_000_000, 64_000_000),
        (70_000_000, 64_000_000),  # > 64 MB: never one chunk
        (300_000_000, 1),  # wish below the minimum is raised to it
        (4 * 1024**3, 5 * 1024 * 1024),  # 4 GB stays within 1000 chunks
    ],
)
def test_every_plan_passes_the_servers_exact_rules(size: int, wish: int) -> None:
    plan = plan_chunks(size, wish)
    FakeTikTok()._source(plan.source_info())  # raises on any rule broken
    ranges = plan.ranges()
    assert ranges[0][0] == 0 and ranges[-1][1] == size - 1
    assert all(b[0] == a[1] + 1 for a, b in itertools.pairwise(ranges))


def test_empty_and_oversized_files_are_refused() -> None:
    with pytest.raises(InputError):
        plan_chunks(0)
    with pytest.raises(InputError, match="4 GB"):
        plan_chunks(5 * 1024**3)


def test_out_of_order_and_wrong_sized_chunks_are_rejected_by_the_server(
    client: TikTokPosting, tmp_path: Path, tiktok: FakeTikTok
) -> None:
    plan = plan_chunks(11_000_000, 5 * 1024 * 1024)
    creator = client.creator_info()
    init = client.init_video(request=video(tmp_path), plan=plan, creator=creator, duration_s=10)
    second = b"\1" * (11_000_000 - 5_242_880)
    with pytest.raises(PlatformError, match="sequential") as err:
        client.upload_chunk(
            upload_url=init.upload_url,
            data=second,
            first=5_242_880,
            total=11_000_000,
            content_type="video/mp4",
        )
    assert err.value.platform_code == "invalid_file_upload"
    with pytest.raises(PlatformError, match="Chunk 0"):
        client.upload_chunk(
            upload_url=init.upload_url,
            data=b"\1" * 1_000_000,
            first=0,
            total=11_000_000,
            content_type="video/mp4",
        )
    status = client.upload_chunk(
        upload_url=init.upload_url,
        data=b"\1" * 5_242_880,
        first=0,
        total=11_000_000,
        content_type="video/mp4",
    )
    assert status == 206


# --- creator info and the checks before init ----------------------------------------


def test_creator_info_is_read(client: TikTokPosting) -> None:
    info = client.creator_info()
    assert info.username == "testcreator"
    assert "SELF_ONLY" in info.privacy_level_options
    assert info.max_video_post_duration_sec == 600


def test_privacy_level_not_offered_is_refused_before_init(
    client: TikTokPosting, tmp_path: Path, tiktok: FakeTikTok
) -> None:
    tiktok.privacy_level_options = ("SELF_ONLY", "MUTUAL_FOLLOW_FRIENDS")
    request = video(tmp_path).model_copy(update={"privacy_level": "PUBLIC_TO_EVERYONE"})
    with pytest.raises(InputError, match="SELF_ONLY, MUTUAL_FOLLOW_FRIENDS"):
        client.init_video(
            request=request, plan=plan_chunks(1000), creator=client.creator_info(), duration_s=10
        )
    assert tiktok.inits == []


def test_video_longer_than_the_creator_may_post_is_refused_before_init(
    client: TikTokPosting, tmp_path: Path, tiktok: FakeTikTok
) -> None:
    tiktok.max_video_post_duration_sec = 60
    with pytest.raises(InputError, match="at most 60 s"):
        client.init_video(
            request=video(tmp_path),
            plan=plan_chunks(1000),
            creator=client.creator_info(),
            duration_s=61,
        )
    assert tiktok.inits == []


def test_caption_over_2200_utf16_units_is_refused(client: TikTokPosting, tmp_path: Path) -> None:
    request = video(tmp_path).model_copy(update={"title": "😀" * 1101})  # 2202 UTF-16 units
    with pytest.raises(InputError, match="2200"):
        client.init_video(
            request=request, plan=plan_chunks(1000), creator=client.creator_info(), duration_s=1
        )


def test_creator_with_comments_off_posts_with_comments_disabled(
    client: TikTokPosting, tmp_path: Path, tiktok: FakeTikTok
) -> None:
    tiktok.comment_disabled = True
    client.init_video(
        request=video(tmp_path), plan=plan_chunks(1000), creator=client.creator_info()
    )
    assert tiktok.inits[0][1]["post_info"]["disable_comment"] is True


def test_draft_init_goes_to_the_inbox_endpoint_with_source_info_only(
    client: TikTokPosting, tmp_path: Path, tiktok: FakeTikTok
) -> None:
    request = video(tmp_path).model_copy(update={"mode": "draft"})
    init = client.init_video(request=request, plan=plan_chunks(1000), creator=None)
    path, body = tiktok.inits[0]
    assert path == "/v2/post/publish/inbox/video/init/"
    assert set(body) == {"source_info"}
    assert init.publish_id.startswith("v_pub_file~")


# --- photos ----------------------------------------------------------------------


def test_carousel_under_a_verified_prefix_is_accepted(
    client: TikTokPosting, tiktok: FakeTikTok
) -> None:
    urls = tuple(f"{VERIFIED}{i}.jpg" for i in range(3))
    publish_id = client.init_photos(request=photos(*urls), creator=client.creator_info())
    body = tiktok.inits[0][1]
    assert publish_id.startswith("p_pub_url~")
    assert body["media_type"] == "PHOTO" and body["post_mode"] == "DIRECT_POST"
    assert body["source_info"] == {
        "source": "PULL_FROM_URL",
        "photo_images": list(urls),
        "photo_cover_index": 0,
    }


def test_carousel_from_an_unverified_domain_is_url_ownership_unverified(
    client: TikTokPosting,
) -> None:
    urls = ("https://elsewhere.example/a.jpg", f"{VERIFIED}b.jpg")
    with pytest.raises(PlatformError) as err:
        client.init_photos(request=photos(*urls), creator=client.creator_info())
    assert err.value.platform_code == "url_ownership_unverified"
    assert "verif" in err.value.message and "REELFORGE_PUBLIC_URL" in err.value.message
    assert not err.value.retryable


def test_carousel_limits_are_checked_before_sending(client: TikTokPosting) -> None:
    with pytest.raises(InputError, match="1 to 35"):
        client.init_photos(request=photos(*[f"{VERIFIED}{i}" for i in range(36)]), creator=None)
    with pytest.raises(InputError, match="90"):
        client.init_photos(request=photos(f"{VERIFIED}a", title="x" * 91), creator=None)


# --- envelope, rate limits, error codes ----------------------------------------------


def test_error_inside_an_http_200_is_raised(client: TikTokPosting, tiktok: FakeTikTok) -> None:
    tiktok.fail_next("creator_info", "spam_risk_user_banned_from_posting", status=200)
    with pytest.raises(PlatformError) as err:
        client.creator_info()
    assert err.value.platform_code == "spam_risk_user_banned_from_posting"
    assert "blocked this account" in err.value.message


def test_creator_info_rate_limit_is_20_a_minute(client: TikTokPosting, tiktok: FakeTikTok) -> None:
    clock = [1000.0]
    tiktok.now = lambda: clock[0]
    for _ in range(20):
        client.creator_info()
    with pytest.raises(PlatformError) as err:
        client.creator_info()
    assert err.value.platform_code == "rate_limit_exceeded"
    assert err.value.retryable and err.value.status == 429
    clock[0] += 61
    assert client.creator_info().username == "testcreator"


def test_init_rate_limit_is_6_a_minute(
    client: TikTokPosting, tmp_path: Path, tiktok: FakeTikTok
) -> None:
    tiktok.now = lambda: 5.0
    request = video(tmp_path).model_copy(update={"mode": "draft"})
    tiktok.user["open_id"] = "x"
    for _ in range(4):  # the inbox allows 5 pending drafts; use direct posts for the rest
        client.init_video(request=request, plan=plan_chunks(1000), creator=None)
    creator_request = video(tmp_path)
    creator = client.creator_info()
    for _ in range(2):
        client.init_video(request=creator_request, plan=plan_chunks(1000), creator=creator)
    with pytest.raises(PlatformError) as err:
        client.init_video(request=creator_request, plan=plan_chunks(1000), creator=creator)
    assert err.value.platform_code == "rate_limit_exceeded"


def test_status_rate_limit_is_30_a_minute(
    client: TikTokPosting, tmp_path: Path, tiktok: FakeTikTok
) -> None:
    tiktok.now = lambda: 7.0
    init = client.init_video(
        request=video(tmp_path), plan=plan_chunks(1000), creator=client.creator_info()
    )
    for _ in range(30):
        client.fetch_status(publish_id=init.publish_id)
    with pytest.raises(PlatformError) as err:
        client.fetch_status(publish_id=init.publish_id)
    assert err.value.platform_code == "rate_limit_exceeded"


@pytest.mark.parametrize("code", sorted(TIKTOK_ERRORS))
def test_every_posting_error_code_reaches_the_user_as_a_clear_message(
    code: str, client: TikTokPosting, tmp_path: Path, tiktok: FakeTikTok
) -> None:
    creator = client.creator_info()
    tiktok.fail_next("video_init", code)
    with pytest.raises(PlatformError) as err:
        client.init_video(request=video(tmp_path), plan=plan_chunks(1000), creator=creator)
    meaning = TIKTOK_ERRORS[code]
    assert err.value.platform_code == code
    assert err.value.message.startswith(meaning.message)
    assert err.value.retryable is meaning.retryable
    assert isinstance(err.value, ReconsentRequired) is meaning.reconsent
    assert err.value.log_id == "log-fake"


def test_unknown_code_still_names_itself(
    client: TikTokPosting, tmp_path: Path, tiktok: FakeTikTok
) -> None:
    tiktok.fail_next("creator_info", "brand_new_code", status=403)
    with pytest.raises(PlatformError, match="brand_new_code"):
        client.creator_info()


def test_missing_scope_asks_to_reconnect(tt_settings: Settings, tiktok: FakeTikTok) -> None:
    token = tiktok.issue_tokens(scopes=("user.info.basic", "video.upload"))["access_token"]
    with pytest.raises(ReconsentRequired) as err:
        TikTokPosting(tt_settings, access_token=token).creator_info()
    assert err.value.platform_code == "scope_not_authorized"


def test_unaudited_app_may_only_post_privately(
    client: TikTokPosting, tmp_path: Path, tiktok: FakeTikTok
) -> None:
    tiktok.unaudited = True
    request = video(tmp_path).model_copy(update={"privacy_level": "PUBLIC_TO_EVERYONE"})
    with pytest.raises(PlatformError) as err:
        client.init_video(request=request, plan=plan_chunks(1000), creator=client.creator_info())
    assert err.value.platform_code == "unaudited_client_can_only_post_to_private_accounts"
    assert "SELF_ONLY" in err.value.message
