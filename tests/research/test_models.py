"""Creator references as users type them, and the public-only video record."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from reelforge.errors import InputError
from reelforge.providers.types.research import CreatorRef, VideoStats


@pytest.mark.parametrize(
    ("platform", "text", "handle", "platform_id"),
    [
        ("tiktok", "@breadlab", "breadlab", None),
        ("tiktok", "https://www.tiktok.com/@breadlab?lang=en", "breadlab", None),
        ("youtube", "UCabcdefghijklmnopqrstuv", None, "UCabcdefghijklmnopqrstuv"),
        (
            "youtube",
            "https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv",
            None,
            "UCabcdefghijklmnopqrstuv",
        ),
        ("youtube", "https://youtube.com/@Bread.Lab/videos", "Bread.Lab", None),
    ],
)
def test_creator_ref_reads_handles_ids_and_profile_urls(
    platform: str, text: str, handle: str | None, platform_id: str | None
) -> None:
    ref = CreatorRef.parse(platform, text)
    assert (ref.handle, ref.platform_id) == (handle, platform_id)


@pytest.mark.parametrize(
    ("platform", "text"), [("vimeo", "@x"), ("tiktok", "  "), ("tiktok", "two words")]
)
def test_creator_ref_refuses_what_is_not_a_handle(platform: str, text: str) -> None:
    with pytest.raises(InputError):
        CreatorRef.parse(platform, text)


def test_video_stats_need_an_aware_time_and_store_it_in_utc() -> None:
    berlin = timezone(timedelta(hours=2))
    video = VideoStats(
        platform="tiktok",
        platform_video_id="1",
        published_at=datetime(2024, 5, 1, 20, tzinfo=berlin),
    )
    assert video.published_at.utcoffset() == timedelta(0) and video.published_at.hour == 18
    with pytest.raises(ValidationError):
        VideoStats(platform="tiktok", platform_video_id="1", published_at=datetime(2024, 5, 1))
    with pytest.raises(ValidationError):
        VideoStats(
            platform="tiktok", platform_video_id="1", published_at=datetime.now(berlin), views=-1
        )


def test_engagement_rate_counts_missing_shares_as_zero() -> None:
    video = VideoStats(
        platform="youtube",
        platform_video_id="1",
        published_at=datetime.now(UTC),
        views=1000,
        likes=40,
        comments=10,
    )
    assert video.engagement_rate == pytest.approx(0.05)
    assert video.model_copy(update={"views": 0}).engagement_rate is None
