"""A fake YouTube resumable upload endpoint (videos.insert, uploadType=resumable).

``POST /upload/youtube/v3/videos?uploadType=resumable&part=snippet,status`` opens a
session (``Location``); ``PUT`` on it takes chunks with ``Content-Range`` (all but
the last a multiple of 256 KiB), answers ``308`` + ``Range: bytes=0-N`` until the
last byte, then 200 with the video resource. ``PUT`` with ``bytes */TOTAL`` asks
for the state. ``interrupt_at`` keeps a chunk only up to that byte and answers
503 (a dropped connection); ``fail_next`` answers a Google error body.
"""

from __future__ import annotations

import itertools
import re
import threading
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.server import FakeRequest, FakeResponse

UNIT = 256 * 1024
_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")
_QUERY = re.compile(r"^bytes \*/(\d+)$")
PATH = "/upload/youtube/v3/videos"


def google_error(status: int, reason: str, message: str, domain: str = "youtube") -> FakeResponse:
    return FakeResponse(
        status,
        {
            "error": {
                "code": status,
                "message": message,
                "errors": [{"domain": domain, "reason": reason, "message": message}],
            }
        },
    )


@dataclass
class Session:
    total: int
    content_type: str
    resource: dict[str, Any]
    data: bytearray = field(default_factory=bytearray)
    video_id: str = ""


@dataclass
class FakeYouTube:
    access_tokens: set[str] = field(default_factory=lambda: {"ya29.test"})
    interrupt_at: int | None = None

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self.sessions: dict[str, Session] = {}
        self.videos: dict[str, Session] = {}
        self._failures: list[tuple[int, str, str]] = []

    def fail_next(self, reason: str, *, status: int = 403, message: str = "") -> None:
        self._failures.append((status, reason, message or reason))

    def __call__(self, req: FakeRequest) -> FakeResponse:
        if req.path != PATH:
            return FakeResponse(404, {"error": {"code": 404, "message": "Not Found"}})
        with self._lock:
            if self._failures:
                status, reason, message = self._failures.pop(0)
                return google_error(status, reason, message)
            if req.method == "POST":
                return self._start(req)
            if req.method == "PUT":
                return self._put(req)
        return FakeResponse(405, b"")

    def _start(self, req: FakeRequest) -> FakeResponse:
        token = req.headers.get("authorization", "").removeprefix("Bearer ")
        if token not in self.access_tokens:
            return google_error(401, "authError", "Invalid Credentials", "global")
        if req.arg("uploadType") != "resumable" or set((req.arg("part") or "").split(",")) != {
            "snippet",
            "status",
        }:
            return google_error(400, "badRequest", "uploadType=resumable and part=snippet,status")
        size, kind = (
            req.headers.get("x-upload-content-length", ""),
            req.headers.get("x-upload-content-type", ""),
        )
        if not size.isdigit() or int(size) <= 0:
            return google_error(400, "badRequest", "X-Upload-Content-Length is required.")
        if not (kind.startswith("video/") or kind == "application/octet-stream"):
            return google_error(400, "badRequest", "X-Upload-Content-Type must be a video type.")
        resource = req.json() or {}
        title = (resource.get("snippet") or {}).get("title", "")
        if not title or len(title) > 100 or "<" in title or ">" in title:
            return google_error(400, "invalidTitle", "The video title is invalid.")
        if (resource.get("status") or {}).get("privacyStatus") not in (
            "public",
            "private",
            "unlisted",
        ):
            return google_error(400, "invalidVideoMetadata", "privacyStatus is invalid.")
        upload_id = f"up{next(self._ids)}"
        self.sessions[upload_id] = Session(int(size), kind, resource)
        host = req.headers.get("host", "127.0.0.1")
        location = f"http://{host}{PATH}?uploadType=resumable&upload_id={upload_id}"
        return FakeResponse(200, b"", {"Location": location})

    def _state(self, session: Session) -> FakeResponse:
        if session.video_id:
            return FakeResponse(
                200,
                {
                    "kind": "youtube#video",
                    "id": session.video_id,
                    **session.resource,
                    "status": {**session.resource.get("status", {}), "uploadStatus": "uploaded"},
                },
            )
        headers = {"Range": f"bytes=0-{len(session.data) - 1}"} if session.data else {}
        return FakeResponse(308, b"", headers)

    def _put(self, req: FakeRequest) -> FakeResponse:
        session = self.sessions.get(req.arg("upload_id") or "")
        if session is None:
            return FakeResponse(
                404, {"error": {"code": 404, "message": "Upload session not found."}}
            )
        content_range = req.headers.get("content-range", "")
        if (q := _QUERY.match(content_range)) is not None:
            if int(q[1]) != session.total or req.body:
                return google_error(400, "badRequest", "bytes */TOTAL with an empty body.")
            return self._state(session)
        m = _RANGE.match(content_range)
        if m is None:
            return google_error(400, "badRequest", "Content-Range is required.")
        first, last, total = (int(g) for g in m.groups())
        if (
            total != session.total
            or first != len(session.data)
            or last - first + 1 != len(req.body)
        ):
            return google_error(
                400, "badRequest", f"Expected bytes from {len(session.data)} of {session.total}."
            )
        if last + 1 < total and len(req.body) % UNIT:
            return google_error(400, "badRequest", "Chunks must be multiples of 256 KiB.")
        if self.interrupt_at is not None and first < self.interrupt_at <= last:
            session.data += req.body[: self.interrupt_at - first]
            self.interrupt_at = None
            return google_error(503, "backendError", "Connection dropped.")
        session.data += req.body
        if len(session.data) == session.total:
            session.video_id = f"vid{next(self._ids):08d}"
            self.videos[session.video_id] = session
        return self._state(session)
