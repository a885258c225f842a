"""Request and response bodies of the plans and billing routers."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from reelforge.billing.plans import Offer
from reelforge.billing.status import BillingStatus
from reelforge.web.api.bodies.accounts import MetricOut, UsageOut


class PriceOut(BaseModel):
    amount: int | None = Field(description="In the currency's smallest unit (cents).")
    currency: str | None = Field(examples=["usd"])
    interval: str | None = Field(examples=["month"])


class PlanOut(BaseModel):
    name: str = Field(examples=["pro"])
    description: str
    default: bool = Field(description="The plan an account has without a subscription.")
    for_sale: bool = Field(description="Can be bought with POST /api/v1/billing/checkout.")
    price: PriceOut | None
    period: Literal["month", "day"] = Field(description="When per-period limits reset.")
    limits: dict[str, float | None] = Field(
        description="Per period: api_requests, jobs, renders, render_seconds, posts. Totals: "
        "creators, storage_bytes. null = unlimited."
    )
    server_keys: bool = Field(description="Jobs may use the server's provider keys.")
    byok_required: bool = Field(description="Bring your own provider keys (PUT /provider-keys).")

    @classmethod
    def of(cls, offer: Offer) -> PlanOut:
        plan = offer.plan
        priced = offer.for_sale and offer.amount is not None
        return cls(
            name=plan.name,
            description=plan.description,
            default=offer.default,
            for_sale=offer.for_sale,
            price=PriceOut(amount=offer.amount, currency=offer.currency, interval=offer.interval)
            if priced
            else None,
            period="day" if plan.period == "day" else "month",
            limits=dict(plan.limits),
            server_keys=plan.server_keys,
            byok_required=not plan.server_keys,
        )


class CheckoutIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"plan": "pro"}]})
    plan: str = Field(min_length=1, max_length=64, description="A plan that is for sale.")


class RedirectOut(BaseModel):
    url: str = Field(description="Send the browser here (a Stripe-hosted page).")


class SubscriptionOut(BaseModel):
    status: str | None = Field(examples=["active"])
    price_id: str | None
    current_period_end: datetime | None


class BillingOut(BaseModel):
    plan: str
    subscription: SubscriptionOut | None
    grace_ends_at: datetime | None = Field(
        description="After a failed payment: when the account moves to the default plan."
    )
    usage: UsageOut
    totals: dict[str, MetricOut] = Field(description="creators, storage_bytes: held now.")

    @classmethod
    def of(cls, status: BillingStatus) -> BillingOut:
        subscription = None
        if status.subscription_id:
            subscription = SubscriptionOut(
                status=status.status,
                price_id=status.price_id,
                current_period_end=status.current_period_end,
            )
        return cls(
            plan=status.plan.name,
            subscription=subscription,
            grace_ends_at=status.grace_ends_at,
            usage=UsageOut.of(status.usage),
            totals={k: MetricOut(used=v.used, limit=v.limit) for k, v in status.totals.items()},
        )


class WebhookAck(BaseModel):
    received: bool = True
    duplicate: bool = Field(description="This event was processed before; nothing changed.")
    handled: bool = Field(description="The event type changes something in reelforge.")
