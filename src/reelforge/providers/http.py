"""One HTTP client for every provider: timeouts, retry with backoff, errors mapped.

Why here and not per provider: the retry policy (429 and 5xx retried, honour
``Retry-After``, then a clear :class:`ProviderError`) must be the same
everywhere, and tests point every provider at a local fake via ``base_url``.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from typing import Any

import httpx

from reelforge.errors import ProviderError

RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504, 529})  # 529: Anthropic overloaded


def _retry_after_seconds(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value)
        return max(0.0, parsed.timestamp() - time.time()) if parsed else None


def _error_text(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:300]
    if isinstance(body, dict):
        err = body.get("error")
        if isinstance(err, dict):
            return str(err.get("message") or err.get("type") or err)
        if isinstance(err, str):
            return str(body.get("error_description") or body.get("message") or err)
        for key in ("message", "detail"):
            if key in body:
                return str(body[key])
    return str(body)[:300]


class ProviderHTTP:
    """A thin wrapper over ``httpx.Client`` bound to one provider."""

    def __init__(
        self,
        *,
        provider: str,
        base_url: str,
        headers: dict[str, str] | None = None,
        timeout_s: float = 60.0,
        max_retries: int = 3,
        backoff_s: float = 1.0,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.provider = provider
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self._sleep = sleep
        self.client = httpx.Client(
            base_url=base_url,
            headers=headers or {},
            timeout=timeout_s,
            transport=transport,
            follow_redirects=True,
        )

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send with retries; return a 2xx response or raise ProviderError."""
        attempt = 0
        while True:
            try:
                response = self.client.request(method, url, **kwargs)
            except httpx.TimeoutException as exc:
                error = ProviderError(
                    f"{self.provider} did not answer in time ({exc.__class__.__name__}).",
                    provider=self.provider,
                    retryable=True,
                )
            except httpx.TransportError as exc:
                error = ProviderError(
                    f"Could not reach {self.provider} at {self.client.base_url}: {exc}. "
                    "Check the network and the provider's base URL setting.",
                    provider=self.provider,
                    retryable=True,
                )
            else:
                if response.is_success:
                    return response
                error = self._status_error(response)
            if not error.retryable or attempt >= self.max_retries:
                if error.retryable:
                    error.message = f"{error.message} (gave up after {attempt + 1} attempts)"
                    error.args = (error.message,)
                raise error
            delay = error.retry_after
            if delay is None:
                delay = self.backoff_s * (2**attempt)
            self._sleep(min(delay, 60.0))
            attempt += 1

    def _status_error(self, response: httpx.Response) -> ProviderError:
        status = response.status_code
        text = _error_text(response)
        if status in (401, 403):
            hint = "The API key was refused; check it is valid and has access."
        elif status == 429:
            hint = "Rate limit reached."
        elif status >= 500:
            hint = "The service had an internal error."
        else:
            hint = "The request was rejected."
        return ProviderError(
            f"{self.provider} answered HTTP {status}: {text}. {hint}",
            provider=self.provider,
            retryable=status in RETRYABLE_STATUS,
            status=status,
            retry_after=_retry_after_seconds(response),
        )

    def get_json(self, url: str, **kwargs: Any) -> Any:
        return self._json(self.request("GET", url, **kwargs))

    def post_json(self, url: str, **kwargs: Any) -> Any:
        return self._json(self.request("POST", url, **kwargs))

    def _json(self, response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            raise ProviderError(
                f"{self.provider} sent a body that is not JSON: {response.text[:200]!r}",
                provider=self.provider,
                retryable=False,
            ) from exc

    def close(self) -> None:
        self.client.close()


def client_for(
    settings: Any,
    *,
    provider: str,
    base_url: str,
    headers: dict[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
) -> ProviderHTTP:
    return ProviderHTTP(
        provider=provider,
        base_url=base_url,
        headers=headers,
        timeout_s=settings.http_timeout_s,
        max_retries=settings.http_max_retries,
        backoff_s=settings.http_backoff_s,
        transport=transport,
    )
