"""Billing tests: the real app against a local Stripe fake (loopback HTTP), billing on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from reelforge.config import Settings
from reelforge.web.app import create_app
from tests.billing.support import PLANS, Billing
from tests.fakes.server import FakeServer, serve
from tests.fakes.stripe import FakeStripe
from tests.store.support import configured, database, db_settings, sqlite_database  # noqa: F401
from tests.web.support import Api


@pytest.fixture
def stripe_fake() -> FakeStripe:
    fake = FakeStripe()
    fake.add_price("price_pro_monthly", amount=900)
    fake.add_price("price_studio_monthly", amount=2900)
    return fake


@pytest.fixture
def stripe_server(stripe_fake: FakeStripe) -> Iterator[FakeServer]:
    with serve(stripe_fake) as server:
        yield server


def _billing_on(settings: Settings, fake: FakeStripe, server: FakeServer) -> Settings:
    return configured(
        settings,
        billing_enabled=True,
        stripe_api_key=fake.api_key,
        stripe_webhook_secret=fake.webhook_secret,
        stripe_base_url=server.base_url,
        plans=PLANS,
        default_plan="free",
        billing_grace_days=7,
        public_url="https://studio.example.com",
    )


@pytest.fixture
def billing_settings(
    settings: Settings, stripe_fake: FakeStripe, stripe_server: FakeServer
) -> Settings:
    return _billing_on(settings, stripe_fake, stripe_server)


@pytest.fixture
def billing(billing_settings: Settings, stripe_fake: FakeStripe) -> Iterator[Billing]:
    with TestClient(create_app(billing_settings)) as client:
        yield Billing(Api(client, billing_settings), stripe_fake)


@pytest.fixture
def billing_on_each_backend(
    db_settings: Settings,  # noqa: F811 - the fixture imported above
    stripe_fake: FakeStripe,
    stripe_server: FakeServer,
) -> Iterator[Billing]:
    """``billing`` on SQLite, then on PostgreSQL (a fresh schema)."""
    on = _billing_on(db_settings, stripe_fake, stripe_server)
    with TestClient(create_app(on)) as client:
        yield Billing(Api(client, on), stripe_fake)
