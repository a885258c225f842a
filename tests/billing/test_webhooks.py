"""Webhooks: only Stripe's signature over the exact bytes counts; a replay, a duplicate or an
event delivered out of order changes nothing it should not."""

from __future__ import annotations

import json
import threading
import time

from sqlalchemy import func, select

from reelforge.billing.tables import BillingAccount, BillingEvent
from tests.billing.support import Billing
from tests.web.support import assert_error

WEBHOOK = "/api/v1/billing/webhook"


def _events(billing: Billing) -> int:
    with billing.runtime.database.session() as db:
        return int(db.scalar(select(func.count()).select_from(BillingEvent)) or 0)


def _snapshot(billing: Billing) -> tuple[object, ...]:
    with billing.runtime.database.session() as db:
        rows = db.scalars(select(BillingAccount)).all()
        return tuple(
            (r.owner_id, r.subscription_id, r.status, r.price_id, r.grace_ends_at) for r in rows
        )


def test_a_duplicate_delivery_is_a_no_op(billing_on_each_backend: Billing) -> None:
    billing = billing_on_each_backend
    sam = billing.api.sign_up("sam@example.com")
    session_id = billing.checkout(sam)
    events = billing.stripe.pay_checkout(session_id)
    billing.deliver(events)
    mails, stored = billing.subjects(sam), _events(billing)
    for event in events:  # Stripe retries every one of them
        answer = billing.stripe.deliver(billing.client, event)
        assert answer.status_code == 200 and answer.json()["duplicate"] is True
    assert billing.subjects(sam) == mails  # no second receipt
    assert _events(billing) == stored == len(events)
    assert billing.plan(sam) == "pro"


def test_parallel_duplicates_apply_once(billing_on_each_backend: Billing) -> None:
    billing = billing_on_each_backend
    sam = billing.api.sign_up("sam@example.com")
    sub_id = billing.subscribe(sam)
    (paid, _updated) = billing.stripe.renew(sub_id)
    answers: list[int] = []

    def send() -> None:
        answers.append(billing.stripe.deliver(billing.client, paid).status_code)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == [200, 200, 200, 200]
    assert (
        billing.subjects(sam).count("Receipt: 9.00 USD for your pro plan") == 2
    )  # first + renewal


def test_events_out_of_order_end_where_stripe_is(billing: Billing) -> None:
    sam = billing.api.sign_up("sam@example.com")
    session_id = billing.checkout(sam)
    created, charge, completed, paid = billing.stripe.pay_checkout(session_id)
    sub_id = billing.stripe.sessions[session_id]["subscription"]
    (ended,) = billing.stripe.end(sub_id)  # cancelled before any webhook arrived
    # deleted first, then the old "created" and "paid" snapshots that still say active:
    billing.deliver([ended, paid, created, charge, completed])
    assert billing.plan(sam) == "free"
    assert billing.status(sam)["subscription"]["status"] == "canceled"


def test_an_old_subscriptions_last_events_do_not_end_the_new_one(billing: Billing) -> None:
    sam = billing.api.sign_up("sam@example.com")
    first = billing.subscribe(sam, "pro")
    (ended,) = billing.stripe.end(first)
    billing.deliver([ended])
    second = billing.subscribe(sam, "studio")
    assert billing.plan(sam) == "studio"
    mails = billing.subjects(sam)
    old = billing.stripe.subscriptions[first]
    late = [
        billing.stripe.event("customer.subscription.trial_will_end", old),
        billing.stripe.event("customer.subscription.deleted", old),
    ]
    billing.deliver(late)  # about the old one, late
    assert billing.plan(sam) == "studio"
    assert billing.subjects(sam) == mails
    assert billing.status(sam)["subscription"]["status"] == "active"
    assert second != first


def test_a_forged_or_altered_event_is_refused_and_changes_nothing(billing: Billing) -> None:
    sam = billing.api.sign_up("sam@example.com")
    session_id = billing.checkout(sam)
    events = billing.stripe.pay_checkout(session_id)
    before, stored = _snapshot(billing), _events(billing)

    forged = billing.stripe.deliver(billing.client, events[2], secret="whsec_not_the_real_one")
    assert assert_error(forged, 400, "signature_refused")

    payload = json.dumps(events[2])
    header = billing.stripe.signature(payload)
    altered = payload.replace(sam.user_id, "someone-else")
    tampered = billing.client.post(
        WEBHOOK, content=altered.encode(), headers={"Stripe-Signature": header}
    )
    assert_error(tampered, 400, "signature_refused")

    unsigned = billing.client.post(WEBHOOK, content=payload.encode())
    assert_error(unsigned, 400, "signature_refused")

    garbage = billing.client.post(
        WEBHOOK, content=b"\xff\xfe not json", headers={"Stripe-Signature": header}
    )
    assert_error(garbage, 400)

    assert _snapshot(billing) == before and _events(billing) == stored
    assert billing.plan(sam) == "free"
    assert billing.subjects(sam) == []


def test_a_stale_signature_is_refused(billing: Billing) -> None:
    sam = billing.api.sign_up("sam@example.com")
    events = billing.stripe.pay_checkout(billing.checkout(sam))
    stale = billing.stripe.deliver(billing.client, events[2], timestamp=int(time.time()) - 301)
    assert_error(stale, 400, "signature_refused")
    assert "300" in stale.json()["error"]["message"]
    assert billing.plan(sam) == "free" and _events(billing) == 0
    # the same event, freshly signed (Stripe's retry), is accepted
    assert billing.stripe.deliver(billing.client, events[2]).status_code == 200
    assert billing.plan(sam) == "pro"


def test_events_reelforge_does_not_handle_are_recorded_and_ignored(billing: Billing) -> None:
    sam = billing.api.sign_up("sam@example.com")
    events = billing.stripe.pay_checkout(billing.checkout(sam))
    charge = events[1]
    assert charge["type"] == "charge.succeeded"
    answer = billing.stripe.deliver(billing.client, charge)
    assert answer.json() == {"received": True, "duplicate": False, "handled": False}
    assert billing.plan(sam) == "free"


def test_an_event_for_an_unknown_customer_is_accepted_and_ignored(billing: Billing) -> None:
    stranger = billing.stripe._create_customer({"email": "x@example.com"}).body
    assert isinstance(stranger, dict)
    event = billing.stripe.event(
        "customer.subscription.updated",
        {"id": "sub_unknown0000000000000", "object": "subscription", "customer": stranger["id"]},
    )
    answer = billing.stripe.deliver(billing.client, event)
    assert answer.status_code == 200 and answer.json()["handled"] is False
