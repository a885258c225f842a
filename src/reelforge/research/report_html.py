"""A self-contained HTML analytics report: the summary tables with the SVG charts inline.

Why one file with nothing external: the report is something a creator keeps,
mails or opens offline; no script, no stylesheet or font from elsewhere, no
tracking (promise P28). Every text from the data is escaped; the charts are
the server's own SVG documents, placed as they came.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from html import escape

from reelforge.research.analytics_results import AnalyticsReport

STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:60rem;
color:#1d2330;padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e3e7ee}
td.n{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:1rem 0}.note{color:#5b6475;font-size:.85rem}
"""


def number(value: float | None, *, percent: bool = False) -> str:
    """A count or rate for people: 12.3k, 4.5%, or an en dash when unknown."""
    if value is None:
        return "–"
    if percent:
        return f"{value * 100:.1f}%"
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:.1f}{suffix}"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: set[int]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="n">{escape(c)}</td>' if i in numeric else f"<td>{escape(c)}</td>"
            for i, c in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else "–"


def html_report(
    report: AnalyticsReport,
    *,
    title: str,
    labels: Mapping[str, str],
    charts: Mapping[str, str],
) -> str:
    """The report as one HTML document; ``charts`` maps a chart name to its SVG text."""
    s = report.summary
    parts = [
        f"<h1>{escape(title)}</h1>",
        f'<p class="note">{s.videos:,} videos from {s.creators} creator(s). Engagement = '
        "(likes + comments + shares) / views. Times in "
        f"{escape(report.weekday_hour.time_zone)}.</p>",
        _table(
            ["Median views", "Top views", "Engagement", "Posts / week"],
            [
                [
                    number(s.median_views),
                    number(s.top_views),
                    number(s.engagement_rate, percent=True),
                    number(s.median_posts_per_week),
                ]
            ],
            {0, 1, 2, 3},
        ),
        "<h2>Creators</h2>",
        _table(
            ["Creator", "Videos", "Median views", "Engagement", "Posts / week", "Last post"],
            [
                [
                    labels.get(c.creator, c.creator),
                    str(c.videos),
                    number(c.median_views),
                    number(c.engagement_rate, percent=True),
                    number(c.posts_per_week),
                    _when(c.last_published),
                ]
                for c in report.creators
            ],
            {1, 2, 3, 4},
        ),
    ]
    if report.breakouts:
        parts += [
            "<h2>Breakout videos</h2>",
            _table(
                ["Title", "Creator", "Views", "x usual", "Published"],
                [
                    [
                        b.title or b.video_id,
                        labels.get(b.creator, b.creator),
                        number(b.views),
                        f"{b.ratio:.1f}x",
                        _when(b.published_at),
                    ]
                    for b in report.breakouts
                ],
                {2, 3},
            ),
        ]
    best = ", ".join(f"{slot.weekday_name} {slot.hour:02d}:00" for slot in report.weekday_hour.best)
    parts.append(
        f"<h2>Charts</h2><p>Best times to post: {escape(best or 'too few posts yet')}.</p>"
    )
    parts += [f"<figure>{svg}</figure>" for svg in charts.values()]
    words = report.words
    if words.top_words:
        parts += [
            "<h2>Words in top vs bottom videos</h2>",
            _table(
                ["Word", "Top videos", "Bottom videos"],
                [
                    [w.word, number(w.share, percent=True), number(w.other_share, percent=True)]
                    for w in words.top_words
                ],
                {1, 2},
            ),
        ]
    body = "\n".join(parts)
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>{body}</body></html>\n"
    )
