"""Content DNA pages: the current profile, editing it by hand, its versions with a diff
between any two, and restoring one.

The same services as ``/api/v1/dna`` (every save is a new version; a restore
adds the old profile again as the newest). The edit form is built from the
profile's own schema — its limits become the inputs' limits — and a refused
field is shown beside its input. Making a profile from the wizard or from
creators is in :mod:`dna_make`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from reelforge.errors import InputError
from reelforge.research.dna import versions as dna_store
from reelforge.research.dna.diff import LABELS, LIST_FIELDS, diff_profiles
from reelforge.research.dna.profile import ContentDNA
from reelforge.research.tables import DnaVersion
from reelforge.web.dashboard.templating import render
from reelforge.web.dashboard.viewer import ViewerDep
from reelforge.web.deps import DbDep, SettingsDep

router = APIRouter()

HINTS = {
    "niche": "What your videos are about, e.g. 'sourdough baking for beginners'.",
    "audience": "Who watches, e.g. 'busy parents who bake at weekends'.",
    "voice_and_tone": "How you sound, e.g. 'warm, expert'.",
    "hook_styles": "How a video opens, one per line (question, number, how-to…).",
    "phrases_to_use": "One per line.",
    "phrases_to_avoid": "Words the script must never use, one per line.",
    "calls_to_action": "How a video ends, one per line.",
    "words_per_minute": "130 relaxed, 150 usual, 180 fast.",
    "target_seconds": "How long a video should be.",
    "visual_style": "e.g. 'bright kitchen close-ups'.",
    "posting_goals": "e.g. '3 videos a week'.",
}
SOURCE_WORDS = {
    "manual": "written by hand",
    "wizard": "from the wizard",
    "derived": "derived from creators",
    "restore": "restored",
}


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str  # text, list, number
    hint: str
    max_length: int | None
    max_items: int | None
    minimum: int | None
    maximum: int | None


def field_specs() -> list[FieldSpec]:
    """The profile's fields for a form, with the limits its schema sets."""
    props: dict[str, dict[str, Any]] = ContentDNA.model_json_schema()["properties"]
    specs = []
    for name, label in LABELS.items():
        prop = props[name]
        kind = {"array": "list", "integer": "number"}.get(prop.get("type", ""), "text")
        specs.append(
            FieldSpec(
                name=name,
                label=label,
                kind=kind,
                hint=HINTS.get(name, ""),
                max_length=prop.get("maxLength"),
                max_items=prop.get("maxItems"),
                minimum=prop.get("minimum"),
                maximum=prop.get("maximum"),
            )
        )
    return specs


def form_values(dna: ContentDNA) -> dict[str, str]:
    """A profile as the edit form's strings (lists one item a line)."""
    values = {}
    for name, value in dna.model_dump().items():
        values[name] = "\n".join(value) if isinstance(value, list) else str(value)
    return values


def profile_from_form(form: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in LABELS:
        raw = form.get(name, "")
        if name in LIST_FIELDS:
            data[name] = [line for line in raw.splitlines() if line.strip()]
        elif raw.strip() or name not in ("words_per_minute", "target_seconds"):
            data[name] = raw.strip()
    return data


def field_errors(exc: InputError) -> dict[str, str]:
    errors = exc.details.get("errors", {})
    out: dict[str, str] = {}
    for where, message in errors.items():
        out.setdefault(str(where).split(".")[0], str(message))
    return out


def version_words(row: DnaVersion) -> str:
    """How a version came about, e.g. "derived from @breadlab (tiktok)"."""
    if row.note and row.source in ("derived", "restore"):
        return row.note  # the note already says it: "derived from …", "restored version 2"
    words = SOURCE_WORDS.get(row.source, row.source)
    return f"{words}, {row.note}" if row.note else words


def dna_page(
    request: Request,
    db: Session,
    owner_id: str,
    *,
    notice: str | None = None,
    notes: list[str] | None = None,
) -> Response:
    row = dna_store.current(db, owner_id=owner_id)
    return render(
        request,
        "research/dna.html",
        title="Content DNA",
        row=row,
        profile=dna_store.profile_of(row) if row is not None else None,
        labels=LABELS,
        list_fields=LIST_FIELDS,
        version_words=version_words,
        notice=notice,
        notes=notes or [],
    )


@router.get("/dna")
def view(
    request: Request, viewer: ViewerDep, db: DbDep, saved: int | None = Query(None, ge=1)
) -> Response:
    notice = f"Saved as version {saved}." if saved else None
    return dna_page(request, db, viewer.user_id, notice=notice)


def _edit_page(
    request: Request,
    values: dict[str, str],
    *,
    status_code: int = 200,
    problem: str | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    return render(
        request,
        "research/dna_edit.html",
        status_code=status_code,
        title="Edit your Content DNA",
        specs=field_specs(),
        values=values,
        problem=problem,
        errors=errors or {},
    )


@router.get("/dna/edit")
def edit_form(request: Request, viewer: ViewerDep, db: DbDep) -> Response:
    dna = dna_store.current_dna(db, owner_id=viewer.user_id) or ContentDNA()
    return _edit_page(request, form_values(dna))


@router.post("/dna/edit")
async def save_edit(
    request: Request, viewer: ViewerDep, db: DbDep, settings: SettingsDep
) -> Response:
    form = await request.form()
    values = {name: str(form.get(name, "")) for name in LABELS}
    try:
        dna = dna_store.parse_profile(profile_from_form(values))
    except InputError as exc:
        return _edit_page(
            request, values, status_code=400, problem=exc.message, errors=field_errors(exc)
        )
    row = dna_store.save(db, settings, owner_id=viewer.user_id, dna=dna, source="manual")
    return RedirectResponse(f"/dna?saved={row.version}", status_code=303)


@router.get("/dna/versions")
def versions_page(
    request: Request,
    viewer: ViewerDep,
    db: DbDep,
    a: int | None = Query(None, ge=1, description="The older version"),
    b: int | None = Query(None, ge=1, description="The newer version"),
    restored: int | None = Query(None, ge=1),
) -> Response:
    rows = dna_store.list_versions(db, owner_id=viewer.user_id)
    by_number = {row.version: row for row in rows}
    newer = by_number.get(b) if b else (rows[0] if rows else None)
    older = by_number.get(a) if a else (rows[1] if len(rows) > 1 else None)
    missing = [n for n in (a, b) if n and n not in by_number]
    changes = None
    if older is not None and newer is not None:
        changes = diff_profiles(dna_store.profile_of(older), dna_store.profile_of(newer))
    return render(
        request,
        "research/dna_versions.html",
        title="Content DNA versions",
        rows=rows,
        older=older,
        newer=newer,
        changes=changes,
        missing=missing,
        version_words=version_words,
        notice=f"Version {restored} is now your current DNA." if restored else None,
    )


@router.post("/dna/versions/{version}/restore")
def restore(
    viewer: ViewerDep, db: DbDep, settings: SettingsDep, version: str = Path(max_length=64)
) -> Response:
    row = dna_store.restore(db, settings, owner_id=viewer.user_id, ref=version)
    return RedirectResponse(f"/dna/versions?restored={row.version}", status_code=303)
