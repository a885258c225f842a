"""What the Pexels and Pixabay clients share: the shape of a stock site's client
(:class:`StockSite`), choosing a rendition, rate-limit headers, turning a refused
key into a config error, not repeating a pick.

Kept apart from each client so both pick files by the same rule: the
smallest rendition that fills the output frame without upscaling.
"""

from __future__ import annotations

import time
from abc import abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import httpx
from PIL import Image, UnidentifiedImageError

from reelforge.errors import ConfigError, ProviderError
from reelforge.providers.base import MediaRequest, MediaSource
from reelforge.providers.http import ProviderHTTP
from reelforge.providers.media.download import DownloadCache
from reelforge.providers.types.media import MediaAsset

T = TypeVar("T")


@dataclass(frozen=True)
class Rendition:
    """One downloadable version of a stock item."""

    url: str
    width: int
    height: int

    def cover_scale(self, width: int, height: int) -> float:
        """How much it must be scaled to fill ``width``×``height`` (>1 means upscaling)."""
        return max(width / self.width, height / self.height)


def pick_rendition(options: Sequence[Rendition], *, width: int, height: int) -> Rendition | None:
    """The smallest rendition that fills the frame without upscaling, else the largest."""
    usable = [r for r in options if r.url and r.width > 0 and r.height > 0]
    if not usable:
        return None
    filling = [r for r in usable if r.cover_scale(width, height) <= 1.0]
    if filling:
        return min(filling, key=lambda r: r.width * r.height)
    return min(usable, key=lambda r: r.cover_scale(width, height))


def prefer_unused(items: Sequence[T], *, used: set[str], ident: Callable[[T], str]) -> T:
    """The first item not picked before in this run, so scenes do not repeat a shot."""
    for item in items:
        if ident(item) not in used:
            return item
    return items[0]


class RateLimitWatch:
    """Remembers the last ``X-Ratelimit-*`` headers a provider sent.

    ProviderHTTP already retries a 429 (honouring ``Retry-After``); this adds
    the quota picture to the final error so the user knows when it resets.
    Pexels sends the reset as a UNIX time, Pixabay as seconds from now.
    """

    def __init__(self, http: ProviderHTTP) -> None:
        self.limit: str | None = None
        self.remaining: str | None = None
        self.reset: str | None = None
        http.client.event_hooks["response"].append(self._seen)

    def _seen(self, response: httpx.Response) -> None:
        headers = response.headers
        if "x-ratelimit-remaining" in headers:
            self.limit = headers.get("x-ratelimit-limit")
            self.remaining = headers.get("x-ratelimit-remaining")
            self.reset = headers.get("x-ratelimit-reset")

    def reset_at(self) -> datetime | None:
        if not self.reset:
            return None
        try:
            value = float(self.reset)
        except ValueError:
            return None
        epoch = value if value > 1e9 else time.time() + value
        return datetime.fromtimestamp(epoch, tz=UTC)

    def explain(self, error: ProviderError) -> ProviderError:
        """Add the quota and its reset time to a final 429 error."""
        if error.status != 429:
            return error
        parts = [error.message]
        if self.remaining is not None:
            parts.append(f"Requests left: {self.remaining} of {self.limit or '?'}.")
        when = self.reset_at()
        if when is not None:
            parts.append(f"The limit resets at {when:%Y-%m-%d %H:%M} UTC.")
        error.message = " ".join(parts)
        error.args = (error.message,)
        return error


def refused_key(provider: str, setting: str, *, byok: bool, detail: str) -> ConfigError:
    env = f"REELFORGE_{setting.upper()}"
    whose = "your own saved key" if byok else f"the key in {env}"
    return ConfigError(
        f"{provider} refused {whose} ({detail}). Check the key at the provider's site and set "
        f"{env} (or `reelforge keys set {provider}`), or choose another media provider.",
        details={"setting": env, "provider": provider},
    )


def image_size(path: Path, *, provider: str) -> tuple[int, int]:
    """Width and height of a downloaded image; a broken one is a provider error."""
    try:
        with Image.open(path) as im:
            return int(im.width), int(im.height)
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        path.unlink(missing_ok=True)
        raise ProviderError(
            f"{provider} sent a file that is not a readable image ({path.name}).",
            provider=provider,
            retryable=False,
        ) from exc


class StockSite(MediaSource):
    """A stock site's client: a keyed search client with its rate-limit watch, a download
    cache that never sends the key, no shot picked twice in a run, and the request's
    kinds tried in order (a clip first, then a photo)."""

    needs_key = True
    remote = True

    def setup(self) -> None:
        self.http = self.search_client()
        self.limits = RateLimitWatch(self.http)
        self.downloads = DownloadCache(self.settings, provider=self.name, transport=self._transport)
        self._used: set[str] = set()

    @abstractmethod
    def search_client(self) -> ProviderHTTP:
        """The client for the site's search API, with the key where the site wants it."""

    @abstractmethod
    def _photo(self, request: MediaRequest, cache_dir: Path) -> MediaAsset | None: ...

    @abstractmethod
    def _video(self, request: MediaRequest, cache_dir: Path) -> MediaAsset | None: ...

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

    def refused(self, detail: str) -> ConfigError:
        """The site refused the key: say whose key it was and which setting to fix."""
        assert self.key_setting is not None
        return refused_key(self.name, self.key_setting, byok=self.byok, detail=detail)
