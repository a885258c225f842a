"""Ideas: topics to make next, from the workspace's breakout videos and the Content DNA.

The same service as ``GET /api/v1/ideas`` — the user's writer model when it is
one, else the offline heuristic, labelled as such. Each idea links to the new
video page with its topic filled in (``/videos/new?topic=…``).
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from reelforge.research import creators
from reelforge.research import report_service as insights
from reelforge.research.dna import versions as dna_store
from reelforge.research.ideas import Idea
from reelforge.web.dashboard.templating import render
from reelforge.web.dashboard.viewer import ViewerDep
from reelforge.web.deps import DbDep, RuntimeDep

router = APIRouter()
LIMIT = 12


def new_video_link(idea: Idea) -> str:
    """The new video page with this idea as its topic (the angle says the most)."""
    return "/videos/new?" + urlencode({"topic": idea.angle or idea.topic})


@router.get("/ideas")
def ideas_page(request: Request, viewer: ViewerDep, db: DbDep, runtime: RuntimeDep) -> Response:
    owner = viewer.user_id
    result = insights.ideas(db, runtime, owner_id=owner, limit=LIMIT)
    return render(
        request,
        "research/ideas.html",
        title="Ideas",
        result=result,
        link=new_video_link,
        has_creators=bool(creators.list_creators(db, owner_id=owner)),
        has_dna=dna_store.current(db, owner_id=owner) is not None,
    )
