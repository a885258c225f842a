"""A paying user's whole year: subscribe, pay, renew, a failed payment, the grace period, the
downgrade, recovery and cancellation — each step through Stripe's signed webhooks, each
mailed, and the plan changing only when a webhook says so."""

from __future__ import annotations

from datetime import datetime, timedelta

from reelforge.billing import grace
from reelforge.billing import jobs as billing_jobs
from reelforge.clock import utc_now
from reelforge.jobs.registry import JobRegistry
from tests.billing.support import Billing


def test_a_subscription_from_checkout_to_cancellation(billing_on_each_backend: Billing) -> None:
    billing = billing_on_each_backend
    sam = billing.api.sign_up("sam@example.com")
    assert billing.plan(sam) == "free"

    # Upgrade: Checkout for the pro price, with the user's id as the client reference.
    session_id = billing.checkout(sam, "pro")
    session = billing.stripe.sessions[session_id]
    assert session["mode"] == "subscription"
    assert session["client_reference_id"] == sam.user_id
    assert session["_price"] == "price_pro_monthly"
    customer = session["customer"]
    assert billing.stripe.customers[customer]["metadata"] == {"reelforge_user_id": sam.user_id}

    # Coming back from Checkout proves nothing: only the webhook changes the plan.
    billing.client.get(session["success_url"].replace("https://studio.example.com", ""))
    assert billing.plan(sam) == "free"

    events = billing.stripe.pay_checkout(session_id)
    sub_id = billing.stripe.sessions[session_id]["subscription"]
    billing.deliver(events)
    assert billing.plan(sam) == "pro"
    status = billing.status(sam)
    assert status["subscription"]["status"] == "active"
    assert status["subscription"]["price_id"] == "price_pro_monthly"
    first_end = datetime.fromisoformat(status["subscription"]["current_period_end"])
    assert billing.subjects(sam) == ["Your plan is now pro", "Receipt: 9.00 USD for your pro plan"]

    # A second Checkout while subscribed is refused: the portal changes plans.
    again = billing.client.post(
        "/api/v1/billing/checkout", json={"plan": "studio"}, headers=sam.headers
    )
    assert again.status_code == 400 and "/api/v1/billing/portal" in again.json()["error"]["message"]
    portal = billing.client.post("/api/v1/billing/portal", headers=sam.headers)
    assert portal.status_code == 200
    assert portal.json()["url"].startswith("https://billing.stripe.com/p/session/")
    (opened,) = billing.stripe.portal_sessions.values()
    assert opened["customer"] == customer
    assert opened["return_url"] == "https://studio.example.com/account"

    # Renewal: a receipt, the period moves on.
    billing.deliver(billing.stripe.renew(sub_id))
    status = billing.status(sam)
    renewed_end = datetime.fromisoformat(status["subscription"]["current_period_end"])
    assert renewed_end - first_end == timedelta(days=30)
    assert billing.subjects(sam)[-1] == "Receipt: 9.00 USD for your pro plan"

    # The next renewal fails: past due, mailed, the plan kept through the grace period.
    billing.deliver(billing.stripe.fail_renewal(sub_id))
    status = billing.status(sam)
    assert status["subscription"]["status"] == "past_due"
    assert billing.plan(sam) == "pro"
    grace_ends = datetime.fromisoformat(status["grace_ends_at"])
    assert timedelta(days=6, hours=23) < grace_ends - utc_now() <= timedelta(days=7)
    assert billing.subjects(sam)[-1] == "Payment failed for your pro plan"
    assert grace_ends.strftime("%d %B %Y") in billing.bodies(sam)[-1]

    # The hourly sweep before the deadline changes nothing; after it, the account moves down.
    runtime = billing.runtime
    early = grace.sweep(runtime, now=grace_ends - timedelta(hours=1))
    assert (early.checked, early.downgraded) == (0, 0) and billing.plan(sam) == "pro"
    late = grace.sweep(runtime, now=grace_ends + timedelta(minutes=1))
    assert (late.checked, late.downgraded) == (1, 1)
    assert billing.plan(sam) == "free"
    assert billing.subjects(sam)[-1] == "Your account moved to the free plan"
    again_late = grace.sweep(runtime, now=grace_ends + timedelta(hours=2))
    assert again_late.downgraded == 0  # mailed once
    assert billing.subjects(sam).count("Your account moved to the free plan") == 1

    # Stripe's retry succeeds later: the plan comes back.
    billing.deliver(billing.stripe.recover(sub_id))
    assert billing.plan(sam) == "pro"
    assert billing.status(sam)["grace_ends_at"] is None
    assert billing.subjects(sam)[-2:] == [
        "Your plan is now pro",
        "Receipt: 9.00 USD for your pro plan",
    ]

    # Cancel in the portal: kept until the period ends, then over.
    billing.deliver(billing.stripe.schedule_cancel(sub_id))
    assert billing.plan(sam) == "pro"
    assert billing.subjects(sam)[-1].startswith("Your pro subscription will end on ")
    billing.deliver(billing.stripe.end(sub_id))
    assert billing.plan(sam) == "free"
    assert billing.status(sam)["subscription"]["status"] == "canceled"
    assert billing.subjects(sam)[-1] == "Your pro subscription has ended"

    # After the end a new Checkout is allowed again, reusing the same Stripe customer.
    session_id = billing.checkout(sam, "studio")
    assert billing.stripe.sessions[session_id]["customer"] == customer
    assert len(billing.stripe.customers) == 1


def test_a_plan_switch_in_the_portal_follows_the_price(billing: Billing) -> None:
    sam = billing.api.sign_up("sam@example.com")
    sub_id = billing.subscribe(sam, "pro")
    billing.deliver(billing.stripe.change_price(sub_id, "price_studio_monthly"))
    assert billing.plan(sam) == "studio"
    assert billing.subjects(sam)[-1] == "Your plan is now studio"


def test_a_trial_counts_and_its_end_is_announced(billing: Billing) -> None:
    sam = billing.api.sign_up("sam@example.com")
    session_id = billing.checkout(sam, "pro")
    billing.deliver(billing.stripe.pay_checkout(session_id, trial_days=14))
    assert billing.plan(sam) == "pro"
    sub_id = billing.stripe.sessions[session_id]["subscription"]
    billing.deliver(billing.stripe.trial_will_end(sub_id))
    assert billing.subjects(sam)[-1].startswith("Your pro trial ends on ")


def test_the_grace_sweep_is_a_periodic_task(billing: Billing) -> None:
    registry = JobRegistry()
    billing_jobs.register(registry)
    (task,) = registry.periodic
    assert task.name == "billing_grace_sweep" and task.minute == "23"
    task.run(billing.runtime, billing.runtime.queue)  # nothing due: nothing happens


def test_the_sweep_rereads_stripe_before_it_downgrades(billing: Billing) -> None:
    """A retry that succeeded while its webhook was lost must not cost the user their plan."""
    sam = billing.api.sign_up("sam@example.com")
    sub_id = billing.subscribe(sam, "pro")
    billing.deliver(billing.stripe.fail_renewal(sub_id))
    billing.stripe.recover(sub_id)  # paid at Stripe; the webhooks never arrive
    result = grace.sweep(billing.runtime, now=utc_now() + timedelta(days=8))
    assert (result.downgraded, result.recovered) == (0, 1)
    assert billing.plan(sam) == "pro"
    assert billing.status(sam)["subscription"]["status"] == "active"
