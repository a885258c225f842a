"""Stripe webhooks: verified on the raw body, applied once, in any order.

1. The ``Stripe-Signature`` header is checked on the exact bytes received with
   the official library's verifier (``stripe.WebhookSignature.verify_header``,
   tolerance ``REELFORGE_STRIPE_WEBHOOK_TOLERANCE_S``, 300 s): a forged, altered
   or stale delivery is refused with 400 and changes nothing.
2. A delivery whose event id was already processed is answered 200 and does
   nothing (Stripe retries, and may send an event twice).
3. The subscription the event is about is re-read from Stripe, so a late or
   out-of-order event applies today's state (:func:`subscriptions.follow`).
4. The event id is stored under a unique key in the same transaction as the
   effect; a duplicate delivered in parallel fails that insert and is a no-op.
5. Mail (receipt, payment failed, plan changed, cancelled, trial ending) goes
   out after the commit.

Handled: ``checkout.session.completed``, ``customer.subscription.created``,
``…updated``, ``…deleted``, ``…trial_will_end``, ``invoice.paid``,
``invoice.payment_failed``. Any other event is recorded and ignored — its body
(which may describe a card or a payment) is never stored (P27).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reelforge.accounts.mailer import Mailer
from reelforge.accounts.tables import User
from reelforge.billing import gate, notices
from reelforge.billing.notices import Notice
from reelforge.billing.subscriptions import (
    account_of_customer,
    follow,
    link_customer,
    moment,
    plan_label,
    start_grace,
)
from reelforge.billing.tables import BillingAccount, BillingEvent
from reelforge.clock import utc_now
from reelforge.config import Settings, secret_text
from reelforge.deps import Deps
from reelforge.errors import ConfigError, InputError, SignatureRefused
from reelforge.providers.billing.stripe_api import Subscription

MAX_BODY_BYTES = 1_000_000
STRIPE_ID = re.compile(r"^[A-Za-z0-9_]{3,255}$")
SUBSCRIPTION_EVENTS = frozenset(
    {
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "customer.subscription.trial_will_end",
    }
)
INVOICE_EVENTS = frozenset({"invoice.paid", "invoice.payment_failed"})
HANDLED = SUBSCRIPTION_EVENTS | INVOICE_EVENTS | {"checkout.session.completed"}


@dataclass(frozen=True)
class WebhookResult:
    event_id: str
    type: str
    duplicate: bool
    handled: bool


def _stripe_id(value: Any) -> str | None:
    if isinstance(value, Mapping):
        value = value.get("id")
    return value if isinstance(value, str) and STRIPE_ID.match(value) else None


def verify(settings: Settings, payload: bytes, signature: str | None) -> dict[str, Any]:
    """The event, once its signature is proven; SignatureRefused (400) otherwise."""
    secret = secret_text(settings.stripe_webhook_secret)
    if not secret:
        raise ConfigError(
            "Billing webhooks need REELFORGE_STRIPE_WEBHOOK_SECRET (the endpoint's whsec_… "
            "signing secret from the Stripe dashboard).",
            details={"setting": "REELFORGE_STRIPE_WEBHOOK_SECRET"},
        )
    if len(payload) > MAX_BODY_BYTES:
        raise SignatureRefused("That webhook body is too large to be a Stripe event.")
    import stripe  # the official verifier (imported here: the SDK is slow to import)

    try:
        stripe.WebhookSignature.verify_header(
            payload, signature, secret, settings.stripe_webhook_tolerance_s
        )
    except (stripe.SignatureVerificationError, UnicodeDecodeError) as exc:
        raise SignatureRefused(
            "The Stripe-Signature header does not match this body, or is older than "
            f"{settings.stripe_webhook_tolerance_s} s; the event was ignored.",
        ) from exc
    try:
        event = json.loads(payload)
    except ValueError as exc:
        raise InputError("The webhook body is not JSON.") from exc
    data = event.get("data") if isinstance(event, dict) else None
    if (
        not isinstance(event, dict)
        or _stripe_id(event.get("id")) is None
        or not isinstance(event.get("type"), str)
        or not isinstance(data, dict)
        or not isinstance(data.get("object"), dict)
    ):
        raise InputError("The webhook body is not a Stripe event (id, type, data.object).")
    return event


def subscription_id_of(event: Mapping[str, Any]) -> str | None:
    """The subscription an event is about, wherever its type keeps it."""
    kind, obj = event["type"], event["data"]["object"]
    if kind == "checkout.session.completed":
        return _stripe_id(obj.get("subscription"))
    if kind in SUBSCRIPTION_EVENTS:
        return _stripe_id(obj.get("id"))
    if kind in INVOICE_EVENTS:
        found = _stripe_id(obj.get("subscription"))  # API versions before 2025-03-31
        parent = obj.get("parent")
        if found is None and isinstance(parent, Mapping):
            details = parent.get("subscription_details")
            if isinstance(details, Mapping):
                found = _stripe_id(details.get("subscription"))
        return found
    return None


def _seen(db: Session, event_id: str) -> bool:
    query = select(BillingEvent.id).where(BillingEvent.event_id == event_id)
    return db.scalar(query) is not None


def handle(
    deps: Deps,
    mailer: Mailer,
    *,
    payload: bytes,
    signature: str | None,
    now: datetime | None = None,
) -> WebhookResult:
    """Verify, de-duplicate, re-read and apply one delivery; mail what changed."""
    settings = deps.settings
    gate.require_billing(settings)
    event = verify(settings, payload, signature)
    event_id, kind = str(event["id"]), str(event["type"])
    now = now or utc_now()
    with deps.database.session() as db:
        if _seen(db, event_id):
            return WebhookResult(event_id, kind, duplicate=True, handled=False)
    subscription_id = subscription_id_of(event) if kind in HANDLED else None
    current: Subscription | None = None
    if subscription_id is not None:
        client = gate.stripe_client(settings)
        try:
            current = client.retrieve_subscription(subscription_id)
        finally:
            client.close()
    out: list[Notice] = []
    try:
        with deps.database.session() as db:
            db.add(BillingEvent(event_id=event_id, type=kind[:100], processed_at=now))
            db.flush()  # claims the id: a parallel duplicate waits here, then fails
            handled = _apply(
                db,
                settings,
                event=event,
                current=current,
                subscription_id=subscription_id,
                now=now,
                out=out,
            )
    except IntegrityError:
        with deps.database.session() as db:
            if _seen(db, event_id):
                return WebhookResult(event_id, kind, duplicate=True, handled=False)
        raise
    notices.send_all(mailer, out)
    return WebhookResult(event_id, kind, duplicate=False, handled=handled)


def _account(db: Session, obj: Mapping[str, Any], customer_id: str | None) -> BillingAccount | None:
    account = account_of_customer(db, customer_id or "")
    if account is not None or customer_id is None:
        return account
    metadata = obj.get("metadata")
    user_id = metadata.get("reelforge_user_id") if isinstance(metadata, Mapping) else None
    if isinstance(user_id, str):
        return link_customer(db, user_id=user_id, customer_id=customer_id)
    return None


def _apply(
    db: Session,
    settings: Settings,
    *,
    event: Mapping[str, Any],
    current: Subscription | None,
    subscription_id: str | None,
    now: datetime,
    out: list[Notice],
) -> bool:
    kind, obj = event["type"], event["data"]["object"]
    if kind not in HANDLED:
        return False
    customer_id = _stripe_id(obj.get("customer"))
    if kind == "checkout.session.completed":
        if obj.get("mode") != "subscription":
            return False
        user_id = obj.get("client_reference_id")
        account = (
            link_customer(db, user_id=user_id, customer_id=customer_id or "")
            if isinstance(user_id, str)
            else None
        )
    else:
        account = _account(db, obj, customer_id)
    if account is None:
        return False  # not one of ours (or the account was deleted)
    follow(
        db,
        settings,
        account=account,
        subscription=current,
        subscription_id=subscription_id,
        now=now,
        out=out,
    )
    user = db.get(User, account.owner_id)
    if user is None:
        return True
    plan = plan_label(settings, user.plan)
    if current is not None and current.id != account.subscription_id:
        current = None  # about an older subscription: no notices about it
    if kind == "customer.subscription.updated" and current is not None:
        previous = event["data"].get("previous_attributes")
        was = previous.get("cancel_at_period_end") if isinstance(previous, Mapping) else None
        if was is False and current.cancel_at_period_end and current.live:
            ends = moment(current.current_period_end)
            out.append(notices.cancel_scheduled(user.email, plan=plan, ends_at=ends))
    elif kind == "customer.subscription.trial_will_end" and current is not None:
        trial_end = moment(current.trial_end)
        out.append(notices.trial_ending(user.email, plan=plan, trial_end=trial_end))
    elif kind == "invoice.paid":
        amount = obj.get("amount_paid")
        if isinstance(amount, int) and amount > 0:
            out.append(
                notices.payment_received(
                    user.email,
                    plan=plan,
                    amount=amount,
                    currency=str(obj.get("currency") or ""),
                    number=str(obj.get("number") or ""),
                    paid_through=account.current_period_end,
                )
            )
    elif kind == "invoice.payment_failed":
        if subscription_id in (None, account.subscription_id):
            # Whatever the status says now: the sweep re-reads it before it downgrades anyone.
            start_grace(settings, account, user, now)
        amount = obj.get("amount_due")
        out.append(
            notices.payment_failed(
                user.email,
                plan=plan,
                amount=amount if isinstance(amount, int) else None,
                currency=str(obj.get("currency") or ""),
                grace_ends_at=account.grace_ends_at,
                default_plan=settings.default_plan,
            )
        )
    return True
