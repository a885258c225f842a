"""A fake of TikTok's Display API (``video/list``, ``video/query``, ``user/info``).

Enforces the documented format: the user's bearer token (``act.``); ``fields``
in the query string; ``max_count`` 1..20; ``cursor`` as a UNIX time in
milliseconds, answering the videos strictly older than it, newest first, with
``has_more``; ``video_ids`` at most 20; the ``{"data","error"}`` envelope, a
429 ``rate_limit_exceeded`` when ``rate_limited`` is set, and error codes
with HTTP 200 queued in ``errors_200``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tests.fakes.server import FakeRequest, FakeResponse
from tests.fakes.tiktok_research import envelope

TOKEN = "act.display-test-token"
VIDEO_FIELDS = {
    "id",
    "title",
    "video_description",
    "create_time",
    "cover_image_url",
    "share_url",
    "duration",
    "height",
    "width",
    "embed_html",
    "embed_link",
    "like_count",
    "comment_count",
    "share_count",
    "view_count",
}


def own_video(
    video_id: str, *, created: datetime, title: str = "", views: int = 100, duration: int = 20
) -> dict[str, Any]:
    return {
        "id": video_id,
        "title": title,
        "video_description": f"{title} #mine",
        "create_time": int(created.timestamp()),
        "share_url": f"https://www.tiktok.com/@me/video/{video_id}",
        "duration": duration,
        "view_count": views,
        "like_count": views // 10,
        "comment_count": views // 100,
        "share_count": views // 50,
        "cover_image_url": "https://example.invalid/cover.jpg",
    }


@dataclass
class FakeTikTokDisplay:
    token: str = TOKEN
    videos: list[dict[str, Any]] = field(default_factory=list)
    user: dict[str, Any] = field(
        default_factory=lambda: {"open_id": "open-123", "display_name": "Me"}
    )
    rate_limited: int = 0
    errors_200: list[tuple[str, str]] = field(default_factory=list)

    def handle(self, request: FakeRequest) -> FakeResponse:
        if request.headers.get("authorization") != f"Bearer {self.token}":
            return envelope(
                code="access_token_invalid",
                message="The access token is invalid or not found in the request.",
                status=401,
            )
        if self.rate_limited > 0:
            self.rate_limited -= 1
            response = envelope(
                code="rate_limit_exceeded", message="Too many requests.", status=429
            )
            response.headers["Retry-After"] = "0"
            return response
        if self.errors_200:
            code, message = self.errors_200.pop(0)
            return envelope(code=code, message=message)
        if request.path == "/v2/user/info/" and request.method == "GET":
            return envelope({"user": self.user})
        fields = set((request.arg("fields") or "").split(","))
        if request.method != "POST" or not fields <= VIDEO_FIELDS or fields == {""}:
            return envelope(code="invalid_params", message="POST with valid fields.", status=400)
        body = request.json() or {}
        if request.path == "/v2/video/list/":
            max_count = int(body.get("max_count", 10))
            if not 1 <= max_count <= 20:
                return envelope(
                    code="invalid_params", message="max_count must be 1..20.", status=400
                )
            cursor = body.get("cursor")
            older = [
                v for v in self.videos if cursor is None or v["create_time"] * 1000 < int(cursor)
            ]
            older.sort(key=lambda v: -v["create_time"])
            chunk = older[:max_count]
            next_cursor = chunk[-1]["create_time"] * 1000 if chunk else cursor
            data = {
                "videos": [self._pick(v, fields) for v in chunk],
                "cursor": next_cursor,
                "has_more": len(older) > max_count,
            }
            return envelope(data)
        if request.path == "/v2/video/query/":
            ids = ((body.get("filters") or {}).get("video_ids")) or []
            if not 1 <= len(ids) <= 20:
                return envelope(
                    code="invalid_params", message="video_ids must hold 1..20 ids.", status=400
                )
            return envelope(
                {"videos": [self._pick(v, fields) for v in self.videos if v["id"] in ids]}
            )
        return envelope(code="invalid_params", message="Unknown endpoint.", status=404)

    @staticmethod
    def _pick(video: dict[str, Any], fields: set[str]) -> dict[str, Any]:
        return {k: v for k, v in video.items() if k in fields}
