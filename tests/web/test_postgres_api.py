"""The same API flow on the real PostgreSQL (REELFORGE_DATABASE_URL=postgresql+psycopg://…)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from reelforge.config import Settings
from reelforge.web.app import create_app
from tests.store.support import configured, postgres_schema
from tests.web.support import Api, assert_error, bearer


@pytest.mark.postgres
def test_sign_up_keys_and_deletion_work_on_postgres(settings: Settings) -> None:
    with postgres_schema() as url:
        pg = configured(settings, database_url=url)
        with TestClient(create_app(pg)) as client:
            api = Api(client, pg)
            account = api.sign_up("sam@example.com")
            key_id, key = api.api_key(account)
            put = client.put(
                "/api/v1/provider-keys/openai", json={"key": "sk-pg-1234"}, headers=bearer(key)
            )
            assert put.json()["last_four"] == "1234"
            (listed,) = client.get("/api/v1/api-keys", headers=account.headers).json()
            assert listed["id"] == key_id and listed["request_count"] == 1
            assert client.delete("/api/v1/me", headers=account.headers).status_code == 204
            assert_error(client.get("/api/v1/me", headers=bearer(key)), 401)
        assert not (settings.home / "reelforge.db").exists()  # nothing went to SQLite
