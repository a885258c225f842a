"""The Stripe client on the wire, against the local fake: Stripe's form encoding, the secret
key, an Idempotency-Key on every write (kept across retries), and Stripe's errors mapped to
ProviderError(retryable=…)."""

from __future__ import annotations

import pytest

from reelforge.billing.webhooks import subscription_id_of
from reelforge.config import Settings
from reelforge.errors import ConfigError, StripeError
from reelforge.providers.billing.stripe_api import StripeClient, form_pairs, subscription_of
from tests.fakes.server import FakeRequest, FakeResponse, FakeServer, mock_transport
from tests.fakes.stripe import FakeStripe, unflatten
from tests.store.support import configured


@pytest.fixture
def client(settings: Settings, stripe_fake: FakeStripe, stripe_server: FakeServer) -> StripeClient:
    return StripeClient(
        configured(
            settings, stripe_api_key=stripe_fake.api_key, stripe_base_url=stripe_server.base_url
        )
    )


def test_params_are_form_encoded_with_bracket_keys() -> None:
    params = {
        "mode": "subscription",
        "line_items": [{"price": "price_1", "quantity": 1}],
        "metadata": {"reelforge_user_id": "u1"},
        "flag": True,
        "absent": None,
    }
    pairs = form_pairs(params)
    assert pairs == [
        ("mode", "subscription"),
        ("line_items[0][price]", "price_1"),
        ("line_items[0][quantity]", "1"),
        ("metadata[reelforge_user_id]", "u1"),
        ("flag", "true"),
    ]
    assert unflatten(pairs) == {
        "mode": "subscription",
        "line_items": [{"price": "price_1", "quantity": "1"}],
        "metadata": {"reelforge_user_id": "u1"},
        "flag": "true",
    }


def test_calls_carry_the_secret_key_and_an_idempotency_key(
    client: StripeClient, stripe_fake: FakeStripe
) -> None:
    customer = client.create_customer(email="a@example.com", user_id="u1", idempotency_key="k-1")
    (request,) = stripe_fake.requests
    assert request.headers["authorization"] == f"Bearer {stripe_fake.api_key}"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.headers["idempotency-key"] == "k-1"
    assert request.body == b"email=a%40example.com&metadata%5Breelforge_user_id%5D=u1"
    assert customer.startswith("cus_")


def test_the_same_idempotency_key_gives_the_same_answer(
    client: StripeClient, stripe_fake: FakeStripe
) -> None:
    first = client.create_customer(email="a@example.com", user_id="u1", idempotency_key="k-2")
    again = client.create_customer(email="a@example.com", user_id="u1", idempotency_key="k-2")
    assert first == again and len(stripe_fake.customers) == 1
    with pytest.raises(StripeError) as info:
        client.create_customer(email="b@example.com", user_id="u1", idempotency_key="k-2")
    error = info.value
    assert (error.status, error.stripe_type, error.retryable) == (400, "idempotency_error", False)
    assert len(stripe_fake.customers) == 1


def test_a_retried_write_sends_the_same_idempotency_key(
    client: StripeClient, stripe_fake: FakeStripe
) -> None:
    stripe_fake.fail_next = [500, 429]
    customer = client.create_customer(email="a@example.com", user_id="u1", idempotency_key="k-3")
    assert customer in stripe_fake.customers
    assert [r.headers["idempotency-key"] for r in stripe_fake.requests] == ["k-3"] * 3


def test_errors_are_mapped_with_stripes_words(
    client: StripeClient, stripe_fake: FakeStripe
) -> None:
    stripe_fake.fail_next = [500, 500, 500]
    with pytest.raises(StripeError) as info:
        client.retrieve_price("price_x")
    assert info.value.retryable and info.value.status == 500
    assert "gave up after 3 attempts" in info.value.message

    stripe_fake.fail_next = [402]
    with pytest.raises(StripeError) as declined:
        client.retrieve_price("price_x")
    assert (declined.value.stripe_type, declined.value.stripe_code) == (
        "card_error",
        "card_declined",
    )
    assert declined.value.retryable is False

    with pytest.raises(StripeError) as gone:
        client.retrieve_price("price_nope")
    assert gone.value.missing and gone.value.status == 404 and not gone.value.retryable


def test_a_wrong_key_is_refused_with_a_hint(settings: Settings, stripe_server: FakeServer) -> None:
    wrong = StripeClient(
        configured(settings, stripe_api_key="sk_test_wrong", stripe_base_url=stripe_server.base_url)
    )
    with pytest.raises(StripeError) as info:
        wrong.create_customer(email="a@example.com", user_id="u", idempotency_key="k")
    assert info.value.status == 401 and not info.value.retryable
    assert "REELFORGE_STRIPE_API_KEY" in info.value.message


def test_no_key_is_a_config_error(settings: Settings) -> None:
    with pytest.raises(ConfigError) as info:
        StripeClient(settings)
    assert "REELFORGE_STRIPE_API_KEY" in info.value.message


def test_stripe_should_retry_false_is_honoured(settings: Settings) -> None:
    calls: list[FakeRequest] = []

    def answer(request: FakeRequest) -> FakeResponse:
        calls.append(request)
        return FakeResponse(
            500,
            {"error": {"type": "api_error", "message": "no"}},
            {"Stripe-Should-Retry": "false"},
        )

    client = StripeClient(
        configured(settings, stripe_api_key="sk_test_x"), transport=mock_transport(answer)
    )
    with pytest.raises(StripeError) as info:
        client.retrieve_price("price_x")
    assert not info.value.retryable and len(calls) == 1


def test_missing_objects_are_answered_not_raised(client: StripeClient) -> None:
    assert client.retrieve_subscription("sub_nope") is None
    assert client.cancel_subscription("sub_nope", idempotency_key="k") is False
    assert client.delete_customer("cus_nope", idempotency_key="k") is False
    assert client.list_subscriptions("cus_nope") == []


@pytest.mark.parametrize("legacy", [False, True])
def test_both_api_shapes_are_read(legacy: bool) -> None:
    fake = FakeStripe(legacy=legacy)
    fake.add_price("price_a", amount=500)
    session_id = stripe_session(fake)
    created, _charge, completed, paid = fake.pay_checkout(session_id)
    sub_id = fake.sessions[session_id]["subscription"]
    sub = subscription_of(fake.subscriptions[sub_id])
    assert sub.current_period_end == fake.period_end(sub_id)
    assert sub.price_id == "price_a" and sub.status == "active"
    for event in (created, completed, paid):
        assert subscription_id_of(event) == sub_id


def stripe_session(fake: FakeStripe) -> str:
    customer = fake._create_customer({"email": "a@example.com"}).body
    assert isinstance(customer, dict)
    answer = fake._create_session(
        {
            "mode": "subscription",
            "customer": customer["id"],
            "line_items": [{"price": "price_a", "quantity": "1"}],
            "success_url": "https://x/ok",
            "cancel_url": "https://x/no",
        }
    )
    assert isinstance(answer.body, dict)
    return str(answer.body["id"])
