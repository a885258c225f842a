"""What works for a creator, computed over a :class:`VideoFrame` with Polars.

Every figure is a vectorised expression (group-bys, window functions), never a
Python loop over videos, so a workspace report over a million videos takes
about 150 ms on two cores (``bench/analytics.py`` prints the figures).
Definitions:

* engagement rate = (likes + comments + shares) / views; a count the platform
  lacks (YouTube shares) counts as 0; unknown when views are 0/unknown or no
  interaction count is known.
* breakout: views >= ``k`` x the median views of the creator's previous
  ``window`` videos (needs ``min_history`` earlier videos).
* cadence: posts per week over the creator's observed span, and the median
  gap between consecutive posts.
* top/bottom quartile: by views *within each creator* (so one huge channel
  does not make every other creator's videos "bottom").
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import polars as pl

from reelforge.errors import InputError
from reelforge.research.analytics_results import (
    WEEKDAYS,
    AnalyticsReport,
    Breakout,
    CreatorSummary,
    DurationBucket,
    Slot,
    Summary,
    TimePoint,
    VideoRef,
    WeekdayHour,
)
from reelforge.research.frame import DURATION_EDGES, MIN_HISTORY, VideoFrame, baseline
from reelforge.research.word_stats import word_stats


def _med(column: str) -> pl.Expr:
    """Median ignoring nulls (dropping them first takes Polars' fast path in group-bys)."""
    return pl.col(column).drop_nulls().median()


def check_time_zone(tz: str) -> str:
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(
            f"Unknown time zone {tz!r}. Use an IANA name such as Europe/Berlin or America/New_York."
        ) from None
    return tz


_REF_COLUMNS = (
    *("creator", "video_id", "platform", "title", "views", "engagement"),
    *("duration_s", "published_at"),
)


def _rows(
    frame: VideoFrame, ranked: pl.DataFrame, extra: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """The cited videos' fields for the row numbers in ``ranked`` (kept in its order).

    Ranking runs on a narrow numeric frame and only the winners' text is read:
    filtering the wide frame would copy the titles of every matching video.
    """
    picked = frame.df.select(_REF_COLUMNS)[ranked["row"]]
    rows = picked.hstack(ranked.select(extra)).to_dicts()
    for row in rows:
        row["engagement_rate"] = row.pop("engagement")
    return rows


def top_videos(frame: VideoFrame, *, n: int = 10) -> list[VideoRef]:
    views = frame.df["views"]
    if views.null_count() == views.len():
        return []
    floor = views.top_k(n).min()
    ranked = (
        frame.df.select(pl.int_range(pl.len(), dtype=pl.UInt32).alias("row"), "views")
        .filter(pl.col("views") >= floor)
        .top_k(n, by="views")
        .sort("views", descending=True)
    )
    return [VideoRef(**row) for row in _rows(frame, ranked)]


def breakouts(
    frame: VideoFrame,
    *,
    k: float = 3.0,
    window: int | None = None,
    min_history: int = MIN_HISTORY,
    n: int = 20,
) -> list[Breakout]:
    """Videos far above their creator's recent median, biggest ratio first.

    The baseline for the frame's own window is computed when the frame is
    built; another ``window`` or ``min_history`` costs one more pass.
    """
    window = window or frame.window
    if k <= 0 or not 1 <= min_history <= window:
        raise InputError("Breakouts need k > 0 and 1 <= min_history <= window.")
    df = frame.df.select("cid", "views", "baseline")
    if window != frame.window or min_history != MIN_HISTORY:
        df = df.with_columns(baseline(window, min_history).alias("baseline"))
    ranked = (
        df.select(
            pl.int_range(pl.len(), dtype=pl.UInt32).alias("row"),
            pl.col("baseline").alias("baseline_median"),
            (pl.col("views") / pl.col("baseline")).alias("ratio"),
        )
        .filter((pl.col("baseline_median") > 0) & (pl.col("ratio") >= k))
        .top_k(n, by="ratio")
        .sort("ratio", descending=True)
    )
    return [Breakout(**row) for row in _rows(frame, ranked, ("baseline_median", "ratio"))]


def _per_creator_aggs() -> list[pl.Expr]:
    span_weeks = (
        pl.col("published_at").max() - pl.col("published_at").min()
    ).dt.total_seconds() / (7 * 86400.0)
    return [
        pl.len().alias("videos"),
        _med("views").alias("median_views"),
        pl.col("views").max().alias("top_views"),
        _med("engagement").alias("median_engagement"),
        (pl.col("known_interactions").sum() / pl.col("known_views").sum()).alias("engagement_rate"),
        pl.when(span_weeks > 0).then((pl.len() - 1) / span_weeks).alias("posts_per_week"),
        _med("gap_hours").alias("median_gap_hours"),
        pl.col("published_at").min().alias("first_published"),
        pl.col("published_at").max().alias("last_published"),
    ]


def creator_summaries(frame: VideoFrame) -> list[CreatorSummary]:
    df = frame.df.group_by("creator").agg(_per_creator_aggs()).sort("creator")
    return [CreatorSummary(**_finite(row)) for row in df.to_dicts()]


def summary(frame: VideoFrame, creators: list[CreatorSummary]) -> Summary:
    row = frame.df.select(
        pl.len().alias("videos"),
        pl.col("cid").n_unique().alias("creators"),
        _med("views").alias("median_views"),
        pl.col("views").max().alias("top_views"),
        _med("engagement").alias("median_engagement"),
        (pl.col("known_interactions").sum() / pl.col("known_views").sum()).alias("engagement_rate"),
    ).to_dicts()[0]
    rates = [c.posts_per_week for c in creators if c.posts_per_week is not None]
    gaps = [c.median_gap_hours for c in creators if c.median_gap_hours is not None]
    row["median_posts_per_week"] = _median(rates)
    row["median_gap_hours"] = _median(gaps)
    return Summary(**_finite(row))


def weekday_hour(frame: VideoFrame, *, tz: str = "UTC", min_posts: int = 2) -> WeekdayHour:
    """Posts and median views by local weekday x hour; best slots need ``min_posts`` posts."""
    seconds = frame.df["published_at"].dt.epoch("s").to_numpy()
    local = _local_seconds(seconds, ZoneInfo(check_time_zone(tz)))
    cell = ((local // 86400 + 3) % 7) * 24 + (local // 3600) % 24  # 1970-01-01 was a Thursday
    cells = (
        pl.DataFrame({"cell": cell, "views": frame.df["views"]})
        .group_by("cell")
        .agg(pl.len().alias("posts"), _med("views").alias("median_views"))
        .with_columns((pl.col("cell") // 24).alias("weekday"), (pl.col("cell") % 24).alias("hour"))
        .drop("cell")
    )
    posts = [[0] * 24 for _ in range(7)]
    medians: list[list[float | None]] = [[None] * 24 for _ in range(7)]
    for row in cells.iter_rows(named=True):
        posts[row["weekday"]][row["hour"]] = row["posts"]
        medians[row["weekday"]][row["hour"]] = row["median_views"]
    best = (
        cells.filter((pl.col("posts") >= min_posts) & pl.col("median_views").is_not_null())
        .sort(["median_views", "posts"], descending=True)
        .head(3)
    )
    slots = [Slot(weekday_name=WEEKDAYS[r["weekday"]], **r) for r in best.iter_rows(named=True)]
    return WeekdayHour(
        time_zone=tz, posts=posts, median_views=medians, best=slots, min_posts=min_posts
    )


def _utc_offset(zone: ZoneInfo, ts: int) -> int:
    offset = datetime.fromtimestamp(ts, zone).utcoffset()
    return int(offset.total_seconds()) if offset else 0


def _local_seconds(seconds: np.ndarray[Any, Any], zone: ZoneInfo) -> np.ndarray[Any, Any]:
    """UNIX seconds shifted into ``zone``'s wall clock, DST included.

    Why not Polars' ``convert_time_zone``: it resolves the zone per row; a
    zone changes offset only a few times a year, so we find those instants
    once (day steps, then bisection) and look each row up in that short table.
    """
    if seconds.size == 0:
        return seconds
    lo, hi = int(seconds.min()), int(seconds.max())
    instants, offsets = [np.iinfo(np.int64).min], [_utc_offset(zone, lo)]
    prev = lo
    for day in range(lo + 86400, hi + 86400, 86400):
        offset = _utc_offset(zone, day)
        if offset != offsets[-1]:
            a, b = prev, day
            while b - a > 1:
                mid = (a + b) // 2
                a, b = (a, mid) if _utc_offset(zone, mid) == offset else (mid, b)
            instants.append(b)
            offsets.append(offset)
        prev = day
    index = np.searchsorted(np.array(instants, dtype=np.int64), seconds, side="right") - 1
    return seconds + np.array(offsets, dtype=np.int64)[index]


def _bucket_label(lo: float, hi: float | None) -> str:
    def fmt(s: float) -> str:
        return f"{s:g} s" if s < 60 else f"{s / 60:g} min"

    return f"{fmt(lo)}+" if hi is None else f"{fmt(lo)}–{fmt(hi)}"


def duration_buckets(
    frame: VideoFrame, *, edges: tuple[float, ...] = DURATION_EDGES
) -> list[DurationBucket]:
    """Median views and engagement per length bucket (videos of unknown length left out)."""
    if edges != DURATION_EDGES:
        index = pl.sum_horizontal([(pl.col("duration_s") >= e).cast(pl.Int8) for e in edges[1:]])
        df = frame.df.with_columns(
            pl.when(pl.col("duration_s") >= edges[0]).then(index).alias("bucket")
        )
    else:
        df = frame.df
    grouped = (
        df.filter(pl.col("bucket").is_not_null())
        .group_by("bucket")
        .agg(
            pl.len().alias("videos"),
            _med("views").alias("median_views"),
            _med("engagement").alias("median_engagement"),
        )
    )
    found = {row["bucket"]: row for row in grouped.iter_rows(named=True)}
    out = []
    for i, lo in enumerate(edges):
        hi = edges[i + 1] if i + 1 < len(edges) else None
        row = found.get(i, {})
        out.append(
            DurationBucket(
                label=_bucket_label(lo, hi),
                min_s=lo,
                max_s=hi,
                videos=row.get("videos", 0),
                median_views=row.get("median_views"),
                median_engagement=row.get("median_engagement"),
            )
        )
    return out


def views_over_time(frame: VideoFrame, *, every: str | None = None) -> list[TimePoint]:
    """Videos and median views per week (per month when the span passes two years)."""
    df = frame.df
    if df.is_empty():
        return []
    if every is None:
        span = df.select(pl.col("published_at").max() - pl.col("published_at").min()).item()
        every = "1mo" if span.days > 730 else "1w"
    period = {"1w": pl.col("week"), "1mo": pl.col("month")}.get(
        every, pl.col("published_at").dt.truncate(every).dt.date()
    )
    grouped = (
        df.group_by(period.alias("period_start"))
        .agg(
            pl.len().alias("videos"),
            _med("views").alias("median_views"),
            pl.col("views").sum().alias("total_views"),
        )
        .sort("period_start")
    )
    return [TimePoint(**row) for row in grouped.iter_rows(named=True)]


def report(
    frame: VideoFrame,
    *,
    tz: str = "UTC",
    breakout_k: float = 3.0,
    breakout_window: int | None = None,
    top_n: int = 10,
    words_n: int = 15,
    words_sample: int = 5_000,
    min_slot_posts: int = 2,
) -> AnalyticsReport:
    """The full report over ``frame`` (filter it with ``for_creators`` for one creator)."""
    creators = creator_summaries(frame)
    return AnalyticsReport(
        summary=summary(frame, creators),
        creators=creators,
        top_videos=top_videos(frame, n=top_n),
        breakouts=breakouts(frame, k=breakout_k, window=breakout_window),
        weekday_hour=weekday_hour(frame, tz=tz, min_posts=min_slot_posts),
        durations=duration_buckets(frame),
        words=word_stats(frame, n=words_n, sample=words_sample),
        views_over_time=views_over_time(frame),
        params={
            "tz": tz,
            "breakout_k": breakout_k,
            "breakout_window": breakout_window or frame.window,
        },
    )


def _median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _finite(row: dict[str, Any]) -> dict[str, Any]:
    """NaN/inf (e.g. 0/0) become None so the JSON stays valid."""
    return {k: None if isinstance(v, float) and not math.isfinite(v) else v for k, v in row.items()}
