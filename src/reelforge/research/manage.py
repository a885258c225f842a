"""Workspace changes a door makes in one step: import an uploaded file, remove a creator.

Why here and not in each door: the API and the dashboard do exactly the same
thing for both — cap the upload at ``research_import_max_mb``, decode it, import
it row by row, commit, then rebuild the analytics snapshot; or delete the
creator with all its videos and stats (P15), commit, then drop the snapshot
files that still hold them. Both commit because what follows the commit (the
snapshot) reads the committed rows through its own session.
"""

from __future__ import annotations

from typing import BinaryIO

from sqlalchemy.orm import Session

from reelforge.deps import Deps
from reelforge.errors import InputError
from reelforge.research import creators, workspace
from reelforge.research import import_service as file_import
from reelforge.research.import_service import ImportOutcome


def import_upload(
    db: Session,
    deps: Deps,
    *,
    owner_id: str,
    file: BinaryIO,
    filename: str,
    platform: str | None = None,
    creator_id: str | None = None,
) -> ImportOutcome:
    """Import an uploaded yt-dlp JSON-lines or CSV file; bad rows come back by line."""
    settings = deps.settings
    limit = int(settings.research_import_max_mb * 1024 * 1024)
    data = file.read(limit + 1)
    if len(data) > limit:
        raise InputError(
            f"The file is larger than {settings.research_import_max_mb:g} MB "
            "(REELFORGE_RESEARCH_IMPORT_MAX_MB); split it and import the parts."
        )
    text = file_import.decode(data)
    outcome = file_import.import_text(
        db,
        settings,
        owner_id=owner_id,
        text=text,
        filename=filename,
        platform=platform,
        creator_id=creator_id,
    )
    db.commit()
    if outcome.imported:
        workspace.refresh_snapshot(deps, owner_id=owner_id)
    return outcome


def remove_creator(db: Session, deps: Deps, *, owner_id: str, creator_id: str) -> None:
    """Delete the creator, all its videos and stat snapshots, and its cached analytics."""
    creators.delete_creator(db, owner_id=owner_id, creator_id=creator_id)
    db.commit()
    workspace.drop_snapshots(deps, owner_id=owner_id)
