"""Content DNA versions: every change is a new version; the newest is the current profile.

Why versions: a wizard run or a derivation can overwrite a profile the user
spent time on. Each save adds a version (hand-written, wizard, derived or a
restore), the last ``research_dna_versions_kept`` are kept, and restoring an
old one adds it again as the newest — history is never rewritten.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from reelforge.config import Settings
from reelforge.errors import InputError, NotFound
from reelforge.research.dna.profile import ContentDNA
from reelforge.research.tables import DnaVersion

SOURCES = ("manual", "wizard", "derived", "restore")


def current(db: Session, *, owner_id: str) -> DnaVersion | None:
    query = select(DnaVersion).where(DnaVersion.owner_id == owner_id)
    return db.scalars(query.order_by(DnaVersion.version.desc()).limit(1)).first()


def current_dna(db: Session, *, owner_id: str) -> ContentDNA | None:
    row = current(db, owner_id=owner_id)
    return profile_of(row) if row is not None else None


def writer_dna(db: Session, *, owner_id: str) -> dict[str, Any] | None:
    """What the studio's writer gets for this user: their current DNA, or None."""
    dna = current_dna(db, owner_id=owner_id)
    return dna.for_writer() if dna is not None else None


def profile_of(row: DnaVersion) -> ContentDNA:
    return ContentDNA.model_validate(row.profile)


def parse_profile(data: dict[str, Any]) -> ContentDNA:
    """A profile from user input, or an InputError naming each field to fix."""
    try:
        return ContentDNA.model_validate(data)
    except ValidationError as exc:
        problems = {
            ".".join(str(p) for p in err["loc"]) or "profile": err["msg"] for err in exc.errors()
        }
        listed = "; ".join(f"{k}: {v}" for k, v in problems.items())
        raise InputError(
            f"The DNA needs fixing — {listed}.", details={"errors": problems}
        ) from None


def save(
    db: Session,
    settings: Settings,
    *,
    owner_id: str,
    dna: ContentDNA,
    source: str,
    note: str | None = None,
) -> DnaVersion:
    """Add ``dna`` as the newest version and drop versions past the kept count."""
    if source not in SOURCES:
        raise ValueError(f"unknown DNA source {source!r}")
    newest = db.scalar(select(func.max(DnaVersion.version)).where(DnaVersion.owner_id == owner_id))
    row = DnaVersion(
        owner_id=owner_id,
        version=int(newest or 0) + 1,
        profile=dna.model_dump(mode="json"),
        source=source,
        note=note,
    )
    db.add(row)
    db.flush()
    keep_from = row.version - settings.research_dna_versions_kept + 1
    db.execute(
        delete(DnaVersion).where(DnaVersion.owner_id == owner_id, DnaVersion.version < keep_from)
    )
    return row


def list_versions(db: Session, *, owner_id: str) -> list[DnaVersion]:
    query = select(DnaVersion).where(DnaVersion.owner_id == owner_id)
    return list(db.scalars(query.order_by(DnaVersion.version.desc())))


def get_version(db: Session, *, owner_id: str, ref: str) -> DnaVersion:
    """A version by its number (``3``) or its id."""
    query = select(DnaVersion).where(DnaVersion.owner_id == owner_id)
    if ref.isdigit() and len(ref) < 10:
        query = query.where(DnaVersion.version == int(ref))
    else:
        query = query.where(DnaVersion.id == ref)
    row = db.scalars(query).first()
    if row is None:
        raise NotFound(
            "No such DNA version of yours (only the last versions are kept; "
            "see GET /api/v1/dna/versions)."
        )
    return row


def restore(db: Session, settings: Settings, *, owner_id: str, ref: str) -> DnaVersion:
    """Make an old version current again, as a new version."""
    old = get_version(db, owner_id=owner_id, ref=ref)
    return save(
        db,
        settings,
        owner_id=owner_id,
        dna=profile_of(old),
        source="restore",
        note=f"restored version {old.version}",
    )
