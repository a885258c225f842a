"""A content-addressed download cache for stock media.

Why: a stock photo or clip is the same file every time its URL is asked for,
so it is fetched once and kept under ``sha256(url)``. The bytes are streamed
into a temporary file beside the target and renamed into place only when
complete, so a download killed half-way never leaves a file that looks
finished (the next run sees no file and downloads again).

Downloads use their own HTTP client without the provider's auth headers: the
files live on CDNs (Vimeo, cdn.pixabay.com), which must never see an API key.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from reelforge.errors import ProviderError
from reelforge.providers.http import RETRYABLE_STATUS, client_for

log = logging.getLogger(__name__)

KNOWN_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".mp4", ".mov", ".webm", ".m4v"})
CHUNK = 1 << 16


def cache_key(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


def suffix_for(url: str, *, default: str) -> str:
    """The file extension of the URL's path when it is a media one, else ``default``."""
    suffix = Path(urlsplit(url).path).suffix.lower()
    return suffix if suffix in KNOWN_SUFFIXES else default


class DownloadCache:
    """Fetch URLs into ``<cache_dir>/stock/<sha256(url)><suffix>``, each at most once."""

    def __init__(
        self,
        settings: Any,
        *,
        provider: str,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.provider = provider
        self.http = client_for(settings, provider=provider, base_url="", transport=transport)
        self.max_bytes = int(getattr(settings, "stock_max_download_mb", 200)) * 1024 * 1024
        self.max_retries = int(settings.http_max_retries)
        self.backoff_s = float(settings.http_backoff_s)

    def path_for(self, url: str, *, cache_dir: Path, suffix: str) -> Path:
        return cache_dir / "stock" / f"{cache_key(url)}{suffix}"

    def fetch(self, url: str, *, cache_dir: Path, suffix: str) -> Path:
        """The local copy of ``url``, downloading it only when it is not there yet."""
        path = self.path_for(url, cache_dir=cache_dir, suffix=suffix)
        if path.is_file():
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        attempt = 0
        while True:
            try:
                self._download(url, path)
                return path
            except ProviderError as error:
                if not error.retryable or attempt >= self.max_retries:
                    raise
                delay = (
                    error.retry_after
                    if error.retry_after is not None
                    else self.backoff_s * 2**attempt
                )
                log.warning(
                    "%s download failed (%s); retrying in %.1f s", self.provider, error, delay
                )
                time.sleep(min(delay, 60.0))
                attempt += 1

    def _download(self, url: str, path: Path) -> None:
        fd, tmp_name = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.stem[:16]}.", suffix=".part"
        )
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                self._stream_into(url, out)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)

    def _stream_into(self, url: str, out: Any) -> None:
        try:
            with self.http.client.stream("GET", url) as response:
                if not response.is_success:
                    response.read()
                    raise ProviderError(
                        f"Downloading {url} from {self.provider} failed: HTTP {response.status_code}.",
                        provider=self.provider,
                        retryable=response.status_code in RETRYABLE_STATUS,
                        status=response.status_code,
                    )
                declared = int(response.headers.get("content-length") or 0)
                if declared > self.max_bytes:
                    raise self._too_big(url, declared)
                written = 0
                for chunk in response.iter_bytes(CHUNK):
                    written += len(chunk)
                    if written > self.max_bytes:
                        raise self._too_big(url, written)
                    out.write(chunk)
                if written == 0:
                    raise ProviderError(
                        f"{self.provider} sent an empty file for {url}.",
                        provider=self.provider,
                        retryable=True,
                    )
        except httpx.TransportError as exc:
            raise ProviderError(
                f"Downloading {url} from {self.provider} was interrupted ({exc.__class__.__name__}).",
                provider=self.provider,
                retryable=True,
            ) from exc

    def _too_big(self, url: str, size: int) -> ProviderError:
        return ProviderError(
            f"{self.provider} file {url} is {size / 1e6:.0f} MB, over the limit of "
            f"{self.max_bytes // (1024 * 1024)} MB (setting REELFORGE_STOCK_MAX_DOWNLOAD_MB).",
            provider=self.provider,
            retryable=False,
        )

    def close(self) -> None:
        self.http.close()
