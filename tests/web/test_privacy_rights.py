"""The user's rights over their data: export everything (P22), delete everything (P24)."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from sqlalchemy import func, select

from reelforge.config import Settings
from reelforge.runtime import run_job
from reelforge.schema import owned_tables
from reelforge.store.blobs import owner_prefix
from reelforge.store.db import Database
from reelforge.store.open_blobs import open_blob_store
from tests.web.support import Account, Api, bearer

TINY = {"size": "180x320", "fps": 24, "x264_preset": "ultrafast", "voice": "none"}


def _full_account(api: Api, settings: Settings) -> tuple[Account, str, str]:
    account = api.sign_up("rights@example.com", name="Robin")
    _key_id, key = api.api_key(account, name="laptop")
    api.client.put(
        "/api/v1/provider-keys/openai",
        json={"key": "sk-rights-secret-9876"},
        headers=account.headers,
    )
    made = api.client.post(
        "/api/v1/videos", json={"topic": "why ice floats", "options": TINY}, headers=account.headers
    ).json()
    assert run_job(settings, job_id=made["job"]["id"]) == "succeeded"
    return account, key, made["video"]["id"]


@pytest.mark.slow
def test_P22_one_archive_holds_all_the_users_data_in_open_formats(
    api: Api, settings: Settings
) -> None:
    _account, key, video_id = _full_account(api, settings)
    answer = api.client.get("/api/v1/me/export", headers=bearer(key))
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    names = set(archive.namelist())
    assert {
        "README.txt",
        "account.json",
        "data/videos.json",
        "data/api_keys.json",
        "data/secrets.json",
        "data/jobs.json",
        "data/usage_counters.json",
    } <= names
    assert json.loads(archive.read("account.json"))["email"] == "rights@example.com"
    videos = json.loads(archive.read("data/videos.json"))
    assert videos[0]["id"] == video_id and videos[0]["script"]["scenes"]
    keys = json.loads(archive.read("data/api_keys.json"))
    assert keys[0]["name"] == "laptop" and "key_hash" not in keys[0]
    assert any(name.startswith("files/videos/") and name.endswith("video.mp4") for name in names)
    everything = b"".join(archive.read(n) for n in names)
    assert key.encode() not in everything and b"sk-rights-secret-9876" not in everything
    assert b"password_hash" not in everything


@pytest.mark.slow
def test_P24_deleting_the_account_removes_every_row_and_file_at_once(
    api: Api, settings: Settings, sqlite_database: Database
) -> None:
    account, key, _video_id = _full_account(api, settings)
    other = api.sign_up("stays@example.com")
    user_id = account.user_id
    assert (settings.home / "work" / user_id).exists()
    outbox = api.client.post("/api/v1/connections/outbox", headers=account.headers).json()
    posted = api.client.post(
        "/api/v1/posts",
        json={"connection_id": outbox["id"], "video_id": _video_id, "title": "mine"},
        headers=account.headers,
    )
    assert posted.status_code == 202, posted.text
    assert run_job(settings, job_id=posted.json()["job"]["id"]) == "succeeded"
    assert any((settings.home / "outbox" / user_id).iterdir())

    assert api.client.delete("/api/v1/me", headers=account.headers).status_code == 204

    with sqlite_database.session() as db:
        for table in owned_tables():
            column = getattr(table, "owner_id", None) or table.user_id  # type: ignore[attr-defined]
            assert db.scalar(select(func.count()).select_from(table).where(column == user_id)) == 0
    assert open_blob_store(settings).list(owner_prefix(user_id)) == []
    assert not (settings.home / "work" / user_id).exists()
    assert not (settings.home / "outbox" / user_id).exists()
    assert api.client.get("/api/v1/me", headers=bearer(key)).status_code == 401
    assert api.client.get("/api/v1/me", headers=other.headers).status_code == 200
