"""Content DNA: read and write it (versioned), restore a version, the wizard, derivation."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path

from reelforge.research.dna import service as dna_service
from reelforge.research.dna import versions as dna_store
from reelforge.research.dna.profile import WIZARD_QUESTIONS, WizardQuestion
from reelforge.research.dna.service import Derivation, WizardOutcome
from reelforge.web.api.bodies.research import DeriveRequest, DnaOut, DnaPut, WizardSubmit
from reelforge.web.deps import DbDep, PrincipalDep, RuntimeDep, SettingsDep

router = APIRouter(prefix="/dna", tags=["content dna"])


@router.get("", response_model=DnaOut, summary="Your current Content DNA")
def get_dna(principal: PrincipalDep, db: DbDep) -> DnaOut:
    return DnaOut.of(dna_store.current(db, owner_id=principal.user_id))


@router.put("", response_model=DnaOut, summary="Write your Content DNA (saved as a new version)")
def put_dna(body: DnaPut, principal: PrincipalDep, db: DbDep, settings: SettingsDep) -> DnaOut:
    dna = dna_store.parse_profile(body.model_dump())
    row = dna_store.save(db, settings, owner_id=principal.user_id, dna=dna, source="manual")
    return DnaOut.of(row)


@router.get("/versions", response_model=list[DnaOut], summary="Kept versions, newest first")
def list_versions(principal: PrincipalDep, db: DbDep) -> list[DnaOut]:
    return [DnaOut.of(row) for row in dna_store.list_versions(db, owner_id=principal.user_id)]


@router.post(
    "/versions/{version}/restore",
    response_model=DnaOut,
    summary="Make an old version current again (by its number or id; added as a new version)",
)
def restore_version(
    principal: PrincipalDep, db: DbDep, settings: SettingsDep, version: str = Path(max_length=64)
) -> DnaOut:
    row = dna_store.restore(db, settings, owner_id=principal.user_id, ref=version)
    return DnaOut.of(row)


@router.get(
    "/wizard", response_model=dict[str, list[WizardQuestion]], summary="The wizard's questions"
)
def wizard_questions(principal: PrincipalDep) -> dict[str, Any]:
    return {"questions": WIZARD_QUESTIONS}


@router.post(
    "/wizard", response_model=WizardOutcome, summary="Answers -> a Content DNA (saved by default)"
)
def submit_wizard(
    body: WizardSubmit, principal: PrincipalDep, db: DbDep, runtime: RuntimeDep
) -> WizardOutcome:
    return dna_service.submit_wizard(
        db,
        runtime,
        owner_id=principal.user_id,
        answers=body.answers,
        refine=body.refine,
        writer=body.writer,
        save=body.save,
    )


@router.post(
    "/derive",
    response_model=Derivation,
    summary="A DNA from creators' top videos, each field with its evidence",
)
def derive(
    body: DeriveRequest, principal: PrincipalDep, db: DbDep, runtime: RuntimeDep
) -> Derivation:
    return dna_service.derive(
        db,
        runtime,
        owner_id=principal.user_id,
        creator_ids=body.creator_ids,
        tz=body.tz,
        save=body.save,
    )
