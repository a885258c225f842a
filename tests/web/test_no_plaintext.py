"""P10: after a full flow, no plaintext code, password, API key, OAuth token or provider key
is in the database, in any file, or in the logs — except the one mail that carries a code."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from reelforge.accounts import vault
from reelforge.runtime import run_job
from reelforge.store.db import Database
from tests.web.support import Account, Api, bearer

PASSWORD = "Plaintext-Password-7731"
PROVIDER_KEY = "sk-plaintext-provider-key-5519"
OAUTH_TOKEN = "act.plaintext-oauth-token-8842"


def _files(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_P10_no_plaintext_secret_in_database_files_or_logs(
    api: Api, sqlite_database: Database, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    caplog.set_level(logging.DEBUG)  # as verbose as an operator could make it
    client = api.client

    code = api.request_code("sam@example.com")
    signed = client.post(
        "/api/v1/auth/verify",
        json={"email": "sam@example.com", "code": code, "age_confirmed": True},
    ).json()
    headers = bearer(signed["token"])
    assert (
        client.put("/api/v1/me/password", json={"password": PASSWORD}, headers=headers).status_code
        == 204
    )
    login = client.post(
        "/api/v1/auth/login", json={"email": "sam@example.com", "password": PASSWORD}
    )
    assert login.status_code == 200
    _, api_key = api.api_key(Account("sam@example.com", signed["token"], signed["user"]["id"]))
    assert client.get("/api/v1/me", headers=bearer(api_key)).status_code == 200
    put = client.put(
        "/api/v1/provider-keys/openai", json={"key": PROVIDER_KEY}, headers=bearer(api_key)
    )
    assert put.status_code == 200
    with sqlite_database.session() as s:  # an OAuth token, the way the publish code stores it
        vault.put_secret(
            s,
            vault.Vault.from_settings(api.settings),
            owner_id=signed["user"]["id"],
            kind="oauth_token",
            name="tiktok",
            value=OAUTH_TOKEN,
        )
    client.post("/api/v1/auth/login", json={"email": "sam@example.com", "password": "wrong one!"})
    client.post("/api/v1/auth/verify", json={"email": "sam@example.com", "code": "000000"})
    made = client.post(  # a video, made and rendered with only the API key
        "/api/v1/videos",
        json={
            "topic": "why ice floats",
            "options": {"size": "180x320", "fps": 24, "x264_preset": "ultrafast", "voice": "none"},
        },
        headers=bearer(api_key),
    )
    assert made.status_code == 202, made.text
    assert run_job(api.settings, job_id=made.json()["job"]["id"]) == "succeeded"

    secrets = {
        "code": code,
        "password": PASSWORD,
        "api key": api_key,
        "provider key": PROVIDER_KEY,
        "oauth token": OAUTH_TOKEN,
        "session token": signed["token"],
    }
    files = _files(tmp_path)
    assert any(p.name == "reelforge.db" for p in files)  # the database is among them
    code_mails = [p for p, data in files.items() if code.encode() in data]
    assert len(code_mails) == 1 and code_mails[0].suffix == ".eml"  # only its own mail
    assert code_mails[0].parent == api.settings.home / "mail"

    for what, secret in secrets.items():
        holders = [p for p, data in files.items() if secret.encode() in data]
        if what == "code":
            holders = [p for p in holders if p not in code_mails]
        assert holders == [], f"plaintext {what} found in {holders}"
        logged = [r for r in caplog.records if secret in r.getMessage() or secret in str(r.args)]
        assert logged == [], f"plaintext {what} logged"
    assert caplog.records  # logging was on and captured something
