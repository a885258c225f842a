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


def test_P26_the_plan_caps_how_many_creators_are_tracked(billing: Billing) -> None:
    """The free plan tracks 3 creators: a 4th is refused, by hand or by a file import, and
    removing one makes room again."""
    sam = billing.api.sign_up("sam@example.com")
    added = [
        billing.client.post(
            "/api/v1/creators",
            json={"platform": "youtube", "handle": f"@baker{i}"},
            headers=sam.headers,
        )
        for i in range(4)
    ]
    assert [a.status_code for a in added] == [201, 201, 201, 429]
    error = assert_error(added[-1], 429, "quota_exceeded")
    assert error["details"]["limit"] == "creators" and error["details"]["allowed"] == 3
    line = '{"id": "v1", "title": "t", "uploader_id": "@newbaker", "extractor": "youtube", "timestamp": 1700000000}\n'
    imported = billing.client.post(
        "/api/v1/creators/import",
        files={"file": ("new.jsonl", line.encode())},
        headers=sam.headers,
    )
    assert_error(imported, 429, "quota_exceeded")  # a file naming a new creator too
    first = added[0].json()["id"]
    assert (
        billing.client.delete(f"/api/v1/creators/{first}", headers=sam.headers).status_code == 204
    )
    again = billing.client.post(
        "/api/v1/creators", json={"platform": "youtube", "handle": "@baker9"}, headers=sam.headers
    )
    assert again.status_code == 201


def test_P26_the_plan_caps_what_is_stored(billing_settings: Settings) -> None:
    """A plan's storage total refuses an upload that would pass it, with nothing stored,
    and a render once the account is already over."""
    from fastapi.testclient import TestClient

    from reelforge.web.app import create_app
    from tests.publish.support import png_bytes, tiny_mp4
    from tests.web.support import Api

    plans = {
        **billing_settings.plans,
        "free": {**billing_settings.plans["free"], "storage_bytes": 20_000},
    }
    capped = billing_settings.model_copy(update={"plans": plans})
    with TestClient(create_app(capped)) as client:
        api = Api(client, capped)
        sam = api.sign_up("sam@example.com")
        first = client.post(
            "/api/v1/uploads",
            files=[("files", ("a.png", png_bytes(), "image/png"))],
            headers=sam.headers,
        )
        assert first.status_code == 201, first.text
        stored = usage.stored_bytes(client.app.state.reelforge.runtime.blobs, owner_id=sam.user_id)
        assert 0 < stored <= 20_000
        clip = tiny_mp4(capped.home.parent / "clip.mp4", seconds=3.0)
        over = client.post(
            "/api/v1/uploads/videos",
            files={"file": ("clip.mp4", clip.read_bytes(), "video/mp4")},
            headers=sam.headers,
        )
        assert clip.stat().st_size + stored > 20_000  # the clip does not fit
        error = assert_error(over, 429, "quota_exceeded")
        assert error["details"]["limit"] == "storage_bytes"
        runtime = client.app.state.reelforge.runtime
        assert usage.stored_bytes(runtime.blobs, owner_id=sam.user_id) == stored  # none kept
