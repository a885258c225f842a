"""ProviderHTTP for platform APIs, with the platform's own error mapping.

Why a subclass: the shared client's retry loop (429/5xx, ``Retry-After``) is
exactly right for TikTok and Google, but its generic error text would drop the
platform's error code (``error.code`` / ``error.errors[0].reason``), which the
user message and the retry decision depend on. Overriding the one mapping hook
keeps the shared retry policy and adds the platform's meaning.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from reelforge.errors import ProviderError
from reelforge.providers.http import ProviderHTTP, _retry_after_seconds

ErrorMapper = Callable[[httpx.Response, float | None], ProviderError]


class PlatformHTTP(ProviderHTTP):
    """A :class:`ProviderHTTP` whose non-2xx answers are mapped by ``mapper``."""

    def __init__(self, *, mapper: ErrorMapper, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._mapper = mapper

    def _status_error(self, response: httpx.Response) -> ProviderError:
        return self._mapper(response, _retry_after_seconds(response))


def platform_client(
    settings: Any,
    *,
    provider: str,
    base_url: str,
    mapper: ErrorMapper,
    headers: dict[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
    retries: bool = True,
) -> PlatformHTTP:
    """Like :func:`reelforge.providers.http.client_for`, with the platform's error mapper.

    ``retries=False`` is for calls that create something on the platform: a
    timeout there is ambiguous, and resending could create a second post, so
    the publish state machine decides instead of the HTTP layer.
    """
    return PlatformHTTP(
        mapper=mapper,
        provider=provider,
        base_url=base_url,
        headers=headers,
        timeout_s=settings.http_timeout_s,
        max_retries=settings.http_max_retries if retries else 0,
        backoff_s=settings.http_backoff_s,
        transport=transport,
    )


def json_body(response: httpx.Response) -> Any:
    """The JSON body, or None when there is none or it is not JSON."""
    try:
        return response.json()
    except ValueError:
        return None
