"""YouTube resumable upload (videos.insert, uploadType=resumable) with ``#Shorts`` handling.

Wire facts (developers.google.com/youtube/v3/guides/using_resumable_upload_protocol):

* ``POST {upload_base}/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status``
  with ``X-Upload-Content-Length``, ``X-Upload-Content-Type`` and a JSON video
  resource (``snippet.title/description/tags/categoryId``, ``status.privacyStatus``,
  ``status.selfDeclaredMadeForKids``, ``status.containsSyntheticMedia``) → the
  session URL in ``Location``.
* ``PUT session`` with ``Content-Range: bytes FIRST-LAST/TOTAL``; chunks are
  multiples of 256 KiB except the last. ``308 Resume Incomplete`` + ``Range:
  bytes=0-N`` means bytes 0..N are stored; 200/201 returns the video resource.
* After an interruption, ``PUT`` an empty body with ``Content-Range: bytes */TOTAL``
  → 308 (+ ``Range`` when any bytes arrived) or 200/201 if it had completed.
* Errors: ``{"error": {"code", "message", "errors": [{"reason": "quotaExceeded"}]}}``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx

from reelforge.errors import InputError, PlatformError, ProviderError
from reelforge.providers.platforms._http import json_body, platform_client
from reelforge.providers.platforms.error_codes import youtube_error
from reelforge.providers.platforms.google_oauth import google_error_from, map_google_response
from reelforge.providers.types.publishing import PostRequest

CHUNK_UNIT = 256 * 1024
TITLE_MAX = 100
SHORTS_TAG = "#Shorts"
_RANGE = re.compile(r"bytes=(\d+)-(\d+)")
PRIVACY = {
    "public": "public",
    "private": "private",
    "unlisted": "unlisted",
    "PUBLIC_TO_EVERYONE": "public",
    "SELF_ONLY": "private",
    "MUTUAL_FOLLOW_FRIENDS": "unlisted",
    "FOLLOWER_OF_CREATOR": "unlisted",
}


def is_short(
    *, width: int | None, height: int | None, duration_s: float | None, max_s: float
) -> bool:
    return bool(
        width and height and height > width and duration_s is not None and duration_s <= max_s
    )


def video_resource(
    request: PostRequest, *, shorts: str = "auto", shorts_max_s: float = 60.0
) -> dict[str, Any]:
    """The JSON video resource; adds ``#Shorts`` to a vertical clip of ≤ ``shorts_max_s``.

    ``shorts``: "auto" (vertical and short enough), "always" or "never". The tag
    goes at the end of the title when it fits in 100 characters, else at the end
    of the description; it is never added twice.
    """
    title, description = request.title.strip(), request.description
    if not title:
        raise InputError("YouTube needs a title for the video.")
    for name, text in (("title", title), ("description", description)):
        if "<" in text or ">" in text:
            raise InputError(f"YouTube does not allow < or > in the {name}; remove them.")
    tag = shorts == "always" or (
        shorts == "auto"
        and is_short(
            width=request.width,
            height=request.height,
            duration_s=request.duration_s,
            max_s=shorts_max_s,
        )
    )
    already = SHORTS_TAG.lower() in f"{title} {description}".lower()
    if tag and not already:
        if len(title) + 1 + len(SHORTS_TAG) <= TITLE_MAX:
            title = f"{title} {SHORTS_TAG}"
        else:
            description = f"{description}\n\n{SHORTS_TAG}".strip()
    if len(title) > TITLE_MAX:
        raise InputError(f"YouTube titles are at most {TITLE_MAX} characters; shorten it.")
    if len(description.encode()) > 5000:
        raise InputError("YouTube descriptions are at most 5000 bytes; shorten it.")
    privacy = PRIVACY.get(request.privacy_level)
    if privacy is None:
        raise InputError("YouTube privacy must be public, unlisted or private.")
    snippet: dict[str, Any] = {
        "title": title,
        "description": description,
        "categoryId": request.category_id,
    }
    if request.tags:
        snippet["tags"] = list(request.tags)
    return {
        "snippet": snippet,
        "status": {
            "privacyStatus": privacy,
            "selfDeclaredMadeForKids": request.made_for_kids,
            "containsSyntheticMedia": request.is_aigc,
        },
    }


@dataclass(frozen=True)
class UploadProgress:
    """How far a session got: bytes stored, and the video id once complete."""

    received: int
    video_id: str | None = None

    @property
    def complete(self) -> bool:
        return self.video_id is not None


class YouTubeUploader:
    """Resumable uploads for one connected channel (its access token)."""

    name = "youtube"

    def __init__(
        self,
        settings: Any,
        *,
        access_token: str,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.base = str(settings.youtube_upload_base_url).rstrip("/")
        self.http = platform_client(
            settings,
            provider="youtube",
            base_url=self.base,
            mapper=map_google_response,
            headers={"Authorization": f"Bearer {access_token}"},
            transport=transport,
            retries=False,  # a session is cheap, but an unseen duplicate is not
        )
        self._sleep = sleep

    def start_session(self, *, resource: dict[str, Any], size: int, content_type: str) -> str:
        """Open an upload session; returns its URL (the ledger stores it to resume)."""
        response = self.http.request(
            "POST",
            "/upload/youtube/v3/videos",
            params={"uploadType": "resumable", "part": "snippet,status"},
            json=resource,
            headers={
                "X-Upload-Content-Length": str(size),
                "X-Upload-Content-Type": content_type,
                "Content-Type": "application/json; charset=UTF-8",
            },
        )
        location = str(response.headers.get("location") or "")
        if not location:
            raise ProviderError(
                "YouTube opened no upload session (no Location).", provider="youtube"
            )
        return urljoin(self.base + "/", location)

    def _put(self, session_url: str, *, content: bytes, content_range: str) -> UploadProgress:
        try:
            response = self.http.client.request(
                "PUT",
                session_url,
                content=content,
                headers={"Content-Range": content_range},
                follow_redirects=False,
            )
        except httpx.TransportError as exc:
            raise ProviderError(
                f"The YouTube upload was interrupted ({exc.__class__.__name__}); it will resume.",
                provider="youtube",
                retryable=True,
            ) from exc
        if response.status_code == 308:
            match = _RANGE.search(response.headers.get("range", ""))
            return UploadProgress(int(match[2]) + 1 if match else 0)
        if response.status_code in (200, 201):
            body = json_body(response)
            video_id = str(body.get("id") or "") if isinstance(body, dict) else ""
            if not video_id:
                raise ProviderError(
                    "YouTube finished the upload without a video id.", provider="youtube"
                )
            return UploadProgress(received=-1, video_id=video_id)
        if response.status_code in (404, 410):
            raise PlatformError(
                "The YouTube upload session expired before the video was complete; "
                "post the video again.",
                provider="youtube",
                platform_code="session_expired",
                status=response.status_code,
            )
        found = google_error_from(json_body(response), status=response.status_code)
        raise found or youtube_error(
            "backendError" if response.status_code >= 500 else "",
            message=response.text[:200],
            status=response.status_code,
        )

    def query(self, *, session_url: str, total: int) -> UploadProgress:
        """Ask the session how many bytes it holds (``Content-Range: bytes */TOTAL``)."""
        return self._put(session_url, content=b"", content_range=f"bytes */{total}")

    def put_chunk(self, *, session_url: str, data: bytes, first: int, total: int) -> UploadProgress:
        last = first + len(data) - 1
        return self._put(session_url, content=data, content_range=f"bytes {first}-{last}/{total}")

    def upload_file(
        self,
        *,
        session_url: str,
        path: Path,
        start: int,
        total: int,
        chunk_size: int,
        on_progress: Callable[[int], None] | None = None,
    ) -> str:
        """Send ``path`` from byte ``start``; after an interruption ask where to go on."""
        chunk_size = max(CHUNK_UNIT, chunk_size // CHUNK_UNIT * CHUNK_UNIT)
        offset, resumes = start, 0
        with path.open("rb") as fh:
            while True:
                if offset >= total:  # every byte is there: the session must say it is done
                    done = self.query(session_url=session_url, total=total)
                    if done.video_id:
                        return done.video_id
                    raise ProviderError(
                        "YouTube holds every byte but did not finish the upload; post again.",
                        provider="youtube",
                    )
                fh.seek(offset)
                data = fh.read(chunk_size)
                try:
                    progress = self.put_chunk(
                        session_url=session_url, data=data, first=offset, total=total
                    )
                except ProviderError as exc:
                    if not exc.retryable or resumes >= self.settings.http_max_retries:
                        raise
                    resumes += 1
                    self._sleep(self.settings.http_backoff_s * 2 ** (resumes - 1))
                    progress = self.query(session_url=session_url, total=total)
                if progress.video_id:
                    return progress.video_id
                offset = progress.received
                if on_progress:
                    on_progress(offset)

    def close(self) -> None:
        self.http.close()
