"""File imports: yt-dlp ``--dump-json`` lines and a documented CSV, validated row by row.

Why row by row: an export of 3,000 videos with one mangled line must still
import 2,999, and the user must be told which line to fix. So nothing here
raises for a bad row; it becomes an :class:`ImportProblem` with its line
number, and the good rows come back beside it.

CSV header (documented in the README; ``platform``, ``platform_video_id`` and
``published_at`` are required, the rest optional, order free)::

    platform,platform_video_id,title,description,views,likes,comments,shares,
    duration_s,published_at,hashtags,url,creator

``published_at`` is ISO 8601 (``2024-05-01T18:30:00Z``; a time without zone is
UTC), a date (``2024-05-01``), ``YYYYMMDD`` or a UNIX timestamp. ``hashtags``
are separated by spaces or commas. Empty counts mean "not known".
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ValidationError,
)

from reelforge.errors import InputError
from reelforge.providers.types.research import (
    PLATFORMS,
    CreatorPlatform,
    CreatorRef,
    VideoStats,
    clean_hashtags,
    hashtags_in,
)

CSV_COLUMNS = (
    "platform",
    "platform_video_id",
    "title",
    "description",
    "views",
    "likes",
    "comments",
    "shares",
    "duration_s",
    "published_at",
    "hashtags",
    "url",
    "creator",
)
CSV_REQUIRED = ("platform", "platform_video_id", "published_at")
_COUNTS = {"views": "view_count", "likes": "like_count", "comments": "comment_count"}


class RowError(ValueError):
    """A row that cannot be imported; the message is shown with its line number."""


@dataclass
class ImportResult:
    """What an import found: good videos, skipped rows, and notes on kept rows."""

    videos: list[VideoStats] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    #: Rows kept with a field dropped (e.g. a malformed like count became "unknown").
    warnings: list[ImportProblem] = field(default_factory=list)
    #: platform_video_id -> the creator the file says posted it, where it says.
    creators: dict[str, CreatorRef] = field(default_factory=dict)

    def _add(self, video: VideoStats, creator: CreatorRef | None) -> None:
        self.videos.append(video)
        if creator is not None:
            self.creators[video.platform_video_id] = creator


# --- shared field parsing ------------------------------------------------------


def parse_count(value: Any, *, name: str) -> int | None:
    """A non-negative whole number, or None when absent; RowError when malformed."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise RowError(f"{name} {value!r} is not a number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and re.fullmatch(r"\d{1,3}(,\d{3})+|\d+", value.strip()):
        number = int(value.strip().replace(",", ""))
    else:
        raise RowError(f"{name} {value!r} is not a whole number")
    if number < 0:
        raise RowError(f"{name} {value!r} is negative")
    return number


