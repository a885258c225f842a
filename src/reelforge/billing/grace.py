"""The end of a grace period: an account whose payment stayed unpaid moves to the default plan.

Run hourly by the worker (:mod:`reelforge.billing.jobs`). Each account whose
grace period has ended while it still has a paid plan is re-read from Stripe
first — a retry may have succeeded and its webhook not arrived yet — and only
an account still unpaid is moved to ``REELFORGE_DEFAULT_PLAN`` and mailed.
The subscription itself is left to Stripe's retry rules: a later successful
payment brings the plan back through its webhook. Event ids older than
:data:`EVENTS_KEPT_DAYS` are dropped on the way (Stripe stops retrying after
three days).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from reelforge.accounts.mailer import Mailer
from reelforge.accounts.tables import User
from reelforge.billing import gate, notices
from reelforge.billing.notices import Notice
from reelforge.billing.subscriptions import ENTITLED, follow, plan_label
from reelforge.billing.tables import BillingAccount, BillingEvent
from reelforge.clock import utc_now
from reelforge.deps import Deps
from reelforge.errors import ProviderError
from reelforge.providers.billing.stripe_api import Subscription

log = logging.getLogger(__name__)
EVENTS_KEPT_DAYS = 35


@dataclass(frozen=True)
class SweepResult:
    checked: int
    downgraded: int
    recovered: int
    events_pruned: int


def sweep(deps: Deps, *, mailer: Mailer | None = None, now: datetime | None = None) -> SweepResult:
    """Downgrade every account whose grace period ended unpaid; prune old event ids."""
    settings = deps.settings
    now = now or utc_now()
    if not settings.billing_enabled:
        return SweepResult(0, 0, 0, 0)
    with deps.database.session() as db:
        due = db.execute(
            select(BillingAccount.id, BillingAccount.subscription_id)
            .join(User, User.id == BillingAccount.owner_id)
            .where(BillingAccount.grace_ends_at <= now, User.plan.is_not(None))
        ).all()
    out: list[Notice] = []
    downgraded = recovered = 0
    client = gate.stripe_client(settings) if due else None
    try:
        for account_id, subscription_id in due:
            current: Subscription | None = None
            if client is not None and subscription_id:
                try:
                    current = client.retrieve_subscription(subscription_id)
                except ProviderError as exc:  # tried again next hour
                    log.warning("grace sweep: Stripe could not be asked (%s)", exc.message)
                    continue
            with deps.database.session() as db:
                account = db.get(BillingAccount, account_id)
                if account is None:
                    continue
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
                if user is None or user.plan is None:
                    continue  # the subscription ended meanwhile (follow mailed it)
                if account.status in ENTITLED or account.grace_ends_at is None:
                    recovered += 1
                    continue
                old = user.plan
                user.plan = None
                downgraded += 1
                out.append(
                    notices.downgraded(
                        user.email,
                        old=plan_label(settings, old),
                        default_plan=settings.default_plan,
                    )
                )
    finally:
        if client is not None:
            client.close()
    with deps.database.session() as db:
        cutoff = now - timedelta(days=EVENTS_KEPT_DAYS)
        pruned = db.execute(delete(BillingEvent).where(BillingEvent.processed_at < cutoff))
        pruned_count = int(getattr(pruned, "rowcount", 0) or 0)
    notices.send_all(mailer or notices.mailer_of(deps), out)
    return SweepResult(len(due), downgraded, recovered, pruned_count)
