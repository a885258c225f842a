"""TikTok Display API: the connected user's *own* public videos (scope ``video.list``).

Wire facts this client relies on (Display API docs):

* ``POST /v2/video/list/?fields=id,title,video_description,create_time,…``
  with the user's bearer token (``act.…``) and ``{"cursor": <ms>, "max_count": ≤20}``
  → ``data.videos``, ``data.cursor`` (a UNIX time in ms: pass it back for
  the next, older page), ``data.has_more``. Newest first.
* ``POST /v2/video/query/?fields=…`` ``{"filters": {"video_ids": [≤20]}}``
  → ``data.videos``: fresh counts for known videos.
* ``GET /v2/user/info/?fields=open_id,display_name`` → ``data.user``.
* ``{"data","error"}`` envelope; 600 requests a minute (429 ``rate_limit_exceeded``).

The token comes from the user's TikTok connection (the publishing side
stores and refreshes it); this client only reads with it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, ClassVar

from reelforge.errors import ConfigError, ProviderError
from reelforge.providers.research import ErrorMemo, Page, ResearchSource
from reelforge.providers.research._tiktok import TokenExpired, raise_for_envelope, video_from_tiktok
from reelforge.providers.types.research import (
    CreatorPlatform,
    CreatorProfile,
    CreatorRef,
    VideoStats,
)

#: Only public metadata is asked for (promise P14).
VIDEO_FIELDS = (
    "id,title,video_description,create_time,share_url,duration,"
    "like_count,comment_count,share_count,view_count"
)
PROVIDER = "tiktok_display"
QUERY_BATCH = 20


class TikTokDisplay(ResearchSource):
    name = "tiktok_display"
    platform: ClassVar[CreatorPlatform] = "tiktok"
    reads_any_creator = False  # only the connected user's own videos
    account_scope = "video.list"  # read with the user's TikTok connection, not an API key
    # No daily quota: the Display API only rate-limits, and ProviderHTTP retries its 429s.
    needs_key = True
    remote = True

    def setup(self) -> None:
        if not self._credential:
            raise ConfigError(
                "Reading your own TikTok videos needs your TikTok account connected "
                "(with the video.list permission)."
            )
        self.http = self.http_client(
            self.settings.tiktok_api_base_url,
            headers={"Authorization": f"Bearer {self._credential}"},
        )
        self.errors = ErrorMemo()
        self.errors.install(self.http.client)

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            body = self.http.request(method, path, **kwargs).json()
            status = None
        except ProviderError as error:
            body, status = self.errors.take(), error.status
            if not isinstance(body, dict) or not isinstance(body.get("error"), dict):
                raise
        except ValueError as error:
            raise ProviderError(
                "TikTok sent a body that is not JSON.", provider=PROVIDER
            ) from error
        try:
            return raise_for_envelope(body, provider=PROVIDER, status=status)
        except TokenExpired:
            raise ProviderError(
                "TikTok refused the access token; it has expired or was revoked. "
                "Reconnect TikTok (or let the token refresh run) and try again.",
                provider=PROVIDER,
                status=401,
            ) from None

    def profile(self, creator: CreatorRef) -> CreatorProfile:
        data = self._call("GET", "/v2/user/info/", params={"fields": "open_id,display_name"})
        user = data.get("user") or {}
        return CreatorProfile(
            platform="tiktok",
            handle=creator.handle,
            display_name=str(user.get("display_name") or ""),
            platform_id=str(user.get("open_id") or "") or None,
        )

    def videos(self, creator: CreatorRef, *, since: datetime | None = None) -> Iterator[Page]:
        page_size = max(1, min(20, int(self.settings.tiktok_display_max_count)))
        cursor: int | None = None
        while True:
            body: dict[str, Any] = {"max_count": page_size}
            if cursor is not None:
                body["cursor"] = cursor
            data = self._call("POST", "/v2/video/list/", params={"fields": VIDEO_FIELDS}, json=body)
            page = self._videos(data, creator)
            older = since is not None and any(v.published_at < since for v in page)
            if since is not None:
                page = [v for v in page if v.published_at >= since]
            if page:
                yield page
            if not data.get("has_more") or older or data.get("cursor") in (None, cursor):
                return
            cursor = int(data["cursor"])

    def query(
        self, video_ids: Sequence[str], *, creator: CreatorRef | None = None
    ) -> list[VideoStats]:
        """Current counts of the user's videos by id (20 per request)."""
        out: list[VideoStats] = []
        for i in range(0, len(video_ids), QUERY_BATCH):
            body = {"filters": {"video_ids": list(video_ids[i : i + QUERY_BATCH])}}
            data = self._call(
                "POST", "/v2/video/query/", params={"fields": VIDEO_FIELDS}, json=body
            )
            out += self._videos(data, creator)
        return out

    def _videos(self, data: dict[str, Any], creator: CreatorRef | None) -> list[VideoStats]:
        handle = creator.handle if creator else None
        items = [i for i in data.get("videos") or [] if isinstance(i, dict)]
        return [v for v in (video_from_tiktok(i, username=handle) for i in items) if v]
