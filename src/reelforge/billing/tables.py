"""Billing tables: each user's Stripe customer and subscription, and the webhook events seen.

What is kept is the least that lets reelforge act (promise P27): the Stripe
customer id, subscription id, price id, subscription status and period end —
never a card, an address, an invoice or a payment. ``grace_ends_at`` is
reelforge's own date (when a failed payment's grace period ends).

``billing_events`` holds the ids of processed webhook events under a unique
key, written in the same transaction as the event's effect, so a replayed or
duplicated delivery is recognised and does nothing. It names no user.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from reelforge.clock import utc_now
from reelforge.store.orm import Base, IdStr, UTCDateTime, created_column, new_id


class BillingAccount(Base):
    """One user's Stripe customer and current subscription (at most one per user)."""

    __tablename__ = "billing_accounts"

    id: Mapped[str] = mapped_column(IdStr, primary_key=True, default=new_id)
    owner_id: Mapped[str] = mapped_column(
        IdStr, ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    customer_id: Mapped[str] = mapped_column(String(255), unique=True)  # cus_…
    subscription_id: Mapped[str | None] = mapped_column(String(255), unique=True)  # sub_…
    price_id: Mapped[str | None] = mapped_column(String(255))  # price_…
    status: Mapped[str | None] = mapped_column(String(32))  # Stripe's subscription status
    current_period_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    grace_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # after a failed payment
    created_at: Mapped[datetime] = created_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)


class BillingEvent(Base):
    """A Stripe webhook event already processed (by its id: evt_…)."""

    __tablename__ = "billing_events"

    id: Mapped[str] = mapped_column(IdStr, primary_key=True, default=new_id)
    event_id: Mapped[str] = mapped_column(String(255), unique=True)
    type: Mapped[str] = mapped_column(String(100))
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)
