"""Plans and billing: the plans on offer, Checkout to upgrade, the portal to manage, the
Stripe webhook, and the caller's own billing status.

``GET /plans`` needs no sign-in (prices are public). The webhook needs no
sign-in either: its credential is the ``Stripe-Signature`` over the raw body,
which is read here untouched (parsing it first would break the signature).
With billing off every route but ``/plans`` answers 404 ``billing_off``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request
from starlette.concurrency import run_in_threadpool

from reelforge.billing import checkout, gate, plans, status, webhooks
from reelforge.web.api.bodies.billing import (
    BillingOut,
    CheckoutIn,
    PlanOut,
    RedirectOut,
    WebhookAck,
)
from reelforge.web.deps import DbDep, PrincipalDep, RuntimeDep, SettingsDep, get_runtime

router = APIRouter(tags=["billing"])

WEBHOOK_BODY = {
    "requestBody": {
        "required": True,
        "description": "A Stripe event exactly as Stripe sent it (the signature covers the bytes).",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
}


@router.get("/plans", response_model=list[PlanOut], summary="The plans, their limits and prices")
def list_plans(settings: SettingsDep) -> list[PlanOut]:
    return [PlanOut.of(offer) for offer in plans.catalogue(settings)]


@router.get("/billing", response_model=BillingOut, summary="Your plan, subscription and usage")
def read_billing(principal: PrincipalDep, db: DbDep, runtime: RuntimeDep) -> BillingOut:
    return BillingOut.of(status.billing_status(db, runtime, user_id=principal.user_id))


@router.post(
    "/billing/checkout",
    response_model=RedirectOut,
    summary="Start a Stripe Checkout to subscribe to a plan",
    description="The plan changes when Stripe's signed webhook confirms the payment, not when "
    "the browser comes back.",
)
def start_checkout(
    body: CheckoutIn, principal: PrincipalDep, db: DbDep, settings: SettingsDep
) -> RedirectOut:
    url = checkout.start_checkout(db, settings, user_id=principal.user_id, plan=body.plan)
    return RedirectOut(url=url)


@router.post(
    "/billing/portal",
    response_model=RedirectOut,
    summary="Open the Stripe Customer Portal (change plan, card, invoices, cancel)",
)
def open_portal(principal: PrincipalDep, db: DbDep, settings: SettingsDep) -> RedirectOut:
    return RedirectOut(url=checkout.open_portal(db, settings, user_id=principal.user_id))


@router.post(
    "/billing/webhook",
    response_model=WebhookAck,
    summary="Stripe's webhook (signed with the endpoint's secret)",
    openapi_extra=WEBHOOK_BODY,
)
async def stripe_webhook(
    request: Request,
    stripe_signature: Annotated[str | None, Header(alias="Stripe-Signature")] = None,
) -> WebhookAck:
    runtime = get_runtime(request)
    gate.require_billing(runtime.settings)  # before reading a body nobody will use
    payload = await request.body()
    result = await run_in_threadpool(
        webhooks.handle, runtime, runtime.mailer, payload=payload, signature=stripe_signature
    )
    return WebhookAck(duplicate=result.duplicate, handled=result.handled)
