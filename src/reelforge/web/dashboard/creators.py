"""Creators pages: the workspace's creators — add, import a file, refresh, remove — and one
creator's own analytics.

The same services as ``/api/v1/creators``: adding by handle or profile URL,
importing a yt-dlp ``--dump-json`` or CSV file (every skipped row listed by
line), queueing a refresh (its progress follows the job live), and removing a
creator with all its videos and stats (P15) behind a confirmation that counts
them. A creator of another account is a 404 page, like one that never existed.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from reelforge.errors import InputError, QuotaExceeded, ReelforgeError
from reelforge.providers.types.research import PLATFORM_NAMES, PLATFORMS
from reelforge.research import creators, manage, overview
from reelforge.research import refresh_job as refresh
from reelforge.research import report_service as insights
from reelforge.research.import_service import ImportOutcome
from reelforge.research.report_charts import dashboard_chart
from reelforge.web.dashboard.analytics import TZ, analytics_context, svg_response
from reelforge.web.dashboard.templating import render
from reelforge.web.dashboard.viewer import Viewer, ViewerDep
from reelforge.web.deps import DbDep, RuntimeDep

router = APIRouter()

#: How each source is named to people; a plugin's source shows by its name.
SOURCE_NAMES = {
    "youtube": "YouTube Data API",
    "tiktok_research": "TikTok Research API",
    "tiktok_display": "TikTok Display API (your own connected account)",
    creators.IMPORT: "Files you import",
}
CreatorId = Path(description="The creator's id")


def source_name(source: str) -> str:
    return SOURCE_NAMES.get(source, source)


def source_choices() -> list[tuple[str, str]]:
    """(value, label) of the add form's source menu: the default, then every source."""
    names: list[str] = []
    for platform in PLATFORMS:
        names += [s for s in creators.sources_for(platform) if s not in names]
    names.sort(key=lambda s: s == creators.IMPORT)
    return [("", "The platform's API (the default)")] + [(s, source_name(s)) for s in names]


def platform_of(text: str, chosen: str) -> str:
    """A pasted profile URL says its platform, whatever the menu says."""
    low = text.lower()
    if "tiktok.com/" in low:
        return "tiktok"
    if "youtube.com/" in low or "youtu.be/" in low:
        return "youtube"
    return chosen


def creators_page(
    request: Request,
    db: Session,
    viewer: Viewer,
    *,
    status_code: int = 200,
    problem: str | None = None,
    import_problem: str | None = None,
    outcome: ImportOutcome | None = None,
    notice: str | None = None,
    form: dict[str, str] | None = None,
    into: str | None = None,
) -> Response:
    rows = overview.creator_rows(db, owner_id=viewer.user_id)
    return render(
        request,
        "research/creators.html",
        status_code=status_code,
        title="Creators",
        rows=rows,
        platforms=PLATFORM_NAMES,
        sources=source_choices(),
        source_name=source_name,
        form=form or {"platform": "youtube", "handle": "", "source": ""},
        problem=problem,
        import_problem=import_problem,
        outcome=outcome,
        notice=notice,
        into=into or "",
    )


def _notice(
    db: Session, owner_id: str, *, added: str | None, new: bool, deleted: bool, queued: str | None
) -> str | None:
    if deleted:
        return "Deleted the creator with all its videos and stats."
    shown = added or queued
    if not shown:
        return None
    try:
        creator = creators.get_creator(db, owner_id=owner_id, creator_id=shown)
    except ReelforgeError:
        return None
    name = creators.label(creator)
    if queued:
        if queued not in overview.active_refreshes(db, owner_id=owner_id):
            return None  # it has ended since: the list says how
        return f"Reading {name}'s videos; the progress shows in the list."
    if not new:
        return f"{name} is already in your workspace."
    if creator.source == creators.IMPORT:
        return f"Added {name}. Import a file of its videos below."
    return f"Added {name}. Refresh it to read its public videos."


@router.get("/creators")
def list_page(
    request: Request,
    viewer: ViewerDep,
    db: DbDep,
    added: str | None = Query(None, max_length=64),
    new: bool = False,
    deleted: bool = False,
    queued: str | None = Query(None, max_length=64),
    into: str | None = Query(None, max_length=64),
) -> Response:
    notice = _notice(db, viewer.user_id, added=added, new=new, deleted=deleted, queued=queued)
    return creators_page(request, db, viewer, notice=notice, into=into)


