"""Stripe's REST API, spoken directly over the shared provider client.

Why not the ``stripe`` SDK for calls: every provider goes through
:mod:`reelforge.providers.http` (one retry policy, one error shape, a base URL
tests point at a local fake). The SDK is used only where its own code is the
point — verifying webhook signatures (:mod:`reelforge.billing.webhooks`).

The wire format: ``Authorization: Bearer sk_…``; request bodies are
form-encoded with bracket keys (``line_items[0][price]=price_…``,
``metadata[user_id]=…``); every POST (and DELETE) carries an ``Idempotency-Key``
so a retried call never makes a second customer or session; errors are
``{"error": {"type", "code", "message"}}`` and become :class:`StripeError`
(a ``ProviderError``): 409, 429 and 5xx are retryable, as is anything Stripe
marks ``Stripe-Should-Retry: true``.

Only what reelforge keeps or shows is read from the answers: ids, a
subscription's status, price and period end, a session's URL, a price's
amount. Nothing about the payment method is ever read (promise P27).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

from reelforge.config import Settings, secret_text
from reelforge.errors import ConfigError, ProviderError, StripeError
from reelforge.providers.http import RETRYABLE_STATUS, ProviderHTTP

PROVIDER = "stripe"
LIVE_STATUSES = frozenset({"active", "trialing", "past_due", "unpaid", "incomplete", "paused"})


def form_pairs(params: Mapping[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """Flatten nested params the way Stripe reads them: ``a[b][0][c]=v``; None is left out,
    booleans are ``true``/``false``."""
    pairs: list[tuple[str, str]] = []
    for key, value in params.items():
        name = f"{prefix}[{key}]" if prefix else str(key)
        pairs += _pairs(name, value)
    return pairs


def _pairs(name: str, value: Any) -> list[tuple[str, str]]:
    if value is None:
        return []
    if isinstance(value, Mapping):
        return form_pairs(value, name)
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return [pair for i, item in enumerate(value) for pair in _pairs(f"{name}[{i}]", item)]
    if isinstance(value, bool):
        return [(name, "true" if value else "false")]
    return [(name, str(value))]


class _StripeHTTP(ProviderHTTP):
    """The shared client, with Stripe's error bodies and retry hints read."""

    def _status_error(self, response: httpx.Response) -> ProviderError:
        status = response.status_code
        try:
            body = response.json()
        except ValueError:
            body = None
        error = body.get("error") if isinstance(body, dict) else None
        error = error if isinstance(error, dict) else {}
        kind = str(error.get("type") or "api_error")
        code = str(error.get("code") or "")
        text = str(error.get("message") or response.text[:200] or f"HTTP {status}")
        hint = response.headers.get("stripe-should-retry")
        retryable = hint == "true" if hint in ("true", "false") else status in RETRYABLE_STATUS
        retryable = retryable or (hint is None and status == 409)
        if status in (401, 403):
            text += " Check REELFORGE_STRIPE_API_KEY (a secret key sk_… with access)."
        elif kind == "idempotency_error":
            text += " (an Idempotency-Key was reused with other parameters)"
        retry_after = super()._status_error(response).retry_after
        return StripeError(
            f"Stripe answered HTTP {status} ({kind}{'/' + code if code else ''}): {text}",
            status=status,
            stripe_type=kind,
            stripe_code=code,
            retryable=retryable,
            retry_after=retry_after,
        )


@dataclass(frozen=True)
class Subscription:
    """The parts of a Stripe subscription reelforge acts on."""

    id: str
    customer: str
    status: str
    price_id: str | None
    current_period_end: int | None  # epoch seconds
    cancel_at_period_end: bool
    trial_end: int | None
    created: int

    @property
    def live(self) -> bool:
        return self.status in LIVE_STATUSES


@dataclass(frozen=True)
class Session:
    id: str
    url: str


@dataclass(frozen=True)
class Price:
    id: str
    unit_amount: int | None
    currency: str
    interval: str | None


def _id(value: Any) -> str:
    """An id field, whether Stripe sent the id or an expanded object."""
    if isinstance(value, dict):
        return str(value.get("id") or "")
    return str(value or "")


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def subscription_of(data: Mapping[str, Any]) -> Subscription:
    """Read a subscription object; the period end is on the items since API 2025-03-31 and on
    the subscription before it."""
    items = data.get("items")
    first: Mapping[str, Any] = {}
    if isinstance(items, Mapping) and isinstance(items.get("data"), list) and items["data"]:
        first = items["data"][0] if isinstance(items["data"][0], Mapping) else {}
    price = first.get("price") or data.get("plan")
    period_end = _int(first.get("current_period_end"))
    if period_end is None:
        period_end = _int(data.get("current_period_end"))
    return Subscription(
        id=_id(data.get("id")),
        customer=_id(data.get("customer")),
        status=str(data.get("status") or ""),
        price_id=_id(price) or None,
        current_period_end=period_end,
        cancel_at_period_end=bool(data.get("cancel_at_period_end")),
        trial_end=_int(data.get("trial_end")),
        created=_int(data.get("created")) or 0,
    )


