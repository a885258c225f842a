"""Server-side SVG charts of a report: views over time, weekday x hour, length buckets.

Rendered on the server so the dashboard, the HTML report and the CLI get the
same pictures without a browser or JavaScript. Each chart has a title, axis
labels and a ``<title>`` tooltip per mark. ``render_chart(name, report)`` is
what ``GET …/charts/{name}.svg`` calls.
"""

from __future__ import annotations

from collections.abc import Callable

from reelforge.errors import NotFound
from reelforge.research.analytics_results import (
    WEEKDAYS,
    AnalyticsReport,
    DurationBucket,
    TimePoint,
    WeekdayHour,
)
from reelforge.research.svg import ACCENT, GRID, MUTED, Svg, compact, heat, nice_ticks

WIDTH, HEIGHT = 720, 360
LEFT, RIGHT, TOP, BOTTOM = 72, 24, 52, 64


def _frame(svg: Svg, *, x_label: str, y_label: str) -> None:
    svg.text(LEFT, 28, svg.title, size=16, font_weight="bold")
    svg.text(
        LEFT + (WIDTH - LEFT - RIGHT) / 2, HEIGHT - 14, x_label, fill=MUTED, text_anchor="middle"
    )
    mid = TOP + (HEIGHT - TOP - BOTTOM) / 2
    svg.text(
        18, mid, y_label, fill=MUTED, text_anchor="middle", transform=f"rotate(-90 18 {mid:.1f})"
    )


def _y_axis(svg: Svg, top_value: float) -> Callable[[float], float]:
    """Draw grid lines and tick labels for [0, top_value]; return value -> y."""
    ticks = nice_ticks(0, max(top_value, 1))
    plot_h = HEIGHT - TOP - BOTTOM

    def y_of(value: float) -> float:
        return HEIGHT - BOTTOM - plot_h * value / ticks[-1]

    for tick in ticks:
        y = y_of(tick)
        svg.line(LEFT, y, WIDTH - RIGHT, y, stroke=GRID)
        svg.text(LEFT - 8, y + 4, compact(tick), size=11, fill=MUTED, text_anchor="end")
    return y_of


def _empty(svg: Svg) -> str:
    svg.text(WIDTH / 2, HEIGHT / 2, "No videos yet", size=14, fill=MUTED, text_anchor="middle")
    return svg.render()


def views_over_time_svg(points: list[TimePoint], *, title: str = "Views over time") -> str:
    """Median views per video for each period, as a line; dots carry the numbers."""
    svg = Svg(WIDTH, HEIGHT, title=title)
    _frame(svg, x_label="Published (period start)", y_label="Median views per video")
    known = [p for p in points if p.median_views is not None]
    if not known:
        return _empty(svg)
    y_of = _y_axis(svg, max(p.median_views or 0 for p in known))
    plot_w = WIDTH - LEFT - RIGHT
    step = plot_w / max(len(known) - 1, 1)

    def x_of(i: int) -> float:
        return LEFT + (i * step if len(known) > 1 else plot_w / 2)

    coords = [(x_of(i), y_of(p.median_views or 0)) for i, p in enumerate(known)]
    svg.polyline(coords, fill="none", stroke=ACCENT, stroke_width=2)
    for (x, y), p in zip(coords, known, strict=True):
        tip = f"{p.period_start}: {p.videos} videos, median {compact(p.median_views or 0)} views"
        svg.circle(x, y, 3, tip=tip, fill=ACCENT)
    every = max(1, len(known) // 6)
    for i in range(0, len(known), every):
        label = known[i].period_start.isoformat()
        svg.text(x_of(i), HEIGHT - BOTTOM + 18, label, size=11, fill=MUTED, text_anchor="middle")
    return svg.render()


def weekday_hour_svg(matrix: WeekdayHour, *, title: str = "Best time to post") -> str:
    """Heatmap of median views by local weekday (rows) and hour (columns)."""
    svg = Svg(WIDTH, HEIGHT, title=title)
    _frame(svg, x_label=f"Hour of day ({matrix.time_zone})", y_label="Weekday")
    values = [v for row in matrix.median_views for v in row if v is not None]
    if not values:
        return _empty(svg)
    lo, hi = min(values), max(values)
    cell_w = (WIDTH - LEFT - RIGHT) / 24
    cell_h = (HEIGHT - TOP - BOTTOM) / 7
    best = {(s.weekday, s.hour) for s in matrix.best}
    for day in range(7):
        y = TOP + day * cell_h
        svg.text(
            LEFT - 8, y + cell_h / 2 + 4, WEEKDAYS[day], size=11, fill=MUTED, text_anchor="end"
        )
        for hour in range(24):
            value, posts = matrix.median_views[day][hour], matrix.posts[day][hour]
            x = LEFT + hour * cell_w
            fill = heat(value, lo, hi) if value is not None else "#f5f7fa"
            tip = f"{WEEKDAYS[day]} {hour:02d}:00 — {posts} posts"
            if value is not None:
                tip += f", median {compact(value)} views"
            stroke = "#d64545" if (day, hour) in best else "#ffffff"
            svg.rect(x, y, cell_w, cell_h, tip=tip, fill=fill, stroke=stroke, stroke_width=1.5)
    for hour in range(0, 24, 3):
        x = LEFT + hour * cell_w + cell_w / 2
        svg.text(x, HEIGHT - BOTTOM + 18, f"{hour:02d}", size=11, fill=MUTED, text_anchor="middle")
    legend = f"pale = {compact(lo)}, deep = {compact(hi)} median views; red outline = best slots"
    svg.text(WIDTH - RIGHT, 28, legend, size=11, fill=MUTED, text_anchor="end")
    return svg.render()


def duration_buckets_svg(
    buckets: list[DurationBucket], *, title: str = "Video length vs views"
) -> str:
    """Bars of median views per length bucket, each labelled with its video count."""
    svg = Svg(WIDTH, HEIGHT, title=title)
    _frame(svg, x_label="Video length", y_label="Median views per video")
    if not any(b.median_views is not None for b in buckets):
        return _empty(svg)
    y_of = _y_axis(svg, max(b.median_views or 0 for b in buckets))
    slot = (WIDTH - LEFT - RIGHT) / len(buckets)
    for i, bucket in enumerate(buckets):
        x = LEFT + i * slot + slot * 0.15
        value = bucket.median_views or 0
        top = y_of(value)
        tip = f"{bucket.label}: {bucket.videos} videos, median {compact(value)} views"
        svg.rect(x, top, slot * 0.7, HEIGHT - BOTTOM - top, tip=tip, fill=ACCENT)
        centre = x + slot * 0.35
        svg.text(centre, top - 6, f"n={bucket.videos}", size=10, fill=MUTED, text_anchor="middle")
        svg.text(
            centre, HEIGHT - BOTTOM + 18, bucket.label, size=11, fill=MUTED, text_anchor="middle"
        )
    return svg.render()


CHARTS: dict[str, Callable[[AnalyticsReport], str]] = {
    "views-over-time": lambda r: views_over_time_svg(r.views_over_time),
    "weekday-hour": lambda r: weekday_hour_svg(r.weekday_hour),
    "durations": lambda r: duration_buckets_svg(r.durations),
}


def render_chart(name: str, report: AnalyticsReport) -> str:
    """The named chart of ``report`` as an SVG document."""
    chart = CHARTS.get(name.removesuffix(".svg"))
    if chart is None:
        raise NotFound(f"No chart named {name!r}. Charts: {', '.join(CHARTS)}.")
    return chart(report)
