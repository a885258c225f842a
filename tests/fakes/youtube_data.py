"""A fake of the YouTube Data API v3 (channels, playlistItems, videos) under ``/youtube/v3``.

Enforces the documented format: the key in ``key=``; ``channels`` needs exactly
one of ``forHandle``/``id``; ``maxResults`` at most 50 and ``pageToken`` only
as issued; ``videos`` at most 50 ids; statistics as *strings* (absent when the
owner hides them); a channel with no uploads answers 404 ``playlistNotFound``;
every call costs its units and, once the daily quota is spent, answers 403
``quotaExceeded`` in Google's error shape. ``fail`` queues error statuses
(e.g. 429 with Retry-After) to answer before serving normally.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.server import FakeRequest, FakeResponse

KEY = "yt-test-key"
PREFIX = "/youtube/v3"


def google_error(
    status: int, reason: str, message: str, domain: str = "youtube.api"
) -> FakeResponse:
    body = {
        "error": {
            "code": status,
            "message": message,
            "errors": [{"message": message, "domain": domain, "reason": reason}],
        }
    }
    return FakeResponse(status, body)


def yt_video(
    video_id: str,
    *,
    title: str,
    published: str,
    views: int | None = 100,
    likes: int | None = 10,
    comments: int | None = 1,
    duration: str = "PT45S",
    description: str = "",
) -> dict[str, Any]:
    stats = {"viewCount": views, "likeCount": likes, "commentCount": comments}
    return {
        "kind": "youtube#video",
        "id": video_id,
        "snippet": {"publishedAt": published, "title": title, "description": description},
        "statistics": {k: str(v) for k, v in stats.items() if v is not None},
        "contentDetails": {"duration": duration},
    }


@dataclass
class FakeChannel:
    channel_id: str
    handle: str
    title: str
    subscribers: int | None
    videos: list[dict[str, Any]]  # newest first, as the uploads playlist lists them

    @property
    def uploads(self) -> str:
        return "UU" + self.channel_id[2:]


@dataclass
class FakeYouTubeData:
    key: str = KEY
    quota_units: int = 10_000
    used_units: int = 0
    channels: list[FakeChannel] = field(default_factory=list)
    #: (status, retry_after) answered before serving normally, one per request.
    fail: list[tuple[int, str | None]] = field(default_factory=list)

    def add_channel(
        self,
        handle: str,
        channel_id: str,
        videos: list[dict[str, Any]],
        *,
        title: str = "",
        subscribers: int | None = 1000,
    ) -> FakeChannel:
        channel = FakeChannel(channel_id, handle, title or handle, subscribers, videos)
        self.channels.append(channel)
        return channel

    def handle(self, request: FakeRequest) -> FakeResponse:
        if not request.path.startswith(PREFIX + "/"):
            return google_error(404, "notFound", "Not Found")
        if self.fail:
            status, retry_after = self.fail.pop(0)
            headers = {"Retry-After": retry_after} if retry_after is not None else {}
            response = google_error(status, "backendError", "Backend Error")
            response.headers.update(headers)
            return response
        if request.arg("key") != self.key:
            return google_error(
                400, "keyInvalid", "API key not valid. Please pass a valid API key.", "usageLimits"
            )
        if self.used_units + 1 > self.quota_units:
            return google_error(
                403,
                "quotaExceeded",
                'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.',
                "youtube.quota",
            )
        self.used_units += 1
        route = request.path.removeprefix(PREFIX)
        if route == "/channels":
            return self._channels(request)
        if route == "/playlistItems":
            return self._playlist_items(request)
        if route == "/videos":
            return self._videos(request)
        return google_error(404, "notFound", "Not Found")

    def _channels(self, request: FakeRequest) -> FakeResponse:
        handle, ids = request.arg("forHandle"), request.arg("id")
        if (handle is None) == (ids is None):
            return google_error(
                400, "incompatibleParameters", "Give exactly one of forHandle and id."
            )
        if handle is not None:
            wanted = handle.lstrip("@").lower()
            found = [c for c in self.channels if c.handle.lower() == wanted]
        else:
            found = [c for c in self.channels if c.channel_id in (ids or "").split(",")]
        items = []
        for c in found:
            stats: dict[str, Any] = {
                "videoCount": str(len(c.videos)),
                "hiddenSubscriberCount": c.subscribers is None,
            }
            if c.subscribers is not None:
                stats["subscriberCount"] = str(c.subscribers)
            items.append(
                {
                    "kind": "youtube#channel",
                    "id": c.channel_id,
                    "snippet": {"title": c.title, "customUrl": f"@{c.handle.lower()}"},
                    "statistics": stats,
                    "contentDetails": {"relatedPlaylists": {"likes": "", "uploads": c.uploads}},
                }
            )
        return FakeResponse(
            200,
            {
                "kind": "youtube#channelListResponse",
                "pageInfo": {"totalResults": len(items)},
                "items": items,
            },
        )

    def _playlist_items(self, request: FakeRequest) -> FakeResponse:
        playlist = request.arg("playlistId")
        max_results = int(request.arg("maxResults", "5") or 5)
        if not 0 <= max_results <= 50:
            return google_error(400, "invalidParameter", "maxResults must be between 0 and 50.")
        channel = next((c for c in self.channels if c.uploads == playlist), None)
        if channel is None or not channel.videos:
            return google_error(
                404,
                "playlistNotFound",
                "The playlist identified with the request's playlistId parameter cannot be found.",
            )
        token = request.arg("pageToken")
        try:
            start = (
                int(base64.urlsafe_b64decode(token).decode().removeprefix("page:")) if token else 0
            )
        except ValueError:
            return google_error(
                400, "invalidPageToken", "The request specifies an invalid page token."
            )
        chunk = channel.videos[start : start + max_results]
        body: dict[str, Any] = {
            "kind": "youtube#playlistItemListResponse",
            "pageInfo": {"totalResults": len(channel.videos), "resultsPerPage": max_results},
            "items": [
                {
                    "contentDetails": {
                        "videoId": v["id"],
                        "videoPublishedAt": v["snippet"]["publishedAt"],
                    }
                }
                for v in chunk
            ],
        }
        if start + max_results < len(channel.videos):
            body["nextPageToken"] = base64.urlsafe_b64encode(
                f"page:{start + max_results}".encode()
            ).decode()
        return FakeResponse(200, body)

    def _videos(self, request: FakeRequest) -> FakeResponse:
        ids = [i for i in (request.arg("id") or "").split(",") if i]
        if not ids:
            return google_error(400, "missingRequiredParameter", "No filter selected.")
        if len(ids) > 50:
            return google_error(400, "invalidParameter", "Too many video ids (at most 50).")
        by_id = {v["id"]: v for c in self.channels for v in c.videos}
        items = [by_id[i] for i in ids if i in by_id]
        return FakeResponse(200, {"kind": "youtube#videoListResponse", "items": items})
