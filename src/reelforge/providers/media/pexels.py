"""Pexels stock photos and videos (https://www.pexels.com/api/documentation/).

Wire facts this client relies on (checked against the documented responses):

* ``GET /v1/search`` and ``GET /videos/search`` with ``Authorization: <key>``
  (the bare key, no "Bearer"), params ``query``, ``orientation``
  (portrait/landscape/square), ``size`` (large/medium/small minimum),
  ``per_page`` (≤ 80).
* Photos: ``photos[].src.{portrait,large2x,…}``, ``photographer``,
  ``photographer_url``, ``url`` (the photo's page), ``id``.
* Videos: ``videos[].video_files[]`` with ``link``, ``width``, ``height``,
  ``quality``, ``file_type``; ``user.{name,url}``, ``duration``, ``url``.
* Rate limit: 429 when exhausted, quota in ``X-Ratelimit-Limit/Remaining/Reset``
  (reset as a UNIX time).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reelforge.errors import ProviderError
from reelforge.providers.base import MediaRequest
from reelforge.providers.http import ProviderHTTP
from reelforge.providers.media.download import suffix_for
from reelforge.providers.media.stock import (
    Rendition,
    StockSite,
    image_size,
    pick_rendition,
    prefer_unused,
)
from reelforge.providers.types.media import MediaAsset

LICENCE = "Pexels License"
#: Pexels' cropped ``src.portrait`` is 800×1200; above that height ask for large2x.
PORTRAIT_SRC_HEIGHT = 1200


def orientation_for(width: int, height: int) -> str:
    if height > width:
        return "portrait"
    return "landscape" if width > height else "square"


class PexelsMedia(StockSite):
    """Photos and clips from Pexels, downloaded once and credited to their authors."""

    name = "pexels"
    key_setting = "pexels_api_key"

    def search_client(self) -> ProviderHTTP:
        # The bare key, no "Bearer".
        return self.http_client(
            self.settings.pexels_base_url, headers={"Authorization": self.api_key()}
        )

    # --- searching ------------------------------------------------------------

    def _search(self, path: str, request: MediaRequest, results: str) -> list[dict[str, Any]]:
        params: dict[str, str | int] = {
            "query": request.query,
            "orientation": orientation_for(request.width, request.height),
            "per_page": max(1, min(80, int(self.settings.stock_per_page))),
        }
        if self.settings.pexels_size:
            params["size"] = self.settings.pexels_size
        try:
            body = self.http.get_json(path, params=params)
        except ProviderError as error:
            if error.status in (401, 403):
                raise self.refused(f"HTTP {error.status}") from error
            raise self.limits.explain(error) from None
        items = body.get(results) if isinstance(body, dict) else None
        if not isinstance(items, list):
            raise ProviderError(
                f"pexels answered {path} without a {results!r} list.", provider="pexels"
            )
        return [item for item in items if isinstance(item, dict)]

    # --- photos ---------------------------------------------------------------

    def _photo(self, request: MediaRequest, cache_dir: Path) -> MediaAsset | None:
        photos = [
            p for p in self._search("/v1/search", request, "photos") if _photo_url(p, request)
        ]
        if not photos:
            return None
        photo = prefer_unused(photos, used=self._used, ident=lambda p: f"photo:{p.get('id')}")
        self._used.add(f"photo:{photo.get('id')}")
        url = _photo_url(photo, request)
        path = self.downloads.fetch(
            url, cache_dir=cache_dir, suffix=suffix_for(url, default=".jpg")
        )
        width, height = image_size(path, provider=self.name)
        return MediaAsset(
            path=path,
            kind="image",
            provider=self.name,
            width=width,
            height=height,
            source_url=str(photo.get("url") or ""),
            author=str(photo.get("photographer") or ""),
            author_url=str(photo.get("photographer_url") or ""),
            licence=LICENCE,
        )

    # --- videos ---------------------------------------------------------------

    def _video(self, request: MediaRequest, cache_dir: Path) -> MediaAsset | None:
        found: list[tuple[dict[str, Any], Rendition]] = []
        for video in self._search("/videos/search", request, "videos"):
            rendition = pick_rendition(
                _renditions(video), width=request.width, height=request.height
            )
            if rendition is not None:
                found.append((video, rendition))
        if not found:
            return None
        # Long enough to cover the scene first (stable: keeps Pexels' relevance order).
        found.sort(key=lambda vr: float(vr[0].get("duration") or 0) < request.duration)
        video, rendition = prefer_unused(
            found, used=self._used, ident=lambda vr: f"video:{vr[0].get('id')}"
        )
        self._used.add(f"video:{video.get('id')}")
        path = self.downloads.fetch(
            rendition.url, cache_dir=cache_dir, suffix=suffix_for(rendition.url, default=".mp4")
        )
        raw_user = video.get("user")
        user: dict[str, Any] = raw_user if isinstance(raw_user, dict) else {}
        return MediaAsset(
            path=path,
            kind="video",
            provider=self.name,
            width=rendition.width,
            height=rendition.height,
            duration=float(video.get("duration") or 0) or None,
            source_url=str(video.get("url") or ""),
            author=str(user.get("name") or ""),
            author_url=str(user.get("url") or ""),
            licence=LICENCE,
        )


def _photo_url(photo: dict[str, Any], request: MediaRequest) -> str:
    src = photo.get("src")
    if not isinstance(src, dict):
        return ""
    order = (
        ("portrait", "large2x")
        if request.height <= PORTRAIT_SRC_HEIGHT
        else ("large2x", "portrait")
    )
    for name in (*order, "large", "original"):
        if src.get(name):
            return str(src[name])
    return ""


def _renditions(video: dict[str, Any]) -> list[Rendition]:
    files = [f for f in video.get("video_files") or [] if isinstance(f, dict)]
    mp4 = [f for f in files if f.get("file_type") == "video/mp4"]
    out = []
    for f in mp4 or files:
        if f.get("quality") == "hls":
            continue
        try:
            out.append(
                Rendition(
                    str(f.get("link") or ""), int(f.get("width") or 0), int(f.get("height") or 0)
                )
            )
        except (TypeError, ValueError):
            continue
    return out
