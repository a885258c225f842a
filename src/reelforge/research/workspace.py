"""A user's research workspace: its generation counter and its analytics frame.

Why a snapshot file: reading a million rows out of SQL takes seconds, a
report over the frame takes milliseconds. So the frame is built from the
store once per *generation* (a counter every change to the workspace's
videos bumps, in the same transaction as the change), written as an Arrow
IPC file to the blob store under the owner's prefix, reloaded from there by
any process, and kept in memory by the process that last used it.

Why the generation is in the file name: a snapshot can never be read for a
workspace that has changed since (a deleted creator's videos cannot come
back from a stale file — promise P15); files of other generations are
removed whenever a new one is written, and :func:`drop_snapshots` removes
them all at once after a deletion. Because the files live under
``users/<id>/``, deleting the account removes them too.
"""

from __future__ import annotations

import re
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path

from sqlalchemy import DateTime, select, type_coerce, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reelforge.deps import Deps
from reelforge.research.frame import VideoFrame
from reelforge.research.tables import ResearchVideo, Workspace
from reelforge.store.blobs import BlobStore, owner_prefix

#: Columns read from the store, in the order VideoFrame.from_records is told.
FRAME_COLUMNS = (
    "creator_id",
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
)
_FILE = re.compile(r"frame-(\d+)-w(\d+)\.arrow$")
MEMORY_SLOTS = 8  # workspaces whose frame a process keeps in memory

_memory: OrderedDict[tuple[str, str], tuple[str, VideoFrame]] = OrderedDict()
_lock = threading.Lock()


def snapshot_prefix(owner_id: str) -> str:
    return f"{owner_prefix(owner_id)}research/"


def snapshot_key(owner_id: str, *, generation: int, window: int) -> str:
    return f"{snapshot_prefix(owner_id)}frame-{generation}-w{window}.arrow"


def generation(db: Session, *, owner_id: str) -> int:
    value = db.scalar(select(Workspace.generation).where(Workspace.owner_id == owner_id))
    return int(value or 0)


def bump(db: Session, *, owner_id: str) -> None:
    """Mark the workspace's videos as changed (call in the transaction that changed them)."""
    step = (
        update(Workspace)
        .where(Workspace.owner_id == owner_id)
        .values(generation=Workspace.generation + 1)
        .execution_options(synchronize_session=False)
    )
    if getattr(db.execute(step), "rowcount", 0):
        return
    try:
        with db.begin_nested():
            db.add(Workspace(owner_id=owner_id, generation=1))
    except IntegrityError:  # another transaction created it first
        db.execute(step)


def build_frame(db: Session, *, owner_id: str, window: int) -> VideoFrame:
    """The workspace's videos straight from the store, ordered by creator and time."""
    c = ResearchVideo
    # type_coerce skips the per-row UTC conversion; the frame treats naive times as UTC.
    query = (
        select(
            c.creator_id,
            c.platform,
            c.platform_video_id,
            c.title,
            c.description,
            c.views,
            c.likes,
            c.comments,
            c.shares,
            c.duration_s,
            type_coerce(c.published_at, DateTime()).label("published_at"),
            c.hashtags,
        )
        .where(c.owner_id == owner_id)
        .order_by(c.creator_id, c.published_at)
    )
    rows = db.execute(query).all()
    return VideoFrame.from_records(rows, columns=list(FRAME_COLUMNS), window=window)


def _remember(key: tuple[str, str], tag: str, frame: VideoFrame) -> None:
    with _lock:
        _memory[key] = (tag, frame)
        _memory.move_to_end(key)
        while len(_memory) > MEMORY_SLOTS:
            _memory.popitem(last=False)


def _recall(key: tuple[str, str], tag: str) -> VideoFrame | None:
    with _lock:
        found = _memory.get(key)
        if found is None or found[0] != tag:
            return None
        _memory.move_to_end(key)
        return found[1]


def _load_blob(blobs: BlobStore, key: str, window: int) -> VideoFrame:
    local = blobs.local_path(key)
    if local is not None:
        return VideoFrame.load(local, window=window)
    with tempfile.TemporaryDirectory(prefix="reelforge-frame-") as tmp:
        path = blobs.download(key, Path(tmp) / "frame.arrow")
        return VideoFrame.load(path, window=window)


def _save_blob(blobs: BlobStore, key: str, frame: VideoFrame) -> None:
    with tempfile.TemporaryDirectory(prefix="reelforge-frame-") as tmp:
        path = Path(tmp) / "frame.arrow"
        frame.save(path)
        blobs.put_file(key, path, content_type="application/vnd.apache.arrow.file")


def _remove_other_generations(blobs: BlobStore, owner_id: str, keep: str) -> None:
    for key in blobs.list(snapshot_prefix(owner_id)):
        if key != keep and _FILE.search(key):
            blobs.delete(key)


def workspace_frame(db: Session, deps: Deps, *, owner_id: str) -> VideoFrame:
    """The owner's frame: from memory, else the current snapshot, else built and saved."""
    window = deps.settings.research_breakout_window
    gen = generation(db, owner_id=owner_id)
    key = snapshot_key(owner_id, generation=gen, window=window)
    slot = (deps.database.url, owner_id)
    frame = _recall(slot, key)
    if frame is not None:
        return frame
    blobs = deps.blobs
    if blobs.exists(key):
        frame = _load_blob(blobs, key, window)
    else:
        frame = build_frame(db, owner_id=owner_id, window=window)
        _save_blob(blobs, key, frame)
        _remove_other_generations(blobs, owner_id, keep=key)
        # Changed while we built it (PostgreSQL reads see other commits; SQLite's
        # transaction holds the write lock, so there nothing can change): drop the file.
        if generation(db, owner_id=owner_id) != gen:
            blobs.delete(key)
            return frame
    _remember(slot, key, frame)
    return frame


def refresh_snapshot(deps: Deps, *, owner_id: str) -> VideoFrame:
    """Build and save the current snapshot now (after a refresh or an import)."""
    with deps.database.session() as db:
        return workspace_frame(db, deps, owner_id=owner_id)


def drop_snapshots(deps: Deps, *, owner_id: str) -> None:
    """Forget every snapshot of the workspace, on disk and in memory (after a deletion)."""
    with _lock:
        _memory.pop((deps.database.url, owner_id), None)
    for key in deps.blobs.list(snapshot_prefix(owner_id)):
        if _FILE.search(key):
            deps.blobs.delete(key)
