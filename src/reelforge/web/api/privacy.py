"""The user's data rights: download everything (P22). Deletion is DELETE /me (P24)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from reelforge.clock import utc_now
from reelforge.privacy.export import write_export
from reelforge.web.deps import DbDep, PrincipalDep, RuntimeDep

router = APIRouter(prefix="/me", tags=["me"])
CHUNK = 1024 * 1024


@router.get(
    "/export",
    summary="Download one ZIP with all your data (account, rows as JSON, every stored file)",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/zip": {}}}},
)
def export(principal: PrincipalDep, db: DbDep, runtime: RuntimeDep) -> StreamingResponse:
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the stream when sent
    write_export(db, runtime.blobs, user_id=principal.user_id, out=spool)
    size = spool.tell()
    spool.seek(0)

    def stream() -> Iterator[bytes]:
        with spool:
            while chunk := spool.read(CHUNK):
                yield chunk

    stamp = utc_now().strftime("%Y%m%d-%H%M%S")
    return StreamingResponse(
        stream(),
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="reelforge-export-{stamp}.zip"',
            "Content-Length": str(size),
        },
    )
