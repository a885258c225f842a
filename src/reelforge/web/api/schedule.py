"""Schedule suggestions: the next good times to post to a connected account."""

from __future__ import annotations

from fastapi import APIRouter, Query

from reelforge.connections import service as connections
from reelforge.publish import suggest
from reelforge.web.api.bodies.publishing import SuggestOut
from reelforge.web.deps import DbDep, PrincipalDep

router = APIRouter(prefix="/schedule", tags=["posts"])


@router.get(
    "/suggest",
    response_model=SuggestOut,
    summary="Next best slots (from your research data when there is enough, else defaults)",
)
def suggest_slots(
    principal: PrincipalDep,
    db: DbDep,
    connection_id: str = Query(max_length=64),
    tz: str = Query("UTC", min_length=1, max_length=64, description="IANA time zone"),
) -> SuggestOut:
    connection = connections.get_connection(
        db, owner_id=principal.user_id, connection_id=connection_id
    )
    return SuggestOut.of(
        suggest.suggest(db, owner_id=principal.user_id, connection=connection, tz=tz)
    )
