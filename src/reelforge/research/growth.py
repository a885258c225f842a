"""Growth from stat snapshots: how fast each video gains views, and views gained per day.

Each refresh stores a snapshot of every video's counts; growth is the
difference between consecutive snapshots of the same video, so a refresh
that missed a day just spreads that gain over a longer step (it is attributed
to the day of the later snapshot, in the user's time zone).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import polars as pl
from pydantic import AwareDatetime, BaseModel, Field, field_validator

from reelforge.research.analytics import check_time_zone
from reelforge.research.analytics_results import DailyGain, GrowthReport, VideoGrowth

SNAPSHOT_SCHEMA: dict[str, pl.DataType] = {
    "video_id": pl.String(),
    "captured_at": pl.Datetime("us", "UTC"),
    "views": pl.Int64(),
}


def snapshot_frame(snapshots: Iterable[StatSnapshot]) -> pl.DataFrame:
    """Snapshots as a frame; the service may instead build it from a query (same columns)."""
    rows = [(s.platform_video_id, s.captured_at, s.views) for s in snapshots]
    return pl.DataFrame(rows, schema=SNAPSHOT_SCHEMA, orient="row")


def growth(
    snapshots: pl.DataFrame | Iterable[StatSnapshot], *, tz: str = "UTC", top_n: int = 20
) -> GrowthReport:
    """Fastest-growing videos (views per day between first and last snapshot) and daily gains.

    ``snapshots`` has columns ``video_id``, ``captured_at`` (UTC) and ``views``.
    """
    df = snapshots if isinstance(snapshots, pl.DataFrame) else snapshot_frame(snapshots)
    if "captured_at" in df.columns and df.schema["captured_at"] != SNAPSHOT_SCHEMA["captured_at"]:
        df = df.with_columns(pl.col("captured_at").dt.replace_time_zone("UTC"))
    df = df.drop_nulls(["video_id", "captured_at"]).sort(["video_id", "captured_at"])
    days = (pl.col("last_at") - pl.col("first_at")).dt.total_seconds() / 86400.0
    per_video = (
        df.group_by("video_id")
        .agg(
            pl.col("captured_at").first().alias("first_at"),
            pl.col("captured_at").last().alias("last_at"),
            pl.col("views").drop_nulls().first().alias("views_start"),
            pl.col("views").drop_nulls().last().alias("views_end"),
            pl.len().alias("snapshots"),
        )
        .with_columns((pl.col("views_end") - pl.col("views_start")).alias("views_gained"))
        .with_columns(pl.when(days > 0).then(pl.col("views_gained") / days).alias("views_per_day"))
        .sort(["views_per_day", "video_id"], descending=[True, False], nulls_last=True)
        .head(top_n)
    )
    same = pl.col("video_id") == pl.col("video_id").shift(1)
    local_day = pl.col("captured_at").dt.convert_time_zone(check_time_zone(tz)).dt.date()
    daily = (
        df.with_columns(pl.when(same).then(pl.col("views").diff()).alias("gain"))
        .drop_nulls("gain")
        .group_by(local_day.alias("day"))
        .agg(pl.col("gain").sum().alias("views_gained"))
        .sort("day")
    )
    return GrowthReport(
        videos=[VideoGrowth(**row) for row in per_video.iter_rows(named=True)],
        daily=[DailyGain(**row) for row in daily.iter_rows(named=True)],
    )


class StatSnapshot(BaseModel):
    """A video's counts at one moment; a history of these charts growth."""

    platform_video_id: str = Field(min_length=1)
    captured_at: AwareDatetime
    views: int | None = Field(default=None, ge=0)
    likes: int | None = Field(default=None, ge=0)
    comments: int | None = Field(default=None, ge=0)
    shares: int | None = Field(default=None, ge=0)

    @field_validator("captured_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return value.astimezone(UTC)
