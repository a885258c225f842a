"""A fake of TikTok's Research API: client-credentials token, video query, user info.

Enforces the documented format: a form-encoded ``client_credentials`` token
request answered flat (``clt.`` token); bearer tokens on every call; the
``{"data","error":{"code","message","log_id"}}`` envelope; ``fields`` in the
query string; ``start_date``/``end_date`` as YYYYMMDD at most
``max_window_days`` apart; ``max_count`` at most 100; ``cursor`` past 0 only
with the ``search_id`` the first page gave; a daily request quota (every API
call counts, token calls do not). ``errors_200`` queues error codes to answer
*with HTTP 200*; ``fail`` queues HTTP statuses (e.g. 429) with their envelope.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tests.fakes.server import FakeRequest, FakeResponse

CLIENT_KEY = "research-key"
CLIENT_SECRET = "research-secret"
VIDEO_FIELDS = {
    "id",
    "video_description",
    "create_time",
    "region_code",
    "share_count",
    "view_count",
    "like_count",
    "comment_count",
    "music_id",
    "hashtag_names",
    "username",
    "effect_ids",
    "playlist_id",
    "voice_to_text",
    "is_stem_verified",
    "favorites_count",
    "video_duration",
}
USER_FIELDS = {
    "display_name",
    "bio_description",
    "avatar_url",
    "is_verified",
    "follower_count",
    "following_count",
    "likes_count",
    "video_count",
    "bio_url",
}


def envelope(
    data: dict[str, Any] | None = None, *, code: str = "ok", message: str = "", status: int = 200
) -> FakeResponse:
    return FakeResponse(
        status,
        {
            "data": data or {},
            "error": {"code": code, "message": message, "log_id": "202401010000FAKE"},
        },
    )


def tt_video(
    video_id: int,
    *,
    username: str,
    created: datetime,
    views: int = 100,
    description: str = "",
    duration: int = 30,
    hashtags: list[str] | None = None,
) -> dict[str, Any]:
    return {
        "id": video_id,
        "username": username,
        "create_time": int(created.timestamp()),
        "video_description": description,
        "view_count": views,
        "like_count": views // 10,
        "comment_count": views // 100,
        "share_count": views // 50,
        "hashtag_names": hashtags or [],
        "video_duration": duration,
        "region_code": "US",
        "music_id": 7,
    }


@dataclass
class FakeTikTokResearch:
    videos: list[dict[str, Any]] = field(default_factory=list)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    daily_requests: int = 1_000
    used_requests: int = 0
    max_window_days: int = 30
    tokens: set[str] = field(default_factory=set)
    token_requests: int = 0
    errors_200: list[tuple[str, str]] = field(default_factory=list)
    fail: list[int] = field(default_factory=list)
    queries: list[dict[str, Any]] = field(default_factory=list)
    _searches: dict[str, str] = field(default_factory=dict)
    _ids: Any = field(default_factory=lambda: itertools.count(7_300_000_000_000_000_001))

    def revoke_tokens(self) -> None:
        self.tokens.clear()

    def handle(self, request: FakeRequest) -> FakeResponse:
        if request.path == "/v2/oauth/token/":
            return self._token(request)
        if request.method != "POST":
            return envelope(code="invalid_params", message="Use POST.", status=405)
        auth = request.headers.get("authorization", "")
        if not auth.startswith("Bearer ") or auth.removeprefix("Bearer ") not in self.tokens:
            return envelope(
                code="access_token_invalid",
                message="The access token is invalid or not found in the request.",
                status=401,
            )
        if self.fail:
            status = self.fail.pop(0)
            return envelope(
                code="rate_limit_exceeded" if status == 429 else "internal_error",
                message="try later",
                status=status,
            )
        if self.used_requests >= self.daily_requests:
            return envelope(
                code="daily_quota_limit_exceeded",
                message="Daily request quota exceeded.",
                status=429,
            )
        self.used_requests += 1
        if self.errors_200:
            code, message = self.errors_200.pop(0)
            return envelope(code=code, message=message, status=200)
        fields = set((request.arg("fields") or "").split(","))
        if request.path == "/v2/research/video/query/":
            if not fields or not fields <= VIDEO_FIELDS:
                return envelope(
                    code="invalid_params",
                    message=f"Invalid fields: {sorted(fields - VIDEO_FIELDS)}",
                    status=400,
                )
            return self._query(request.json(), fields)
        if request.path == "/v2/research/user/info/":
            if not fields <= USER_FIELDS:
                return envelope(code="invalid_params", message="Invalid fields.", status=400)
            user = self.users.get(str((request.json() or {}).get("username")))
            if user is None:
                return envelope(
                    code="invalid_params", message="User does not exist or is private.", status=400
                )
            return envelope({k: v for k, v in user.items() if k in fields})
        return envelope(code="invalid_params", message="Unknown endpoint.", status=404)

    def _token(self, request: FakeRequest) -> FakeResponse:
        if not request.headers.get("content-type", "").startswith(
            "application/x-www-form-urlencoded"
        ):
            return FakeResponse(
                400,
                {
                    "error": "invalid_request",
                    "error_description": "Form body expected.",
                    "log_id": "x",
                },
            )
        form = request.form()
        if form.get("grant_type") != "client_credentials":
            return FakeResponse(
                400,
                {
                    "error": "unsupported_grant_type",
                    "error_description": "Bad grant.",
                    "log_id": "x",
                },
            )
        if form.get("client_key") != CLIENT_KEY or form.get("client_secret") != CLIENT_SECRET:
            return FakeResponse(
                401,
                {
                    "error": "invalid_client",
                    "error_description": "Client key or secret is incorrect.",
                    "log_id": "x",
                },
            )
        self.token_requests += 1
        token = f"clt.token{self.token_requests}"
        self.tokens.add(token)
        return FakeResponse(
            200, {"access_token": token, "expires_in": 7200, "token_type": "Bearer"}
        )

    def _query(self, body: dict[str, Any], fields: set[str]) -> FakeResponse:
        self.queries.append(body)
        try:
            start = datetime.strptime(body["start_date"], "%Y%m%d").replace(tzinfo=UTC)
            end = datetime.strptime(body["end_date"], "%Y%m%d").replace(tzinfo=UTC)
        except (KeyError, ValueError):
            return envelope(
                code="invalid_params",
                message="start_date and end_date are required as YYYYMMDD.",
                status=400,
            )
        if end < start or (end - start).days > self.max_window_days:
            return envelope(
                code="invalid_params",
                message=f"end_date must be within {self.max_window_days} days after start_date.",
                status=400,
            )
        max_count = int(body.get("max_count", 20))
        if not 1 <= max_count <= 100:
            return envelope(code="invalid_params", message="max_count must be 1..100.", status=400)
        conditions = (body.get("query") or {}).get("and") or []
        names = {
            v
            for c in conditions
            if c.get("field_name") == "username" and c.get("operation") in ("EQ", "IN")
            for v in c.get("field_values", [])
        }
        key = f"{sorted(names)}|{body['start_date']}|{body['end_date']}"
        cursor = int(body.get("cursor") or 0)
        if cursor > 0 and self._searches.get(str(body.get("search_id"))) != key:
            return envelope(
                code="invalid_params",
                message=f"Search Id {body.get('search_id')} is invalid or expired",
                status=400,
            )
        lo, hi = int(start.timestamp()), int(end.timestamp()) + 86400
        matched = sorted(
            (v for v in self.videos if v["username"] in names and lo <= v["create_time"] < hi),
            key=lambda v: -v["create_time"],
        )
        chunk = matched[cursor : cursor + max_count]
        search_id = str(body.get("search_id") or next(self._ids))
        self._searches[search_id] = key
        data = {
            "videos": [{k: v for k, v in video.items() if k in fields} for video in chunk],
            "cursor": cursor + len(chunk),
            "has_more": cursor + len(chunk) < len(matched),
            "search_id": search_id,
        }
        return envelope(data)
