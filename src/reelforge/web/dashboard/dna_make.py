"""Making a Content DNA: the wizard's questions (``/dna/wizard``) and deriving one from the
creators a user studies, with the evidence for every field (``/dna/derive``).

The wizard asks exactly the questions of ``GET /api/v1/dna/wizard`` (they are
data, :data:`WIZARD_QUESTIONS`), prefilled from the current profile, and a
refused answer is shown beside its question. A derivation is shown before it
is saved — each field's value, the numbers it rests on and the videos that
show it, plus what saving would change in the current profile.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from reelforge.errors import InputError
from reelforge.research import overview
from reelforge.research.dna import service as dna_service
from reelforge.research.dna import versions as dna_store
from reelforge.research.dna.diff import diff_profiles
from reelforge.research.dna.profile import WIZARD_QUESTIONS, ContentDNA, WizardQuestion
from reelforge.research.dna.service import Derivation
from reelforge.research.report_html import number
from reelforge.web.dashboard.dna import dna_page, field_errors
from reelforge.web.dashboard.templating import render
from reelforge.web.dashboard.viewer import ViewerDep
from reelforge.web.deps import DbDep, RuntimeDep

router = APIRouter()

#: Derived field -> (its name for people, where it goes in the profile).
DERIVED_FIELDS = {
    "target_seconds": ("Target length", "Target length (seconds)"),
    "hook_styles": ("Hook styles", "Hook styles, when yours are empty"),
    "topics": ("Topics", "Niche, when yours is empty"),
    "hashtags": ("Hashtags", "Shown only: not part of the profile"),
    "best_posting_times": ("Best posting times", "Shown only: not part of the profile"),
    "posting_goals": ("Posting cadence", "Posting goals, when yours are empty"),
}


def _prefill(dna: ContentDNA | None) -> dict[str, Any]:
    """Wizard answers from the current profile (or the questions' defaults)."""
    values: dict[str, Any] = {}
    current = dna.model_dump() if dna is not None else {}
    for q in WIZARD_QUESTIONS:
        value = current.get(q.id) or q.default
        if q.kind == "multi":
            items = value if isinstance(value, list) else str(value or "").split(",")
            wanted = {str(i).strip().lower() for i in items}
            values[q.id] = [c for c in q.choices if c.lower() in wanted]
        elif q.kind == "list":
            values[q.id] = "\n".join(value) if isinstance(value, list) else str(value or "")
        else:
            values[q.id] = "" if value is None else str(value)
    return values


def _wizard_page(
    request: Request,
    values: dict[str, Any],
    *,
    status_code: int = 200,
    problem: str | None = None,
    errors: dict[str, str] | None = None,
    refine: bool = False,
) -> Response:
    return render(
        request,
        "research/dna_wizard.html",
        status_code=status_code,
        title="Content DNA wizard",
        questions=WIZARD_QUESTIONS,
        values=values,
        problem=problem,
        errors=errors or {},
        refine=refine,
    )


@router.get("/dna/wizard")
def wizard(request: Request, viewer: ViewerDep, db: DbDep) -> Response:
    return _wizard_page(request, _prefill(dna_store.current_dna(db, owner_id=viewer.user_id)))


def _answer(q: WizardQuestion, form: Any) -> Any:
    if q.kind == "multi":
        return [str(v) for v in form.getlist(q.id)]
    return str(form.get(q.id, "")).strip()


@router.post("/dna/wizard")
async def submit_wizard(
    request: Request, viewer: ViewerDep, db: DbDep, runtime: RuntimeDep
) -> Response:
    form = await request.form()
    values = {q.id: _answer(q, form) for q in WIZARD_QUESTIONS}
    refine = form.get("refine") == "1"
    answers = {k: v for k, v in values.items() if v not in ("", [])}
    try:
        outcome = dna_service.submit_wizard(
            db, runtime, owner_id=viewer.user_id, answers=answers, refine=refine
        )
    except InputError as exc:
        return _wizard_page(
            request,
            values,
            status_code=400,
            problem="Some answers need fixing; see the questions marked below.",
            errors=field_errors(exc),
            refine=refine,
        )
    if not outcome.notes:
        return RedirectResponse(f"/dna?saved={outcome.version}", status_code=303)
    db.commit()  # the page below reads the new version in this session
    notice = f"Saved as version {outcome.version}."
    return dna_page(request, db, viewer.user_id, notice=notice, notes=outcome.notes)


def _derive_page(
    request: Request,
    db: Session,
    owner_id: str,
    *,
    chosen: list[str],
    derivation: Derivation | None = None,
    status_code: int = 200,
    problem: str | None = None,
) -> Response:
    rows = overview.creator_rows(db, owner_id=owner_id)
    changes = None
    if derivation is not None:
        current = dna_store.current_dna(db, owner_id=owner_id) or ContentDNA()
        changes = diff_profiles(current, derivation.profile)
    labels = {row.creator.id: row.label for row in rows}
    return render(
        request,
        "research/dna_derive.html",
        status_code=status_code,
        title="Derive a Content DNA",
        rows=rows,
        chosen=chosen,
        derivation=derivation,
        fields=DERIVED_FIELDS,
        changes=changes,
        labels=labels,
        from_names=", ".join(labels.get(c, c) for c in derivation.proposal.creators)
        if derivation is not None
        else "",
        problem=problem,
        num=number,
    )


@router.get("/dna/derive")
def derive_form(
    request: Request,
    viewer: ViewerDep,
    db: DbDep,
    creator: list[str] = Query([]),
) -> Response:
    return _derive_page(request, db, viewer.user_id, chosen=creator)


@router.post("/dna/derive")
async def derive(request: Request, viewer: ViewerDep, db: DbDep, runtime: RuntimeDep) -> Response:
    form = await request.form()
    chosen = [str(v) for v in form.getlist("creator_ids")][: dna_service.MAX_DERIVE_CREATORS + 1]
    save = form.get("save") == "1"
    try:
        derivation = dna_service.derive(
            db, runtime, owner_id=viewer.user_id, creator_ids=chosen, save=save
        )
    except InputError as exc:
        return _derive_page(
            request, db, viewer.user_id, chosen=chosen, status_code=400, problem=exc.message
        )
    if save and derivation.version is not None:
        return RedirectResponse(f"/dna?saved={derivation.version}", status_code=303)
    return _derive_page(request, db, viewer.user_id, chosen=chosen, derivation=derivation)
