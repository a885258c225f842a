"""How a user's plan follows their Stripe subscription: the one place that decides.

Every caller (webhooks, the grace sweep, ``reelforge billing sync``) first
re-reads the subscription from Stripe and hands the answer to :func:`follow`,
so the order in which webhooks arrive does not matter: an old
``customer.subscription.updated`` delivered late applies today's state, not
its own stale copy.

* ``active``/``trialing``: the plan whose ``price_id`` the subscription pays for.
* ``past_due``/``unpaid``: the plan is kept and a grace period starts
  (``REELFORGE_BILLING_GRACE_DAYS``); the hourly sweep moves the account to the
  default plan when it ends unpaid (:mod:`reelforge.billing.grace`).
* ``incomplete``: no change (the first payment is still being confirmed).
* ``canceled``/``incomplete_expired``/``paused``, or gone at Stripe: the default plan.

A subscription other than the stored one that has ended is ignored (an old
subscription's last events cannot downgrade a newer one); a new live one
replaces the stored one.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from reelforge.accounts import usage
from reelforge.accounts.tables import User
from reelforge.billing import notices
from reelforge.billing.notices import Notice
from reelforge.billing.tables import BillingAccount
from reelforge.config import Settings
from reelforge.providers.billing.stripe_api import Subscription

log = logging.getLogger(__name__)

ENTITLED = frozenset({"active", "trialing"})
IN_ARREARS = frozenset({"past_due", "unpaid"})
PENDING = frozenset({"incomplete"})
#: A user with one of these may not start a second subscription (the portal changes it).
HOLDS_A_PLAN = ENTITLED | IN_ARREARS


def moment(epoch: int | None) -> datetime | None:
    return datetime.fromtimestamp(epoch, UTC) if epoch is not None else None


def account_of_user(db: Session, user_id: str) -> BillingAccount | None:
    return db.scalar(select(BillingAccount).where(BillingAccount.owner_id == user_id))


def account_of_customer(db: Session, customer_id: str) -> BillingAccount | None:
    if not customer_id:
        return None
    return db.scalar(select(BillingAccount).where(BillingAccount.customer_id == customer_id))


def link_customer(db: Session, *, user_id: str, customer_id: str) -> BillingAccount | None:
    """The user's account, created for ``customer_id`` when they have none; None when the
    user is gone or already has another customer."""
    if not customer_id or db.get(User, user_id) is None:
        return None
    account = account_of_user(db, user_id)
    if account is None:
        account = BillingAccount(owner_id=user_id, customer_id=customer_id)
        db.add(account)
        db.flush()
    elif account.customer_id != customer_id:
        log.warning("a Stripe customer for a user who already has another one was ignored")
        return None
    return account


def plan_label(settings: Settings, name: str | None) -> str:
    return name or settings.default_plan


def follow(
    db: Session,
    settings: Settings,
    *,
    account: BillingAccount,
    subscription: Subscription | None,
    subscription_id: str | None,
    now: datetime,
    out: list[Notice],
) -> None:
    """Make the account and its user's plan match ``subscription`` as Stripe has it now
    (None: Stripe has no subscription ``subscription_id``)."""
    user = db.get(User, account.owner_id)
    if user is None:
        return
    stored = account.subscription_id
    if subscription is None:
        if subscription_id is None or (stored is not None and stored != subscription_id):
            return  # nothing to follow, or about a subscription that is not the current one
        account.status = status = "canceled"  # gone at Stripe
    else:
        if stored is not None and stored != subscription.id and not subscription.live:
            return  # an older subscription ended; the current one decides
        account.subscription_id = subscription.id
        account.price_id = subscription.price_id
        account.status = status = subscription.status
        account.current_period_end = moment(subscription.current_period_end)
    old = user.plan
    new = old
    if status in ENTITLED and subscription is not None:
        plan = usage.plan_for_price(settings, subscription.price_id)
        if plan is None:
            log.error(
                "a subscription pays for a price that no plan names; keeping the user's plan "
                "(add price_id to a plan in REELFORGE_PLANS)"
            )
        else:
            new = plan.name
        account.grace_ends_at = None
    elif status in IN_ARREARS:
        start_grace(settings, account, user, now)
    elif status not in PENDING:
        new = None
        account.grace_ends_at = None
    if new != old:
        user.plan = new
        if new is None:
            out.append(
                notices.cancelled(
                    user.email, old=plan_label(settings, old), default_plan=settings.default_plan
                )
            )
        else:
            out.append(notices.plan_changed(user.email, old=plan_label(settings, old), new=new))


def start_grace(settings: Settings, account: BillingAccount, user: User, now: datetime) -> None:
    """A payment failed: keep the paid plan until the grace period ends (once per failure
    run: a later failure does not extend it)."""
    if account.grace_ends_at is None and user.plan is not None:
        account.grace_ends_at = now + timedelta(days=settings.billing_grace_days)
