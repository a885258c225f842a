"""Import creators' videos from a file: yt-dlp ``--dump-json`` lines or the documented CSV.

Rows are validated one by one (see :mod:`reelforge.research.import_formats`): a bad
row is reported with its line number and the good ones are kept. Each video
goes to the creator the file names (yt-dlp's uploader / channel, the CSV's
``creator`` column) — found in the workspace or added with source
``import`` — or, when the caller names a creator, to that one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePath

from pydantic import BaseModel
from sqlalchemy.orm import Session

from reelforge.clock import utc_now
from reelforge.config import Settings
from reelforge.errors import InputError
from reelforge.providers.types.research import PLATFORMS, CreatorPlatform, CreatorRef, VideoStats
from reelforge.research import creators
from reelforge.research.import_formats import ImportProblem, ImportResult, parse_csv, parse_ytdlp
from reelforge.research.ingest import Upserted, upsert_videos
from reelforge.research.tables import Creator

JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
MAX_LISTED = 500  # problems and warnings listed in one answer (the rest are counted)


class CreatorImported(BaseModel):
    id: str
    label: str
    platform: str
    created: bool
    new_videos: int
    updated_videos: int


class ImportOutcome(BaseModel):
    """What an import did: videos kept, creators touched, rows skipped and why."""

    format: str
    imported: int
    new_videos: int
    updated_videos: int
    creators: list[CreatorImported]
    problems: list[ImportProblem]
    warnings: list[ImportProblem]
    notes: list[str]


@dataclass
class _Groups:
    by_creator: dict[str, list[VideoStats]] = field(default_factory=lambda: defaultdict(list))
    created: set[str] = field(default_factory=set)
    rows: dict[str, Creator] = field(default_factory=dict)
    unassigned: int = 0
    notes: list[str] = field(default_factory=list)


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            "The file is not UTF-8 text; export it as UTF-8 CSV or as yt-dlp JSON lines."
        ) from None


def parse(
    text: str, *, filename: str, platform: CreatorPlatform | None, only: CreatorRef | None
) -> tuple[str, ImportResult]:
    """Pick the format by the file's suffix, then by its first character."""
    suffix = PurePath(filename or "").suffix.lower()
    if suffix in JSON_SUFFIXES or (suffix != ".csv" and text.lstrip().startswith("{")):
        return "yt-dlp", parse_ytdlp(text, platform=platform, only_creator=only)
    if not text.strip():
        raise InputError("The file is empty: give yt-dlp --dump-json lines or a CSV with a header.")
    return "csv", parse_csv(text, only_creator=only)


def _group(
    db: Session, settings: Settings, owner_id: str, result: ImportResult, target: Creator | None
) -> _Groups:
    groups = _Groups()
    for video in result.videos:
        if target is not None:
            if video.platform != target.platform:
                groups.notes.append(
                    f"video {video.platform_video_id} is on {video.platform}, not "
                    f"{target.platform}; skipped"
                )
                continue
            groups.rows[target.id] = target
            groups.by_creator[target.id].append(video)
            continue
        ref = result.creators.get(video.platform_video_id)
        if ref is None:
            groups.unassigned += 1
            continue
        creator = creators.find_creator(db, owner_id=owner_id, ref=ref)
        if creator is None:
            creator = creators.create_creator(
                db, settings, owner_id=owner_id, ref=ref, source="import"
            )
            groups.created.add(creator.id)
        groups.rows[creator.id] = creator
        groups.by_creator[creator.id].append(video)
    if groups.unassigned:
        groups.notes.append(
            f"{groups.unassigned} videos name no creator (yt-dlp's uploader/channel_id or the "
            "CSV's creator column); import them again naming the creator (creator_id)."
        )
    return groups


def import_text(
    db: Session,
    settings: Settings,
    *,
    owner_id: str,
    text: str,
    filename: str = "",
    platform: str | None = None,
    creator_id: str | None = None,
) -> ImportOutcome:
    """Parse and store a file's videos; only a file that cannot be read at all raises."""
    if platform is not None and platform not in PLATFORMS:
        raise InputError(f"Unknown platform {platform!r}; use one of: {', '.join(PLATFORMS)}.")
    target = (
        creators.get_creator(db, owner_id=owner_id, creator_id=creator_id) if creator_id else None
    )
    only = creators.ref_of(target) if target is not None else None
    kind, result = parse(text, filename=filename, platform=platform, only=only)
    groups = _group(db, settings, owner_id, result, target)
    captured = utc_now()
    done = Upserted()
    touched: list[CreatorImported] = []
    for cid, videos in groups.by_creator.items():
        counts = upsert_videos(
            db, owner_id=owner_id, creator_id=cid, videos=videos, captured_at=captured
        )
        done.add(counts)
        row = groups.rows[cid]
        touched.append(
            CreatorImported(
                id=cid,
                label=creators.label(row),
                platform=row.platform,
                created=cid in groups.created,
                new_videos=counts.new,
                updated_videos=counts.updated,
            )
        )
        if row.source == "import":
            row.refreshed_at, row.refresh_status = captured, "complete"
            row.refresh_message = f"{len(videos)} videos imported from {filename or 'a file'}."
    if done.skipped:
        groups.notes.append(f"{done.skipped} videos had ids too long to be real; skipped.")
    problems, warnings = result.problems, result.warnings
    for listed, kind_of in ((problems, "skipped rows"), (warnings, "warnings")):
        if len(listed) > MAX_LISTED:
            groups.notes.append(f"{len(listed) - MAX_LISTED} more {kind_of} are not listed.")
    return ImportOutcome(
        format=kind,
        imported=done.new + done.updated,
        new_videos=done.new,
        updated_videos=done.updated,
        creators=touched,
        problems=problems[:MAX_LISTED],
        warnings=warnings[:MAX_LISTED],
        notes=groups.notes,
    )
