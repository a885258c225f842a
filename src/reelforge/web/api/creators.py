"""Creators: add, list, show, remove (with all their videos, P15), refresh, import, analytics."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Path, Query, Response, UploadFile, status

from reelforge.research import creators, manage
from reelforge.research import refresh_job as refresh
from reelforge.research import report_service as insights
from reelforge.research.import_service import ImportOutcome
from reelforge.research.report_service import Analytics
from reelforge.web.api.bodies.jobs import JobOut
from reelforge.web.api.bodies.research import (
    SVG_RESPONSE,
    TZ_HELP,
    CreatorAndJob,
    CreatorCreate,
    CreatorOut,
)
from reelforge.web.deps import DbDep, PrincipalDep, RuntimeDep, SettingsDep

router = APIRouter(prefix="/creators", tags=["research"])
CreatorId = Path(description="The creator's id (from GET /api/v1/creators)")


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=CreatorOut,
    responses={200: {"model": CreatorOut, "description": "Already in your workspace"}},
    summary="Add a creator to your workspace (200 and the existing one if already there)",
)
def add_creator(
    body: CreatorCreate,
    response: Response,
    principal: PrincipalDep,
    db: DbDep,
    settings: SettingsDep,
) -> CreatorOut:
    creator, created = creators.add_creator(
        db,
        settings,
        owner_id=principal.user_id,
        platform=body.platform,
        handle=body.handle,
        source=body.source,
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    counts = creators.video_counts(db, owner_id=principal.user_id)
    return CreatorOut.of(creator, counts.get(creator.id))


@router.get("", response_model=list[CreatorOut], summary="The creators in your workspace")
def list_creators(principal: PrincipalDep, db: DbDep) -> list[CreatorOut]:
    counts = creators.video_counts(db, owner_id=principal.user_id)
    rows = creators.list_creators(db, owner_id=principal.user_id)
    return [CreatorOut.of(c, counts.get(c.id)) for c in rows]


@router.post(
    "/import",
    response_model=ImportOutcome,
    summary="Import videos from yt-dlp --dump-json lines or a CSV (bad rows reported by line)",
)
def import_file(
    file: UploadFile,
    principal: PrincipalDep,
    db: DbDep,
    runtime: RuntimeDep,
    creator_id: str | None = Query(None, max_length=64, description="Put every video here"),
    platform: str | None = Query(None, max_length=16, description="youtube or tiktok"),
) -> ImportOutcome:
    return manage.import_upload(
        db,
        runtime,
        owner_id=principal.user_id,
        file=file.file,
        filename=file.filename or "",
        platform=platform,
        creator_id=creator_id,
    )


@router.get("/{creator_id:uuid}", response_model=CreatorOut, summary="One creator")
def get_creator(principal: PrincipalDep, db: DbDep, creator_id: UUID = CreatorId) -> CreatorOut:
    creator = creators.get_creator(db, owner_id=principal.user_id, creator_id=str(creator_id))
    counts = creators.video_counts(db, owner_id=principal.user_id)
    return CreatorOut.of(creator, counts.get(creator.id))


@router.delete(
    "/{creator_id:uuid}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a creator with all its videos, snapshots and derived stats",
)
def delete_creator(
    principal: PrincipalDep, db: DbDep, runtime: RuntimeDep, creator_id: UUID = CreatorId
) -> Response:
    manage.remove_creator(db, runtime, owner_id=principal.user_id, creator_id=str(creator_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{creator_id:uuid}/refresh",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=CreatorAndJob,
    summary="Read the creator's public videos from its API (a background job)",
)
def refresh_creator(
    principal: PrincipalDep,
    db: DbDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    creator_id: UUID = CreatorId,
) -> CreatorAndJob:
    job = refresh.start_refresh(
        db, settings, owner_id=principal.user_id, creator_id=str(creator_id)
    )
    creator = creators.get_creator(db, owner_id=principal.user_id, creator_id=str(creator_id))
    db.commit()  # the worker must see the rows before it hears of the job
    runtime.queue.enqueue(job.id)
    counts = creators.video_counts(db, owner_id=principal.user_id)
    return CreatorAndJob(
        creator=CreatorOut.of(creator, counts.get(str(creator_id))), job=JobOut.of(job)
    )


@router.get(
    "/{creator_id:uuid}/analytics", response_model=Analytics, summary="What works for this creator"
)
def creator_analytics(
    principal: PrincipalDep,
    db: DbDep,
    runtime: RuntimeDep,
    creator_id: UUID = CreatorId,
    tz: str | None = Query(None, max_length=64, description=TZ_HELP),
) -> Analytics:
    return insights.analytics(
        db, runtime, owner_id=principal.user_id, creator_id=str(creator_id), tz=tz
    )


@router.get(
    "/{creator_id:uuid}/charts/{name}.svg",
    response_class=Response,
    responses=SVG_RESPONSE,
    summary="A chart of this creator: views-over-time, weekday-hour or durations",
)
def creator_chart(
    principal: PrincipalDep,
    db: DbDep,
    runtime: RuntimeDep,
    creator_id: UUID = CreatorId,
    name: str = Path(max_length=40),
    tz: str | None = Query(None, max_length=64, description=TZ_HELP),
) -> Response:
    svg = insights.chart(
        db, runtime, owner_id=principal.user_id, name=name, creator_id=str(creator_id), tz=tz
    )
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "private"})
