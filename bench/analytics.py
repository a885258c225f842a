"""Analytics at scale: ingest 1,000,000 videos and time a workspace report.

Prints the machine's core count with the figures (compare within one run only).
Targets: ingest <= 10 s, report <= 200 ms.

Two ingest paths are timed:

* engine: NumPy/Arrow-style column batch -> VideoFrame (what analytics run on);
* store: SQLite ``executemany`` of the same rows, then loading them back into a
  VideoFrame through a query — the path the service takes from its database —
  and an Arrow IPC snapshot of the frame, which the service can keep per
  workspace so a report does not re-read a million rows from SQL each time.

Run: ``python bench/analytics.py [--rows N] [--creators N] [--no-store]``.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import polars as pl

from reelforge.research.analytics import report
from reelforge.research.frame import SCHEMA, VideoFrame

VOCAB = [
    "bread",
    "sourdough",
    "starter",
    "crust",
    "oven",
    "flour",
    "yeast",
    "recipe",
    "budget",
    "kitchen",
    "hack",
    "secret",
    "mistake",
    "morning",
    "routine",
    "coffee",
    "beans",
    "grinder",
    "espresso",
    "latte",
    "milk",
    "foam",
    "travel",
    "tokyo",
    "paris",
    "hostel",
    "packing",
    "tips",
    "camera",
    "lens",
    "editing",
    "phone",
    "lighting",
    "studio",
    "workout",
    "protein",
    "squat",
    "running",
    "garden",
    "tomato",
    "compost",
    "plant",
    "python",
    "code",
    "bug",
    "laptop",
    "desk",
    "setup",
    "money",
    "saving",
    "rent",
]
FILLER = [
    "how",
    "to",
    "the",
    "best",
    "why",
    "you",
    "never",
    "stop",
    "this",
    "my",
    "first",
    "day",
    "with",
    "in",
    "for",
]
TAGS = [
    "fyp",
    "foryou",
    "baking",
    "coffee",
    "travel",
    "fitness",
    "coding",
    "money",
    "garden",
    "tech",
    "diy",
    "food",
]


def generate(rows: int, creators: int, seed: int = 7) -> dict[str, object]:
    """Column arrays for ``rows`` videos spread over ``creators`` creators and 3 years."""
    rng = np.random.default_rng(seed)
    creator = rng.integers(0, creators, rows)
    start = int(datetime(2023, 1, 1, tzinfo=UTC).timestamp())
    seconds = rng.integers(start, start + 3 * 365 * 86400, rows)
    views = np.round(rng.lognormal(9.0, 1.6, rows)).astype(np.int64)
    likes = np.round(views * rng.uniform(0.01, 0.12, rows)).astype(np.int64)
    comments = np.round(likes * rng.uniform(0.01, 0.1, rows)).astype(np.int64)
    shares = np.round(likes * rng.uniform(0.0, 0.2, rows)).astype(np.int64)
    vocab = pl.Series(VOCAB)
    filler = pl.Series(FILLER)
    tags = pl.Series(TAGS)

    def pick(series: pl.Series) -> pl.Series:
        return series.gather(rng.integers(0, len(series), rows))

    title = pl.select(
        pl.concat_str(
            [pick(filler), pick(vocab), pick(vocab), pick(filler), pick(vocab)], separator=" "
        )
    ).to_series()
    return {
        "creator": pl.Series(creator).cast(pl.String).to_numpy(),
        "platform": np.where(creator % 2 == 0, "tiktok", "youtube"),
        "video_id": np.char.add("v", np.arange(rows).astype(str)),
        "title": title,
        "description": title,
        "views": views,
        "likes": likes,
        "comments": comments,
        "shares": shares,
        "duration_s": np.round(rng.gamma(2.0, 25.0, rows), 1),
        "published_at": (seconds * 1_000_000).astype("datetime64[us]"),
        "hashtags": pl.select(pl.concat_list([pick(tags), pick(tags)])).to_series(),
    }


def timed(fn, repeat: int = 1):  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return result, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--creators", type=int, default=1_000)
    parser.add_argument("--no-store", action="store_true", help="skip the SQLite path")
    args = parser.parse_args()

    print(
        f"analytics bench: {args.rows:,} videos, {args.creators:,} creators, {os.cpu_count()} cores, polars {pl.__version__}"
    )
    columns, (gen_s,) = timed(lambda: generate(args.rows, args.creators))
    print(f"  generate rows                 {gen_s:8.2f} s")
    frame, (ingest_s,) = timed(lambda: VideoFrame.from_frame(columns))
    print(f"  ingest -> VideoFrame          {ingest_s:8.2f} s   (target <= 10 s)")

    report(frame, tz="America/New_York")  # warm-up: first use compiles regexes, caches tz
    result, times = timed(lambda: report(frame, tz="America/New_York"), repeat=5)
    print(
        f"  workspace report              {statistics.median(times) * 1000:8.0f} ms  (median of 5; target <= 200 ms)"
    )
    one = frame.for_creators(["1"])
    _, ctimes = timed(lambda: report(one, tz="America/New_York"), repeat=5)
    print(f"  one creator ({len(one):,} videos)     {statistics.median(ctimes) * 1000:8.0f} ms")
    print(
        f"  -> median views {result.summary.median_views:,.0f}, breakouts {len(result.breakouts)}, "
        f"best slot {result.weekday_hour.best[0].weekday_name} {result.weekday_hour.best[0].hour}:00, "
        f"words sampled: {result.words.sampled}"
    )
    if args.no_store:
        return
    with tempfile.TemporaryDirectory() as tmp:
        store_bench(frame, Path(tmp))


def store_bench(frame: VideoFrame, tmp: Path) -> None:
    """The service path: rows in SQLite, loaded back through a query; an IPC snapshot."""
    df = frame.df.select(list(SCHEMA)).with_columns(
        pl.col("hashtags").list.join(" "),
        pl.col("published_at").dt.strftime("%Y-%m-%d %H:%M:%S"),
    )
    conn = sqlite3.connect(tmp / "bench.db")
    conn.execute(
        "CREATE TABLE videos (creator_id TEXT, platform TEXT, platform_video_id TEXT, title TEXT,"
        " description TEXT, views INTEGER, likes INTEGER, comments INTEGER, shares INTEGER,"
        " duration_s REAL, published_at TEXT, hashtags TEXT)"
    )

    def insert() -> None:
        with conn:
            conn.executemany("INSERT INTO videos VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", df.iter_rows())

    _, (insert_s,) = timed(insert)
    print(f"  store: SQLite executemany     {insert_s:8.2f} s")
    query = (
        "SELECT creator_id, platform, platform_video_id, title, description, views, likes,"
        " comments, shares, duration_s, published_at, hashtags FROM videos"
        " ORDER BY creator_id, published_at"
    )

    def load() -> VideoFrame:
        cur = conn.execute(query)
        names = [d[0] for d in cur.description]
        return VideoFrame.from_records(cur, columns=names)

    loaded, (load_s,) = timed(load)
    print(f"  store: SQLite -> VideoFrame   {load_s:8.2f} s   ({len(loaded):,} rows)")
    snap = tmp / "workspace.arrow"
    _, (write_s,) = timed(lambda: frame.save(snap))
    _, (read_s,) = timed(lambda: VideoFrame.load(snap))
    print(
        f"  snapshot: write / read IPC    {write_s:8.2f} s / {read_s * 1000:.0f} ms ({snap.stat().st_size / 1e6:.0f} MB)"
    )
    conn.close()


if __name__ == "__main__":
    main()
