"""The three ways to make a Content DNA: by hand, by the wizard, by derivation from creators.

Each saves a new version (see :mod:`dna_store`). The wizard works offline —
answers become the profile as given — and is tidied by the user's model only
when they ask for it and their writer is one. Derivation reads the chosen
creators' stored videos and returns every derived field with its evidence,
so the user can judge it before (or instead of) saving it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from reelforge.deps import Deps
from reelforge.errors import ConfigError, InputError, ProviderError
from reelforge.providers.types.research import VideoStats
from reelforge.research import assist, creators
from reelforge.research.analytics import check_time_zone
from reelforge.research.assist import AnswerError
from reelforge.research.dna import versions as dna_store
from reelforge.research.dna.derive import DerivedDNA, derive_dna
from reelforge.research.dna.profile import ContentDNA, dna_from_answers
from reelforge.research.tables import DnaVersion, ResearchVideo

MAX_DERIVE_CREATORS = 50


class WizardOutcome(BaseModel):
    profile: ContentDNA
    refined_by: str | None  # the model that tidied it, or None when used as answered
    notes: list[str]
    version: int | None  # None when not saved


class Derivation(BaseModel):
    proposal: DerivedDNA
    profile: ContentDNA  # the current profile with the derived values filled in
    version: int | None  # None when not saved


def submit_wizard(
    db: Session,
    deps: Deps,
    *,
    owner_id: str,
    answers: Mapping[str, Any],
    refine: bool = False,
    writer: str | None = None,
    save: bool = True,
) -> WizardOutcome:
    dna = dna_from_answers(answers)
    notes: list[str] = []
    refined_by: str | None = None
    if refine:
        name = assist.writer_name(deps, writer)
        if name == assist.OFFLINE:
            notes.append(
                "Your writer is the offline template writer, so your answers are used as given "
                "(choose a model as your writer to have them tidied)."
            )
        else:
            try:
                llm = assist.user_llm(db, deps, owner_id=owner_id, writer=name)
                dna, refined_by = assist.refine_dna(llm, dna), name
            except (ConfigError, ProviderError, AnswerError) as error:
                notes.append(assist.failure_note(name, error))
    version = None
    if save:
        note = f"refined by {refined_by}" if refined_by else None
        row = dna_store.save(
            db, deps.settings, owner_id=owner_id, dna=dna, source="wizard", note=note
        )
        version = row.version
    return WizardOutcome(profile=dna, refined_by=refined_by, notes=notes, version=version)


def _videos(
    db: Session, *, owner_id: str, creator_ids: Sequence[str]
) -> dict[str, list[VideoStats]]:
    rows = db.scalars(
        select(ResearchVideo).where(
            ResearchVideo.owner_id == owner_id, ResearchVideo.creator_id.in_(list(creator_ids))
        )
    )
    out: dict[str, list[VideoStats]] = {cid: [] for cid in creator_ids}
    for row in rows:
        out[row.creator_id].append(
            VideoStats(
                platform=row.platform,
                platform_video_id=row.platform_video_id,
                title=row.title,
                description=row.description,
                views=row.views,
                likes=row.likes,
                comments=row.comments,
                shares=row.shares,
                duration_s=row.duration_s,
                published_at=row.published_at,
                hashtags=row.hashtags.split(),
                url=row.url,
            )
        )
    return out


def derive(
    db: Session,
    deps: Deps,
    *,
    owner_id: str,
    creator_ids: Sequence[str],
    tz: str | None = None,
    save: bool = False,
) -> Derivation:
    """A DNA proposal from the creators' top videos, each field with its evidence."""
    wanted = list(dict.fromkeys(creator_ids))
    if not wanted:
        raise InputError("Name at least one creator to derive a DNA from (creator_ids).")
    if len(wanted) > MAX_DERIVE_CREATORS:
        raise InputError(f"Derive from at most {MAX_DERIVE_CREATORS} creators at once.")
    for creator_id in wanted:
        creators.get_creator(db, owner_id=owner_id, creator_id=creator_id)  # NotFound if not theirs
    zone = check_time_zone(tz or deps.settings.research_time_zone)
    proposal = derive_dna(_videos(db, owner_id=owner_id, creator_ids=wanted), tz=zone)
    profile = proposal.to_dna(dna_store.current_dna(db, owner_id=owner_id))
    version = None
    if save:
        labels = creators.labels(db, owner_id=owner_id)
        note = "derived from " + ", ".join(labels.get(c, c) for c in wanted)
        row: DnaVersion = dna_store.save(
            db, deps.settings, owner_id=owner_id, dna=profile, source="derived", note=note[:500]
        )
        version = row.version
    return Derivation(proposal=proposal, profile=profile, version=version)
