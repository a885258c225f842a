"""Self-hosting keeps the default: billing off, one unlimited plan, Stripe never called, and
every billing route answers a clear 404 "billing is off"."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from reelforge.config import Settings
from reelforge.web.app import create_app
from tests.billing.support import PLANS
from tests.fakes.server import FakeServer
from tests.fakes.stripe import FakeStripe
from tests.store.support import configured
from tests.web.support import Api, assert_error


def test_billing_is_off_by_default_and_says_so(
    settings: Settings, stripe_fake: FakeStripe, stripe_server: FakeServer
) -> None:
    assert settings.billing_enabled is False
    pointed = configured(settings, stripe_base_url=stripe_server.base_url)
    with TestClient(create_app(pointed)) as client:
        api = Api(client, pointed)
        sam = api.sign_up("sam@example.com")
        plans = client.get("/api/v1/plans").json()
        assert plans == [
            {
                "name": "selfhost",
                "description": "",
                "default": True,
                "for_sale": False,
                "price": None,
                "period": "month",
                "limits": {
                    k: None
                    for k in (
                        "api_requests",
                        "jobs",
                        "renders",
                        "render_seconds",
                        "posts",
                        "creators",
                        "storage_bytes",
                    )
                },
                "server_keys": True,
                "byok_required": False,
            }
        ]
        for method, path, body in (
            ("GET", "/api/v1/billing", None),
            ("POST", "/api/v1/billing/checkout", {"plan": "pro"}),
            ("POST", "/api/v1/billing/portal", None),
            ("POST", "/api/v1/billing/webhook", {"id": "evt_1", "type": "invoice.paid"}),
        ):
            answer = client.request(
                method,
                path,
                content=json.dumps(body) if body else None,
                headers={**sam.headers, "Content-Type": "application/json"},
            )
            error = assert_error(answer, 404, "billing_off")
            assert "REELFORGE_BILLING_ENABLED" in error["message"]
        # everything else as before
        assert client.get("/api/v1/usage", headers=sam.headers).json()["plan"] == "selfhost"
        assert client.get("/api/v1/me", headers=sam.headers).json()["plan"] == "selfhost"
        for _ in range(3):
            created = client.post("/api/v1/videos", json={"topic": "x"}, headers=sam.headers)
            assert created.status_code == 202
    assert stripe_fake.requests == []


def test_with_billing_off_limits_name_no_upgrade(settings: Settings) -> None:
    limited = configured(settings, plans=PLANS, default_plan="free")
    with TestClient(create_app(limited)) as client:
        sam = Api(client, limited).sign_up("sam@example.com")
        codes = [
            client.post("/api/v1/videos", json={"topic": "x"}, headers=sam.headers).status_code
            for _ in range(2)
        ]
        over = client.post("/api/v1/videos", json={"topic": "x"}, headers=sam.headers)
        assert codes == [202, 202]
        error = assert_error(over, 429, "quota_exceeded")
        assert "upgrade" not in error["details"] and "checkout" not in error["message"]
        assert all(
            not p["for_sale"] and p["price"] is None for p in client.get("/api/v1/plans").json()
        )
