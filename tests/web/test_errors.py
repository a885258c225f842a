"""One error shape for every 4xx/5xx, and no input echoed back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from reelforge.config import Settings
from reelforge.errors import InputError, ProviderError
from reelforge.web.app import create_app
from tests.store.support import configured
from tests.web.support import Api, assert_error


def test_unknown_routes_and_wrong_methods_use_the_error_shape(api: Api) -> None:
    assert_error(api.client.get("/api/v1/no-such-thing"), 404, "not_found")
    assert_error(api.client.get("/api/nowhere"), 404, "not_found")
    wrong = api.client.put("/api/v1/me")
    assert_error(wrong, 405, "method_not_allowed")
    assert wrong.headers["allow"] == "DELETE, GET, PATCH"  # every method of the path


def test_unknown_pages_outside_the_api_get_a_page_not_json(api: Api) -> None:
    """Since the dashboard serves /, a browser at an unknown address gets a page of its own."""
    answer = api.client.get("/nowhere")
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert "There is no page at this address" in answer.text
    assert "not_found" not in answer.text  # no JSON error body inside the page


def test_validation_errors_say_where_without_echoing_the_input(api: Api) -> None:
    secret = "hunter2-" * 200  # too long to be accepted
    answer = api.client.post(
        "/api/v1/auth/login", json={"email": "sam@example.com", "password": secret}
    )
    error = assert_error(answer, 422, "invalid_input")
    assert error["message"].startswith("password:")
    assert error["details"]["errors"][0]["loc"] == ["body", "password"]
    assert "hunter2" not in answer.text


@pytest.mark.parametrize(
    "body", [b"{not json", b"[]", b'{"email": 5}', b'{"email": "a@b.co", "extra": 1}']
)
def test_malformed_bodies_are_422_not_500(api: Api, body: bytes) -> None:
    answer = api.client.post(
        "/api/v1/auth/code", content=body, headers={"Content-Type": "application/json"}
    )
    assert_error(answer, 422)


def test_a_bad_email_is_400_with_what_to_do(api: Api) -> None:
    error = assert_error(api.client.post("/api/v1/auth/code", json={"email": "nope"}), 400)
    assert "name@example.com" in error["message"]


@pytest.fixture
def broken_client(settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings)

    @app.get("/api/v1/_boom")
    def boom() -> None:
        raise RuntimeError("internal detail that must not leak")

    @app.get("/api/v1/_provider")
    def provider() -> None:
        raise ProviderError("pexels answered HTTP 503", provider="pexels", retryable=True)

    @app.get("/api/v1/_input")
    def bad_input() -> None:
        raise InputError("Pick a preset.", details={"field": "preset"})

    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_domain_errors_map_to_statuses_and_crashes_hide_their_details(
    broken_client: TestClient,
) -> None:
    crash = broken_client.get("/api/v1/_boom")
    assert (
        assert_error(crash, 500, "internal_error")["message"]
        == "Something went wrong on the server."
    )
    assert "internal detail" not in crash.text
    assert assert_error(broken_client.get("/api/v1/_provider"), 502)["details"]["retryable"] is True
    assert assert_error(broken_client.get("/api/v1/_input"), 400)["details"] == {"field": "preset"}


def test_P26_a_plan_limit_answers_429_naming_the_limit(settings: Settings) -> None:
    limited = configured(settings, plans={"tiny": {"api_requests": 2}}, default_plan="tiny")
    with TestClient(create_app(limited)) as client:
        api = Api(client, limited)
        account = api.sign_up("sam@example.com")
        for _ in range(2):
            assert client.get("/api/v1/me", headers=account.headers).status_code == 200
        over = client.get("/api/v1/me", headers=account.headers)
    error = assert_error(over, 429, "quota_exceeded")
    assert error["details"]["limit"] == "api_requests" and error["details"]["resets_at"]
    assert "retry-after" in over.headers
