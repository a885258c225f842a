"""What analytics return: plain pydantic models, ready to be JSON for the API and CLI.

Kept apart from the computations so the doors (API schemas, CLI tables,
charts) can import the shapes without pulling in Polars.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class VideoRef(BaseModel):
    """A video as analytics cite it (evidence for a number, a row in a table)."""

    creator: str
    video_id: str
    platform: str
    title: str
    views: int | None
    engagement_rate: float | None
    duration_s: float | None
    published_at: datetime


class Breakout(VideoRef):
    """A video with views >= k x its creator's median over the previous N videos."""

    baseline_median: float
    ratio: float


class CreatorSummary(BaseModel):
    creator: str
    videos: int
    median_views: float | None
    top_views: int | None
    median_engagement: float | None
    #: Pooled: all interactions / all views (big videos weigh more than in the median).
    engagement_rate: float | None
    posts_per_week: float | None
    median_gap_hours: float | None
    first_published: datetime | None
    last_published: datetime | None


class Summary(BaseModel):
    videos: int
    creators: int
    median_views: float | None
    top_views: int | None
    median_engagement: float | None
    engagement_rate: float | None
    #: Median over creators of each creator's own posting rate.
    median_posts_per_week: float | None
    median_gap_hours: float | None


class Slot(BaseModel):
    weekday: int  # 0 = Monday
    weekday_name: str
    hour: int
    posts: int
    median_views: float | None


class WeekdayHour(BaseModel):
    """Posts and median views per local weekday (rows, Monday first) and hour (columns)."""

    time_zone: str
    posts: list[list[int]]
    median_views: list[list[float | None]]
    best: list[Slot]
    min_posts: int


class DurationBucket(BaseModel):
    label: str
    min_s: float
    max_s: float | None  # None: open-ended
    videos: int
    median_views: float | None
    median_engagement: float | None


class WordCount(BaseModel):
    word: str
    videos: int  # videos in this group whose text has the word
    share: float  # of the videos in this group
    other_share: float  # of the videos in the opposite group


class WordStats(BaseModel):
    """Words and hashtags of each creator's top vs bottom quartile (by views)."""

    top_words: list[WordCount]
    bottom_words: list[WordCount]
    top_hashtags: list[WordCount]
    bottom_hashtags: list[WordCount]
    top_videos: int
    bottom_videos: int
    #: True when a quartile was larger than the sample cap and a fixed-seed sample was read.
    sampled: bool


class TimePoint(BaseModel):
    period_start: date
    videos: int
    median_views: float | None
    total_views: int


class AnalyticsReport(BaseModel):
    summary: Summary
    creators: list[CreatorSummary]
    top_videos: list[VideoRef]
    breakouts: list[Breakout]
    weekday_hour: WeekdayHour
    durations: list[DurationBucket]
    words: WordStats
    views_over_time: list[TimePoint]
    params: dict[str, str | float | int] = Field(default_factory=dict)


class VideoGrowth(BaseModel):
    video_id: str
    first_at: datetime
    last_at: datetime
    views_start: int | None
    views_end: int | None
    views_gained: int | None
    views_per_day: float | None
    snapshots: int


class DailyGain(BaseModel):
    day: date
    views_gained: int


class GrowthReport(BaseModel):
    videos: list[VideoGrowth]
    daily: list[DailyGain]
