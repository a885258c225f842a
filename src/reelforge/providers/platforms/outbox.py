"""The outbox: the embedded, offline publishing platform.

A post becomes a folder ``<outbox_dir>/<user>/<post-id>/`` holding the video (or
the images) and ``metadata.json``. Why a folder: it needs no account and no
network, and the user (or a script) uploads by hand from there; it needs only
the settings and the post's files, so it is a platform like the others
(:class:`OutboxPlatform`), connected with one call. The folder is
built under a temporary name and renamed into place in one step, so a reader
never sees half a post; writing the same post id again returns the existing
folder untouched (a retried job does not duplicate or rewrite it).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from reelforge.clock import utc_now
from reelforge.errors import InputError
from reelforge.providers.base import Platform
from reelforge.providers.platforms.resumable import publish_once
from reelforge.providers.types.publishing import (
    ConnectedAccount,
    ConnectionTokens,
    PlatformPost,
    PollPolicy,
    PostLedger,
    PostRequest,
    Progress,
    TokenGetter,
)

METADATA = "metadata.json"
_POST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


def outbox_dir(settings: Any) -> Path:
    """``REELFORGE_OUTBOX_DIR``, default ``$REELFORGE_HOME/outbox``."""
    configured = getattr(settings, "outbox_dir", None)
    return Path(configured) if configured else Path(settings.home) / "outbox"


def user_outbox(settings: Any, owner_id: str) -> Path:
    """One folder per user, so deleting an account removes its outbox posts too."""
    return outbox_dir(settings) / owner_id


@dataclass(frozen=True)
class OutboxResult:
    folder: Path
    metadata_path: Path
    files: tuple[Path, ...]
    created: bool  # False when this post id was already in the outbox


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _existing(folder: Path) -> OutboxResult:
    meta = json.loads((folder / METADATA).read_text())
    files = tuple(folder / f["name"] for f in meta.get("files", []))
    return OutboxResult(folder, folder / METADATA, files, created=False)


def _names(request: PostRequest, media: Sequence[Path]) -> list[str]:
    if request.is_video:
        return ["video" + (media[0].suffix.lower() or ".mp4")]
    width = max(2, len(str(len(media))))
    return [f"{i + 1:0{width}d}{p.suffix.lower() or '.jpg'}" for i, p in enumerate(media)]


def write_outbox(
    *,
    root: Path,
    post_id: str,
    request: PostRequest,
    media: Sequence[Path] = (),
    now: datetime | None = None,
) -> OutboxResult:
    """Write the post's files and metadata to ``root/post_id`` atomically, once.

    ``media`` is the local file list: the video (defaults to ``request.video_path``)
    or the prepared carousel images in order.
    """
    if not _POST_ID.match(post_id):
        raise InputError(
            "An outbox post id may use letters, digits, '.', '_' and '-' only (≤ 128)."
        )
    folder = root / post_id
    if (folder / METADATA).is_file():
        return _existing(folder)
    files = list(media) or ([request.video_path] if request.video_path else [])
    if not files:
        raise InputError("The outbox needs the post's video or image files.")
    for path in files:
        if not path.is_file():
            raise InputError(f"Cannot find {path} to put in the outbox.")
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".tmp-{post_id}-{secrets.token_hex(4)}"
    tmp.mkdir()
    try:
        entries: list[dict[str, Any]] = []
        for src, name in zip(files, _names(request, files), strict=True):
            shutil.copyfile(src, tmp / name)
            entries.append(
                {"name": name, "bytes": (tmp / name).stat().st_size, "sha256": _sha256(tmp / name)}
            )
        meta = {
            "post_id": post_id,
            "platform": "outbox",
            "kind": "video" if request.is_video else "photos",
            "created_at": (now or utc_now()).isoformat(),
            **request.model_dump(
                mode="json",
                exclude={"video_path", "image_urls", "image_paths", "width", "height"},
            ),
            "files": entries,
        }
        with (tmp / METADATA).open("w", encoding="utf-8") as fh:
            json.dump(meta, fh, indent=2, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.rename(tmp, folder)
        except OSError:
            if (folder / METADATA).is_file():  # another run won the race: same post
                return _existing(folder)
            raise
    finally:
        if tmp.exists():
            with contextlib.suppress(OSError):
                shutil.rmtree(tmp)
    return OutboxResult(
        folder, folder / METADATA, tuple(folder / str(e["name"]) for e in entries), created=True
    )


class OutboxPlatform(Platform):
    """Posts become folders on this server, one per user; no account, no network."""

    name = "outbox"
    display_name = "Outbox"
    needs_oauth = False

    def account(self, tokens: ConnectionTokens | None) -> ConnectedAccount:
        return ConnectedAccount(key="outbox", display_name="Outbox folder")

    def publish(
        self,
        *,
        ledger: PostLedger,
        post_key: str,
        owner_id: str,
        request: PostRequest,
        access_token: TokenGetter,
        poll: PollPolicy | None = None,
        on_progress: Progress | None = None,
    ) -> PlatformPost:
        media = list(request.image_paths) or ([request.video_path] if request.video_path else [])

        def write() -> tuple[str, str | None]:
            written = write_outbox(
                root=user_outbox(self.settings, owner_id),
                post_id=post_key,
                request=request,
                media=media,
            )
            return written.folder.name, written.folder.resolve().as_uri()

        total = sum(path.stat().st_size for path in media if path.is_file())
        return publish_once(
            ledger, post_key, platform=self.name, total_bytes=total, write=write, status="WRITTEN"
        )
