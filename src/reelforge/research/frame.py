"""The columnar table analytics run over: one row per video, checked and sorted once.

Why a frame and not lists of models: a workspace report must stay fast at a
million stored videos, so every figure is a vectorised Polars expression over
columns, never a Python loop over rows. Building the frame (from models, from
database rows, from an Arrow table) normalises types and sorts by creator and
publish time once, so each report can rely on that order.

Columns (see :data:`SCHEMA`): ``creator`` (the caller's key: a creator id or
handle), ``platform``, ``video_id``, ``title``, ``description``, ``views``,
``likes``, ``comments``, ``shares`` (nullable integers), ``duration_s``,
``published_at`` (UTC), ``hashtags`` (list of strings).

Derived once, at build time, because they do not depend on report settings
(see :func:`_derive`): ``cid`` (creator number), ``interactions``,
``engagement``, ``known_views``/``known_interactions`` (for the pooled rate), ``gap_hours`` (since the creator's previous post),
``baseline`` (median views of the creator's previous ``window`` videos),
``quartile`` (1 top / -1 bottom within the creator), ``bucket`` (duration
bucket index), ``week`` and ``month`` (period starts).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

import polars as pl

from reelforge.errors import InputError
from reelforge.providers.types.research import VideoStats

SCHEMA: dict[str, pl.DataType] = {
    "creator": pl.String(),
    "platform": pl.String(),
    "video_id": pl.String(),
    "title": pl.String(),
    "description": pl.String(),
    "views": pl.Int64(),
    "likes": pl.Int64(),
    "comments": pl.Int64(),
    "shares": pl.Int64(),
    "duration_s": pl.Float64(),
    "published_at": pl.Datetime("us", "UTC"),
    "hashtags": pl.List(pl.String()),
}
REQUIRED = ("creator", "video_id", "published_at")
#: Duration bucket edges in seconds; the last bucket is open-ended.
DURATION_EDGES = (0.0, 15.0, 30.0, 60.0, 90.0, 180.0, 600.0)
#: Breakout baseline: previous videos looked at, and how many are needed at least.
WINDOW = 10
MIN_HISTORY = 3
#: Names a database row may use for our columns (the store's may differ).
ALIASES = {"platform_video_id": "video_id", "creator_id": "creator"}


@dataclass(frozen=True)
class VideoFrame:
    """A checked, sorted video table. Build it with one of the ``from_*`` constructors."""

    df: pl.DataFrame
    window: int = WINDOW

    def __len__(self) -> int:
        return self.df.height

    @classmethod
    def from_videos(
        cls, videos_by_creator: Mapping[str, Iterable[VideoStats]], *, window: int = WINDOW
    ) -> VideoFrame:
        """From models, keyed by creator (small inputs: tests, DNA derivation, imports)."""
        columns: dict[str, list[Any]] = {name: [] for name in SCHEMA}
        for creator, videos in videos_by_creator.items():
            for v in videos:
                columns["creator"].append(creator)
                columns["platform"].append(v.platform)
                columns["video_id"].append(v.platform_video_id)
                columns["title"].append(v.title)
                columns["description"].append(v.description)
                columns["views"].append(v.views)
                columns["likes"].append(v.likes)
                columns["comments"].append(v.comments)
                columns["shares"].append(v.shares)
                columns["duration_s"].append(v.duration_s)
                columns["published_at"].append(v.published_at)
                columns["hashtags"].append(list(v.hashtags))
        return cls(_prepare(pl.DataFrame(columns, schema=SCHEMA), window), window)

    @classmethod
    def from_records(
        cls,
        rows: Iterable[Sequence[Any]] | Iterable[Mapping[str, Any]],
        *,
        columns: Sequence[str],
        window: int = WINDOW,
    ) -> VideoFrame:
        """From database rows (tuples or mappings) whose column names are ``columns``."""
        names = [ALIASES.get(c, c) for c in columns]
        data: list[Any] = list(rows)
        if data and isinstance(data[0], Mapping):
            data = [tuple(r[c] for c in columns) for r in data]
        # Column by column: much faster than a row-oriented constructor for big results.
        cols = list(zip(*data, strict=True)) if data else [() for _ in names]
        df = pl.DataFrame([_series(name, col) for name, col in zip(names, cols, strict=True)])
        return cls.from_frame(df, window=window)

    def save(self, path: Path) -> None:
        """Write an Arrow IPC snapshot (derived columns included) for fast reloading."""
        self.df.write_ipc(path)

    @classmethod
    def load(cls, path: Path, *, window: int = WINDOW) -> VideoFrame:
        """Read a snapshot written by :meth:`save` with the same ``window``."""
        df = pl.read_ipc(path)
        missing = [c for c in ("cid", "baseline", "quartile") if c not in df.columns]
        if missing:
            raise InputError(f"{path} is not a VideoFrame snapshot (no {', '.join(missing)}).")
        return cls(df, window)

    @classmethod
    def from_frame(cls, df: Any, *, window: int = WINDOW) -> VideoFrame:
        """From a Polars frame, an Arrow table or a dict of columns/NumPy arrays."""
        if not isinstance(df, pl.DataFrame):
            df = pl.DataFrame(df)
        df = df.rename({k: v for k, v in ALIASES.items() if k in df.columns})
        missing = [c for c in REQUIRED if c not in df.columns]
        if missing:
            raise InputError(f"Video table lacks columns: {', '.join(missing)}.")
        return cls(_prepare(_coerce(df), window), window)

    def for_creators(self, creators: Iterable[str]) -> VideoFrame:
        """The rows of some creators (order kept: already sorted)."""
        wanted = list(creators)
        return VideoFrame(self.df.filter(pl.col("creator").is_in(wanted)), self.window)


def _series(name: str, values: Sequence[Any]) -> pl.Series:
    try:
        return pl.Series(name, values, strict=False)
    except pl.exceptions.PolarsError:
        if name != "published_at":
            raise
    # Naive and aware datetimes mixed: naive ones are UTC (how the store writes them).
    utc = [v.replace(tzinfo=UTC) if v.tzinfo is None else v.astimezone(UTC) for v in values]
    return pl.Series(name, utc, dtype=pl.Datetime("us", "UTC"))


def _coerce(df: pl.DataFrame) -> pl.DataFrame:
    """Cast what a database or Arrow source gives into :data:`SCHEMA`."""
    exprs: list[pl.Expr] = []
    for name, dtype in SCHEMA.items():
        if name not in df.columns:
            exprs.append(pl.lit(None, dtype=dtype).alias(name))
            continue
        col = pl.col(name)
        current = df.schema[name]
        if name == "published_at":
            exprs.append(_as_utc(col, current).alias(name))
        elif name == "hashtags" and current == pl.String():
            # Stored as text: "#a #b", "a,b" or a JSON list '["a","b"]'.
            exprs.append(
                col.str.to_lowercase()
                .str.extract_all(r"[^\s,;#\"\[\]]+")
                .cast(pl.List(pl.String()))
                .alias(name)
            )
        elif name == "creator":
            exprs.append(col.cast(pl.String()).alias(name))
        else:
            exprs.append(col.cast(dtype, strict=False).alias(name))
    return df.select(exprs)


def _as_utc(col: pl.Expr, current: pl.DataType) -> pl.Expr:
    if current == pl.String():
        return col.str.to_datetime(time_unit="us", time_zone="UTC", strict=False)
    if isinstance(current, pl.Datetime):
        if current.time_zone is None:  # SQLite gives naive datetimes: stored as UTC
            return col.cast(pl.Datetime("us")).dt.replace_time_zone("UTC")
        return col.dt.convert_time_zone("UTC").cast(pl.Datetime("us", "UTC"))
    if current.is_integer() or current.is_float():  # UNIX seconds
        return pl.from_epoch(col.cast(pl.Int64()), time_unit="s").dt.replace_time_zone("UTC")
    return col.cast(pl.Datetime("us", "UTC"))


def _prepare(df: pl.DataFrame, window: int) -> pl.DataFrame:
    """Fill text blanks, drop rows without a time, sort by creator then time, derive."""
    if window < MIN_HISTORY:
        raise InputError(f"The breakout window must be at least {MIN_HISTORY} videos.")
    df = df.with_columns(
        pl.col("title").fill_null(""),
        pl.col("description").fill_null(""),
        pl.col("platform").fill_null(""),
        pl.col("hashtags").fill_null([]),
    ).filter(pl.col("published_at").is_not_null() & pl.col("creator").is_not_null())
    df = df.sort(["creator", "published_at"], maintain_order=True)
    new_creator = (pl.col("creator") != pl.col("creator").shift(1)).fill_null(True)
    df = df.with_columns(new_creator.cum_sum().cast(pl.UInt32).alias("cid").set_sorted())
    return df.with_columns(*_derive(window))


def interactions() -> pl.Expr:
    """likes + comments + shares; a count the platform lacks is 0; null if none is known."""
    parts = [pl.col(c) for c in ("likes", "comments", "shares")]
    known = pl.any_horizontal([p.is_not_null() for p in parts])
    return pl.when(known).then(pl.sum_horizontal([p.fill_null(0) for p in parts]))


def baseline(window: int, min_history: int = MIN_HISTORY) -> pl.Expr:
    """Median views of the same creator's previous ``window`` videos."""
    previous = pl.col("views").shift(1).cast(pl.Float64)
    return previous.rolling_median(window_size=window, min_samples=min_history).over("cid")


