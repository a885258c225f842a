"""YouTube Data API v3: a channel's public uploads and their counts.

Wire facts this client relies on (Data API reference):

* ``GET /channels?part=snippet,statistics,contentDetails`` with ``forHandle=@x``
  or ``id=UC…`` → ``items[].contentDetails.relatedPlaylists.uploads``,
  ``snippet.title``, ``snippet.customUrl``, ``statistics.subscriberCount``
  (a string; ``hiddenSubscriberCount`` hides it).
* ``GET /playlistItems?part=contentDetails&playlistId=UU…&maxResults=50&pageToken=``
  → ``items[].contentDetails.videoId|videoPublishedAt``, ``nextPageToken``.
  Newest first. A channel with no uploads answers 404 ``playlistNotFound``.
  (Cheaper than ``search.list``, which costs 100 units.)
* ``GET /videos?part=snippet,statistics,contentDetails&id=a,b`` (≤ 50 ids) →
  ``snippet.title|description|publishedAt``, ``statistics.viewCount|likeCount|
  commentCount`` (strings, any may be absent), ``contentDetails.duration``
  (ISO 8601, e.g. ``PT1M3S``). No share count.
* The key goes in ``key=``. Errors: ``{"error":{"code","message","errors":[{"domain",
  "reason"}]}}``; ``quotaExceeded`` (403) means the project's daily units are
  spent until midnight Pacific time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, ClassVar

from reelforge.config import Settings
from reelforge.errors import ConfigError, InputError, ProviderError
from reelforge.providers.research import (
    DailyQuota,
    ErrorMemo,
    Page,
    QuotaBudget,
    ResearchSource,
    next_reset,
    quota_error,
)
from reelforge.providers.types.research import (
    CreatorPlatform,
    CreatorProfile,
    CreatorRef,
    VideoStats,
    hashtags_in,
)

BATCH = 50
PACIFIC = "America/Los_Angeles"
QUOTA_REASONS = {"quotaExceeded", "dailyLimitExceeded", "rateLimitExceeded"}
KEY_REASONS = {"keyInvalid", "keyExpired", "accessNotConfigured", "forbidden", "ipRefererBlocked"}
_DURATION = re.compile(
    r"^P(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?"
    r"(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)


def parse_duration(text: str | None) -> float | None:
    """ISO 8601 duration ("PT1M3S", "P1DT2H", "P0D") in seconds; None when unreadable."""
    match = _DURATION.match(text or "")
    if not match or text in ("P", "PT"):
        return None
    parts = {k: float(v) if v else 0.0 for k, v in match.groupdict().items()}
    return (
        parts["w"] * 604800 + parts["d"] * 86400 + parts["h"] * 3600 + parts["m"] * 60 + parts["s"]
    )


def _count(value: Any) -> int | None:
    """Statistics are strings ("1234") and may be absent."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def video_from_api(item: dict[str, Any]) -> VideoStats | None:
    """One ``videos.list`` item as VideoStats (None when it lacks an id or a date)."""
    snippet = item.get("snippet") or {}
    stats = item.get("statistics") or {}
    video_id, published = item.get("id"), snippet.get("publishedAt")
    if not video_id or not published:
        return None
    title, description = str(snippet.get("title") or ""), str(snippet.get("description") or "")
    return VideoStats(
        platform="youtube",
        platform_video_id=str(video_id),
        title=title,
        description=description,
        views=_count(stats.get("viewCount")),
        likes=_count(stats.get("likeCount")),
        comments=_count(stats.get("commentCount")),
        shares=None,
        duration_s=parse_duration((item.get("contentDetails") or {}).get("duration")),
        published_at=datetime.fromisoformat(str(published)),
        hashtags=hashtags_in(title, description),
        url=f"https://www.youtube.com/watch?v={video_id}",
    )


