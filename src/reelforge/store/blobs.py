"""Blob storage for user files: a local directory (default) or any S3-compatible bucket.

``REELFORGE_STORAGE_URL`` picks it: unset → ``$REELFORGE_HOME/files``;
``file:///some/dir`` → that directory; ``s3://bucket/prefix`` → S3 (AWS, R2,
MinIO… with ``REELFORGE_S3_ENDPOINT_URL``). Keys are relative paths with
``/`` separators. Every file a user owns lives under :func:`owner_prefix`, so
deleting an account can remove all of its files with one ``delete_prefix``.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path

from reelforge.errors import InputError, NotFound

CHUNK = 1024 * 1024
_SEGMENT = re.compile(r"^[A-Za-z0-9._=-]+$")


def owner_prefix(owner_id: str) -> str:
    """Where every file of one user lives (``users/<id>/``)."""
    return f"users/{check_key(owner_id)}/"


def check_key(key: str, *, prefix: bool = False) -> str:
    """Refuse keys that could escape the store (``..``, absolute paths, odd characters)."""
    body = key[:-1] if prefix and key.endswith("/") else key
    parts = body.split("/")
    if not body or any(p in ("", ".", "..") or not _SEGMENT.match(p) for p in parts):
        raise InputError(
            f"Invalid file name {key!r}: use letters, digits, '.', '_', '-' and '/' only.",
            details={"key": key},
        )
    return key


class BlobStore(ABC):
    """Where user files live. Missing keys raise :class:`NotFound`."""

    @abstractmethod
    def put_bytes(self, key: str, data: bytes, *, content_type: str | None = None) -> None: ...

    @abstractmethod
    def put_file(self, key: str, path: Path, *, content_type: str | None = None) -> None: ...

    @abstractmethod
    def size(self, key: str) -> int: ...

    @abstractmethod
    def iter_range(self, key: str, *, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """Yield the bytes ``start``..``end`` (inclusive; None = to the end) in chunks —
        what an HTTP Range response streams."""

    @abstractmethod
    def list(self, prefix: str = "") -> list[str]: ...

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove one file; a missing file is not an error."""

    def exists(self, key: str) -> bool:
        try:
            self.size(key)
        except NotFound:
            return False
        return True

    def get_bytes(self, key: str) -> bytes:
        return b"".join(self.iter_range(key))

    def download(self, key: str, dest: Path) -> Path:
        dest.parent.mkdir(parents=True, exist_ok=True)
        with dest.open("wb") as out:
            for chunk in self.iter_range(key):
                out.write(chunk)
        return dest

    def delete_prefix(self, prefix: str) -> int:
        """Remove every file under ``prefix``; returns how many."""
        keys = self.list(check_key(prefix, prefix=True))
        for key in keys:
            self.delete(key)
        return len(keys)

    def local_path(self, key: str) -> Path | None:
        """A filesystem path for the key when the store is local (lets the web serve it
        with sendfile); None for remote stores."""
        return None


class LocalBlobStore(BlobStore):
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def put_bytes(self, key: str, data: bytes, *, content_type: str | None = None) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)

    def put_file(self, key: str, path: Path, *, content_type: str | None = None) -> None:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as out, path.open("rb") as src:
            shutil.copyfileobj(src, out, CHUNK)
        os.replace(tmp, target)

    def size(self, key: str) -> int:
        path = self._path(key)
        if not path.is_file():
            raise NotFound(f"No file {key!r}.", details={"key": key})
        return path.stat().st_size

    def iter_range(self, key: str, *, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        total = self.size(key)
        last = total - 1 if end is None else min(end, total - 1)
        remaining = last - start + 1
        with self._path(key).open("rb") as src:
            src.seek(start)
            while remaining > 0:
                chunk = src.read(min(CHUNK, remaining))
                if not chunk:
                    break
                remaining -= len(chunk)
                yield chunk

    def list(self, prefix: str = "") -> list[str]:
        base = self.root / check_key(prefix, prefix=True) if prefix else self.root
        if not base.exists():
            return []
        return sorted(
            p.relative_to(self.root).as_posix()
            for p in base.rglob("*")
            if p.is_file() and not p.name.startswith(".tmp-")
        )

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def delete_prefix(self, prefix: str) -> int:
        count = len(self.list(prefix))
        base = self.root / check_key(prefix, prefix=True)
        if base.is_dir():
            shutil.rmtree(base)
        return count

    def local_path(self, key: str) -> Path | None:
        return self._path(key)
