"""Analytics on hand-made creators with known answers (see conftest.py)."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from reelforge.errors import InputError
from reelforge.providers.types.research import VideoStats
from reelforge.research.analytics import (
    breakouts,
    creator_summaries,
    duration_buckets,
    report,
    top_videos,
    weekday_hour,
)
from reelforge.research.frame import SCHEMA, VideoFrame
from reelforge.research.growth import StatSnapshot, growth
from reelforge.research.word_stats import word_stats


def frame_of(videos_by_creator: dict[str, list[VideoStats]]) -> VideoFrame:
    return VideoFrame.from_videos(videos_by_creator)


def test_median_top_views_and_engagement(videos_by_creator: dict[str, list[VideoStats]]) -> None:
    by_name = {c.creator: c for c in creator_summaries(frame_of(videos_by_creator))}
    bakes = by_name["bakes"]
    assert bakes.videos == 8
    assert bakes.median_views == 100  # sorted: 80 90 100 100 100 110 120 1000
    assert bakes.top_views == 1000
    assert bakes.median_engagement == pytest.approx(0.1)  # likes = views/10, no shares on YouTube
    travels = by_name["travels"]
    # (views/20 + views/100 + views/50) / views = 0.05 + 0.01 + 0.02
    assert travels.engagement_rate == pytest.approx(0.08)
    top = top_videos(frame_of(videos_by_creator), n=2)
    assert [(v.video_id, v.views) for v in top] == [("b4", 1000), ("t1", 600)]


def test_breakout_is_views_over_k_times_the_previous_median(
    videos_by_creator: dict[str, list[VideoStats]],
) -> None:
    found = breakouts(frame_of(videos_by_creator), k=3.0)
    assert [(b.video_id, b.baseline_median, b.ratio) for b in found] == [("b4", 100.0, 10.0)]
    # Three previous videos, one enough to judge: b4 (1000 after 120, 80, 100) still stands out.
    narrow = breakouts(frame_of(videos_by_creator), k=3.0, window=3, min_history=1)
    assert [b.video_id for b in narrow] == ["b4"]
    assert breakouts(frame_of(videos_by_creator), k=20.0) == []
    with pytest.raises(InputError):
        breakouts(frame_of(videos_by_creator), k=0)


def test_posting_cadence(videos_by_creator: dict[str, list[VideoStats]]) -> None:
    bakes = next(c for c in creator_summaries(frame_of(videos_by_creator)) if c.creator == "bakes")
    assert bakes.posts_per_week == pytest.approx(3.5)  # 7 gaps over 14 days
    assert bakes.median_gap_hours == pytest.approx(48.0)


def test_weekday_hour_in_the_users_time_zone_follows_daylight_saving(
    videos_by_creator: dict[str, list[VideoStats]],
) -> None:
    frame = frame_of({"travels": videos_by_creator["travels"]})
    new_york = weekday_hour(frame, tz="America/New_York", min_posts=2)
    # 23:30 UTC in January and 22:30 UTC in July are both Monday 18:30 in New York.
    assert new_york.posts[0][18] == 2
    assert new_york.median_views[0][18] == 500
    assert [(s.weekday_name, s.hour, s.posts) for s in new_york.best] == [("Mon", 18, 2)]
    utc = weekday_hour(frame, tz="UTC", min_posts=1)
    assert utc.posts[0][23] == 1 and utc.posts[0][22] == 1
    tokyo = weekday_hour(frame, tz="Asia/Tokyo", min_posts=1)
    assert tokyo.posts[1][8] == 1  # Monday 23:30 UTC is Tuesday 08:30 in Tokyo
    with pytest.raises(InputError, match="IANA"):
        weekday_hour(frame, tz="Mars/Olympus")


def test_duration_buckets_report_median_views(
    videos_by_creator: dict[str, list[VideoStats]],
) -> None:
    buckets = duration_buckets(frame_of({"bakes": videos_by_creator["bakes"]}))
    assert [(b.label, b.videos, b.median_views) for b in buckets] == [
        ("0 s–15 s", 1, 100),
        ("15 s–30 s", 1, 120),
        ("30 s–1 min", 2, 90),  # 80 and 100
        ("1 min–1.5 min", 1, 1000),
        ("1.5 min–3 min", 0, None),
        ("3 min–10 min", 1, 110),
        ("10 min+", 1, 90),
    ]  # the video of unknown length is left out


def test_words_and_hashtags_of_top_vs_bottom_quartile(
    videos_by_creator: dict[str, list[VideoStats]],
) -> None:
    stats = word_stats(frame_of({"bakes": videos_by_creator["bakes"]}))
    # Top quartile by views: 1000 and 120; bottom: 80 and 90 (stop words like "the" dropped).
    assert stats.top_videos == 2 and stats.bottom_videos == 2
    top = {w.word: (w.videos, w.share, w.other_share) for w in stats.top_words}
    assert top["sourdough"] == (1, 0.5, 0.0)  # counted once per video
    assert top["rye"] == (1, 0.5, 0.5)
    assert "the" not in top and "does" not in top
    bottom = {w.word for w in stats.bottom_words}
    assert {"rye", "mistake", "oven", "setup"} <= bottom
    assert {h.word for h in stats.top_hashtags} == {"sourdough"}
    assert {h.word for h in stats.bottom_hashtags} == {"rye"}
    assert stats.sampled is False


def test_tiktok_captions_count_as_words_but_hashtags_do_not(
    videos_by_creator: dict[str, list[VideoStats]],
) -> None:
    stats = word_stats(frame_of({"travels": videos_by_creator["travels"]}))
    words = {w.word for w in stats.top_words}
    assert {"packing", "tips", "need"} <= words and "travel" not in words and "you" not in words


def test_growth_from_snapshots() -> None:
    def snap(video: str, day: int, views: int) -> StatSnapshot:
        return StatSnapshot(
            platform_video_id=video, captured_at=f"2024-05-0{day}T12:00:00Z", views=views
        )  # type: ignore[arg-type]

    report_ = growth(
        [
            snap("v1", 1, 100),
            snap("v1", 2, 150),
            snap("v1", 3, 300),
            snap("v2", 1, 50),
            snap("v2", 3, 60),
        ]
    )
    per_video = {g.video_id: g for g in report_.videos}
    assert per_video["v1"].views_gained == 200 and per_video["v1"].views_per_day == pytest.approx(
        100
    )
    assert per_video["v2"].views_per_day == pytest.approx(5)
    assert [v.video_id for v in report_.videos] == ["v1", "v2"]
    assert [(d.day, d.views_gained) for d in report_.daily] == [
        (date(2024, 5, 2), 50),
        (date(2024, 5, 3), 160),
    ]


def test_report_from_database_rows_matches_report_from_models(
    videos_by_creator: dict[str, list[VideoStats]],
) -> None:
    """The service path: rows as SQLite returns them (naive UTC text times, hashtags as text)."""
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE TABLE videos (creator_id TEXT, platform TEXT, platform_video_id TEXT, title TEXT,"
        " description TEXT, views INT, likes INT, comments INT, shares INT, duration_s REAL,"
        " published_at TEXT, hashtags TEXT)"
    )
    for creator, videos in videos_by_creator.items():
        for v in videos:
            db.execute(
                "INSERT INTO videos VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    creator,
                    v.platform,
                    v.platform_video_id,
                    v.title,
                    v.description,
                    v.views,
                    v.likes,
                    v.comments,
                    v.shares,
                    v.duration_s,
                    v.published_at.strftime("%Y-%m-%d %H:%M:%S"),
                    " ".join(v.hashtags),
                ),
            )
    cursor = db.execute("SELECT * FROM videos")
    from_rows = VideoFrame.from_records(
        cursor.fetchall(), columns=[d[0] for d in cursor.description]
    )
    expected = report(frame_of(videos_by_creator), tz="America/New_York")
    got = report(from_rows, tz="America/New_York")
    assert got == expected
    assert list(from_rows.df.columns)[: len(SCHEMA)] == list(SCHEMA)


def test_report_is_json_and_filters_to_one_creator(
    videos_by_creator: dict[str, list[VideoStats]],
) -> None:
    frame = frame_of(videos_by_creator)
    whole = report(frame, tz="Europe/Berlin")
    assert whole.summary.videos == 12 and whole.summary.creators == 2
    assert whole.summary.median_posts_per_week is not None
    assert whole.model_dump_json()
    one = report(frame.for_creators(["travels"]))
    assert one.summary.videos == 4 and [c.creator for c in one.creators] == ["travels"]
    empty = report(frame.for_creators(["nobody"]))
    assert empty.summary.videos == 0 and empty.top_videos == [] and empty.views_over_time == []


def test_rows_with_datetime_objects_and_json_hashtags_are_read_as_utc() -> None:
    from datetime import UTC, datetime, timedelta, timezone

    columns = ["creator_id", "platform_video_id", "views", "published_at", "hashtags"]
    rows = [
        {
            "creator_id": 7,
            "platform_video_id": "a",
            "views": 10,
            "published_at": datetime(2024, 1, 1, 12),
            "hashtags": '["Bread", "rye"]',
        },
        {
            "creator_id": 7,
            "platform_video_id": "b",
            "views": None,
            "published_at": datetime(2024, 1, 2, 12, tzinfo=timezone(timedelta(hours=2))),
            "hashtags": None,
        },
    ]
    frame = VideoFrame.from_records(rows, columns=columns)
    assert frame.df["creator"].to_list() == ["7", "7"]
    assert frame.df["published_at"].to_list() == [
        datetime(2024, 1, 1, 12, tzinfo=UTC),
        datetime(2024, 1, 2, 10, tzinfo=UTC),
    ]
    assert frame.df["hashtags"].to_list() == [["bread", "rye"], []]
    assert report(frame).summary.median_views == 10
