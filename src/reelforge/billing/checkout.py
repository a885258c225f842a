"""Upgrade and manage: a Stripe Checkout Session to subscribe, a Customer Portal session to
change plan, update the card, see invoices or cancel.

Neither changes the user's plan: Checkout's redirect back to reelforge proves
nothing (anyone can open the success URL), so the plan changes only when the
signed webhook says the subscription is paid (:mod:`reelforge.billing.webhooks`).
The user's Stripe customer is made once, before their first Checkout, and
reused for every later one; its id is all that is kept of it.
"""

from __future__ import annotations

import hashlib
import uuid

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reelforge.accounts import usage
from reelforge.accounts.tables import User
from reelforge.billing import gate
from reelforge.billing.subscriptions import HOLDS_A_PLAN, account_of_user
from reelforge.billing.tables import BillingAccount
from reelforge.config import Settings
from reelforge.errors import InputError, NotFound
from reelforge.providers.billing.stripe_api import StripeClient

PORTAL_PATH = "/api/v1/billing/portal"


def _plan_for_sale(settings: Settings, name: str) -> usage.Plan:
    plans = usage.all_plans(settings)
    for_sale = [p.name for p in plans if p.price_id]
    plan = next((p for p in plans if p.name == name), None)
    if plan is None:
        raise InputError(
            f"There is no plan {name!r}; choose one of: {', '.join(for_sale) or 'none'}.",
            details={"field": "plan", "plans": for_sale},
        )
    if plan.price_id is None:
        raise InputError(
            f"The {name} plan is not for sale (it is what an account has without a "
            f"subscription); choose one of: {', '.join(for_sale) or 'none'}.",
            details={"field": "plan", "plans": for_sale},
        )
    return plan


def _customer(db: Session, client: StripeClient, user: User) -> BillingAccount:
    """The user's billing account, with a Stripe customer made for it on first use."""
    account = account_of_user(db, user.id)
    if account is not None:
        return account
    # The same user and address give the same key: a retried or doubled request gets the
    # same customer back from Stripe instead of a second one.
    digest = hashlib.sha256(user.email.encode()).hexdigest()[:16]
    customer_id = client.create_customer(
        email=user.email, user_id=user.id, idempotency_key=f"reelforge-customer-{user.id}-{digest}"
    )
    try:
        with db.begin_nested():
            account = BillingAccount(owner_id=user.id, customer_id=customer_id)
            db.add(account)
    except IntegrityError:  # a parallel request stored it first
        account = account_of_user(db, user.id)
        if account is None:
            raise
    return account


def start_checkout(db: Session, settings: Settings, *, user_id: str, plan: str) -> str:
    """The URL of a Stripe Checkout page that subscribes the user to ``plan``."""
    gate.require_billing(settings)
    chosen = _plan_for_sale(settings, plan)
    assert chosen.price_id is not None
    user = db.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    existing = account_of_user(db, user_id)
    if existing is not None and existing.subscription_id and existing.status in HOLDS_A_PLAN:
        raise InputError(
            f"You already have a subscription (the {user.plan or settings.default_plan} plan). "
            f"Change or cancel it in the billing portal: POST {PORTAL_PATH}.",
            details={"portal": PORTAL_PATH},
        )
    client = gate.stripe_client(settings)
    try:
        account = _customer(db, client, user)
        session = client.create_checkout_session(
            customer_id=account.customer_id,
            price_id=chosen.price_id,
            user_id=user.id,
            plan=chosen.name,
            success_url=gate.success_url(settings),
            cancel_url=gate.cancel_url(settings),
            idempotency_key=f"reelforge-checkout-{uuid.uuid4().hex}",
        )
    finally:
        client.close()
    return session.url


def open_portal(db: Session, settings: Settings, *, user_id: str) -> str:
    """The URL of the user's Stripe Customer Portal (plan changes, card, invoices, cancel)."""
    gate.require_billing(settings)
    account = account_of_user(db, user_id)
    if account is None:
        raise NotFound(
            "You have no billing account yet: choose a plan first "
            '(POST /api/v1/billing/checkout {"plan": "…"}).',
        )
    client = gate.stripe_client(settings)
    try:
        session = client.create_portal_session(
            customer_id=account.customer_id,
            return_url=gate.portal_return_url(settings),
            idempotency_key=f"reelforge-portal-{uuid.uuid4().hex}",
        )
    finally:
        client.close()
    return session.url
