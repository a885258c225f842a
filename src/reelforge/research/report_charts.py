"""The dashboard's charts of an analytics result: the three report charts and four more.

The report charts (views over time, weekday x hour, lengths; :mod:`charts`)
come from the report alone; the dashboard also draws the top videos, their
engagement, words in top vs bottom videos and the daily growth from the
snapshots — the same hand-written SVG (:mod:`svg`): deterministic, with real
``<text>`` and a ``<title>`` tooltip on every mark, no script. Each chart says
in its own picture when there is nothing to draw yet.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from reelforge.errors import NotFound
from reelforge.research.analytics_results import DailyGain, VideoRef, WordStats
from reelforge.research.charts import render_chart
from reelforge.research.report_service import Analytics
from reelforge.research.svg import ACCENT, GRID, MUTED, Svg, compact, nice_ticks

WIDTH = 720
LABEL_W = 236  # room for a bar's label on the left
RIGHT = 64  # room for the value after the bar
TOP, BOTTOM = 52, 44
ROW = 28
OTHER = "#9aa5b1"  # the second series of a paired bar


def _short(text: str, limit: int = 34) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def _empty(title: str, message: str) -> str:
    svg = Svg(WIDTH, 200, title=title)
    svg.text(24, 28, title, size=16, font_weight="bold")
    svg.text(WIDTH / 2, 110, message, size=14, fill=MUTED, text_anchor="middle")
    return svg.render()


def bars_svg(
    rows: Sequence[tuple[str, float, str]],
    *,
    title: str,
    x_label: str,
    fmt: Callable[[float], str] = compact,
    empty: str = "No videos yet",
) -> str:
    """Horizontal bars: (label, value, tooltip) per row, longest value full width."""
    if not rows:
        return _empty(title, empty)
    height = TOP + ROW * len(rows) + BOTTOM
    svg = Svg(WIDTH, height, title=title)
    svg.text(24, 28, title, size=16, font_weight="bold")
    plot_w = WIDTH - LABEL_W - RIGHT
    top_value = max(max(v for _, v, _ in rows), 1e-9)
    ticks = nice_ticks(0, top_value)
    scale = plot_w / ticks[-1]
    for tick in ticks:
        x = LABEL_W + tick * scale
        svg.line(x, TOP - 6, x, TOP + ROW * len(rows), stroke=GRID)
        svg.text(
            x, TOP + ROW * len(rows) + 16, fmt(tick), size=11, fill=MUTED, text_anchor="middle"
        )
    for i, (label, value, tip) in enumerate(rows):
        y = TOP + i * ROW
        svg.text(LABEL_W - 8, y + ROW / 2 + 4, _short(label), size=12, text_anchor="end")
        svg.rect(LABEL_W, y + 5, max(value * scale, 1), ROW - 10, tip=tip, fill=ACCENT)
        svg.text(LABEL_W + value * scale + 6, y + ROW / 2 + 4, fmt(value), size=11, fill=MUTED)
    svg.text(LABEL_W + plot_w / 2, height - 8, x_label, fill=MUTED, text_anchor="middle")
    return svg.render()


def top_videos_svg(videos: Sequence[VideoRef], labels: Mapping[str, str]) -> str:
    """The most viewed videos, as bars."""
    rows = [
        (
            v.title or v.video_id,
            float(v.views or 0),
            f"{v.title or v.video_id} — {labels.get(v.creator, v.creator)}: "
            f"{compact(v.views or 0)} views",
        )
        for v in videos[:10]
        if v.views is not None
    ]
    return bars_svg(rows, title="Top videos", x_label="Views")


def engagement_svg(videos: Sequence[VideoRef]) -> str:
    """Engagement (likes + comments + shares per view) of the top videos."""
    rows = [
        (
            v.title or v.video_id,
            v.engagement_rate,
            f"{v.title or v.video_id}: {_percent(v.engagement_rate)} engagement",
        )
        for v in videos[:10]
        if v.engagement_rate is not None
    ]
    return bars_svg(
        rows,
        title="Engagement of the top videos",
        x_label="(likes + comments + shares) / views",
        fmt=_percent,
        empty="No engagement counts yet",
    )


def words_svg(words: WordStats) -> str:
    """Words of the top quarter's titles: share of top videos vs of bottom videos."""
    title = "Words in top vs bottom videos"
    found = words.top_words[:10]
    if not found:
        return _empty(title, "Too few videos to compare words yet")
    height = TOP + ROW * len(found) + BOTTOM
    svg = Svg(WIDTH, height, title=title)
    svg.text(24, 28, title, size=16, font_weight="bold")
    svg.rect(WIDTH - 250, 18, 12, 12, fill=ACCENT)
    svg.text(WIDTH - 232, 29, "top videos", size=11, fill=MUTED)
    svg.rect(WIDTH - 150, 18, 12, 12, fill=OTHER)
    svg.text(WIDTH - 132, 29, "bottom videos", size=11, fill=MUTED)
    plot_w = WIDTH - LABEL_W - RIGHT
    top_share = max(max(max(w.share, w.other_share) for w in found), 0.01)
    ticks = nice_ticks(0, top_share)
    scale = plot_w / ticks[-1]
    for tick in ticks:
        x = LABEL_W + tick * scale
        svg.line(x, TOP - 6, x, TOP + ROW * len(found), stroke=GRID)
        svg.text(
            x,
            TOP + ROW * len(found) + 16,
            f"{tick * 100:.0f}%",
            size=11,
            fill=MUTED,
            text_anchor="middle",
        )
    for i, w in enumerate(found):
        y = TOP + i * ROW
        svg.text(LABEL_W - 8, y + ROW / 2 + 4, _short(w.word), size=12, text_anchor="end")
        svg.rect(
            LABEL_W,
            y + 4,
            max(w.share * scale, 1),
            9,
            tip=f"{w.word}: in {_percent(w.share)} of top videos ({w.videos})",
            fill=ACCENT,
        )
        svg.rect(
            LABEL_W,
            y + 15,
            max(w.other_share * scale, 1),
            9,
            tip=f"{w.word}: in {_percent(w.other_share)} of bottom videos",
            fill=OTHER,
        )
    svg.text(
        LABEL_W + plot_w / 2,
        height - 8,
        "Share of videos whose title or caption has the word",
        fill=MUTED,
        text_anchor="middle",
    )
    return svg.render()


