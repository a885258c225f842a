"""``reelforge billing sync``: re-read every subscription from Stripe (after missed webhooks).

Webhooks can be missed (the endpoint was down for longer than Stripe retries,
or the secret was wrong). This walks every billing account, asks Stripe for the
customer's subscriptions and applies the current one exactly as a webhook
would (:func:`subscriptions.follow`), mailing only what changed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from reelforge.accounts.mailer import Mailer
from reelforge.accounts.tables import User
from reelforge.billing import gate, notices
from reelforge.billing.notices import Notice
from reelforge.billing.subscriptions import follow
from reelforge.billing.tables import BillingAccount
from reelforge.clock import utc_now
from reelforge.deps import Deps
from reelforge.errors import ProviderError
from reelforge.providers.billing.stripe_api import Subscription

log = logging.getLogger(__name__)


@dataclass
class SyncReport:
    checked: int = 0
    changed: int = 0
    failed: list[str] = field(default_factory=list)  # reasons, one per account not read


def _current(subscriptions: list[Subscription], stored: str | None) -> Subscription | None:
    """The newest live subscription; else the stored one; else the newest."""
    live = [s for s in subscriptions if s.live]
    if live:
        return live[0]
    same = [s for s in subscriptions if s.id == stored]
    return same[0] if same else (subscriptions[0] if subscriptions else None)


def sync_all(
    deps: Deps, *, mailer: Mailer | None = None, now: datetime | None = None
) -> SyncReport:
    settings = deps.settings
    gate.require_billing(settings)
    now = now or utc_now()
    with deps.database.session() as db:
        rows = db.execute(
            select(BillingAccount.id, BillingAccount.customer_id, BillingAccount.subscription_id)
        ).all()
    report = SyncReport()
    out: list[Notice] = []
    client = gate.stripe_client(settings)
    try:
        for account_id, customer_id, stored in rows:
            try:
                found = client.list_subscriptions(customer_id)
            except ProviderError as exc:
                report.failed.append(exc.message)
                continue
            report.checked += 1
            current = _current(found, stored)
            if current is None and stored is None:
                continue  # never subscribed: nothing to follow
            with deps.database.session() as db:
                account = db.get(BillingAccount, account_id)
                user = db.get(User, account.owner_id) if account else None
                if account is None or user is None:
                    continue
                before = (user.plan, account.status, account.subscription_id)
                follow(
                    db,
                    settings,
                    account=account,
                    subscription=current,
                    subscription_id=current.id if current else stored,
                    now=now,
                    out=out,
                )
                if (user.plan, account.status, account.subscription_id) != before:
                    report.changed += 1
    finally:
        client.close()
    notices.send_all(mailer or notices.mailer_of(deps), out)
    return report
