"""Which words and hashtags the best videos use, and the worst ones do not.

Each creator's videos are split into quartiles by views (within the creator);
words are counted once per video over its text — the title, plus the caption
on TikTok, where the description *is* the caption (YouTube descriptions are
long boilerplate and would drown the titles). Shares, not raw counts, are
reported, so a fixed-seed sample of a huge quartile gives the same answer as
reading all of it, at a fraction of the time.
"""

from __future__ import annotations

import polars as pl

from reelforge.research.analytics_results import WordCount, WordStats
from reelforge.research.frame import VideoFrame
from reelforge.research.title_words import MIN_WORD_LEN, STOP_WORDS, STRIP_REGEX, WORD_REGEX

_STOP = pl.Series(sorted(STOP_WORDS), dtype=pl.String())


def _text() -> pl.Expr:
    caption = (
        pl.when(pl.col("platform") == "tiktok").then(pl.col("description")).otherwise(pl.lit(""))
    )
    return pl.concat_str([pl.col("title"), caption], separator=" ")


def _counts(df: pl.DataFrame, column: str) -> pl.DataFrame:
    """Per quartile: how many videos use each token in ``column`` (a list column)."""
    return (
        df.select("quartile", pl.col(column).list.unique().alias("token"))
        .explode("token")
        .filter(pl.col("token").is_not_null())
        .group_by("quartile", "token")
        .agg(pl.len().alias("videos"))
    )


def _ranked(
    counts: pl.DataFrame, sizes: dict[str, int], group: str, other: str, n: int
) -> list[WordCount]:
    mine = counts.filter(pl.col("quartile") == group).select("token", "videos")
    theirs = counts.filter(pl.col("quartile") == other).select(
        "token", pl.col("videos").alias("other")
    )
    top = (
        mine.join(theirs, on="token", how="left")
        .with_columns(pl.col("other").fill_null(0))
        .sort(["videos", "token"], descending=[True, False])
        .head(n)
    )
    size, other_size = max(sizes.get(group, 0), 1), max(sizes.get(other, 0), 1)
    return [
        WordCount(
            word=row["token"],
            videos=row["videos"],
            share=row["videos"] / size,
            other_share=row["other"] / other_size,
        )
        for row in top.iter_rows(named=True)
    ]


def word_stats(frame: VideoFrame, *, n: int = 15, sample: int = 5_000) -> WordStats:
    """Most frequent words and hashtags in each creator's top vs bottom quartile."""
    parts, sampled = [], False
    for group, mark in (("top", 1), ("bottom", -1)):
        rows = frame.df.select(pl.arg_where(pl.col("quartile") == mark)).to_series()
        if rows.len() > sample:
            rows, sampled = rows.sample(n=sample, seed=0).sort(), True
        part = frame.df.select("platform", "title", "description", "hashtags")[rows]
        parts.append(part.with_columns(pl.lit(group).alias("quartile")))
    df = pl.concat(parts)
    sizes = dict(df.group_by("quartile").len().iter_rows())
    text = _text().str.to_lowercase().str.replace_all(STRIP_REGEX, " ")
    words = (
        df.select(
            pl.int_range(pl.len()).alias("row"),
            "quartile",
            text.str.extract_all(WORD_REGEX).alias("token"),
        )
        .explode("token")
        .with_columns(pl.col("token").str.replace_all("’", "'"))
        .filter(
            (pl.col("token").str.len_chars() >= MIN_WORD_LEN)
            & ~pl.col("token").is_in(_STOP.implode())
        )
        .unique(["row", "token"])
        .group_by("quartile", "token")
        .agg(pl.len().alias("videos"))
    )
    tags = _counts(df, "hashtags")
    return WordStats(
        top_words=_ranked(words, sizes, "top", "bottom", n),
        bottom_words=_ranked(words, sizes, "bottom", "top", n),
        top_hashtags=_ranked(tags, sizes, "top", "bottom", n),
        bottom_hashtags=_ranked(tags, sizes, "bottom", "top", n),
        top_videos=sizes.get("top", 0),
        bottom_videos=sizes.get("bottom", 0),
        sampled=sampled,
    )
