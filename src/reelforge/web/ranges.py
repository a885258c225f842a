"""Streaming a stored file with HTTP Range support (players seek; downloads resume)."""

from __future__ import annotations

import re

from fastapi import Response
from fastapi.responses import StreamingResponse

from reelforge.errors import NotFound
from reelforge.store.blobs import BlobStore

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _parse(header: str, size: int) -> tuple[int, int] | None:
    """(start, end inclusive) for a single satisfiable range; None to send it all."""
    match = _RANGE.match(header.strip())
    if not match or (not match[1] and not match[2]):
        return None
    if not match[1]:  # suffix: the last N bytes
        length = int(match[2])
        return (max(0, size - length), size - 1) if length else (size, size - 1)
    start = int(match[1])
    end = min(int(match[2]), size - 1) if match[2] else size - 1
    return start, end


def ranged_response(
    blobs: BlobStore, key: str, *, range_header: str | None, content_type: str, filename: str
) -> Response:
    if not blobs.exists(key):
        raise NotFound("That file does not exist yet; wait for the video's job to finish.")
    size = blobs.size(key)
    headers = {
        "Accept-Ranges": "bytes",
        "Content-Disposition": f'inline; filename="{filename}"',
    }
    span = _parse(range_header, size) if range_header else None
    if span is not None:
        start, end = span
        if start >= size or start > end:
            return Response(status_code=416, headers={"Content-Range": f"bytes */{size}"})
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
        headers["Content-Length"] = str(end - start + 1)
        return StreamingResponse(
            blobs.iter_range(key, start=start, end=end),
            status_code=206,
            media_type=content_type,
            headers=headers,
        )
    headers["Content-Length"] = str(size)
    return StreamingResponse(blobs.iter_range(key), media_type=content_type, headers=headers)