def growth_svg(daily: Sequence[DailyGain]) -> str:
    """Views gained per day, from the stat snapshots of consecutive refreshes."""
    title = "Views gained per day"
    if not daily:
        return _empty(title, "No growth yet: it shows after the second refresh or import")
    height, left, bottom = 300, 72, 56
    svg = Svg(WIDTH, height, title=title)
    svg.text(24, 28, title, size=16, font_weight="bold")
    plot_w, plot_h = WIDTH - left - 24, height - TOP - bottom
    ticks = nice_ticks(0, max(max(d.views_gained for d in daily), 1))
    for tick in ticks:
        y = height - bottom - plot_h * tick / ticks[-1]
        svg.line(left, y, WIDTH - 24, y, stroke=GRID)
        svg.text(left - 8, y + 4, compact(tick), size=11, fill=MUTED, text_anchor="end")
    slot = plot_w / len(daily)
    every = max(1, len(daily) // 7)
    for i, day in enumerate(daily):
        bar = plot_h * max(day.views_gained, 0) / ticks[-1]
        x = left + i * slot + slot * 0.15
        tip = f"{day.day.isoformat()}: {compact(day.views_gained)} views gained"
        svg.rect(x, height - bottom - bar, slot * 0.7, bar, tip=tip, fill=ACCENT)
        if i % every == 0:
            svg.text(
                x + slot * 0.35,
                height - bottom + 18,
                day.day.isoformat(),
                size=11,
                fill=MUTED,
                text_anchor="middle",
            )
    svg.text(left + plot_w / 2, height - 12, "Day", fill=MUTED, text_anchor="middle")
    return svg.render()


#: Chart name -> how it is drawn from an analytics result, in the order pages show them.
DASHBOARD_CHARTS: dict[str, Callable[[Analytics], str]] = {
    "views-over-time": lambda a: render_chart("views-over-time", a.report),
    "top-videos": lambda a: top_videos_svg(a.report.top_videos, a.creators),
    "engagement": lambda a: engagement_svg(a.report.top_videos),
    "weekday-hour": lambda a: render_chart("weekday-hour", a.report),
    "durations": lambda a: render_chart("durations", a.report),
    "words": lambda a: words_svg(a.report.words),
    "growth": lambda a: growth_svg(a.growth.daily),
}


def dashboard_chart(name: str, analytics: Analytics) -> str:
    """One chart of ``analytics`` as an SVG document; NotFound for an unknown name."""
    draw = DASHBOARD_CHARTS.get(name)
    if draw is None:
        raise NotFound(f"No chart named {name!r}. Charts: {', '.join(DASHBOARD_CHARTS)}.")
    return draw(analytics)
