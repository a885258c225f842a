"""Reading TikTok answers: the ``error`` envelope of the open API and the flat OAuth errors.

Why always read the body: TikTok can answer HTTP 200 with a non-``ok``
``error.code`` (and 4xx/5xx with the same envelope), so the status line alone
never says whether a call worked. :func:`envelope_error` is the one reader of
that envelope, for the posting and sign-in clients here and for the Research
and Display API sources (:mod:`reelforge.providers.research._tiktok`), which
turn what it found into their own errors.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import httpx

from reelforge.errors import PlatformError, ProviderError
from reelforge.providers.platforms._http import json_body
from reelforge.providers.platforms.error_codes import tiktok_error, tiktok_oauth_error

DEFAULT_CODE_BY_STATUS = {
    401: "access_token_invalid",
    429: "rate_limit_exceeded",
    400: "invalid_params",
}


class EnvelopeError(NamedTuple):
    """A non-``ok`` ``error`` of a TikTok envelope (``log_id`` is what TikTok support asks for)."""

    code: str
    message: str
    log_id: str


def envelope_error(body: Any) -> EnvelopeError | None:
    """The error of a ``{"data", "error": {"code", "message", "log_id"}}`` answer, or None
    when its code is ``ok`` (or it has no error object). A body that is not a JSON object
    is no envelope at all: ``invalid_response``."""
    if not isinstance(body, dict):
        return EnvelopeError("invalid_response", f"not an envelope: {str(body)[:120]}", "")
    error = body.get("error")
    if not isinstance(error, dict):
        return None
    code = str(error.get("code") or "ok")
    if code == "ok":
        return None
    return EnvelopeError(code, str(error.get("message") or ""), str(error.get("log_id") or ""))


def error_from_body(
    body: Any, *, status: int | None, retry_after: float | None = None
) -> PlatformError | None:
    """The error a TikTok body carries (envelope or flat OAuth error), or None when it reports
    success or is not JSON at all."""
    if not isinstance(body, dict):
        return None
    err = body.get("error")
    if isinstance(err, str) and err:
        return tiktok_oauth_error(
            err,
            description=str(body.get("error_description") or ""),
            status=status,
            log_id=str(body.get("log_id") or ""),
        )
    found = envelope_error(body)
    if found is None:
        return None
    return tiktok_error(
        found.code,
        message=found.message,
        status=status,
        retry_after=retry_after,
        log_id=found.log_id,
    )


def map_response(response: httpx.Response, retry_after: float | None) -> ProviderError:
    """Mapper for :class:`PlatformHTTP`: a non-2xx TikTok answer → a clear error."""
    status = response.status_code
    found = error_from_body(json_body(response), status=status, retry_after=retry_after)
    if found is not None:
        return found
    code = DEFAULT_CODE_BY_STATUS.get(status, "internal_error" if status >= 500 else "")
    if code:
        return tiktok_error(code, status=status, retry_after=retry_after)
    return tiktok_error(
        f"http_{status}", message=response.text[:200], status=status, retry_after=retry_after
    )


def envelope_data(response: httpx.Response) -> dict[str, Any]:
    """``data`` of a 2xx envelope, raising the mapped error when ``error.code`` is not ok."""
    body = json_body(response)
    if not isinstance(body, dict):
        raise tiktok_error("invalid_response", message=response.text[:200], status=200)
    found = error_from_body(body, status=response.status_code)
    if found is not None:
        raise found
    data = body.get("data")
    return data if isinstance(data, dict) else {}
