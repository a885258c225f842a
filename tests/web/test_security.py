"""Cookies, TLS and headers (P28, P29), and cross-site cookie writes."""

from __future__ import annotations

from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from reelforge.config import Settings
from reelforge.web.app import create_app
from tests.store.support import configured
from tests.web.support import Api, assert_error


def _set_cookies(api: Api) -> list[str]:
    """Run a whole session and collect the name of every cookie the server set."""
    names: list[str] = []

    def collect(response: object) -> None:
        for header in response.headers.get_list("set-cookie"):  # type: ignore[attr-defined]
            names.extend(SimpleCookie(header).keys())

    api.client.event_hooks["response"].append(collect)
    account = api.sign_up("sam@example.com")
    api.client.get("/docs")
    api.client.get("/openapi.json")
    api.client.get("/api/v1/me", headers=account.headers)
    api.api_key(account)
    api.client.put(
        "/api/v1/me/password", json={"password": "long password 1"}, headers=account.headers
    )
    api.client.post(
        "/api/v1/auth/login", json={"email": "sam@example.com", "password": "long password 1"}
    )
    api.client.post("/api/v1/auth/logout", headers=account.headers)
    return names


def test_P28_the_only_cookie_is_the_session_cookie(api: Api) -> None:
    names = _set_cookies(api)
    assert names and set(names) == {"reelforge_session"}


@pytest.mark.parametrize("changes", [{"public_url": "https://studio.example.com"}, {"tls": True}])
def test_P29_behind_tls_the_cookie_is_secure_and_hsts_is_sent(
    settings: Settings, changes: dict[str, object]
) -> None:
    tls = configured(settings, **changes)
    with TestClient(create_app(tls), base_url="https://testserver") as client:
        api = Api(client, tls)
        code = api.request_code("sam@example.com")
        answer = client.post(
            "/api/v1/auth/verify",
            json={"email": "sam@example.com", "code": code, "age_confirmed": True},
        )
    assert "Secure" in answer.headers["set-cookie"]
    assert answer.headers["strict-transport-security"].startswith("max-age=")


def test_P29_every_provider_the_server_calls_defaults_to_tls(settings: Settings) -> None:
    urls = {
        name: getattr(settings, name)
        for name in Settings.model_fields
        if name.endswith("_base_url")
    }
    assert "resend_base_url" in urls and "openai_base_url" in urls
    # Plain http only to this machine (a local model server, say), never over a network.
    plain = {
        n: u
        for n, u in urls.items()
        if not str(u).startswith("https://")
        and urlsplit(str(u)).hostname not in ("127.0.0.1", "localhost", "::1")
    }
    assert plain == {}
    assert settings.smtp_security == "starttls" and settings.s3_endpoint_url is None


def test_security_headers_on_every_answer(api: Api) -> None:
    for response in (api.client.get("/api/v1/health"), api.client.get("/api/v1/missing")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert "default-src 'none'" in response.headers["content-security-policy"]
        assert response.headers["cache-control"] == "no-store"
    assert "strict-transport-security" not in api.client.get("/api/v1/health").headers


def test_cookie_writes_from_another_site_are_refused(api: Api) -> None:
    account = api.sign_up("sam@example.com")
    api.client.cookies.set("reelforge_session", account.token)
    evil = api.client.post(
        "/api/v1/api-keys", json={"name": "x"}, headers={"Origin": "https://evil.example"}
    )
    assert_error(evil, 403, "forbidden")
    same = api.client.post(
        "/api/v1/api-keys", json={"name": "x"}, headers={"Origin": "http://testserver"}
    )
    assert same.status_code == 201


def test_openapi_and_docs_are_served(api: Api) -> None:
    spec = api.client.get("/openapi.json").json()
    assert "/api/v1/auth/code" in spec["paths"]
    assert {"HTTPBearer", "APIKeyCookie"} <= set(spec["components"]["securitySchemes"])
    assert api.client.get("/docs").status_code == 200
