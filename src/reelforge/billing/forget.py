"""Account deletion, billing's part (promise P24): cancel at Stripe, delete the customer.

Called by :func:`reelforge.privacy.delete.delete_account` before the user's
rows go. The live subscription is cancelled at once (no further charge) and
the Stripe customer is deleted, so nothing of the user stays with reelforge's
Stripe account beyond what Stripe must keep by law; the local billing row is
deleted with it. If Stripe cannot be reached the deletion stops with a
retryable error instead of leaving a subscription that would keep charging a
deleted account.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from reelforge.billing import gate
from reelforge.billing.subscriptions import account_of_user
from reelforge.deps import Deps
from reelforge.providers.billing.stripe_api import LIVE_STATUSES


def forget_customer(db: Session, deps: Deps, *, user_id: str) -> bool:
    """Cancel the user's subscription and delete their Stripe customer and billing row;
    False when they never had one."""
    account = account_of_user(db, user_id)
    if account is None:
        return False
    client = gate.stripe_client(deps.settings)
    try:
        if account.subscription_id and (account.status or "active") in LIVE_STATUSES:
            client.cancel_subscription(
                account.subscription_id,
                idempotency_key=f"reelforge-forget-{account.subscription_id}",
            )
        client.delete_customer(
            account.customer_id, idempotency_key=f"reelforge-forget-{account.customer_id}"
        )
    finally:
        client.close()
    db.delete(account)
    db.flush()
    return True
