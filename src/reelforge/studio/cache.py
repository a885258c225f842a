"""Content-addressed stage outputs inside a project directory.

Every stage output lives at ``<project>/cache/<stage>/<key>.<ext>`` where the
key hashes the stage's inputs and settings (plus a per-stage version, bumped
when the stage's code changes its output). A file is published by atomic
rename only once complete, so a run killed at any instant leaves either a
finished output or nothing that looks like one — which is what makes a re-run
resume safely.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from reelforge.errors import InputError

M = TypeVar("M", bound=BaseModel)


def _canonical(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return _canonical(value.model_dump(mode="json"))
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    return value


def stage_key(stage: str, version: int, **inputs: Any) -> str:
    """A short, stable hash of a stage's name, version and inputs."""
    payload = json.dumps(
        {"stage": stage, "v": version, "in": _canonical(inputs)}, sort_keys=True, default=str
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


def file_fingerprint(path: Path) -> str:
    """Identity of an input file for cache keys: a hash of its content, so a
    replaced file with the same name is noticed and a moved one is not redone."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:20]


class StageCache:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, stage: str, key: str, ext: str) -> Path:
        return self.root / stage / f"{key}.{ext}"

    def has(self, stage: str, key: str, ext: str) -> bool:
        p = self.path(stage, key, ext)
        return p.exists() and p.stat().st_size > 0

    @contextmanager
    def writing(self, stage: str, key: str, ext: str) -> Iterator[Path]:
        """Yield a temp path in the same folder; publish it atomically on success."""
        final = self.path(stage, key, ext)
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{key}.", suffix=f".part.{ext}", dir=final.parent)
        os.close(fd)
        tmp_path = Path(tmp)
        try:
            yield tmp_path
            os.replace(tmp_path, final)
        finally:
            tmp_path.unlink(missing_ok=True)

    def sweep_partials(self) -> int:
        """Delete temp files left by a run that was killed mid-write."""
        removed = 0
        if self.root.exists():
            for stray in self.root.glob("*/.*.part.*"):
                stray.unlink(missing_ok=True)
                removed += 1
        return removed

    def read_model(self, stage: str, key: str, model: type[M]) -> M | None:
        p = self.path(stage, key, "json")
        if not p.exists():
            return None
        return model.model_validate_json(p.read_text())

    def write_model(self, stage: str, key: str, value: BaseModel) -> None:
        with self.writing(stage, key, "json") as tmp:
            tmp.write_text(value.model_dump_json(indent=2))


@contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """Hold an OS lock on ``path`` for the block; refuse at once if another process has it.

    The kernel drops the lock when a process dies (even by SIGKILL), so a crashed
    render never leaves the project locked.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(
                f"Another render of this project is running ({path.parent}). Wait for it to finish."
            ) from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)
