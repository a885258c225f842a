"""The error tree. Core code raises these; each door maps them once.

::

    ReelforgeError                 base; `message` is written for the user
    ├── InputError                 the user's input is wrong; says what to do (HTTP 4xx, CLI exit 2)
    │   └── ConfigError            a setting or key is missing/invalid; names the env var
    │   ├── CodeRejected           a wrong, expired or locked one-time code (HTTP 400)
    │   └── SignatureRefused       a webhook whose signature does not verify (HTTP 400)
    ├── Unauthenticated            "who are you?": no or a bad session or key (HTTP 401)
    ├── NotFound                   no such object *for this owner* (HTTP 404)
    │   └── BillingOff             billing routes on a server with billing off
    ├── Forbidden                  authenticated but not allowed (HTTP 403)
    │   └── WrongPassword          the current password given does not match
    ├── QuotaExceeded              a plan or rate limit was reached (HTTP 429, with reset time)
    ├── ProviderError              an external service failed; `retryable` tells the job queue
    │   ├── PlatformError          a publishing platform refused; `platform_code` is its word
    │   │   ├── ReconsentRequired  the grant is gone: the user must connect again
    │   │   └── PostOutcomeUnknown a create call's answer was lost (never sent twice)
    │   └── StripeError            Stripe refused or failed a call
    └── RenderError                ffmpeg failed; carries the tail of its stderr

Why one tree: doors (CLI, API, jobs) need exactly one place that decides exit
codes, HTTP statuses and whether a job is retried, and that only works if the
core never swallows or re-labels errors on the way up.
"""

from __future__ import annotations

from typing import Any


class ReelforgeError(Exception):
    """Base for every error reelforge raises on purpose."""

    code = "error"

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class InputError(ReelforgeError):
    code = "invalid_input"


class ConfigError(InputError):
    code = "config"


class NotFound(ReelforgeError):
    code = "not_found"


class Forbidden(ReelforgeError):
    code = "forbidden"


class QuotaExceeded(ReelforgeError):
    code = "quota_exceeded"

    def __init__(
        self,
        message: str,
        *,
        limit: str,
        resets_at: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(
            message, details={"limit": limit, "resets_at": resets_at, **(details or {})}
        )
        self.limit = limit
        self.resets_at = resets_at


class ProviderError(ReelforgeError):
    code = "provider_error"

    def __init__(
        self,
        message: str,
        *,
        provider: str,
        retryable: bool = False,
        status: int | None = None,
        retry_after: float | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(
            message,
            details={
                "provider": provider,
                "retryable": retryable,
                "status": status,
                **(details or {}),
            },
        )
        self.provider = provider
        self.retryable = retryable
        self.status = status
        self.retry_after = retry_after


class RenderError(ReelforgeError):
    code = "render_failed"

    def __init__(
        self, message: str, *, stderr_tail: str = "", command: list[str] | None = None
    ) -> None:
        super().__init__(
            f"{message}\n--- ffmpeg said ---\n{stderr_tail}" if stderr_tail else message,
            details={"stderr_tail": stderr_tail},
        )
        self.stderr_tail = stderr_tail
        self.command = command or []


class Unauthenticated(ReelforgeError):
    code = "unauthenticated"


class CodeRejected(InputError):
    code = "invalid_code"


class PlatformError(ProviderError):
    """A platform refused or failed a call; ``platform_code`` is its own code word."""

    code = "platform_error"

    def __init__(
        self,
        message: str,
        *,
        provider: str,
        platform_code: str,
        retryable: bool = False,
        status: int | None = None,
        retry_after: float | None = None,
        log_id: str = "",
    ) -> None:
        super().__init__(
            message,
            provider=provider,
            retryable=retryable,
            status=status,
            retry_after=retry_after,
            details={"platform_code": platform_code, "log_id": log_id},
        )
        self.platform_code = platform_code
        self.log_id = log_id


class ReconsentRequired(PlatformError):
    """The grant is gone (expired, revoked, scope missing): the user must reconnect."""

    code = "reconsent_required"


class PostOutcomeUnknown(PlatformError):
    """A create call may have reached the platform but its answer was lost.

    Raised instead of sending it again, because a second call could make a
    second post; the user checks their profile and decides.
    """

    code = "post_outcome_unknown"


class StripeError(ProviderError):
    """Stripe refused or failed a call; ``stripe_type``/``stripe_code`` are its own words."""

    code = "payment_provider_error"

    def __init__(
        self,
        message: str,
        *,
        status: int,
        stripe_type: str,
        stripe_code: str,
        retryable: bool,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(
            message,
            provider="stripe",
            retryable=retryable,
            status=status,
            retry_after=retry_after,
            details={"stripe_type": stripe_type, "stripe_code": stripe_code},
        )
        self.stripe_type = stripe_type
        self.stripe_code = stripe_code

    @property
    def missing(self) -> bool:
        """The object is not there (deleted, or never existed)."""
        return self.status == 404 or self.stripe_code == "resource_missing"


class BillingOff(NotFound):
    code = "billing_off"


class SignatureRefused(InputError):
    code = "signature_refused"


class WrongPassword(Forbidden):
    """The current password given does not match the stored one."""
