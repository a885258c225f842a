"""Billing mail: receipts, failed payments, plan changes, cancellations, trial reminders.

Notices are collected while an event is applied and sent only after its
transaction commits, so a delivery that rolls back (or is a duplicate) mails
nothing, and each state change is mailed once. Mails name amounts, plans and
dates — never a card, and no Stripe object ids (P27); invoices and receipts
from Stripe itself are in the Customer Portal.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from reelforge.accounts.mailer import Mailer, mailer_for
from reelforge.deps import Deps
from reelforge.errors import ProviderError

log = logging.getLogger(__name__)

#: Currencies Stripe counts in whole units (no cents).
ZERO_DECIMAL = frozenset(
    [
        "bif",
        "clp",
        "djf",
        "gnf",
        "jpy",
        "kmf",
        "krw",
        "mga",
        "pyg",
        "rwf",
        "ugx",
        "vnd",
        "vuv",
        "xaf",
        "xof",
        "xpf",
    ]
)
PORTAL_HINT = (
    "Invoices, your payment method and cancellation are in the billing portal "
    "(POST /api/v1/billing/portal, or Billing on your account page)."
)


@dataclass(frozen=True)
class Notice:
    to: str
    subject: str
    text: str


def money(amount: int | None, currency: str | None) -> str:
    if amount is None or not currency:
        return "the plan's price"
    code = currency.lower()
    value = f"{amount:,}" if code in ZERO_DECIMAL else f"{amount / 100:,.2f}"
    return f"{value} {code.upper()}"


def day(moment: datetime | None) -> str:
    return moment.strftime("%d %B %Y") if moment else "the end of the period"


def payment_received(
    to: str,
    *,
    plan: str,
    amount: int | None,
    currency: str | None,
    number: str,
    paid_through: datetime | None,
) -> Notice:
    ref = f" (invoice {number})" if number else ""
    return Notice(
        to,
        f"Receipt: {money(amount, currency)} for your {plan} plan",
        f"Thank you: we received {money(amount, currency)} for your {plan} plan{ref}.\n"
        f"Your plan is paid through {day(paid_through)}.\n\n{PORTAL_HINT}\n",
    )


def payment_failed(
    to: str,
    *,
    plan: str,
    amount: int | None,
    currency: str | None,
    grace_ends_at: datetime | None,
    default_plan: str,
) -> Notice:
    return Notice(
        to,
        f"Payment failed for your {plan} plan",
        f"We could not take {money(amount, currency)} for your {plan} plan. Stripe will try "
        "again; please check your payment method in the billing portal.\n"
        f"You keep the {plan} plan until {day(grace_ends_at)}. If the payment has not gone "
        f"through by then, your account moves to the {default_plan} plan.\n\n{PORTAL_HINT}\n",
    )


def plan_changed(to: str, *, old: str, new: str) -> Notice:
    return Notice(
        to,
        f"Your plan is now {new}",
        f"Your reelforge plan changed from {old} to {new}. The new limits apply now.\n\n"
        f"{PORTAL_HINT}\n",
    )


def cancelled(to: str, *, old: str, default_plan: str) -> Notice:
    return Notice(
        to,
        f"Your {old} subscription has ended",
        f"Your {old} subscription has ended and your account is on the {default_plan} plan now. "
        "Your videos, creators and settings are kept. Choose a plan again at any time.\n",
    )


def cancel_scheduled(to: str, *, plan: str, ends_at: datetime | None) -> Notice:
    return Notice(
        to,
        f"Your {plan} subscription will end on {day(ends_at)}",
        f"As you asked, your {plan} subscription will not renew: you keep the plan until "
        f"{day(ends_at)}. Changed your mind? Renew it in the billing portal.\n",
    )


def downgraded(to: str, *, old: str, default_plan: str) -> Notice:
    return Notice(
        to,
        f"Your account moved to the {default_plan} plan",
        f"The payment for your {old} plan did not go through before the grace period ended, "
        f"so your account is on the {default_plan} plan now. Pay the open invoice in the "
        f"billing portal to get the {old} plan back.\n\n{PORTAL_HINT}\n",
    )


def trial_ending(to: str, *, plan: str, trial_end: datetime | None) -> Notice:
    return Notice(
        to,
        f"Your {plan} trial ends on {day(trial_end)}",
        f"Your free trial of the {plan} plan ends on {day(trial_end)}. Add a payment method in "
        f"the billing portal to keep the plan.\n\n{PORTAL_HINT}\n",
    )


def mailer_of(deps: Deps) -> Mailer:
    """The runtime's mailer where the caller has one (the runtime is a Deps), else the one
    the settings name."""
    found = getattr(deps, "mailer", None)
    return found if isinstance(found, Mailer) else mailer_for(deps.settings)


def send_all(mailer: Mailer, notices: list[Notice]) -> int:
    """Send each notice; one that fails is logged (the change it reports already stands)."""
    sent = 0
    for notice in notices:
        try:
            mailer.send(to=notice.to, subject=notice.subject, text=notice.text)
        except ProviderError as exc:
            log.warning("billing notice %r was not sent: %s", notice.subject, exc.message)
        else:
            sent += 1
    return sent
