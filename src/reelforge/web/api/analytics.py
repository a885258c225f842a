"""Workspace analytics: every creator's videos together, as JSON and as SVG charts."""

from __future__ import annotations

from fastapi import APIRouter, Path, Query, Response

from reelforge.research import report_service as insights
from reelforge.research.report_service import Analytics
from reelforge.web.api.bodies.research import SVG_RESPONSE, TZ_HELP
from reelforge.web.deps import DbDep, PrincipalDep, RuntimeDep

router = APIRouter(prefix="/analytics", tags=["research"])


@router.get("", response_model=Analytics, summary="What works across your workspace")
def workspace_analytics(
    principal: PrincipalDep,
    db: DbDep,
    runtime: RuntimeDep,
    tz: str | None = Query(None, max_length=64, description=TZ_HELP),
) -> Analytics:
    return insights.analytics(db, runtime, owner_id=principal.user_id, tz=tz)


@router.get(
    "/charts/{name}.svg",
    response_class=Response,
    responses=SVG_RESPONSE,
    summary="A workspace chart: views-over-time, weekday-hour or durations",
)
def workspace_chart(
    principal: PrincipalDep,
    db: DbDep,
    runtime: RuntimeDep,
    name: str = Path(max_length=40),
    tz: str | None = Query(None, max_length=64, description=TZ_HELP),
) -> Response:
    svg = insights.chart(db, runtime, owner_id=principal.user_id, name=name, tz=tz)
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "private"})
