"""Server-side secrets kept in 0600 files under ``$REELFORGE_HOME`` when not configured.

The server secret signs session tokens and keys the HMACs of one-time codes
and rate-limit buckets; it is generated on first run so a fresh install is
safe without configuration. Each use gets its own derived key, so a leak of
one derived key does not reveal the others.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import secrets
import tempfile
from pathlib import Path

from reelforge.config import Settings
from reelforge.errors import ConfigError


def write_secret_file(path: Path, data: bytes) -> None:
    """Replace ``path`` atomically with ``data``, readable only by this user (0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_or_create(path: Path, *, make: bytes) -> bytes:
    """The file's bytes; on first run, create it with ``make`` (0600). When two processes
    race, exactly one file wins (``os.link`` refuses to overwrite) and both read it."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(make)
                out.flush()
                os.fsync(out.fileno())
            with contextlib.suppress(FileExistsError):  # another process made it first
                os.link(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
    data = path.read_bytes()
    if not data.strip():
        raise ConfigError(f"The secret file {path} is empty; delete it to have a new one made.")
    return data


_FILE_SECRETS: dict[Path, bytes] = {}  # read once per process; the file never changes


def server_secret(settings: Settings) -> bytes:
    """``REELFORGE_SECRET_KEY`` or the contents of ``$REELFORGE_HOME/secret.key``."""
    if settings.secret_key is not None and settings.secret_key.get_secret_value():
        return settings.secret_key.get_secret_value().encode()
    path = (settings.home / "secret.key").resolve()
    cached = _FILE_SECRETS.get(path)
    if cached is None:
        made = base64.urlsafe_b64encode(secrets.token_bytes(48)) + b"\n"
        cached = _FILE_SECRETS[path] = read_or_create(path, make=made).strip()
    return cached


def derived_key(settings: Settings, purpose: str) -> bytes:
    """A key for one purpose ("jwt", "otp", "ratelimit"), derived from the server secret."""
    return hmac.new(
        server_secret(settings), f"reelforge:{purpose}".encode(), hashlib.sha256
    ).digest()