def _derive(window: int) -> list[pl.Expr]:
    views = pl.col("views")
    n = pl.len().over("cid")
    q75 = views.quantile(0.75, "linear").over("cid")
    q25 = views.quantile(0.25, "linear").over("cid")
    same = pl.col("cid") == pl.col("cid").shift(1)
    edges = DURATION_EDGES
    bucket = pl.sum_horizontal([(pl.col("duration_s") >= e).cast(pl.Int8) for e in edges[1:]])
    return [
        interactions().alias("interactions"),
        pl.when(views > 0).then(interactions() / views).alias("engagement"),
        # Views and interactions of the videos whose engagement is known (pooled rate).
        pl.when((views > 0) & interactions().is_not_null()).then(views).alias("known_views"),
        pl.when(views > 0).then(interactions()).alias("known_interactions"),
        pl.when(same)
        .then(pl.col("published_at").diff().dt.total_seconds() / 3600.0)
        .alias("gap_hours"),
        baseline(window).alias("baseline"),
        pl.when(views.is_null() | (n < 4))
        .then(None)
        .when(views >= q75)
        .then(pl.lit(1, pl.Int8))
        .when(views <= q25)
        .then(pl.lit(-1, pl.Int8))
        .alias("quartile"),
        pl.when(pl.col("duration_s") >= edges[0]).then(bucket).alias("bucket"),
        pl.col("published_at").dt.truncate("1w").dt.date().alias("week"),
        pl.col("published_at").dt.truncate("1mo").dt.date().alias("month"),
    ]
