"""Your usage this period next to your plan's limits (P26)."""

from __future__ import annotations

from fastapi import APIRouter

from reelforge.accounts import usage
from reelforge.web.api.bodies.accounts import UsageOut
from reelforge.web.deps import DbDep, PrincipalDep, RuntimeDep

router = APIRouter(prefix="/usage", tags=["usage"])


@router.get("", response_model=UsageOut, summary="Usage and plan limits")
def read_usage(principal: PrincipalDep, db: DbDep, runtime: RuntimeDep) -> UsageOut:
    return UsageOut.of(usage.summary(db, runtime.settings, owner_id=principal.user_id))