class StripeClient:
    """One Stripe account's API, for the calls billing makes."""

    def __init__(self, settings: Settings, *, transport: httpx.BaseTransport | None = None) -> None:
        key = secret_text(settings.stripe_api_key)
        if not key:
            raise ConfigError(
                "Billing needs REELFORGE_STRIPE_API_KEY (a secret key, sk_live_… or sk_test_…).",
                details={"setting": "REELFORGE_STRIPE_API_KEY"},
            )
        headers = {"Authorization": f"Bearer {key}"}
        if settings.stripe_api_version:
            headers["Stripe-Version"] = settings.stripe_api_version
        self.http = _StripeHTTP(
            provider=PROVIDER,
            base_url=settings.stripe_base_url,
            headers=headers,
            timeout_s=settings.http_timeout_s,
            max_retries=settings.http_max_retries,
            backoff_s=settings.http_backoff_s,
            transport=transport,
        )

    # -- the wire -------------------------------------------------------------------------

    def _json(self, response: httpx.Response) -> dict[str, Any]:
        body = self.http._json(response)
        if not isinstance(body, dict):
            raise ProviderError("Stripe sent an answer that is not an object.", provider=PROVIDER)
        return body

    def _post(
        self, path: str, params: Mapping[str, Any], *, idempotency_key: str
    ) -> dict[str, Any]:
        response = self.http.request(
            "POST",
            path,
            content=urlencode(form_pairs(params)),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Idempotency-Key": idempotency_key,
            },
        )
        return self._json(response)

    def _get(self, path: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        query = urlencode(form_pairs(params or {}))
        return self._json(self.http.request("GET", f"{path}?{query}" if query else path))

    def _delete(self, path: str, *, idempotency_key: str) -> dict[str, Any]:
        response = self.http.request("DELETE", path, headers={"Idempotency-Key": idempotency_key})
        return self._json(response)

    # -- customers ------------------------------------------------------------------------

    def create_customer(self, *, email: str, user_id: str, idempotency_key: str) -> str:
        """A customer for one reelforge user (its id is all reelforge keeps)."""
        body = self._post(
            "/v1/customers",
            {"email": email, "metadata": {"reelforge_user_id": user_id}},
            idempotency_key=idempotency_key,
        )
        return _id(body.get("id"))

    def delete_customer(self, customer_id: str, *, idempotency_key: str) -> bool:
        """Delete the customer (Stripe also cancels its subscriptions); False when it was
        already gone."""
        try:
            self._delete(f"/v1/customers/{customer_id}", idempotency_key=idempotency_key)
        except StripeError as exc:
            if exc.missing:
                return False
            raise
        return True

    # -- sessions -------------------------------------------------------------------------

    def create_checkout_session(
        self,
        *,
        customer_id: str,
        price_id: str,
        user_id: str,
        plan: str,
        success_url: str,
        cancel_url: str,
        idempotency_key: str,
    ) -> Session:
        metadata = {"reelforge_user_id": user_id, "reelforge_plan": plan}
        body = self._post(
            "/v1/checkout/sessions",
            {
                "mode": "subscription",
                "customer": customer_id,
                "client_reference_id": user_id,
                "line_items": [{"price": price_id, "quantity": 1}],
                "success_url": success_url,
                "cancel_url": cancel_url,
                "metadata": metadata,
                "subscription_data": {"metadata": metadata},
            },
            idempotency_key=idempotency_key,
        )
        return self._session(body, "Checkout")

    def create_portal_session(
        self, *, customer_id: str, return_url: str, idempotency_key: str
    ) -> Session:
        body = self._post(
            "/v1/billing_portal/sessions",
            {"customer": customer_id, "return_url": return_url},
            idempotency_key=idempotency_key,
        )
        return self._session(body, "Customer Portal")

    @staticmethod
    def _session(body: Mapping[str, Any], what: str) -> Session:
        url = body.get("url")
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise ProviderError(f"Stripe made a {what} session without a URL.", provider=PROVIDER)
        return Session(id=_id(body.get("id")), url=url)

    # -- subscriptions and prices ---------------------------------------------------------

    def retrieve_subscription(self, subscription_id: str) -> Subscription | None:
        """The subscription as Stripe has it now; None when Stripe has no such subscription."""
        try:
            return subscription_of(self._get(f"/v1/subscriptions/{subscription_id}"))
        except StripeError as exc:
            if exc.missing:
                return None
            raise

    def list_subscriptions(self, customer_id: str) -> list[Subscription]:
        """Every subscription of the customer (canceled ones too), newest first."""
        found: list[Subscription] = []
        params: dict[str, Any] = {"customer": customer_id, "status": "all", "limit": 100}
        while True:
            try:
                page = self._get("/v1/subscriptions", params)
            except StripeError as exc:
                if exc.missing:
                    return found
                raise
            rows = [r for r in page.get("data") or [] if isinstance(r, Mapping)]
            found += [subscription_of(r) for r in rows]
            if not page.get("has_more") or not rows:
                break
            params["starting_after"] = _id(rows[-1].get("id"))
        return sorted(found, key=lambda s: s.created, reverse=True)

    def cancel_subscription(self, subscription_id: str, *, idempotency_key: str) -> bool:
        """Cancel now; False when it was already gone."""
        try:
            self._delete(f"/v1/subscriptions/{subscription_id}", idempotency_key=idempotency_key)
        except StripeError as exc:
            if exc.missing:
                return False
            raise
        return True

    def retrieve_price(self, price_id: str) -> Price:
        body = self._get(f"/v1/prices/{price_id}")
        recurring = body.get("recurring")
        interval = recurring.get("interval") if isinstance(recurring, Mapping) else None
        return Price(
            id=_id(body.get("id")),
            unit_amount=_int(body.get("unit_amount")),
            currency=str(body.get("currency") or ""),
            interval=str(interval) if interval else None,
        )

    def close(self) -> None:
        self.http.close()
