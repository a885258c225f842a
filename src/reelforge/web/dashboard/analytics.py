"""Analytics pages: what works across the workspace (``/analytics``) and its charts as SVG.

The page draws the same report as ``GET /api/v1/analytics`` (one call to the
report service), with every chart inline as the server's own SVG (tooltips
work, no script, no third party) and the numbers beside it in a table. The
creator page (:mod:`creators`) shows the same sections for one creator, so
:func:`analytics_context` is shared. Chart files are also served on their own
(``/analytics/charts/{name}.svg``) for saving or opening full size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from reelforge.research import report_service as insights
from reelforge.research.analytics_results import WEEKDAYS, WeekdayHour
from reelforge.research.report_charts import DASHBOARD_CHARTS, dashboard_chart
from reelforge.research.report_html import number
from reelforge.research.tables import ResearchVideo
from reelforge.runtime import Runtime
from reelforge.web.dashboard.templating import render
from reelforge.web.dashboard.viewer import ViewerDep
from reelforge.web.deps import DbDep, RuntimeDep

router = APIRouter()

TZ = Query(None, max_length=64, description="IANA time zone, e.g. Europe/Berlin")


@dataclass(frozen=True)
class Chart:
    name: str
    svg: Markup  # the server's own SVG document; every text in it is escaped
    href: str  # the same chart as a file


def chart_url(name: str, *, creator_id: str | None, tz: str | None) -> str:
    base = f"/creators/{creator_id}/charts" if creator_id else "/analytics/charts"
    return f"{base}/{name}.svg" + (f"?{urlencode({'tz': tz})}" if tz else "")


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d}" if minutes else f"{rest} s"


def video_titles(db: Session, *, owner_id: str, video_ids: list[str]) -> dict[str, str]:
    """Platform video id -> title, for the rows that name a video by its id only."""
    if not video_ids:
        return {}
    rows = db.execute(
        select(ResearchVideo.platform_video_id, ResearchVideo.title).where(
            ResearchVideo.owner_id == owner_id, ResearchVideo.platform_video_id.in_(video_ids)
        )
    )
    return {vid: title or vid for vid, title in rows}


@dataclass(frozen=True)
class WeekdayRow:
    name: str
    posts: int
    best_hour: int | None  # the hour with the highest median views, among hours with posts
    best_median: float | None


def weekday_rows(matrix: WeekdayHour) -> list[WeekdayRow]:
    """Per weekday: how many posts, and its best hour — the heatmap's rows in numbers."""
    rows = []
    for day, name in enumerate(WEEKDAYS):
        medians = matrix.median_views[day]
        known = [(value, hour) for hour, value in enumerate(medians) if value is not None]
        best = max(known) if known else None
        rows.append(
            WeekdayRow(
                name=name,
                posts=sum(matrix.posts[day]),
                best_hour=best[1] if best else None,
                best_median=best[0] if best else None,
            )
        )
    return rows


def analytics_context(
    db: Session, runtime: Runtime, *, owner_id: str, creator_id: str | None, tz: str | None
) -> dict[str, Any]:
    """What ``research/_analytics.html`` shows: the report, its charts and number formats."""
    result = insights.analytics(db, runtime, owner_id=owner_id, creator_id=creator_id, tz=tz)
    report = result.report
    chosen = tz if tz else None
    charts = {
        name: Chart(
            name=name,
            svg=Markup(dashboard_chart(name, result)),
            href=chart_url(name, creator_id=creator_id, tz=chosen),
        )
        for name in DASHBOARD_CHARTS
    }
    growing = [g for g in result.growth.videos if g.snapshots > 1]
    return {
        "result": result,
        "report": report,
        "labels": result.creators,
        "charts": charts,
        "growing": growing,
        "titles": video_titles(db, owner_id=owner_id, video_ids=[g.video_id for g in growing]),
        "weekdays": weekday_rows(report.weekday_hour),
        "tz": report.weekday_hour.time_zone,
        "has_videos": report.summary.videos > 0,
        "num": number,
        "pct": lambda v: number(v, percent=True),
        "secs": duration,
        "day": lambda when: when.strftime("%Y-%m-%d"),
    }


def svg_response(svg: str) -> Response:
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "private"})


@router.get("/analytics")
def workspace_analytics(
    request: Request, viewer: ViewerDep, db: DbDep, runtime: RuntimeDep, tz: str | None = TZ
) -> Response:
    context = analytics_context(db, runtime, owner_id=viewer.user_id, creator_id=None, tz=tz)
    return render(request, "research/analytics.html", title="Analytics", **context)


@router.get("/analytics/charts/{name}.svg")
def workspace_chart(
    viewer: ViewerDep,
    db: DbDep,
    runtime: RuntimeDep,
    name: str = Path(max_length=40),
    tz: str | None = TZ,
) -> Response:
    result = insights.analytics(db, runtime, owner_id=viewer.user_id, tz=tz)
    return svg_response(dashboard_chart(name, result))
