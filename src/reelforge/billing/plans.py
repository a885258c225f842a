"""The plans an operator offers, with their limits and prices, as users see them.

Plans are settings (:mod:`reelforge.accounts.usage` parses and validates them);
this module adds the price. A plan may state its price (``amount``,
``currency``, ``interval``); otherwise, with billing on, the price is read from
Stripe by its ``price_id`` and remembered for ten minutes. With billing off
nothing is for sale and Stripe is never asked.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from reelforge.accounts import usage
from reelforge.billing import gate
from reelforge.config import Settings
from reelforge.errors import ProviderError
from reelforge.providers.billing.stripe_api import Price

log = logging.getLogger(__name__)
PRICE_TTL_S = 600.0

_prices: dict[tuple[str, str], tuple[float, Price]] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Offer:
    plan: usage.Plan
    amount: int | None
    currency: str | None
    interval: str | None
    for_sale: bool
    default: bool


def _price(settings: Settings, price_id: str) -> Price | None:
    key = (settings.stripe_base_url, price_id)
    with _lock:
        cached = _prices.get(key)
    if cached is not None and time.monotonic() - cached[0] < PRICE_TTL_S:
        return cached[1]
    client = gate.stripe_client(settings)
    try:
        price = client.retrieve_price(price_id)
    except ProviderError as exc:
        log.warning("could not read a plan's price from Stripe: %s", exc.message)
        return None
    finally:
        client.close()
    with _lock:
        _prices[key] = (time.monotonic(), price)
    return price


def catalogue(settings: Settings) -> list[Offer]:
    """Every plan in the operator's order, with its price where it has one."""
    offers = []
    for plan in usage.all_plans(settings):
        amount, currency, interval = plan.amount, plan.currency, plan.interval
        for_sale = settings.billing_enabled and plan.price_id is not None
        if for_sale and plan.price_id and amount is None:
            price = _price(settings, plan.price_id)
            if price is not None:
                amount, currency = price.unit_amount, price.currency or currency
                interval = interval or price.interval
        offers.append(
            Offer(
                plan=plan,
                amount=amount if for_sale else None,
                currency=currency if for_sale else None,
                interval=interval if for_sale else None,
                for_sale=for_sale,
                default=plan.name == settings.default_plan,
            )
        )
    return offers
