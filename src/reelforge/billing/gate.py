"""Whether billing is on, the Stripe client it uses, and where Stripe sends the browser back.

One place decides "billing is off" (a self-hosted studio: every billing route
answers 404 with code ``billing_off`` and a message naming the setting), so
no route or command has its own idea of it.
"""

from __future__ import annotations

from reelforge.config import Settings
from reelforge.errors import BillingOff
from reelforge.providers.billing.stripe_api import StripeClient


def require_billing(settings: Settings) -> None:
    if not settings.billing_enabled:
        raise BillingOff(
            "Billing is off on this server (REELFORGE_BILLING_ENABLED is false): every account "
            f"has the {settings.default_plan} plan and nothing is for sale.",
            details={"setting": "REELFORGE_BILLING_ENABLED"},
        )


def stripe_client(settings: Settings) -> StripeClient:
    """A client for the operator's Stripe account (ConfigError without a key)."""
    return StripeClient(settings)


def _account_page(settings: Settings, query: str) -> str:
    return f"{settings.public_url.rstrip('/')}/account{query}"


def success_url(settings: Settings) -> str:
    return settings.billing_success_url or _account_page(settings, "?billing=success")


def cancel_url(settings: Settings) -> str:
    return settings.billing_cancel_url or _account_page(settings, "?billing=cancelled")


def portal_return_url(settings: Settings) -> str:
    return settings.billing_portal_return_url or _account_page(settings, "")