@router.post("/creators")
def add(
    request: Request,
    viewer: ViewerDep,
    db: DbDep,
    runtime: RuntimeDep,
    handle: Annotated[str, Form(max_length=300)] = "",
    platform: Annotated[str, Form(max_length=16)] = "youtube",
    source: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    chosen = platform_of(handle, platform)
    try:
        creator, created = creators.add_creator(
            db,
            runtime.settings,
            owner_id=viewer.user_id,
            platform=chosen,
            handle=handle,
            source=source or None,
        )
    except (InputError, QuotaExceeded) as exc:
        db.rollback()
        form = {"platform": chosen, "handle": handle, "source": source}
        return creators_page(request, db, viewer, status_code=400, problem=exc.message, form=form)
    target = f"/creators?added={creator.id}" + ("&new=1" if created else "")
    return RedirectResponse(target, status_code=303)


@router.post("/creators/import")
def import_file(
    request: Request,
    viewer: ViewerDep,
    db: DbDep,
    runtime: RuntimeDep,
    file: Annotated[UploadFile | None, File()] = None,
    platform: Annotated[str, Form(max_length=16)] = "",
    creator_id: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    if file is None or not file.filename:
        return creators_page(
            request,
            db,
            viewer,
            status_code=400,
            import_problem="Choose a file to import first: yt-dlp --dump-json lines or a CSV.",
            into=creator_id,
        )
    try:
        outcome = manage.import_upload(
            db,
            runtime,
            owner_id=viewer.user_id,
            file=file.file,
            filename=file.filename,
            platform=platform or None,
            creator_id=creator_id or None,
        )
    except InputError as exc:
        db.rollback()
        return creators_page(
            request, db, viewer, status_code=400, import_problem=exc.message, into=creator_id
        )
    return creators_page(request, db, viewer, outcome=outcome, into=creator_id)


@router.get("/creators/{creator_id:uuid}")
def creator_page(
    request: Request,
    viewer: ViewerDep,
    db: DbDep,
    runtime: RuntimeDep,
    creator_id: UUID = CreatorId,
    tz: str | None = TZ,
) -> Response:
    row = overview.creator_row(db, owner_id=viewer.user_id, creator_id=str(creator_id))
    context = analytics_context(
        db, runtime, owner_id=viewer.user_id, creator_id=str(creator_id), tz=tz
    )
    return render(
        request,
        "research/creator.html",
        title=row.label,
        row=row,
        platforms=PLATFORM_NAMES,
        source_name=source_name,
        **context,
    )


@router.get("/creators/{creator_id:uuid}/charts/{name}.svg")
def creator_chart(
    viewer: ViewerDep,
    db: DbDep,
    runtime: RuntimeDep,
    creator_id: UUID = CreatorId,
    name: str = Path(max_length=40),
    tz: str | None = TZ,
) -> Response:
    result = insights.analytics(
        db, runtime, owner_id=viewer.user_id, creator_id=str(creator_id), tz=tz
    )
    return svg_response(dashboard_chart(name, result))


@router.post("/creators/{creator_id:uuid}/refresh")
def refresh_creator(
    viewer: ViewerDep,
    db: DbDep,
    runtime: RuntimeDep,
    creator_id: UUID = CreatorId,
    back: Annotated[str, Form(max_length=16)] = "list",
) -> Response:
    job = refresh.start_refresh(
        db, runtime.settings, owner_id=viewer.user_id, creator_id=str(creator_id)
    )
    db.commit()  # the worker must see the rows before it hears of the job
    runtime.queue.enqueue(job.id)
    if back == "detail":
        return RedirectResponse(f"/creators/{creator_id}", status_code=303)
    return RedirectResponse(f"/creators?queued={creator_id}", status_code=303)


@router.post("/creators/{creator_id:uuid}/delete")
def delete_creator(
    viewer: ViewerDep, db: DbDep, runtime: RuntimeDep, creator_id: UUID = CreatorId
) -> Response:
    manage.remove_creator(db, runtime, owner_id=viewer.user_id, creator_id=str(creator_id))
    return RedirectResponse("/creators?deleted=1", status_code=303)
