"""Limits per plan (P26): a limit reached answers 429 with the limit, when it resets and how
to upgrade; paying lifts it; a bring-your-own-keys plan never uses the server's keys."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from reelforge.accounts import provider_keys, usage
from reelforge.config import Settings
from reelforge.errors import ConfigError, QuotaExceeded
from tests.billing.support import Billing
from tests.store.support import configured
from tests.web.support import assert_error


def _make_video(billing: Billing, headers: dict[str, str]) -> int:
    answer = billing.client.post("/api/v1/videos", json={"topic": "bread"}, headers=headers)
    return int(answer.status_code)


def test_P26_a_limit_answers_429_with_reset_time_and_upgrade_path(billing: Billing) -> None:
    sam = billing.api.sign_up("sam@example.com")
    assert [_make_video(billing, sam.headers) for _ in range(2)] == [202, 202]
    over = billing.client.post("/api/v1/videos", json={"topic": "bread"}, headers=sam.headers)
    error = assert_error(over, 429, "quota_exceeded")
    details = error["details"]
    assert details["limit"] == "jobs" and details["plan"] == "free"
    resets = datetime.fromisoformat(details["resets_at"])
    assert resets > datetime.now(UTC) and (resets.day, resets.hour) == (1, 0)
    assert 0 < int(over.headers["retry-after"]) <= 31 * 24 * 3600
    assert details["upgrade"] == {
        "plan": "pro",
        "method": "POST",
        "path": "/api/v1/billing/checkout",
        "body": {"plan": "pro"},
    }
    assert 'POST /api/v1/billing/checkout {"plan": "pro"}' in error["message"]

    # The upgrade path works: after paying, the same request goes through.
    billing.subscribe(sam, "pro")
    assert _make_video(billing, sam.headers) == 202
    assert billing.status(sam)["usage"]["metrics"]["jobs"] == {"used": 3.0, "limit": 100.0}


def test_limits_are_per_plan_and_per_user(billing: Billing) -> None:
    paying = billing.api.sign_up("paying@example.com")
    free = billing.api.sign_up("free@example.com")
    billing.subscribe(paying, "pro")
    assert [_make_video(billing, paying.headers) for _ in range(3)] == [202, 202, 202]
    assert [_make_video(billing, free.headers) for _ in range(3)] == [202, 202, 429]


def test_billing_status_shows_usage_totals_and_reset(billing: Billing) -> None:
    sam = billing.api.sign_up("sam@example.com")
    created = billing.client.post(
        "/api/v1/creators", json={"platform": "youtube", "handle": "@bakes"}, headers=sam.headers
    )
    assert created.status_code == 201, created.text
    status = billing.status(sam)
    assert status["plan"] == "free" and status["subscription"] is None
    assert status["totals"]["creators"] == {"used": 1.0, "limit": 3.0}
    assert status["totals"]["storage_bytes"] == {"used": 0.0, "limit": None}
    assert status["usage"]["period"] == "month" and status["usage"]["resets_at"]


def test_totals_are_checked_against_the_plan(billing: Billing, billing_settings: Settings) -> None:
    sam = billing.api.sign_up("sam@example.com")
    with billing.runtime.database.session() as db:
        usage.check_total(db, billing_settings, owner_id=sam.user_id, metric="creators", current=2)
        with pytest.raises(QuotaExceeded) as info:
            usage.check_total(
                db, billing_settings, owner_id=sam.user_id, metric="creators", current=3
            )
    error = info.value
    assert error.limit == "creators" and error.resets_at is None
    assert error.details["upgrade"]["plan"] == "pro"
    assert "3 of creators" in error.message


def test_no_upgrade_is_offered_past_the_top_plan(settings: Settings) -> None:
    top = configured(
        settings,
        billing_enabled=True,
        plans={"free": {"jobs": 1}, "pro": {"jobs": 10, "price_id": "price_a"}},
        default_plan="free",
    )
    assert usage.upgrade_for(top, usage.plan_for(top, "free"), "jobs") == usage.plan_for(top, "pro")
    assert usage.upgrade_for(top, usage.plan_for(top, "pro"), "jobs") is None
    off = configured(top, billing_enabled=False)
    assert usage.upgrade_for(off, usage.plan_for(off, "free"), "jobs") is None


def test_P09_a_bring_your_own_keys_plan_never_uses_the_server_keys(
    billing: Billing, billing_settings: Settings
) -> None:
    sam = billing.api.sign_up("sam@example.com")
    billing.subscribe(sam, "studio")
    with_key = configured(billing_settings, openai_api_key="sk-operator-key")
    with billing.runtime.database.session() as db, pytest.raises(ConfigError) as info:
        provider_keys.credential_for(
            db, billing.runtime.vault, with_key, user_id=sam.user_id, provider="openai"
        )
    assert "studio" in info.value.message
    plans = {p["name"]: p for p in billing.client.get("/api/v1/plans").json()}
    assert plans["studio"]["byok_required"] is True and plans["pro"]["byok_required"] is False
