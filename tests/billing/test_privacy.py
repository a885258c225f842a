"""Promises P27 (no card details, only the payment provider's ids) and P24 (deleting the
account cancels the subscription at Stripe and deletes the customer)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import inspect, select, text

from reelforge.billing.forget import forget_customer
from reelforge.billing.tables import BillingAccount
from reelforge.errors import ProviderError
from reelforge.privacy.delete import delete_account
from tests.billing.support import Billing
from tests.fakes.stripe import TEST_CARD, TEST_CVC

STRIPE_OBJECT = re.compile(
    rb"(?<![A-Za-z0-9])(cus|sub|price|evt|cs_test|cs|pi|ch|in|pm|si|prod|bps|acct|card|src|txn|"
    rb"ii|il|seti|req|re|py)_[A-Za-z0-9]{14,}"
)
ALLOWED = {b"cus", b"sub", b"price", b"evt"}
ALLOWED_COLUMNS = {
    ("billing_accounts", "customer_id"): b"cus",
    ("billing_accounts", "subscription_id"): b"sub",
    ("billing_accounts", "price_id"): b"price",
    ("billing_events", "event_id"): b"evt",
}
# What a card or a payer looks like in Stripe's events (charge.succeeded, checkout sessions,
# invoices): none of it may be kept.
CARD_WORDS = [
    TEST_CARD.encode(),
    b"last4",
    b"cvc",
    b"exp_month",
    b"exp_year",
    b"fingerprint",
    b"payment_method",
    b"billing_details",
    b"1 Test Street",
    b"94107",
    b"Sam Tester",
    b"payer@example.com",
    b"hosted_invoice_url",
    b"invoice.stripe.com",
]


def _full_flow(billing: Billing) -> None:
    sam = billing.api.sign_up("sam@example.com")
    sub_id = billing.subscribe(sam, "pro")  # with the charge.succeeded event (card details)
    billing.deliver(billing.stripe.renew(sub_id))
    billing.deliver(billing.stripe.fail_renewal(sub_id))
    billing.deliver(billing.stripe.recover(sub_id))
    billing.deliver(billing.stripe.change_price(sub_id, "price_studio_monthly"))
    billing.deliver(billing.stripe.schedule_cancel(sub_id))
    billing.client.post("/api/v1/billing/portal", headers=sam.headers)
    assert billing.client.get("/api/v1/me/export", headers=sam.headers).status_code == 200


def test_P27_no_card_details_and_no_stripe_object_but_the_ids_are_stored(
    billing: Billing,
) -> None:
    _full_flow(billing)
    assert billing.stripe.cards  # the fake did see a card: the test would notice one leaking
    assert any(c["cvc"] == TEST_CVC for c in billing.stripe.cards.values())

    # Every row of every table, column by column.
    engine = billing.runtime.database.engine
    with engine.connect() as connection:
        for table in inspect(engine).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')).mappings():
                for column, value in row.items():
                    raw = value if isinstance(value, bytes) else str(value).encode()
                    for word in CARD_WORDS:
                        assert word not in raw, (table, column, word)
                    assert not re.search(rb'"cvc"|cvc_check', raw), (table, column)
                    for match in STRIPE_OBJECT.finditer(raw):
                        assert ALLOWED_COLUMNS.get((table, column)) == match.group(1), (
                            table,
                            column,
                            match.group(0),
                        )

    # Every file reelforge wrote: the database itself, its journal, mail, stored files, keys.
    files = [p for p in billing.api.settings.home.rglob("*") if p.is_file()]
    assert any(p.name == "reelforge.db" for p in files)
    for path in files:
        data = path.read_bytes()
        for word in CARD_WORDS:
            assert word not in data, (path.name, word)
        found = {m.group(1) for m in STRIPE_OBJECT.finditer(data)}
        assert found <= ALLOWED, (path.name, found)


def test_P24_deleting_the_account_cancels_at_stripe_and_deletes_the_customer(
    billing: Billing,
) -> None:
    sam = billing.api.sign_up("sam@example.com")
    sub_id = billing.subscribe(sam, "pro")
    customer = billing.stripe.subscriptions[sub_id]["customer"]
    runtime = billing.runtime
    with runtime.database.session() as db:
        # what privacy.delete.delete_account is to call first (see the billing module)
        assert forget_customer(db, runtime, user_id=sam.user_id) is True
        delete_account(db, runtime, user_id=sam.user_id)
    assert billing.stripe.subscriptions[sub_id]["status"] == "canceled"
    assert customer not in billing.stripe.customers
    writes = [r for r in billing.stripe.requests if r.method == "DELETE"]
    assert [r.path for r in writes] == [f"/v1/subscriptions/{sub_id}", f"/v1/customers/{customer}"]
    assert all(r.headers.get("idempotency-key") for r in writes)
    with runtime.database.session() as db:
        assert db.scalars(select(BillingAccount)).all() == []
        assert forget_customer(db, runtime, user_id=sam.user_id) is False


def test_P24_deletion_waits_when_stripe_cannot_cancel(billing: Billing) -> None:
    """Better to fail and be retried than to leave a subscription charging a deleted user."""
    sam = billing.api.sign_up("sam@example.com")
    billing.subscribe(sam, "pro")
    billing.stripe.fail_next = [503, 503, 503]
    runtime = billing.runtime
    with pytest.raises(ProviderError) as info, runtime.database.session() as db:
        forget_customer(db, runtime, user_id=sam.user_id)
    assert info.value.retryable
    with runtime.database.session() as db:
        assert len(db.scalars(select(BillingAccount)).all()) == 1


def test_P24_a_retried_deletion_after_a_partial_one_completes(billing: Billing) -> None:
    """Cancelled at Stripe, then the customer delete failed: the retry finds the subscription
    already gone (Stripe says "no such subscription") and finishes."""
    sam = billing.api.sign_up("sam@example.com")
    sub_id = billing.subscribe(sam, "pro")
    billing.stripe._cancel(sub_id)
    runtime = billing.runtime
    with runtime.database.session() as db:
        assert forget_customer(db, runtime, user_id=sam.user_id) is True
    assert billing.stripe.customers == {}


def test_billing_providers_import_no_core_package() -> None:
    from tests.test_architecture import _imports, _package

    core = {"studio", "research", "publish", "videos", "accounts", "jobs", "connections"}
    core |= {"billing", "privacy", "web", "cli", "runtime", "schema"}
    for module, deps in _imports().items():
        if module.startswith("reelforge.providers.billing"):
            assert not {_package(d) for d in deps} & core, module
