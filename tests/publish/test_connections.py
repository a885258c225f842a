"""Connecting accounts through the API against the fake TikTok and Google: what is stored
(P08, P11), what disconnecting does (P12), and how the OAuth hand-off is guarded."""

from __future__ import annotations

import base64
import logging
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from reelforge.accounts import vault
from reelforge.accounts.tables import Secret
from reelforge.clock import utc_now
from reelforge.config import Settings
from reelforge.connections import tokens
from reelforge.connections.tables import PlatformConnection
from reelforge.errors import ReconsentRequired
from reelforge.runtime import runtime_for
from reelforge.web.security import SESSION_COOKIE
from tests.fakes.google_oauth import FakeGoogleOAuth
from tests.fakes.server import FakeServer
from tests.fakes.tiktok import FakeTikTok
from tests.providers.platforms.conftest import consent
from tests.publish.support import connect
from tests.web.support import Api, assert_error, bearer


def _all_files(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _issued(fake: FakeTikTok) -> list[str]:
    return [*fake.access, *fake.refresh]


def test_P11_connecting_tiktok_stores_only_open_id_name_avatar_and_encrypted_tokens(
    pub_api: Api, pub_settings: Settings, tiktok: FakeTikTok
) -> None:
    account = pub_api.sign_up("creator@example.com")
    shown = connect(pub_api, account)

    assert shown["open_id"] == "oid-123" and shown["display_name"] == "Test Creator"
    assert shown["avatar_url"] == "https://p16.tiktokcdn.example/a.jpg"
    assert not any("token" in key for key in shown)
    database = runtime_for(pub_settings).database
    with database.session() as db:
        row = db.scalars(select(PlatformConnection)).one()
        stored = {c.name: getattr(row, c.name) for c in PlatformConnection.__table__.columns}
        secrets = db.scalars(select(Secret).where(Secret.owner_id == account.user_id)).all()
    assert stored["open_id"] == "oid-123"
    assert "uid-9" not in repr(stored)  # TikTok's union_id is never asked for nor kept
    assert [s.kind for s in secrets] == ["oauth_token"]  # the tokens, as one vault entry


def test_P11_user_info_asks_tiktok_only_for_the_allowed_fields(
    pub_api: Api, tiktok_server: FakeServer
) -> None:
    account = pub_api.sign_up("fields@example.com")
    connect(pub_api, account)
    asked = [r.arg("fields") for r in tiktok_server.requests if r.path == "/v2/user/info/"]
    assert asked == ["open_id,display_name,avatar_url"]


def test_P08_oauth_tokens_are_encrypted_at_rest_and_the_vault_key_is_not_in_the_database(
    pub_api: Api,
    pub_settings: Settings,
    tiktok: FakeTikTok,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    account = pub_api.sign_up("secret@example.com")
    connection = connect(pub_api, account)
    services = runtime_for(pub_settings)
    first = _issued(tiktok)
    # A refresh ahead of expiry stores a rotated pair: both generations must be sealed.
    tokens.access_token(
        services,
        owner_id=account.user_id,
        connection_id=connection["id"],
        now=utc_now() + timedelta(days=2),
    )
    issued = {*first, *_issued(tiktok)}
    assert len(issued) == 4

    files = _all_files(tmp_path)
    assert any(p.name == "reelforge.db" for p in files)
    for token in issued:
        assert [p for p, data in files.items() if token.encode() in data] == []
        assert not [r for r in caplog.records if token in r.getMessage()]
    key_text = (pub_settings.home / "vault.key").read_text().split()[0]
    key = base64.b64decode(key_text)
    database_files = [p for p in files if p.name.startswith("reelforge.db")]
    for path in database_files:
        assert key not in files[path] and key_text.encode() not in files[path]
    with services.database.session() as db:
        row = db.scalars(select(Secret).where(Secret.kind == "oauth_token")).one()
        assert row.key_id == vault.key_id(key)  # AES-GCM under the key kept outside the DB
        opened = vault.read_secret(
            db, services.vault, owner_id=account.user_id, kind="oauth_token", name=row.name
        )
    assert opened is not None and tiktok.access and list(tiktok.access)[-1] in opened


def test_P12_disconnect_revokes_at_tiktok_and_deletes_the_tokens_at_once(
    pub_api: Api, pub_settings: Settings, tiktok: FakeTikTok
) -> None:
    account = pub_api.sign_up("leaving@example.com")
    connection = connect(pub_api, account)
    (access,) = list(tiktok.access)

    answer = pub_api.client.delete(
        f"/api/v1/connections/{connection['id']}", headers=account.headers
    )

    assert answer.status_code == 200, answer.text
    assert answer.json()["revoked"] is True
    assert tiktok.access[access].alive is False  # the fake TikTok saw the revoke
    with runtime_for(pub_settings).database.session() as db:
        assert db.scalars(select(Secret).where(Secret.owner_id == account.user_id)).all() == []
    assert pub_api.client.get("/api/v1/connections", headers=account.headers).json() == []


def test_P12_disconnect_deletes_the_tokens_even_when_the_platform_does_not_answer(
    pub_api: Api, pub_settings: Settings, tiktok: FakeTikTok
) -> None:
    account = pub_api.sign_up("offline@example.com")
    connection = connect(pub_api, account)
    for _ in range(3):  # the first try and both retries fail
        tiktok.fail_next("revoke", "server_error", status=500)

    answer = pub_api.client.delete(
        f"/api/v1/connections/{connection['id']}", headers=account.headers
    )

    assert answer.status_code == 200 and answer.json()["revoked"] is False
    assert "Remove reelforge in your tiktok account" in answer.json()["message"]
    with runtime_for(pub_settings).database.session() as db:
        assert db.scalars(select(Secret).where(Secret.kind == "oauth_token")).all() == []


def test_connecting_youtube_goes_through_google_with_offline_access(
    pub_api: Api, google: FakeGoogleOAuth
) -> None:
    account = pub_api.sign_up("tuber@example.com")
    shown = connect(pub_api, account, "youtube")
    assert shown["platform"] == "youtube" and shown["open_id"] is None
    assert shown["scopes"] == ["https://www.googleapis.com/auth/youtube.upload"]
    assert len(google.refresh) == 1  # Google handed out a refresh token (offline access)


def test_an_authorize_link_works_once(pub_api: Api) -> None:
    account = pub_api.sign_up("twice@example.com")
    url = pub_api.client.get(
        "/api/v1/connections/tiktok/authorize", headers=account.headers
    ).json()["url"]
    params = consent(url)
    first = pub_api.client.get("/api/v1/connections/tiktok/callback", params=params)
    assert first.status_code == 200 and "TikTok is connected" in first.text
    again = pub_api.client.get("/api/v1/connections/tiktok/callback", params=params)
    assert "already used" in assert_error(again, 400)["message"]


def test_a_link_asked_for_in_a_browser_only_completes_in_that_browser(pub_api: Api) -> None:
    owner = pub_api.sign_up("browser@example.com")
    other = pub_api.sign_up("someone@example.com")
    pub_api.client.cookies.set(SESSION_COOKIE, owner.token)
    url = pub_api.client.get("/api/v1/connections/tiktok/authorize").json()["url"]
    params = consent(url)
    pub_api.client.cookies.set(SESSION_COOKIE, other.token)
    stolen = pub_api.client.get("/api/v1/connections/tiktok/callback", params=params)
    pub_api.client.cookies.clear()
    assert_error(stolen, 403)
    assert pub_api.client.get("/api/v1/connections", headers=other.headers).json() == []
    assert pub_api.client.get("/api/v1/connections", headers=owner.headers).json() == []

    pub_api.client.cookies.set(SESSION_COOKIE, owner.token)
    url = pub_api.client.get("/api/v1/connections/tiktok/authorize").json()["url"]
    pub_api.client.cookies.clear()
    cookieless = pub_api.client.get("/api/v1/connections/tiktok/callback", params=consent(url))
    assert "same browser" in assert_error(cookieless, 403)["message"]

    pub_api.client.cookies.set(SESSION_COOKIE, owner.token)
    url = pub_api.client.get("/api/v1/connections/tiktok/authorize").json()["url"]
    same = pub_api.client.get("/api/v1/connections/tiktok/callback", params=consent(url))
    pub_api.client.cookies.clear()
    assert same.status_code == 200
    assert len(pub_api.client.get("/api/v1/connections", headers=owner.headers).json()) == 1


def test_a_declined_approval_is_explained(pub_api: Api) -> None:
    account = pub_api.sign_up("declined@example.com")
    url = pub_api.client.get(
        "/api/v1/connections/tiktok/authorize", headers=account.headers
    ).json()["url"]
    state = consent(url)["state"]
    answer = pub_api.client.get(
        "/api/v1/connections/tiktok/callback",
        params={"state": state, "error": "access_denied", "error_description": "User cancelled"},
    )
    assert "not approved" in assert_error(answer, 400)["message"]


def test_an_expired_link_is_refused(pub_api: Api, pub_settings: Settings) -> None:
    account = pub_api.sign_up("slow@example.com")
    from reelforge.connections.service import complete_authorize, start_authorize, take_state

    services = runtime_for(pub_settings)
    with services.database.session() as db:
        url = start_authorize(
            db, services, owner_id=account.user_id, platform="tiktok", session_id=None
        )
    params = consent(url)
    later = utc_now() + timedelta(seconds=pub_settings.oauth_state_ttl_s + 1)
    with services.database.session() as db:
        taken = take_state(
            db, services, platform="tiktok", state=params["state"], browser_session=None, now=later
        )
    with pytest.raises(Exception, match="expired"), services.database.session() as db:
        complete_authorize(db, services, taken=taken, code=params["code"])


def test_rotated_refresh_tokens_are_stored_and_a_dead_grant_asks_for_reconsent(
    pub_api: Api, pub_settings: Settings, tiktok: FakeTikTok
) -> None:
    account = pub_api.sign_up("rotate@example.com")
    connection = connect(pub_api, account)
    services = runtime_for(pub_settings)
    (first_refresh,) = list(tiktok.refresh)
    soon = utc_now() + timedelta(days=2)  # past the access token's one-day lifetime

    new_access = tokens.access_token(
        services, owner_id=account.user_id, connection_id=connection["id"], now=soon
    )
    assert first_refresh not in tiktok.refresh  # rotated: the old refresh token is dead
    assert new_access in tiktok.access
    # Fresh tokens are used as they are, without another refresh.
    again = tokens.access_token(
        services, owner_id=account.user_id, connection_id=connection["id"], now=soon
    )
    assert again == new_access and len(tiktok.refresh) == 1

    tiktok.refresh.clear()  # the user revoked the app in TikTok's settings
    with pytest.raises(ReconsentRequired, match="Reconnect TikTok"):
        tokens.access_token(
            services,
            owner_id=account.user_id,
            connection_id=connection["id"],
            now=soon + timedelta(days=2),
        )
    shown = pub_api.client.get("/api/v1/connections", headers=account.headers).json()
    assert shown[0]["needs_reconsent"] is True
    refused = pub_api.client.post(
        "/api/v1/posts",
        json={"connection_id": connection["id"], "images": ["x"], "title": "t"},
        headers=account.headers,
    )
    assert "approved again" in assert_error(refused, 400)["message"]


def test_unknown_platforms_and_the_outbox_need_no_oauth(pub_api: Api) -> None:
    account = pub_api.sign_up("outbox@example.com")
    assert_error(
        pub_api.client.get("/api/v1/connections/myspace/authorize", headers=account.headers), 404
    )
    hint = pub_api.client.get("/api/v1/connections/outbox/authorize", headers=account.headers)
    assert "POST /api/v1/connections/outbox" in assert_error(hint, 404)["message"]
    made = pub_api.client.post("/api/v1/connections/outbox", headers=bearer(account.token))
    again = pub_api.client.post("/api/v1/connections/outbox", headers=account.headers)
    assert made.status_code == 201 and again.json()["id"] == made.json()["id"]


def test_tiktok_without_app_credentials_says_which_settings_to_set(settings: Settings) -> None:
    from fastapi.testclient import TestClient

    from reelforge.web.app import create_app

    with TestClient(create_app(settings)) as client:
        api = Api(client, settings)
        account = api.sign_up("noapp@example.com")
        answer = client.get("/api/v1/connections/tiktok/authorize", headers=account.headers)
    assert "REELFORGE_TIKTOK_CLIENT_KEY" in assert_error(answer, 400)["message"]
