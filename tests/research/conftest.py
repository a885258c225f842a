"""Hand-made creators whose analytics are known in advance."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from reelforge.providers.types.research import VideoStats

# Creator "bakes" (YouTube): 8 videos, every 2 days at 23:30 UTC from Monday 2024-01-01.
BAKES_VIEWS = [100, 120, 80, 100, 1000, 110, 90, 100]
BAKES_TITLES = [
    "Rye starter basics",
    "Rye flour tips",
    "The rye mistake",
    "Bread crust notes",
    "Why does sourdough rise? Sourdough secrets",
    "How to shape sourdough",
    "My oven setup",
    "Crumb notes",
]
BAKES_DURATIONS = [10, 20, 45, 45, 70, 200, 700, None]


def bakes() -> list[VideoStats]:
    start = datetime(2024, 1, 1, 23, 30, tzinfo=UTC)
    return [
        VideoStats(
            platform="youtube",
            platform_video_id=f"b{i}",
            title=BAKES_TITLES[i],
            views=views,
            likes=views // 10,
            comments=0,
            duration_s=BAKES_DURATIONS[i],
            published_at=start + timedelta(days=2 * i),
            hashtags=["sourdough"] if views >= 110 else ["rye"],
        )
        for i, views in enumerate(BAKES_VIEWS)
    ]


def travels() -> list[VideoStats]:
    """Creator "travels" (TikTok): 4 videos, a summer one (EDT) and winter ones (EST)."""
    times = [
        datetime(2024, 1, 8, 23, 30, tzinfo=UTC),  # Mon 18:30 in New York (EST, UTC-5)
        datetime(2024, 7, 1, 22, 30, tzinfo=UTC),  # Mon 18:30 in New York (EDT, UTC-4)
        datetime(2024, 7, 3, 12, 0, tzinfo=UTC),
        datetime(2024, 7, 5, 12, 0, tzinfo=UTC),
    ]
    views = [400, 600, 200, 200]
    return [
        VideoStats(
            platform="tiktok",
            platform_video_id=f"t{i}",
            title="",
            description=f"Packing tips you need #travel part {i}",
            views=v,
            likes=v // 20,
            comments=v // 100,
            shares=v // 50,
            duration_s=15.0,
            published_at=t,
        )
        for i, (t, v) in enumerate(zip(times, views, strict=True))
    ]


@pytest.fixture
def videos_by_creator() -> dict[str, list[VideoStats]]:
    return {"bakes": bakes(), "travels": travels()}
