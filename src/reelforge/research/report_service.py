"""Analytics, charts, growth and ideas for a workspace or one creator — scoped by owner.

Reports run over the workspace's cached frame (see :mod:`workspace`); growth
reads the recent stat snapshots from the store. Creators appear in reports
by id; ``creators`` maps each id to its label.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

import polars as pl
from pydantic import BaseModel
from sqlalchemy import DateTime, select, type_coerce
from sqlalchemy.orm import Session

from reelforge.clock import utc_now
from reelforge.deps import Deps
from reelforge.errors import ConfigError, NotFound, ProviderError
from reelforge.research import assist, creators
from reelforge.research.analytics import breakouts, check_time_zone, report
from reelforge.research.analytics_results import AnalyticsReport, GrowthReport
from reelforge.research.assist import AnswerError
from reelforge.research.charts import CHARTS, render_chart
from reelforge.research.dna import versions as dna_store
from reelforge.research.frame import VideoFrame
from reelforge.research.growth import growth
from reelforge.research.ideas import IdeasResult, heuristic_ideas
from reelforge.research.tables import ResearchVideo, VideoSnapshot
from reelforge.research.workspace import workspace_frame


class Analytics(BaseModel):
    scope: Literal["workspace", "creator"]
    creator_id: str | None
    creators: dict[str, str]  # creator id -> label
    report: AnalyticsReport
    growth: GrowthReport
    charts: dict[str, str]  # chart name -> its URL path


def _frame(db: Session, deps: Deps, *, owner_id: str, creator_id: str | None) -> VideoFrame:
    frame = workspace_frame(db, deps, owner_id=owner_id)
    if creator_id is None:
        return frame
    creators.get_creator(db, owner_id=owner_id, creator_id=creator_id)
    return frame.for_creators([creator_id])


def _report(deps: Deps, frame: VideoFrame, tz: str) -> AnalyticsReport:
    settings = deps.settings
    return report(
        frame,
        tz=tz,
        breakout_k=settings.research_breakout_k,
        words_sample=settings.research_words_sample,
    )


def time_zone(deps: Deps, tz: str | None) -> str:
    return check_time_zone(tz or deps.settings.research_time_zone)


def growth_report(
    db: Session, deps: Deps, *, owner_id: str, creator_id: str | None, tz: str
) -> GrowthReport:
    """Views gained from the snapshots of the last ``research_growth_days`` days."""
    since = utc_now() - timedelta(days=deps.settings.research_growth_days)
    query = (
        select(
            ResearchVideo.platform_video_id,
            type_coerce(VideoSnapshot.captured_at, DateTime()),
            VideoSnapshot.views,
        )
        .join(ResearchVideo, ResearchVideo.id == VideoSnapshot.video_id)
        .where(VideoSnapshot.owner_id == owner_id, VideoSnapshot.captured_at >= since)
    )
    if creator_id is not None:
        query = query.where(VideoSnapshot.creator_id == creator_id)
    rows = db.execute(query).all()
    df = pl.DataFrame(
        rows,
        schema={"video_id": pl.String(), "captured_at": pl.Datetime("us"), "views": pl.Int64()},
        orient="row",
    )
    df = df.with_columns(pl.col("captured_at").dt.replace_time_zone("UTC"))
    return growth(df, tz=tz)


def analytics(
    db: Session,
    deps: Deps,
    *,
    owner_id: str,
    creator_id: str | None = None,
    tz: str | None = None,
) -> Analytics:
    zone = time_zone(deps, tz)
    frame = _frame(db, deps, owner_id=owner_id, creator_id=creator_id)
    base = f"/api/v1/creators/{creator_id}" if creator_id else "/api/v1/analytics"
    return Analytics(
        scope="creator" if creator_id else "workspace",
        creator_id=creator_id,
        creators=creators.labels(db, owner_id=owner_id),
        report=_report(deps, frame, zone),
        growth=growth_report(db, deps, owner_id=owner_id, creator_id=creator_id, tz=zone),
        charts={name: f"{base}/charts/{name}.svg" for name in CHARTS},
    )


def chart(
    db: Session,
    deps: Deps,
    *,
    owner_id: str,
    name: str,
    creator_id: str | None = None,
    tz: str | None = None,
) -> str:
    """One chart as an SVG document."""
    if name not in CHARTS:
        raise NotFound(f"No chart named {name!r}. Charts: {', '.join(CHARTS)}.")
    zone = time_zone(deps, tz)
    frame = _frame(db, deps, owner_id=owner_id, creator_id=creator_id)
    return render_chart(name, _report(deps, frame, zone))


def ideas(
    db: Session,
    deps: Deps,
    *,
    owner_id: str,
    writer: str | None = None,
    limit: int = 10,
) -> IdeasResult:
    """Ideas from the workspace's breakouts and the DNA's niche: model, else heuristic."""
    frame = workspace_frame(db, deps, owner_id=owner_id)
    found = breakouts(frame, k=deps.settings.research_breakout_k, n=30)
    dna = dna_store.current_dna(db, owner_id=owner_id)
    offline = heuristic_ideas(found, dna=dna, limit=limit)
    name = assist.writer_name(deps, writer)
    if name == assist.OFFLINE:
        return offline
    try:
        llm = assist.user_llm(db, deps, owner_id=owner_id, writer=name)
        return assist.llm_ideas(llm, found, dna=dna, limit=limit)
    except (ConfigError, ProviderError, AnswerError) as error:
        offline.note = f"{assist.failure_note(name, error)} {offline.note}"
        return offline
