"""The user's own account over the API: correction (P23), password (P03), deletion (P24 basis)."""

from __future__ import annotations

from sqlalchemy import func, select

from reelforge.accounts.tables import OtpCode, User
from reelforge.schema import owned_tables
from reelforge.store.blobs import owner_prefix
from reelforge.store.db import Database
from reelforge.store.open_blobs import open_blob_store
from tests.web.support import Api, assert_error, bearer


def test_P23_name_can_be_changed_and_cleared(api: Api) -> None:
    account = api.sign_up("sam@example.com")
    named = api.client.patch(
        "/api/v1/me", json={"name": "  Sam   Rivera "}, headers=account.headers
    )
    assert named.json()["name"] == "Sam Rivera"
    untouched = api.client.patch("/api/v1/me", json={}, headers=account.headers)
    assert untouched.json()["name"] == "Sam Rivera"
    cleared = api.client.patch("/api/v1/me", json={"name": None}, headers=account.headers)
    assert cleared.json()["name"] is None


def test_P23_email_changes_only_with_the_code_sent_to_the_new_address(api: Api) -> None:
    account = api.sign_up("old@example.com")
    start = api.client.post(
        "/api/v1/me/email", json={"new_email": "New@Example.com"}, headers=account.headers
    )
    assert start.status_code == 202
    code = api.latest_code("new@example.com")  # mailed to the new address
    assert (
        api.client.get("/api/v1/me", headers=account.headers).json()["email"] == "old@example.com"
    )

    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    bad = api.client.post("/api/v1/me/email/confirm", json={"code": wrong}, headers=account.headers)
    assert_error(bad, 400, "invalid_code")
    ok = api.client.post("/api/v1/me/email/confirm", json={"code": code}, headers=account.headers)
    assert ok.status_code == 200 and ok.json()["email"] == "new@example.com"
    notice = api.mails("old@example.com")[-1]
    assert "changed" in str(notice["Subject"])  # the old address is told
    # Sign-in now works with the new address only.
    api.request_code("new@example.com")
    assert (
        api.client.post(
            "/api/v1/auth/verify",
            json={"email": "new@example.com", "code": api.latest_code("new@example.com")},
        ).json()["user"]["id"]
        == account.user_id
    )


def test_an_address_of_another_account_gets_no_code_and_the_same_answer(api: Api) -> None:
    api.sign_up("taken@example.com")
    account = api.sign_up("sam@example.com")
    before = len(api.mails("taken@example.com"))
    answer = api.client.post(
        "/api/v1/me/email", json={"new_email": "taken@example.com"}, headers=account.headers
    )
    assert answer.status_code == 202
    assert len(api.mails("taken@example.com")) == before


def test_changing_a_password_needs_the_current_one(api: Api) -> None:
    account = api.sign_up("sam@example.com")
    first = {"password": "first password here"}
    assert (
        api.client.put("/api/v1/me/password", json=first, headers=account.headers).status_code
        == 204
    )
    second = {"password": "second password here", "current_password": "not it"}
    assert_error(api.client.put("/api/v1/me/password", json=second, headers=account.headers), 403)
    second["current_password"] = "first password here"
    assert (
        api.client.put("/api/v1/me/password", json=second, headers=account.headers).status_code
        == 204
    )
    weak = api.client.put(
        "/api/v1/me/password",
        json={"password": "short", "current_password": "second password here"},
        headers=account.headers,
    )
    assert_error(weak, 400)


def test_account_security_actions_need_a_session_not_an_api_key(api: Api) -> None:
    account = api.sign_up("sam@example.com")
    _, key = api.api_key(account)
    for method, path, body in (
        ("POST", "/api/v1/api-keys", {"name": "more"}),
        ("PUT", "/api/v1/me/password", {"password": "a long password"}),
        ("POST", "/api/v1/me/email", {"new_email": "x@example.com"}),
        ("DELETE", "/api/v1/me", None),
    ):
        answer = api.client.request(method, path, json=body, headers=bearer(key))
        assert_error(answer, 403, "forbidden")
    assert api.client.get("/api/v1/me", headers=bearer(key)).status_code == 200


def test_deleting_the_account_removes_rows_files_and_ends_tokens_and_keys(
    api: Api, sqlite_database: Database
) -> None:
    account = api.sign_up("sam@example.com")
    other = api.sign_up("kim@example.com")
    _, key = api.api_key(account)
    api.client.put(
        "/api/v1/provider-keys/openai", json={"key": "sk-123456"}, headers=account.headers
    )
    api.client.post(
        "/api/v1/me/email", json={"new_email": "next@example.com"}, headers=account.headers
    )
    blobs = open_blob_store(api.settings)
    blobs.put_bytes(owner_prefix(account.user_id) + "videos/v1/final.mp4", b"video")

    gone = api.client.delete("/api/v1/me", headers=account.headers)
    assert gone.status_code == 204

    assert_error(api.client.get("/api/v1/me", headers=account.headers), 401)
    assert_error(api.client.get("/api/v1/me", headers=bearer(key)), 401)
    assert blobs.list(owner_prefix(account.user_id)) == []
    with sqlite_database.session() as s:
        assert s.get(User, account.user_id) is None
        for table in owned_tables():
            column = getattr(table, "owner_id", None) or table.user_id  # type: ignore[attr-defined]
            count = s.scalar(
                select(func.count()).select_from(table).where(column == account.user_id)
            )
            assert count == 0, table.__tablename__
        emails = set(s.scalars(select(OtpCode.email)))
        assert not emails & {"sam@example.com", "next@example.com"}
    assert api.client.get("/api/v1/me", headers=other.headers).status_code == 200
