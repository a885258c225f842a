"""Home: what a creator needs at a glance — recent videos, running jobs with live progress,
upcoming and recent posts, and usage against the plan with when it resets — and the first
steps for a new account (onboarding)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from reelforge.accounts import usage, users
from reelforge.jobs import records
from reelforge.publish import posts
from reelforge.videos import service as videos
from reelforge.web.dashboard.templating import render
from reelforge.web.dashboard.viewer import ViewerDep
from reelforge.web.deps import DbDep, RuntimeDep

router = APIRouter()

METRIC_LABELS = {
    "jobs": "Jobs",
    "renders": "Renders",
    "render_seconds": "Render seconds",
    "posts": "Posts",
    "api_requests": "API requests",
}


def usage_bars(summary: usage.UsageSummary) -> list[dict[str, object]]:
    """One bar per metric: used, limit and the share used (None: unlimited)."""
    bars = []
    for metric, value in summary.metrics.items():
        share = None if not value.limit else min(1.0, value.used / value.limit)
        bars.append(
            {
                "label": METRIC_LABELS.get(metric, metric.replace("_", " ").capitalize()),
                "used": value.used,
                "limit": value.limit,
                "share": share,
            }
        )
    return bars


@router.get("/")
def home(request: Request, viewer: ViewerDep, db: DbDep, runtime: RuntimeDep) -> Response:
    owner = viewer.user_id
    summary = usage.summary(db, runtime.settings, owner_id=owner)
    every = posts.list_posts(db, owner_id=owner, limit=20)
    return render(
        request,
        "home.html",
        title="Home",
        videos=videos.list_videos(db, owner_id=owner, limit=6),
        running=[
            j for j in records.list_jobs(db, owner_id=owner, limit=20) if j.state in records.ACTIVE
        ],
        upcoming=[p for p in every if p.status == "scheduled"][:5],
        recent_posts=[p for p in every if p.status != "scheduled"][:5],
        summary=summary,
        bars=usage_bars(summary),
        onboarded=viewer.user.onboarded_at is not None,
    )


@router.get("/onboarding")
def onboarding(request: Request, viewer: ViewerDep) -> Response:
    return render(request, "onboarding.html", title="Welcome")


@router.post("/onboarding")
def finish_onboarding(viewer: ViewerDep, db: DbDep, name: Annotated[str, Form()] = "") -> Response:
    if name.strip():
        users.update_profile(db, user_id=viewer.user_id, name=name)
    users.finish_onboarding(db, user_id=viewer.user_id)
    return RedirectResponse("/", status_code=303)
