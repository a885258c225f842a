"""`reelforge plans` and `reelforge billing sync` (recovery after missed webhooks)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from reelforge.cli.main import app
from reelforge.config import Settings, secret_text
from tests.billing.support import PLANS, Billing


def _env(settings: Settings) -> dict[str, str]:
    return {
        "REELFORGE_HOME": str(settings.home),
        "REELFORGE_BILLING_ENABLED": "true" if settings.billing_enabled else "false",
        "REELFORGE_STRIPE_API_KEY": secret_text(settings.stripe_api_key),
        "REELFORGE_STRIPE_WEBHOOK_SECRET": secret_text(settings.stripe_webhook_secret),
        "REELFORGE_STRIPE_BASE_URL": settings.stripe_base_url,
        "REELFORGE_PLANS": json.dumps(settings.plans),
        "REELFORGE_DEFAULT_PLAN": settings.default_plan,
        "REELFORGE_PUBLIC_URL": settings.public_url,
    }


def test_plans_lists_limits_and_prices(billing_settings: Settings) -> None:
    result = CliRunner().invoke(app, ["plans"], env=_env(billing_settings))
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "free (default)" in out and "2 jobs/month" in out and "3 creators" in out
    assert "9.00 USD / month" in out and "29.00 USD / month" in out
    assert "bring your own" in out
    assert '"plan": "<name>"' in out


def test_plans_on_a_self_hosted_install(settings: Settings) -> None:
    result = CliRunner().invoke(app, ["plans"], env={"REELFORGE_HOME": str(settings.home)})
    assert result.exit_code == 0, result.output
    assert "selfhost (default)" in result.output and "no limits" in result.output
    assert "Upgrade" not in result.output


def test_sync_catches_up_after_missed_webhooks(
    billing: Billing, billing_settings: Settings
) -> None:
    sam = billing.api.sign_up("sam@example.com")
    ana = billing.api.sign_up("ana@example.com")
    sam_sub = billing.subscribe(sam, "pro")
    ana_sub = billing.subscribe(ana, "pro")
    # Changes at Stripe whose webhooks never arrive:
    billing.stripe.change_price(sam_sub, "price_studio_monthly")
    billing.stripe.end(ana_sub)
    assert (billing.plan(sam), billing.plan(ana)) == ("pro", "pro")

    result = CliRunner().invoke(app, ["billing", "sync"], env=_env(billing_settings))
    assert result.exit_code == 0, result.output
    assert "2 billing account(s) read from Stripe, 2 changed" in " ".join(result.output.split())
    assert (billing.plan(sam), billing.plan(ana)) == ("studio", "free")
    assert billing.subjects(sam)[-1] == "Your plan is now studio"
    assert billing.subjects(ana)[-1] == "Your pro subscription has ended"

    again = CliRunner().invoke(app, ["billing", "sync"], env=_env(billing_settings))
    assert "0 changed" in again.output


def test_sync_with_billing_off_says_so(settings: Settings) -> None:
    result = CliRunner().invoke(
        app, ["billing", "sync"], env={"REELFORGE_HOME": str(settings.home)}
    )
    assert result.exit_code != 0
    assert "REELFORGE_BILLING_ENABLED" in str(result.exception)


@pytest.mark.parametrize("name", list(PLANS))
def test_every_test_plan_is_valid(billing_settings: Settings, name: str) -> None:
    from reelforge.accounts import usage

    assert usage.plan_for(billing_settings, name).name == name
