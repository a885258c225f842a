"""Plans as the operator defines them (settings or a JSON/TOML file), with their prices."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reelforge.accounts import usage
from reelforge.config import Settings
from reelforge.errors import ConfigError
from tests.billing.support import Billing
from tests.store.support import configured
from tests.web.support import assert_error


def test_plans_show_limits_and_prices(billing: Billing) -> None:
    plans = billing.client.get("/api/v1/plans").json()  # no sign-in needed
    assert [p["name"] for p in plans] == ["free", "pro", "studio"]
    free, pro, studio = plans
    assert free["default"] and not free["for_sale"] and free["price"] is None
    assert free["limits"]["jobs"] == 2 and free["limits"]["api_requests"] is None
    assert pro["for_sale"] and pro["price"] == {
        "amount": 900,
        "currency": "usd",
        "interval": "month",
    }
    assert studio["price"] == {"amount": 2900, "currency": "usd", "interval": "month"}
    assert studio["byok_required"] and studio["description"].startswith("Unlimited")
    # pro's price came from Stripe, once; studio states its own
    billing.client.get("/api/v1/plans")
    asked = [r.path for r in billing.stripe.requests if r.path.startswith("/v1/prices")]
    assert asked == ["/v1/prices/price_pro_monthly"]


def test_only_plans_for_sale_can_be_bought(billing: Billing) -> None:
    sam = billing.api.sign_up("sam@example.com")
    for plan, words in (("free", "not for sale"), ("gold", "There is no plan 'gold'")):
        answer = billing.client.post(
            "/api/v1/billing/checkout", json={"plan": plan}, headers=sam.headers
        )
        error = assert_error(answer, 400)
        assert words in error["message"] and error["details"]["plans"] == ["pro", "studio"]
    portal = billing.client.post("/api/v1/billing/portal", headers=sam.headers)
    assert "choose a plan first" in assert_error(portal, 404)["message"]
    assert billing.stripe.requests == []


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (
            "plans.json",
            json.dumps({"plans": {"free": {"jobs": 1}, "pro": {"price_id": "price_p"}}}),
        ),
        ("plans.toml", '[free]\njobs = 1\n\n[pro]\nprice_id = "price_p"\nserver_keys = false\n'),
    ],
)
def test_plans_can_come_from_a_file(
    settings: Settings, tmp_path: Path, name: str, text: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    from_file = configured(settings, plans_file=path, default_plan="free")
    assert [p.name for p in usage.all_plans(from_file)] == ["free", "pro"]
    assert usage.plan_for(from_file, None).limit("jobs") == 1
    assert usage.plan_for_price(from_file, "price_p") == usage.plan_for(from_file, "pro")
    path.write_text(text.replace("1", "5"))  # edited: read again
    assert usage.plan_for(from_file, None).limit("jobs") == 5


def test_a_broken_plans_file_names_the_setting(settings: Settings, tmp_path: Path) -> None:
    broken = tmp_path / "plans.toml"
    broken.write_text("[free\n")
    with pytest.raises(ConfigError) as info:
        usage.plan_for(configured(settings, plans_file=broken, default_plan="free"), None)
    assert "REELFORGE_PLANS_FILE" in info.value.message
    with pytest.raises(ConfigError):
        usage.plan_for(configured(settings, plans_file=tmp_path / "nope.json"), None)


@pytest.mark.parametrize(
    "plans",
    [
        {"a": {"price_id": "price_same"}, "b": {"price_id": "price_same"}},
        {"a": {"interval": "fortnight"}},
        {"a": {"jobs": -1}},
        {"a": {"amount": "9.00"}},
    ],
)
def test_misdefined_plans_are_reported(settings: Settings, plans: dict[str, object]) -> None:
    with pytest.raises(ConfigError) as info:
        usage.all_plans(configured(settings, plans=plans, default_plan="a"))
    assert "REELFORGE_PLANS" in info.value.message
