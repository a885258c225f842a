"""A local fake of the Stripe API (the parts reelforge uses) and of Stripe's webhooks.

Speaks Stripe's REST format: ``Authorization: Bearer sk_test_…`` on every call
(401 ``invalid_request_error`` otherwise); form-encoded request bodies with
bracket keys (``line_items[0][price]``, ``metadata[k]``); errors as
``{"error": {"type", "code", "message", "param"}}``; idempotent POSTs — the
same ``Idempotency-Key`` with the same body replays the first answer (with
``Idempotent-Replayed: true``), with another body answers 400
``idempotency_error``. Serves customers (create, retrieve, delete), Checkout
Sessions, billing portal sessions, subscriptions (retrieve, list, cancel) and
prices.

The test plays the customer and Stripe's billing engine with the driver
methods (:meth:`FakeStripe.pay_checkout`, :meth:`renew`, :meth:`fail_renewal`,
…): each changes the fake's state the way Stripe would and returns the events
Stripe would send — snapshots taken at that moment, so delivering an old one
late shows what an out-of-order delivery looks like. :meth:`deliver` posts an
event to the app signed exactly as Stripe signs (``t=…,v1=HMAC-SHA256(secret,
f"{t}.{payload}")``, computed with the ``stripe`` library's own function).

Like Stripe, the fake keeps card details (the test card typed on the hosted
Checkout page) on its side and sends only what Stripe's events carry — some of
which (``charge.succeeded``: brand, last four, billing address) reelforge must
never store.
"""

from __future__ import annotations

import copy
import json
import re
import secrets
import string
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import stripe
from fastapi.testclient import TestClient

from tests.fakes.server import FakeRequest, FakeResponse

TEST_CARD = "4242424242424242"
TEST_CVC = "424"
MONTH_S = 30 * 24 * 3600
_ALPHABET = string.ascii_letters + string.digits
_KEY = re.compile(r"([^\[\]]+)|\[([^\[\]]*)\]")


def stripe_id(prefix: str) -> str:
    return f"{prefix}_{''.join(secrets.choice(_ALPHABET) for _ in range(24))}"