class YouTubeResearch(ResearchSource):
    """A channel's uploads through the Data API, with each call's quota units counted."""

    name = "youtube"
    platform: ClassVar[CreatorPlatform] = "youtube"
    needs_key = True
    remote = True
    key_setting = "youtube_api_key"

    @classmethod
    def daily_quotas(cls, settings: Settings) -> tuple[DailyQuota, ...]:
        """The Cloud project's daily units; each list call costs what Google's table says."""
        return (
            DailyQuota(
                "units",
                settings.youtube_quota_units_per_day,
                time_zone=PACIFIC,
                reset_rule="midnight Pacific time",
                costs=dict(settings.youtube_quota_costs),
            ),
        )

    def setup(self) -> None:
        self.key = self.api_key()  # sent as ?key= with each call
        self.http = self.http_client(self.settings.youtube_base_url)
        self.errors = ErrorMemo()
        self.errors.install(self.http.client)
        self._channels: dict[CreatorRef, dict[str, Any]] = {}

    @property
    def quota(self) -> QuotaBudget:
        """The daily units left to this key."""
        return self.budgets["units"]

    # --- the wire -------------------------------------------------------------------

    def _get(self, method: str, path: str, params: dict[str, Any]) -> dict[str, Any]:
        """One list call: spend its units, send it, explain quota and key errors.

        A 404 (``playlistNotFound``: a channel without uploads) reads as no items.
        """
        self.charge("units", method)
        try:
            body = self.http.get_json(path, params={**params, "key": self.key})
        except ProviderError as error:
            if error.status == 404:
                self.errors.take()
                return {"items": []}
            raise self._explain(error) from error
        if not isinstance(body, dict):
            raise ProviderError(f"youtube answered {path} with {body!r}.", provider="youtube")
        return body

    def _explain(self, error: ProviderError) -> ProviderError | ConfigError:
        body = self.errors.take()
        err = body.get("error") if isinstance(body, dict) else None
        reasons = {e.get("reason") for e in (err or {}).get("errors") or [] if isinstance(e, dict)}
        if reasons & QUOTA_REASONS:
            return quota_error(
                "youtube",
                "The YouTube Data API quota for this API key is used up (quotaExceeded); "
                "it resets at midnight Pacific time.",
                resets_at=next_reset(PACIFIC),
            )
        if reasons & KEY_REASONS or error.status in (401, 403):
            where = (
                "your own YouTube key in the vault" if self.byok else "REELFORGE_YOUTUBE_API_KEY"
            )
            return ConfigError(
                f"YouTube refused the API key ({', '.join(sorted(r for r in reasons if r)) or error.status}). "
                f"Check {where}: it must be valid and have the YouTube Data API v3 enabled."
            )
        return error

    # --- the source -----------------------------------------------------------------

    def _channel(self, creator: CreatorRef) -> dict[str, Any]:
        if creator in self._channels:
            return self._channels[creator]
        params: dict[str, Any] = {"part": "snippet,statistics,contentDetails"}
        if creator.platform_id:
            params["id"] = creator.platform_id
        else:
            params["forHandle"] = f"@{creator.handle}"
        items = self._get("channels.list", "/channels", params).get("items") or []
        if not items:
            raise InputError(
                f"No YouTube channel {creator.label}. Check the handle (as shown on the channel "
                "page, e.g. @name) or give the channel id (UC…)."
            )
        channel: dict[str, Any] = items[0]
        self._channels[creator] = channel
        return channel

    def profile(self, creator: CreatorRef) -> CreatorProfile:
        channel = self._channel(creator)
        snippet, stats = channel.get("snippet") or {}, channel.get("statistics") or {}
        hidden = bool(stats.get("hiddenSubscriberCount"))
        handle = str(snippet.get("customUrl") or "").lstrip("@") or creator.handle
        return CreatorProfile(
            platform="youtube",
            handle=handle,
            display_name=str(snippet.get("title") or ""),
            followers=None if hidden else _count(stats.get("subscriberCount")),
            platform_id=str(channel.get("id") or "") or None,
        )

    def video_stats(self, video_ids: Sequence[str]) -> list[VideoStats]:
        """Current counts of known videos, 50 per call (1 unit each) — for stat snapshots."""
        out: list[VideoStats] = []
        for i in range(0, len(video_ids), BATCH):
            params = {
                "part": "snippet,statistics,contentDetails",
                "id": ",".join(video_ids[i : i + BATCH]),
            }
            for item in self._get("videos.list", "/videos", params).get("items") or []:
                video = video_from_api(item) if isinstance(item, dict) else None
                if video is not None:
                    out.append(video)
        return out

    def videos(self, creator: CreatorRef, *, since: datetime | None = None) -> Iterator[Page]:
        uploads = (
            (self._channel(creator).get("contentDetails") or {}).get("relatedPlaylists") or {}
        ).get("uploads")
        if not uploads:
            return
        token: str | None = None
        seen = 0
        while True:
            params = {"part": "contentDetails", "playlistId": uploads, "maxResults": BATCH}
            if token:
                params["pageToken"] = token
            page = self._get("playlistItems.list", "/playlistItems", params)
            details = [i.get("contentDetails") or {} for i in page.get("items") or []]
            ids = [str(d["videoId"]) for d in details if d.get("videoId")]
            older = since is not None and any(
                d.get("videoPublishedAt") and datetime.fromisoformat(d["videoPublishedAt"]) < since
                for d in details
            )
            videos = self.video_stats(ids[: self.settings.youtube_max_videos - seen])
            if since is not None:
                videos = [v for v in videos if v.published_at >= since]
            seen += len(ids)
            if videos:
                yield videos
            token = page.get("nextPageToken")
            if not token or older or seen >= self.settings.youtube_max_videos:
                return
