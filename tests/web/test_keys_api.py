"""API keys and provider keys over the API (P06, P07, P09, P25)."""

from __future__ import annotations

from tests.web.support import Api, assert_error, bearer


def test_P06_the_key_is_shown_once_and_never_listed(api: Api) -> None:
    account = api.sign_up("sam@example.com")
    created = api.client.post("/api/v1/api-keys", json={"name": "laptop"}, headers=account.headers)
    assert created.status_code == 201
    body = created.json()
    assert body["key"].startswith(body["prefix"]) and body["prefix"].startswith("rf_live_")
    listed = api.client.get("/api/v1/api-keys", headers=account.headers).json()
    assert [k["id"] for k in listed] == [body["id"]]
    assert "key" not in listed[0] and body["key"] not in str(listed)


def test_P07_owners_see_last_use_and_count_and_revoke_at_once(api: Api) -> None:
    account = api.sign_up("sam@example.com")
    key_id, key = api.api_key(account)
    for _ in range(3):
        assert api.client.get("/api/v1/me", headers=bearer(key)).status_code == 200
    (listed,) = api.client.get("/api/v1/api-keys", headers=account.headers).json()
    assert listed["request_count"] == 3 and listed["last_used_at"] is not None

    assert (
        api.client.delete(f"/api/v1/api-keys/{key_id}", headers=account.headers).status_code == 204
    )
    error = assert_error(api.client.get("/api/v1/me", headers=bearer(key)), 401)
    assert "revoked" in error["message"]
    assert api.client.get("/api/v1/api-keys", headers=account.headers).json() == []
    assert_error(api.client.delete(f"/api/v1/api-keys/{key_id}", headers=account.headers), 404)


def test_an_api_key_works_like_a_session_token(api: Api) -> None:
    account = api.sign_up("sam@example.com")
    _, key = api.api_key(account)
    assert api.client.get("/api/v1/me", headers=bearer(key)).json()["id"] == account.user_id
    put = api.client.put(
        "/api/v1/provider-keys/pexels", json={"key": "px-98765"}, headers=bearer(key)
    )
    assert put.status_code == 200


def test_P09_provider_keys_are_stored_listed_by_last_four_and_deleted(api: Api) -> None:
    account = api.sign_up("sam@example.com")
    secret = "sk-live-abcdefghijklmnop"
    put = api.client.put(
        "/api/v1/provider-keys/openai", json={"key": secret}, headers=account.headers
    )
    assert put.status_code == 200
    assert put.json()["last_four"] == "mnop" and secret not in put.text
    listed = api.client.get("/api/v1/provider-keys", headers=account.headers)
    assert [k["provider"] for k in listed.json()] == ["openai"] and secret not in listed.text

    replaced = api.client.put(
        "/api/v1/provider-keys/openai", json={"key": "sk-new-key-0000"}, headers=account.headers
    )
    assert replaced.json()["last_four"] == "0000"

    gone = api.client.delete("/api/v1/provider-keys/openai", headers=account.headers)
    assert gone.status_code == 204
    assert api.client.get("/api/v1/provider-keys", headers=account.headers).json() == []
    assert_error(api.client.delete("/api/v1/provider-keys/openai", headers=account.headers), 404)


def test_unknown_providers_are_404_with_the_choices(api: Api) -> None:
    account = api.sign_up("sam@example.com")
    answer = api.client.put(
        "/api/v1/provider-keys/madeup", json={"key": "k-1"}, headers=account.headers
    )
    assert "openai" in assert_error(answer, 404)["message"]


def test_P26_usage_is_shown_with_the_plan(api: Api) -> None:
    account = api.sign_up("sam@example.com")
    api.client.get("/api/v1/me", headers=account.headers)
    usage = api.client.get("/api/v1/usage", headers=account.headers).json()
    assert usage["plan"] == "selfhost"
    assert usage["metrics"]["api_requests"]["used"] == 2  # this call and the one before
    assert usage["metrics"]["jobs"] == {"used": 0.0, "limit": None}


def test_P25_any_api_key_or_provider_key_can_be_revoked_at_any_time(api: Api) -> None:
    account = api.sign_up("sam@example.com")
    keys = [api.api_key(account, name=f"key {i}") for i in range(3)]
    for provider in ("openai", "elevenlabs"):
        api.client.put(
            f"/api/v1/provider-keys/{provider}", json={"key": "k-12345"}, headers=account.headers
        )
    _, middle_key = keys[1]
    assert api.client.get("/api/v1/me", headers=bearer(middle_key)).status_code == 200

    api.client.delete(f"/api/v1/api-keys/{keys[1][0]}", headers=account.headers)
    api.client.delete("/api/v1/provider-keys/elevenlabs", headers=account.headers)

    assert_error(api.client.get("/api/v1/me", headers=bearer(middle_key)), 401)
    assert api.client.get("/api/v1/me", headers=bearer(keys[0][1])).status_code == 200
    listed = api.client.get("/api/v1/api-keys", headers=account.headers).json()
    assert {k["id"] for k in listed} == {keys[0][0], keys[2][0]}
    providers = api.client.get("/api/v1/provider-keys", headers=account.headers).json()
    assert [p["provider"] for p in providers] == ["openai"]
