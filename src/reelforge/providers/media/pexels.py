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

import httpx

from reelforge.errors import ProviderError
from reelforge.providers.base import MediaRequest, MediaSource
from reelforge.providers.http import client_for
from reelforge.providers.media.download import DownloadCache, suffix_for
from reelforge.providers.media.stock import (
    RateLimitWatch,
    Rendition,
    image_size,
    pick_rendition,
    prefer_unused,
    refused_key,
)
from reelforge.providers.types.media import MediaAsset

LICENCE = "Pexels License"
#: Pexels' cropped ``src.portrait`` is 800×1200; above that height ask for large2x.
PORTRAIT_SRC_HEIGHT = 1200


def orientation_for(width: int, height: int) -> str:
    if height > width:
        return "portrait"
    return "landscape" if width > height else "square"


class PexelsMedia(MediaSource):
    """Photos and clips from Pexels, downloaded once and credited to their authors."""

    name = "pexels"
    needs_key = True
    remote = True
    key_setting = "pexels_api_key"

    def __init__(
        self,
        settings: Any,
        *,
        credential: str | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.settings = settings
        self._byok = bool(credential)
        key = self.api_key(settings, credential)
        self.http = client_for(
            settings,
            provider="pexels",
            base_url=settings.pexels_base_url,
            headers={"Authorization": key},
            transport=transport,
        )
        self.limits = RateLimitWatch(self.http)
        self.downloads = DownloadCache(settings, provider="pexels", transport=transport)
        self._used: set[str] = set()

    def fetch(self, request: MediaRequest, *, cache_dir: Path) -> MediaAsset | None:
        if not request.query.strip():
            return None
        for kind in request.kinds:
            if kind == "video":
                asset = self._video(request, cache_dir)
            else:
                asset = self._photo(request, cache_dir)
            if asset is not None:
                return asset
        return None

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
                raise refused_key(
                    "pexels", "pexels_api_key", byok=self._byok, detail=f"HTTP {error.status}"
                ) from error
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