def unflatten(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """``a[b][0][c]=v`` pairs -> nested dicts; numeric keys become lists."""
    root: dict[str, Any] = {}
    for name, value in pairs:
        parts = [m.group(1) or m.group(2) for m in _KEY.finditer(name)]
        node: Any = root
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            if isinstance(node, dict):
                if last:
                    node[part] = value
                else:
                    node = node.setdefault(part, {})
        # lists come out of dicts keyed "0", "1", … below
    return _lists(root)


def _lists(node: Any) -> Any:
    if isinstance(node, dict):
        if node and all(k.isdigit() for k in node):
            return [_lists(node[k]) for k in sorted(node, key=int)]
        return {k: _lists(v) for k, v in node.items()}
    return node


def error(
    status: int, kind: str, message: str, *, code: str | None = None, param: str | None = None
) -> FakeResponse:
    body: dict[str, Any] = {"type": kind, "message": message}
    if code:
        body["code"] = code
        body["doc_url"] = f"https://docs.stripe.com/error-codes/{code.replace('_', '-')}"
    if param:
        body["param"] = param
    return FakeResponse(status, {"error": body}, {"Request-Id": stripe_id("req")})


def missing(kind: str, object_id: str) -> FakeResponse:
    return error(
        404,
        "invalid_request_error",
        f"No such {kind}: '{object_id}'",
        code="resource_missing",
        param="id",
    )


@dataclass
class FakeStripe:
    api_key: str = "sk_test_reelforgefake0000"
    webhook_secret: str = "whsec_reelforgefake0000"
    legacy: bool = False  # True: API before 2025-03-31 (period end and subscription top-level)
    prices: dict[str, dict[str, Any]] = field(default_factory=dict)
    customers: dict[str, dict[str, Any]] = field(default_factory=dict)
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    portal_sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    subscriptions: dict[str, dict[str, Any]] = field(default_factory=dict)
    invoices: dict[str, dict[str, Any]] = field(default_factory=dict)
    cards: dict[str, dict[str, str]] = field(default_factory=dict)  # pm id -> what was typed
    fail_next: list[int] = field(default_factory=list)  # statuses to answer before serving
    requests: list[FakeRequest] = field(default_factory=list)
    _idempotent: dict[str, tuple[Any, FakeResponse]] = field(default_factory=dict)
    _lock: threading.RLock = field(default_factory=threading.RLock)

    def add_price(self, price_id: str, *, amount: int, currency: str = "usd") -> None:
        self.prices[price_id] = {
            "id": price_id,
            "object": "price",
            "active": True,
            "currency": currency,
            "unit_amount": amount,
            "type": "recurring",
            "recurring": {"interval": "month", "interval_count": 1},
            "product": stripe_id("prod"),
        }

    # -- the HTTP side ----------------------------------------------------------------------

    def __call__(self, request: FakeRequest) -> FakeResponse:
        with self._lock:
            self.requests.append(request)
            auth = request.headers.get("authorization", "")
            if not auth.startswith("Bearer "):
                return error(
                    401,
                    "invalid_request_error",
                    "You did not provide an API key. You need to provide your API key in the "
                    "Authorization header, using Bearer auth.",
                )
            if auth != f"Bearer {self.api_key}":
                return error(
                    401,
                    "invalid_request_error",
                    f"Invalid API Key provided: {auth[7:15]}********",
                    code="api_key_invalid",
                )
            if self.fail_next:
                status = self.fail_next.pop(0)
                if status == 429:
                    return error(
                        429, "invalid_request_error", "Too many requests.", code="rate_limit"
                    )
                if status == 402:
                    return error(402, "card_error", "Your card was declined.", code="card_declined")
                return error(status, "api_error", "An unknown error occurred on Stripe's end.")
            pairs = parse_qsl(request.body.decode(), keep_blank_values=True)
            if request.method == "POST":
                kind = request.headers.get("content-type", "")
                if request.body and not kind.startswith("application/x-www-form-urlencoded"):
                    return error(
                        400,
                        "invalid_request_error",
                        "Invalid request: Stripe takes form-encoded bodies.",
                    )
                key = request.headers.get("idempotency-key")
                if key:
                    fingerprint = (request.method, request.path, sorted(pairs))
                    seen = self._idempotent.get(key)
                    if seen is not None:
                        if seen[0] != fingerprint:
                            return error(
                                400,
                                "idempotency_error",
                                "Keys for idempotent requests can only be used with the same "
                                "parameters they were first used with. Try using a key other "
                                f"than '{key}' if you meant to execute a different request.",
                            )
                        replay = copy.deepcopy(seen[1])
                        replay.headers["Idempotent-Replayed"] = "true"
                        return replay
                    answer = self._route(request, unflatten(pairs))
                    if 200 <= answer.status < 300:
                        self._idempotent[key] = (fingerprint, copy.deepcopy(answer))
                    return answer
            return self._route(request, unflatten(pairs))

    def _route(self, request: FakeRequest, form: dict[str, Any]) -> FakeResponse:
        method, parts = request.method, request.path.strip("/").split("/")
        if parts[:1] != ["v1"]:
            return error(
                404, "invalid_request_error", f"Unrecognized request URL ({request.path})."
            )
        parts = parts[1:]
        query = {k: v[0] for k, v in request.query.items()}
        match (method, parts):
            case ("POST", ["customers"]):
                return self._create_customer(form)
            case ("GET", ["customers", cid]):
                found = self.customers.get(cid)
                return FakeResponse(200, found) if found else missing("customer", cid)
            case ("DELETE", ["customers", cid]):
                return self._delete_customer(cid)
            case ("POST", ["checkout", "sessions"]):
                return self._create_session(form)
            case ("GET", ["checkout", "sessions", sid]):
                found = self.sessions.get(sid)
                if found is None:
                    return missing("checkout.session", sid)
                return FakeResponse(200, self._public(found))
            case ("POST", ["billing_portal", "sessions"]):
                return self._create_portal(form)
            case ("GET", ["subscriptions"]):
                return self._list_subscriptions(query)
            case ("GET", ["subscriptions", sid]):
                found = self.subscriptions.get(sid)
                return FakeResponse(200, found) if found else missing("subscription", sid)
            case ("DELETE", ["subscriptions", sid]):
                return self._cancel(sid)
            case ("GET", ["prices", pid]):
                found = self.prices.get(pid)
                return FakeResponse(200, found) if found else missing("price", pid)
        return error(
            404, "invalid_request_error", f"Unrecognized request URL ({method}: {request.path})."
        )

    def _create_customer(self, form: dict[str, Any]) -> FakeResponse:
        customer = {
            "id": stripe_id("cus"),
            "object": "customer",
            "email": form.get("email"),
            "metadata": form.get("metadata") or {},
            "created": int(time.time()),
            "livemode": False,
            "invoice_settings": {"default_payment_method": None},
        }
        self.customers[customer["id"]] = customer
        return FakeResponse(200, customer)

    def _delete_customer(self, cid: str) -> FakeResponse:
        if cid not in self.customers:
            return missing("customer", cid)
        del self.customers[cid]
        for sub in self.subscriptions.values():
            if sub["customer"] == cid and sub["status"] != "canceled":
                self._end(sub)
        return FakeResponse(200, {"id": cid, "object": "customer", "deleted": True})

    def _create_session(self, form: dict[str, Any]) -> FakeResponse:
        for name in ("mode", "success_url", "cancel_url"):
            if not form.get(name):
                return error(
                    400,
                    "invalid_request_error",
                    f"Missing required param: {name}.",
                    code="parameter_missing",
                    param=name,
                )
        if form["mode"] != "subscription":
            return error(400, "invalid_request_error", "This fake only sells subscriptions.")
        items = form.get("line_items")
        if not isinstance(items, list) or not items or not isinstance(items[0], dict):
            return error(
                400,
                "invalid_request_error",
                "Missing required param: line_items.",
                code="parameter_missing",
                param="line_items",
            )
        price = items[0].get("price")
        if price not in self.prices:
            return missing("price", str(price))
        customer = form.get("customer")
        if customer is not None and customer not in self.customers:
            return missing("customer", customer)
        session_id = stripe_id("cs_test")
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": "subscription",
            "status": "open",
            "payment_status": "unpaid",
            "customer": customer,
            "client_reference_id": form.get("client_reference_id"),
            "metadata": form.get("metadata") or {},
            "success_url": form["success_url"],
            "cancel_url": form["cancel_url"],
            "subscription": None,
            "invoice": None,
            "customer_details": None,
            "url": f"https://checkout.stripe.com/c/pay/{session_id}#fidkdWxOYHwnPyd1blpxYHZxWjA0",
            "livemode": False,
            "_price": price,
            "_subscription_metadata": (form.get("subscription_data") or {}).get("metadata") or {},
        }
        self.sessions[session_id] = session
        return FakeResponse(200, self._public(session))

    def _create_portal(self, form: dict[str, Any]) -> FakeResponse:
        customer = form.get("customer")
        if not customer:
            return error(
                400,
                "invalid_request_error",
                "Missing required param: customer.",
                code="parameter_missing",
                param="customer",
            )
        if customer not in self.customers:
            return missing("customer", customer)
        portal = {
            "id": stripe_id("bps"),
            "object": "billing_portal.session",
            "customer": customer,
            "return_url": form.get("return_url"),
            "url": f"https://billing.stripe.com/p/session/test_{secrets.token_urlsafe(24)}",
            "livemode": False,
        }
        self.portal_sessions[portal["id"]] = portal
        return FakeResponse(200, portal)

    def _list_subscriptions(self, query: dict[str, str]) -> FakeResponse:
        rows = [
            s
            for s in self.subscriptions.values()
            if s["customer"] == query.get("customer")
            and (query.get("status") == "all" or s["status"] != "canceled")
        ]
        rows.sort(key=lambda s: s["created"], reverse=True)
        return FakeResponse(
            200, {"object": "list", "data": rows, "has_more": False, "url": "/v1/subscriptions"}
        )

    def _cancel(self, sid: str) -> FakeResponse:
        sub = self.subscriptions.get(sid)
        if sub is None or sub["status"] == "canceled":  # Stripe: a canceled one is "no such"
            return missing("subscription", sid)
        self._end(sub)
        return FakeResponse(200, sub)

    @staticmethod
    def _public(obj: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in obj.items() if not k.startswith("_")}

    # -- Stripe's side: the customer pays, renewals, failures, cancellations -----------------

    def event(
        self, kind: str, obj: dict[str, Any], previous: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        data: dict[str, Any] = {"object": copy.deepcopy(self._public(obj))}
        if previous is not None:
            data["previous_attributes"] = previous
        return {
            "id": stripe_id("evt"),
            "object": "event",
            "api_version": "2024-06-20" if self.legacy else "2025-03-31.basil",
            "created": int(time.time()),
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "type": kind,
            "data": data,
        }

    def _period(self, sub: dict[str, Any], start: int) -> None:
        end = start + MONTH_S
        item = sub["items"]["data"][0]
        if self.legacy:
            sub["current_period_start"], sub["current_period_end"] = start, end
        else:
            item["current_period_start"], item["current_period_end"] = start, end

    def period_end(self, sub_id: str) -> int:
        sub = self.subscriptions[sub_id]
        if self.legacy:
            return int(sub["current_period_end"])
        return int(sub["items"]["data"][0]["current_period_end"])

    def _invoice(self, sub: dict[str, Any], *, paid: bool) -> dict[str, Any]:
        price = self.prices[sub["items"]["data"][0]["price"]["id"]]
        customer = self.customers.get(sub["customer"], {})
        invoice: dict[str, Any] = {
            "id": stripe_id("in"),
            "object": "invoice",
            "customer": sub["customer"],
            "customer_email": customer.get("email"),
            "customer_address": {"line1": "1 Test Street", "city": "Testville", "country": "US"},
            "number": f"{secrets.token_hex(4).upper()}-{len(self.invoices) + 1:04d}",
            "status": "paid" if paid else "open",
            "amount_due": price["unit_amount"],
            "amount_paid": price["unit_amount"] if paid else 0,
            "currency": price["currency"],
            "attempt_count": 1,
            "next_payment_attempt": None if paid else int(time.time()) + 3 * 24 * 3600,
            "hosted_invoice_url": f"https://invoice.stripe.com/i/{stripe_id('acct')}/test_x",
            "billing_reason": "subscription_cycle",
        }
        if self.legacy:
            invoice["subscription"] = sub["id"]
            invoice["payment_intent"] = stripe_id("pi")
            invoice["charge"] = stripe_id("ch")
        else:
            invoice["parent"] = {
                "type": "subscription_details",
                "subscription_details": {"subscription": sub["id"], "metadata": sub["metadata"]},
            }
        self.invoices[invoice["id"]] = invoice
        sub["latest_invoice"] = invoice["id"]
        return invoice

    def _charge_event(self, sub: dict[str, Any], pm_id: str) -> dict[str, Any]:
        card = self.cards[pm_id]
        charge = {
            "id": stripe_id("ch"),
            "object": "charge",
            "customer": sub["customer"],
            "payment_method": pm_id,
            "paid": True,
            "billing_details": {
                "email": card["email"],
                "name": "Sam Tester",
                "address": {"line1": "1 Test Street", "postal_code": "94107", "country": "US"},
            },
            "payment_method_details": {
                "type": "card",
                "card": {
                    "brand": "visa",
                    "last4": card["number"][-4:],
                    "exp_month": 12,
                    "exp_year": 2034,
                    "fingerprint": secrets.token_hex(8),
                    "checks": {"cvc_check": "pass", "address_postal_code_check": "pass"},
                },
            },
        }
        return self.event("charge.succeeded", charge)

    def pay_checkout(
        self,
        session_id: str,
        *,
        card: str = TEST_CARD,
        cvc: str = TEST_CVC,
        email: str = "payer@example.com",
        trial_days: int = 0,
    ) -> list[dict[str, Any]]:
        """The customer fills in the hosted page and pays: a subscription starts."""
        with self._lock:
            session = self.sessions[session_id]
            customer = session["customer"]
            if customer is None:
                created = self._create_customer({"email": email}).body
                assert isinstance(created, dict)
                customer = created["id"]
            pm_id = stripe_id("pm")
            self.cards[pm_id] = {"number": card, "cvc": cvc, "email": email}
            now = int(time.time())
            price = self.prices[session["_price"]]
            sub: dict[str, Any] = {
                "id": stripe_id("sub"),
                "object": "subscription",
                "customer": customer,
                "status": "trialing" if trial_days else "active",
                "created": now,
                "start_date": now,
                "cancel_at_period_end": False,
                "canceled_at": None,
                "ended_at": None,
                "trial_end": now + trial_days * 24 * 3600 if trial_days else None,
                "default_payment_method": pm_id,
                "metadata": session["_subscription_metadata"],
                "items": {
                    "object": "list",
                    "data": [
                        {
                            "id": stripe_id("si"),
                            "object": "subscription_item",
                            "price": copy.deepcopy(price),
                            "quantity": 1,
                        }
                    ],
                },
                "livemode": False,
            }
            self._period(sub, now)
            self.subscriptions[sub["id"]] = sub
            invoice = self._invoice(sub, paid=True)
            session.update(
                status="complete",
                payment_status="paid",
                customer=customer,
                subscription=sub["id"],
                invoice=invoice["id"],
                customer_details={
                    "email": email,
                    "name": "Sam Tester",
                    "address": {"line1": "1 Test Street", "postal_code": "94107", "country": "US"},
                },
            )
            return [
                self.event("customer.subscription.created", sub),
                self._charge_event(sub, pm_id),
                self.event("checkout.session.completed", session),
                self.event("invoice.paid", invoice),
            ]

    def renew(self, sub_id: str) -> list[dict[str, Any]]:
        """The next period is paid."""
        with self._lock:
            sub = self.subscriptions[sub_id]
            before = self.period_end(sub_id)
            self._period(sub, before)
            previous: dict[str, Any] = {}
            if sub["status"] != "active":
                previous["status"] = sub["status"]
                sub["status"] = "active"
            invoice = self._invoice(sub, paid=True)
            return [
                self.event("invoice.paid", invoice),
                self.event("customer.subscription.updated", sub, previous or {"items": {}}),
            ]

    def fail_renewal(self, sub_id: str) -> list[dict[str, Any]]:
        """The next period's payment is declined: the subscription is past due."""
        with self._lock:
            sub = self.subscriptions[sub_id]
            self._period(sub, self.period_end(sub_id))
            previous = {"status": sub["status"]}
            sub["status"] = "past_due"
            invoice = self._invoice(sub, paid=False)
            return [
                self.event("invoice.payment_failed", invoice),
                self.event("customer.subscription.updated", sub, previous),
            ]

    def recover(self, sub_id: str) -> list[dict[str, Any]]:
        """A retry of the open invoice succeeds."""
        with self._lock:
            sub = self.subscriptions[sub_id]
            invoice = self.invoices[sub["latest_invoice"]]
            invoice.update(status="paid", amount_paid=invoice["amount_due"])
            previous = {"status": sub["status"]}
            sub["status"] = "active"
            return [
                self.event("invoice.paid", invoice),
                self.event("customer.subscription.updated", sub, previous),
            ]

    def change_price(self, sub_id: str, price_id: str) -> list[dict[str, Any]]:
        """The customer switches plan in the portal."""
        with self._lock:
            sub = self.subscriptions[sub_id]
            item = sub["items"]["data"][0]
            previous = {"items": {"data": [copy.deepcopy(item)]}}
            item["price"] = copy.deepcopy(self.prices[price_id])
            return [self.event("customer.subscription.updated", sub, previous)]

    def schedule_cancel(self, sub_id: str) -> list[dict[str, Any]]:
        """The customer cancels in the portal: it ends at the period's end."""
        with self._lock:
            sub = self.subscriptions[sub_id]
            sub["cancel_at_period_end"] = True
            sub["canceled_at"] = int(time.time())
            return [
                self.event("customer.subscription.updated", sub, {"cancel_at_period_end": False})
            ]

    def _end(self, sub: dict[str, Any]) -> None:
        sub["status"] = "canceled"
        sub["ended_at"] = int(time.time())
        sub["canceled_at"] = sub["canceled_at"] or sub["ended_at"]

    def end(self, sub_id: str) -> list[dict[str, Any]]:
        """The period ends after a cancellation (or Stripe gives up): it is over."""
        with self._lock:
            sub = self.subscriptions[sub_id]
            self._end(sub)
            return [self.event("customer.subscription.deleted", sub)]

    def trial_will_end(self, sub_id: str) -> list[dict[str, Any]]:
        with self._lock:
            return [self.event("customer.subscription.trial_will_end", self.subscriptions[sub_id])]

    # -- webhooks ---------------------------------------------------------------------------

    def signature(
        self, payload: str, *, secret: str | None = None, timestamp: int | None = None
    ) -> str:
        """The ``Stripe-Signature`` header Stripe would send (the library's own HMAC)."""
        stamp = int(time.time()) if timestamp is None else timestamp
        mac = stripe.WebhookSignature._compute_signature(
            f"{stamp}.{payload}", secret or self.webhook_secret
        )
        return f"t={stamp},v1={mac}"

    def deliver(
        self,
        client: TestClient,
        event: dict[str, Any],
        *,
        secret: str | None = None,
        timestamp: int | None = None,
        path: str = "/api/v1/billing/webhook",
    ) -> Any:
        payload = json.dumps(event)
        headers = {
            "Stripe-Signature": self.signature(payload, secret=secret, timestamp=timestamp),
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        }
        return client.post(path, content=payload.encode(), headers=headers)

    def deliver_all(self, client: TestClient, events: list[dict[str, Any]]) -> None:
        for event in events:
            answer = self.deliver(client, event)
            assert answer.status_code == 200, answer.text