def parse_duration(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise RowError(f"duration {value!r} is not a number of seconds") from None
    if seconds < 0 or seconds != seconds:
        raise RowError(f"duration {value!r} is not a number of seconds")
    return seconds


def parse_when(value: Any) -> datetime:
    """A publish time from a timestamp, ``YYYYMMDD``, a date or ISO 8601 (naive = UTC)."""
    if isinstance(value, bool) or value is None or value == "":
        raise RowError("no publish time")
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(float(value), UTC)
        except (OverflowError, OSError, ValueError):
            raise RowError(f"timestamp {value!r} is out of range") from None
    text = str(value).strip()
    try:
        if re.fullmatch(r"\d{8}", text):
            return datetime.strptime(text, "%Y%m%d").replace(tzinfo=UTC)
        if re.fullmatch(r"\d{9,11}(\.\d+)?", text):
            return datetime.fromtimestamp(float(text), UTC)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise RowError(
            f"publish time {text!r} is not ISO 8601, YYYYMMDD or a UNIX timestamp"
        ) from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _lines(source: str | Iterable[str]) -> Iterator[tuple[int, str]]:
    lines = source.splitlines() if isinstance(source, str) else source
    for number, line in enumerate(lines, start=1):
        yield number, line.rstrip("\r\n")


def _matches(creator: CreatorRef | None, only: CreatorRef | None) -> bool:
    if only is None or creator is None:
        return True
    if creator.platform != only.platform:
        return False
    if only.platform_id and creator.platform_id:
        return only.platform_id == creator.platform_id
    if only.handle and creator.handle:
        return only.handle.lower() == creator.handle.lower()
    return True


def _accept(
    result: ImportResult,
    seen: dict[str, int],
    *,
    line: int,
    video: VideoStats,
    creator: CreatorRef | None,
    only: CreatorRef | None,
) -> None:
    if not _matches(creator, only):
        assert creator is not None and only is not None
        result.problems.append(
            ImportProblem(
                line=line,
                reason=f"video {video.platform_video_id} belongs to {creator.label}, "
                f"not {only.label}; import it into that creator instead",
            )
        )
        return
    first = seen.get(video.platform_video_id)
    if first is not None:
        result.problems.append(
            ImportProblem(
                line=line, reason=f"video {video.platform_video_id} already read on line {first}"
            )
        )
        return
    seen[video.platform_video_id] = line
    result._add(video, creator)


# --- yt-dlp ----------------------------------------------------------------------


def _ytdlp_platform(obj: dict[str, Any], forced: CreatorPlatform | None) -> CreatorPlatform:
    if forced is not None:
        return forced
    name = str(obj.get("extractor_key") or obj.get("extractor") or obj.get("ie_key") or "")
    base = name.lower().split(":")[0]
    for platform in PLATFORMS:
        if base.startswith(platform):
            return platform
    if not name:
        raise RowError("no extractor field, so the platform is unknown; pass the platform")
    raise RowError(f"extractor {name!r} is not supported (only YouTube and TikTok)")


def _ytdlp_creator(obj: dict[str, Any], platform: CreatorPlatform) -> CreatorRef | None:
    if platform == "youtube":
        uploader_id = str(obj.get("uploader_id") or "")
        handle = uploader_id if uploader_id.startswith("@") else None
        channel_id = str(obj.get("channel_id") or "") or None
        if handle or channel_id:
            return CreatorRef(platform=platform, handle=handle, platform_id=channel_id)
        return None
    username = str(obj.get("uploader") or obj.get("channel") or "")
    return CreatorRef(platform=platform, handle=username) if username.strip() else None


def _ytdlp_video(
    obj: dict[str, Any], platform: CreatorPlatform, warn: list[str]
) -> tuple[VideoStats, CreatorRef | None]:
    video_id = str(obj.get("id") or "").strip()
    if not video_id:
        raise RowError("no video id")
    when: Any = None
    for key in ("timestamp", "release_timestamp", "upload_date", "release_date"):
        if obj.get(key) not in (None, ""):
            when = obj[key]
            break
    if when is None:
        raise RowError(
            "no upload time (timestamp or upload_date); flat-playlist dumps lack it, "
            "so run yt-dlp --dump-json without --flat-playlist"
        )
    published = parse_when(when)
    counts: dict[str, int | None] = {}
    for ours, theirs in (*_COUNTS.items(), ("shares", "repost_count")):
        try:
            counts[ours] = parse_count(obj.get(theirs), name=theirs)
        except RowError as exc:
            counts[ours] = None
            warn.append(f"{exc}; kept the video with {ours} unknown")
    try:
        duration = parse_duration(obj.get("duration"))
    except RowError as exc:
        duration = None
        warn.append(f"{exc}; kept the video with its length unknown")
    title = obj.get("title") if isinstance(obj.get("title"), str) else ""
    description = obj.get("description") if isinstance(obj.get("description"), str) else ""
    url = str(obj.get("webpage_url") or obj.get("original_url") or "")
    video = VideoStats(
        platform=platform,
        platform_video_id=video_id,
        title=str(title or ""),
        description=str(description or ""),
        duration_s=duration,
        published_at=published,
        hashtags=hashtags_in(str(title or ""), str(description or "")),
        url=url,
        **counts,
    )
    return video, _ytdlp_creator(obj, platform)


def parse_ytdlp(
    source: str | Iterable[str],
    *,
    platform: CreatorPlatform | None = None,
    only_creator: CreatorRef | None = None,
) -> ImportResult:
    """Read ``yt-dlp --dump-json`` output (one JSON object per line; ``-J`` playlists too)."""
    result = ImportResult()
    seen: dict[str, int] = {}
    for line, text in _lines(source):
        if not text.strip():
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            result.problems.append(ImportProblem(line=line, reason=f"not valid JSON ({exc.msg})"))
            continue
        items = obj.get("entries") if isinstance(obj, dict) and "entries" in obj else [obj]
        for item in items if isinstance(items, list) else []:
            warn: list[str] = []
            try:
                if not isinstance(item, dict):
                    raise RowError("not a JSON object")
                video, creator = _ytdlp_video(item, _ytdlp_platform(item, platform), warn)
            except (RowError, ValidationError) as exc:
                result.problems.append(ImportProblem(line=line, reason=_reason(exc)))
                continue
            result.warnings += [ImportProblem(line=line, reason=w) for w in warn]
            _accept(result, seen, line=line, video=video, creator=creator, only=only_creator)
    return result


# --- CSV -------------------------------------------------------------------------


def _csv_video(row: dict[str, str]) -> tuple[VideoStats, CreatorRef | None]:
    platform = (row.get("platform") or "").strip().lower()
    if platform not in PLATFORMS:
        raise RowError(f"platform {platform!r} is not one of: {', '.join(PLATFORMS)}")
    video_id = (row.get("platform_video_id") or "").strip()
    if not video_id:
        raise RowError("platform_video_id is empty")
    title = row.get("title") or ""
    description = row.get("description") or ""
    listed = re.split(r"[\s,;]+", row.get("hashtags") or "")
    video = VideoStats(
        platform=platform,
        platform_video_id=video_id,
        title=title,
        description=description,
        views=parse_count(row.get("views"), name="views"),
        likes=parse_count(row.get("likes"), name="likes"),
        comments=parse_count(row.get("comments"), name="comments"),
        shares=parse_count(row.get("shares"), name="shares"),
        duration_s=parse_duration(row.get("duration_s")),
        published_at=parse_when(row.get("published_at")),
        hashtags=clean_hashtags([*listed, *hashtags_in(title, description)]),
        url=(row.get("url") or "").strip(),
    )
    handle = (row.get("creator") or "").strip()
    creator = CreatorRef(platform=video.platform, handle=handle) if handle else None
    return video, creator


def parse_csv(source: str, *, only_creator: CreatorRef | None = None) -> ImportResult:
    """Read the documented CSV; raises InputError only when the header itself is unusable."""
    reader = csv.reader(io.StringIO(source.lstrip("\ufeff")), skipinitialspace=True)
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in CSV_REQUIRED if c not in header]
    if missing:
        raise InputError(
            f"The CSV header lacks {', '.join(missing)}. The first line must name the columns, "
            f"e.g.: {','.join(CSV_COLUMNS)}"
        )
    result = ImportResult()
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if unknown:
        result.warnings.append(
            ImportProblem(line=1, reason=f"ignored unknown columns: {', '.join(unknown)}")
        )
    seen: dict[str, int] = {}
    last_line = reader.line_num
    for cells in reader:
        # A quoted cell may span lines: the row starts right after the previous one ended.
        line, last_line = last_line + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        try:
            if len(cells) != len(header):
                raise RowError(f"has {len(cells)} fields but the header names {len(header)}")
            video, creator = _csv_video(dict(zip(header, cells, strict=True)))
        except (RowError, ValidationError) as exc:
            result.problems.append(ImportProblem(line=line, reason=_reason(exc)))
            continue
        _accept(result, seen, line=line, video=video, creator=creator, only=only_creator)
    return result


def import_file(
    path: Path, *, platform: CreatorPlatform | None = None, only_creator: CreatorRef | None = None
) -> ImportResult:
    """Import a ``.csv`` or yt-dlp JSON lines file (told apart by suffix, then content)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"No file at {path}.") from None
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text; export it as UTF-8 CSV or JSON.") from None
    is_json = path.suffix.lower() in {".json", ".jsonl", ".ndjson"} or text.lstrip().startswith("{")
    if is_json:
        return parse_ytdlp(text, platform=platform, only_creator=only_creator)
    return parse_csv(text, only_creator=only_creator)


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        parts = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"])
            parts.append(f"{where}: {err['msg']}" if where else str(err["msg"]))
        return "; ".join(parts)
    return str(exc)


class ImportProblem(BaseModel):
    """A row an import skipped: its line number in the file and why, in words."""

    line: int
    reason: str
