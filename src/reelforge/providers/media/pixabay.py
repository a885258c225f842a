"""Pixabay stock photos and videos (https://pixabay.com/api/docs/).

Wire facts this client relies on (checked against the documented responses):

* ``GET /api/`` (images) and ``GET /api/videos/`` with the key as the ``key``
  query parameter, ``q`` (≤ 100 characters), ``per_page`` (3–200),
  ``safesearch=true``; images also take ``orientation`` (all/horizontal/
  vertical) and ``image_type=photo``. Videos have no orientation filter.
* Images: ``hits[].largeImageURL`` (≤ 1280 px), ``user``, ``user_id``,
  ``pageURL``, ``id``.
* Videos: ``hits[].videos.{large,medium,small,tiny}.{url,width,height}``
  (``large`` may have an empty URL), ``duration``, ``user``, ``pageURL``.
* Errors come as plain text, e.g. ``[ERROR 400] Invalid API key``; 429 when
  over 100 requests a minute, quota in ``X-RateLimit-*`` (reset in seconds).
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

LICENCE = "Pixabay Content License"
RENDITIONS = ("large", "medium", "small", "tiny")


def orientation_for(width: int, height: int) -> str:
    if height > width:
        return "vertical"
    return "horizontal" if width > height else "all"


class PixabayMedia(StockSite):
    """Photos and clips from Pixabay, downloaded once and credited to their authors."""

    name = "pixabay"
    key_setting = "pixabay_api_key"

    def setup(self) -> None:
        self._key = self.api_key()  # sent as ?key= with each search, never to the CDN
        super().setup()

    def search_client(self) -> ProviderHTTP:
        return self.http_client(self.settings.pixabay_base_url)

    def _search(self, path: str, params: dict[str, str | int]) -> list[dict[str, Any]]:
        query = {
            "key": self._key,
            "per_page": max(3, min(200, int(self.settings.stock_per_page))),
            "safesearch": "true",
            **params,
        }
        try:
            body = self.http.get_json(path, params=query)
        except ProviderError as error:
            if error.status in (401, 403) or (
                error.status == 400 and "key" in error.message.lower()
            ):
                detail = error.message.split(": ", 1)[-1].split(". The request")[0]
                raise self.refused(detail) from error
            raise self.limits.explain(error) from None
        hits = body.get("hits") if isinstance(body, dict) else None
        if not isinstance(hits, list):
            raise ProviderError(
                f"pixabay answered {path} without a 'hits' list.", provider="pixabay"
            )
        return [hit for hit in hits if isinstance(hit, dict)]

    def _photo(self, request: MediaRequest, cache_dir: Path) -> MediaAsset | None:
        hits = self._search(
            "/api/",
            {
                "q": request.query[:100],
                "image_type": "photo",
                "orientation": orientation_for(request.width, request.height),
            },
        )
        hits = [h for h in hits if h.get("largeImageURL")]
        if not hits:
            return None
        hit = prefer_unused(hits, used=self._used, ident=lambda h: f"photo:{h.get('id')}")
        self._used.add(f"photo:{hit.get('id')}")
        url = str(hit["largeImageURL"])
        path = self.downloads.fetch(
            url, cache_dir=cache_dir, suffix=suffix_for(url, default=".jpg")
        )
        width, height = image_size(path, provider=self.name)
        return self._asset(hit, path=path, kind="image", width=width, height=height)

    def _video(self, request: MediaRequest, cache_dir: Path) -> MediaAsset | None:
        found: list[tuple[dict[str, Any], Rendition]] = []
        for hit in self._search("/api/videos/", {"q": request.query[:100]}):
            rendition = pick_rendition(_renditions(hit), width=request.width, height=request.height)
            if rendition is not None:
                found.append((hit, rendition))
        if not found:
            return None
        want_portrait = request.height > request.width

        def rank(hr: tuple[dict[str, Any], Rendition]) -> tuple[bool, bool]:
            hit, r = hr
            wrong_shape = want_portrait and r.height <= r.width
            return wrong_shape, float(hit.get("duration") or 0) < request.duration

        found.sort(key=rank)  # stable: keeps Pixabay's relevance order within a rank
        hit, rendition = prefer_unused(
            found, used=self._used, ident=lambda hr: f"video:{hr[0].get('id')}"
        )
        self._used.add(f"video:{hit.get('id')}")
        path = self.downloads.fetch(
            rendition.url, cache_dir=cache_dir, suffix=suffix_for(rendition.url, default=".mp4")
        )
        return self._asset(
            hit,
            path=path,
            kind="video",
            width=rendition.width,
            height=rendition.height,
            duration=float(hit.get("duration") or 0) or None,
        )

    def _asset(self, hit: dict[str, Any], **fields: Any) -> MediaAsset:
        user = str(hit.get("user") or "")
        user_id = hit.get("user_id")
        author_url = f"https://pixabay.com/users/{user}-{user_id}/" if user and user_id else ""
        return MediaAsset(
            provider=self.name,
            source_url=str(hit.get("pageURL") or ""),
            author=user,
            author_url=author_url,
            licence=LICENCE,
            **fields,
        )


def _renditions(hit: dict[str, Any]) -> list[Rendition]:
    videos = hit.get("videos")
    if not isinstance(videos, dict):
        return []
    out = []
    for name in RENDITIONS:
        entry = videos.get(name)
        if not isinstance(entry, dict):
            continue
        try:
            out.append(
                Rendition(
                    str(entry.get("url") or ""),
                    int(entry.get("width") or 0),
                    int(entry.get("height") or 0),
                )
            )
        except (TypeError, ValueError):
            continue
    return out
