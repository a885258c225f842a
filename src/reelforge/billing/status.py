"""What a user sees of their billing: plan, subscription, grace period, usage against limits.

Usage per period comes with the moment it resets; totals (creators tracked,
bytes stored) are counted here from the tables and files that hold them, so
the user sees every limit their plan sets in one answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reelforge.accounts import usage
from reelforge.accounts.tables import User
from reelforge.accounts.usage import MetricUsage, Plan, UsageSummary
from reelforge.billing import gate
from reelforge.billing.subscriptions import account_of_user
from reelforge.deps import Deps
from reelforge.errors import NotFound
from reelforge.research.tables import Creator


@dataclass(frozen=True)
class BillingStatus:
    plan: Plan
    subscription_id: str | None
    status: str | None
    price_id: str | None
    current_period_end: datetime | None
    grace_ends_at: datetime | None
    usage: UsageSummary
    totals: dict[str, MetricUsage]


def totals(
    db: Session, deps: Deps, *, owner_id: str, plan: usage.Plan
) -> dict[str, usage.MetricUsage]:
    creators = db.scalar(select(func.count()).where(Creator.owner_id == owner_id)) or 0
    stored = usage.stored_bytes(deps.blobs, owner_id=owner_id)
    return {
        "creators": MetricUsage(float(creators), plan.limit("creators")),
        "storage_bytes": MetricUsage(float(stored), plan.limit("storage_bytes")),
    }


def billing_status(db: Session, deps: Deps, *, user_id: str) -> BillingStatus:
    settings = deps.settings
    gate.require_billing(settings)
    user = db.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    plan = usage.plan_for(settings, user.plan)
    account = account_of_user(db, user_id)
    return BillingStatus(
        plan=plan,
        subscription_id=account.subscription_id if account else None,
        status=account.status if account else None,
        price_id=account.price_id if account else None,
        current_period_end=account.current_period_end if account else None,
        grace_ends_at=account.grace_ends_at if account else None,
        usage=usage.summary(db, settings, owner_id=user_id),
        totals=totals(db, deps, owner_id=user_id, plan=plan),
    )
