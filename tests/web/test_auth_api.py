"""Sign-up and sign-in over the API (P01, P02, P04, P05, P30)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from reelforge.config import Settings
from reelforge.web.app import create_app
from tests.store.support import configured
from tests.web.support import Api, assert_error, bearer


def test_P01_sign_up_needs_only_an_email(api: Api) -> None:
    code = api.request_code("new@example.com")
    answer = api.client.post(
        "/api/v1/auth/verify",
        json={"email": "new@example.com", "code": code, "age_confirmed": True},
    )
    assert answer.status_code == 200
    user = answer.json()["user"]
    assert (user["email"], user["name"], user["has_password"]) == ("new@example.com", None, False)
    me = api.client.get("/api/v1/me", headers=bearer(answer.json()["token"]))
    assert me.json()["id"] == user["id"]


def test_P02_asking_for_a_code_answers_202_whether_or_not_the_account_exists(api: Api) -> None:
    api.sign_up("known@example.com")
    known = api.client.post("/api/v1/auth/code", json={"email": "known@example.com"})
    unknown = api.client.post("/api/v1/auth/code", json={"email": "unknown@example.com"})
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()


def test_P02_a_code_signs_in_once_and_wrong_codes_lock_it(api: Api) -> None:
    api.sign_up("sam@example.com")
    code = api.request_code("sam@example.com")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        error = assert_error(
            api.client.post(
                "/api/v1/auth/verify", json={"email": "sam@example.com", "code": wrong}
            ),
            400,
            "invalid_code",
        )
    assert "locked" in error["message"]
    locked = api.client.post("/api/v1/auth/verify", json={"email": "sam@example.com", "code": code})
    assert_error(locked, 400, "invalid_code")

    fresh = api.request_code("sam@example.com")
    ok = api.client.post("/api/v1/auth/verify", json={"email": "sam@example.com", "code": fresh})
    assert ok.status_code == 200
    again = api.client.post("/api/v1/auth/verify", json={"email": "sam@example.com", "code": fresh})
    assert_error(again, 400, "invalid_code")


@pytest.mark.parametrize("age", [False, None, "true", 1])
def test_P05_sign_up_is_refused_without_confirming_13_or_older(api: Api, age: object) -> None:
    code = api.request_code("kid@example.com")
    body = {"email": "kid@example.com", "code": code}
    if age is not None:
        body["age_confirmed"] = age  # type: ignore[assignment]
    answer = api.client.post("/api/v1/auth/verify", json=body)
    assert answer.status_code in (400, 422)
    assert_error(answer, answer.status_code)
    assert "set-cookie" not in answer.headers
    # The code was not used up: confirming the age now creates the account.
    ok = api.client.post("/api/v1/auth/verify", json={**body, "age_confirmed": True})
    assert ok.status_code == 200


def test_P04_verify_sets_an_httponly_samesite_session_cookie_that_signs_in(api: Api) -> None:
    code = api.request_code("sam@example.com")
    answer = api.client.post(
        "/api/v1/auth/verify",
        json={"email": "sam@example.com", "code": code, "age_confirmed": True},
    )
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("reelforge_session=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain http://127.0.0.1 by default
    assert api.client.get("/api/v1/me").json()["email"] == "sam@example.com"  # cookie alone


def test_P04_signing_out_ends_the_session_for_bearer_and_cookie(api: Api) -> None:
    account = api.sign_up("sam@example.com")
    out = api.client.post("/api/v1/auth/logout", headers=account.headers)
    assert out.status_code == 204
    assert (
        'reelforge_session=""' in out.headers["set-cookie"]
        or "Max-Age=0" in out.headers["set-cookie"]
    )
    assert_error(api.client.get("/api/v1/me", headers=account.headers), 401, "unauthenticated")
    api.client.cookies.set("reelforge_session", account.token)
    assert_error(api.client.get("/api/v1/me"), 401)


def test_P03_password_sign_in_after_setting_one(api: Api) -> None:
    account = api.sign_up("sam@example.com")
    put = api.client.put(
        "/api/v1/me/password", json={"password": "correct horse battery"}, headers=account.headers
    )
    assert put.status_code == 204
    good = api.client.post(
        "/api/v1/auth/login", json={"email": "SAM@example.com", "password": "correct horse battery"}
    )
    assert good.status_code == 200 and good.json()["user"]["has_password"] is True
    for email, password in (("sam@example.com", "wrong password"), ("nobody@example.com", "x" * 9)):
        bad = api.client.post("/api/v1/auth/login", json={"email": email, "password": password})
        assert assert_error(bad, 401)["message"] == "Email or password is wrong."


def test_requests_without_credentials_are_401_with_a_hint(api: Api) -> None:
    error = assert_error(api.client.get("/api/v1/me"), 401, "unauthenticated")
    assert "Bearer" in error["message"]
    assert_error(api.client.get("/api/v1/me", headers=bearer("garbage")), 401)
    assert_error(api.client.get("/api/v1/me", headers=bearer("rf_live_" + "x" * 43)), 401)


@pytest.fixture
def strict_api(settings: Settings) -> Iterator[Api]:
    strict = configured(
        settings,
        # Day-long windows: a window boundary cannot fall inside the test.
        rate_limit_code_per_email="2/1d",
        rate_limit_code_per_ip="4/1d",
        rate_limit_signin_per_email="3/1d",
        rate_limit_api_per_user="5/1d",
    )
    with TestClient(create_app(strict)) as client:
        yield Api(client, strict)


def test_P30_code_sending_is_limited_per_address_and_per_ip(strict_api: Api) -> None:
    post = strict_api.client.post
    for _ in range(2):
        assert post("/api/v1/auth/code", json={"email": "a@example.com"}).status_code == 202
    limited = post("/api/v1/auth/code", json={"email": "a@example.com"})
    error = assert_error(limited, 429, "quota_exceeded")
    assert error["details"]["limit"] == "rate:code_per_email"
    assert error["details"]["resets_at"]
    assert 0 < int(limited.headers["retry-after"]) <= 86400
    assert post("/api/v1/auth/code", json={"email": "b@example.com"}).status_code == 202
    by_ip = post("/api/v1/auth/code", json={"email": "c@example.com"})  # 5th from this IP
    assert assert_error(by_ip, 429)["details"]["limit"] == "rate:code_per_ip"


def test_P30_sign_in_attempts_are_limited_per_address(strict_api: Api) -> None:
    for _ in range(3):
        answer = strict_api.client.post(
            "/api/v1/auth/login", json={"email": "sam@example.com", "password": "guess-guess"}
        )
        assert answer.status_code == 401
    limited = strict_api.client.post(
        "/api/v1/auth/login", json={"email": "sam@example.com", "password": "guess-guess"}
    )
    assert assert_error(limited, 429)["details"]["limit"] == "rate:signin_per_email"


def test_P30_api_calls_are_limited_per_user(strict_api: Api) -> None:
    account = strict_api.sign_up("sam@example.com")
    for _ in range(5):
        assert strict_api.client.get("/api/v1/me", headers=account.headers).status_code == 200
    limited = strict_api.client.get("/api/v1/me", headers=account.headers)
    assert assert_error(limited, 429)["details"]["limit"] == "rate:api_per_user"
    assert "retry-after" in limited.headers
