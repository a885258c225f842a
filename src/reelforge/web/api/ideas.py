"""Topic ideas from your workspace's breakout videos and your DNA's niche."""

from __future__ import annotations

from fastapi import APIRouter, Query

from reelforge.research import report_service as insights
from reelforge.research.ideas import IdeasResult
from reelforge.web.deps import DbDep, PrincipalDep, RuntimeDep

router = APIRouter(prefix="/ideas", tags=["research"])


@router.get(
    "",
    response_model=IdeasResult,
    summary="Topic ideas (your writer model when it is one; else an offline heuristic, labelled)",
)
def list_ideas(
    principal: PrincipalDep,
    db: DbDep,
    runtime: RuntimeDep,
    limit: int = Query(10, ge=1, le=30),
    writer: str | None = Query(None, max_length=40, description="Model to ask; default yours"),
) -> IdeasResult:
    return insights.ideas(db, runtime, owner_id=principal.user_id, writer=writer, limit=limit)
