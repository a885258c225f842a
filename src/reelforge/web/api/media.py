"""Public carousel images: what TikTok pulls for a photo post (PULL_FROM_URL).

No sign-in, by necessity: TikTok's servers fetch these. The path is a
capability — ``/api/v1/media/<token>/<n>.jpg`` with a 256-bit random token per
post — served only while the post is going out and for
``REELFORGE_PUBLISH_MEDIA_SERVE_HOURS`` after; anything else is a plain 404.
``REELFORGE_PUBLISH_MEDIA_URL`` is the public prefix TikTok sees (and verifies);
it must end up at this route (directly, or through a proxy/CDN).
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import StreamingResponse

from reelforge.errors import NotFound
from reelforge.publish import posts
from reelforge.web.deps import DbDep, RuntimeDep, client_ip
from reelforge.web.ranges import ranged_response

router = APIRouter(prefix="/media", tags=["media"])
FILE = re.compile(r"^([1-9][0-9]?)\.jpg$")


@router.get(
    "/{token}/{file}",
    summary="A carousel image of a post being published (public, unguessable URL)",
    response_class=StreamingResponse,
    responses={200: {"content": {"image/jpeg": {}}}},
)
def media_file(
    request: Request,
    db: DbDep,
    runtime: RuntimeDep,
    token: str = Path(min_length=20, max_length=64),
    file: str = Path(max_length=8),
) -> Response:
    runtime.limiter.check("api_per_ip", client_ip(request))
    match = FILE.match(file)
    if match is None:
        raise NotFound("No such image.")
    key = posts.public_image_key(
        db,
        token=token,
        number=int(match[1]),
        serve_hours=runtime.settings.publish_media_serve_hours,
    )
    response = ranged_response(
        runtime.blobs,
        key,
        range_header=request.headers.get("range"),
        content_type="image/jpeg",
        filename=file,
    )
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
