"""Charts are valid SVG documents with a title, axis labels and the expected marks."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from reelforge.errors import NotFound
from reelforge.providers.types.research import VideoStats
from reelforge.research.analytics import report
from reelforge.research.analytics_results import TimePoint
from reelforge.research.charts import CHARTS, render_chart, views_over_time_svg
from reelforge.research.frame import VideoFrame

NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> tuple[ET.Element, list[str]]:
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    texts = [t.text or "" for t in root.iter(f"{NS}text")]
    return root, texts


@pytest.fixture
def full_report(videos_by_creator: dict[str, list[VideoStats]]):  # type: ignore[no-untyped-def]
    return report(
        VideoFrame.from_videos(videos_by_creator), tz="America/New_York", min_slot_posts=1
    )


def test_views_over_time_chart_has_title_axes_and_a_point_per_period(full_report) -> None:  # type: ignore[no-untyped-def]
    root, texts = parse(render_chart("views-over-time", full_report))
    assert root.find(f"{NS}title").text == "Views over time"  # type: ignore[union-attr]
    assert "Views over time" in texts
    assert "Median views per video" in texts and "Published (period start)" in texts
    assert len(list(root.iter(f"{NS}circle"))) == len(full_report.views_over_time)
    assert len(list(root.iter(f"{NS}polyline"))) == 1


def test_weekday_hour_heatmap_has_168_cells_and_weekday_labels(full_report) -> None:  # type: ignore[no-untyped-def]
    root, texts = parse(render_chart("weekday-hour.svg", full_report))
    assert "Hour of day (America/New_York)" in texts and "Weekday" in texts
    assert {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"} <= set(texts)
    cells = [r for r in root.iter(f"{NS}rect") if r.find(f"{NS}title") is not None]
    assert len(cells) == 7 * 24
    tips = [c.find(f"{NS}title").text for c in cells]  # type: ignore[union-attr]
    assert any(t and t.startswith("Mon 18:00 — 4 posts, median 250 views") for t in tips)


def test_duration_chart_has_a_bar_per_bucket(full_report) -> None:  # type: ignore[no-untyped-def]
    root, texts = parse(render_chart("durations", full_report))
    assert "Video length" in texts and "Video length vs views" in texts
    bars = [r for r in root.iter(f"{NS}rect") if r.find(f"{NS}title") is not None]
    assert len(bars) == len(full_report.durations)
    assert "1 min–1.5 min" in texts


def test_every_chart_renders_for_an_empty_workspace_and_text_is_escaped() -> None:
    empty = report(VideoFrame.from_videos({}))
    for name in CHARTS:
        _, texts = parse(render_chart(name, empty))
        assert "No videos yet" in texts
    svg = views_over_time_svg([], title='Views of "<Tom & Jerry>"')
    _, texts = parse(svg)
    assert 'Views of "<Tom & Jerry>"' in texts


def test_unknown_chart_is_not_found(full_report) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound, match="views-over-time"):
        render_chart("pie", full_report)


def test_single_period_chart_is_still_valid() -> None:
    from datetime import date

    _, texts = parse(
        views_over_time_svg(
            [TimePoint(period_start=date(2024, 1, 1), videos=1, median_views=5, total_views=5)]
        )
    )
    assert "2024-01-01" in texts
