"""`reelforge db upgrade`, `reelforge vault rotate`, `reelforge serve`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from reelforge.accounts import users, vault
from reelforge.cli.main import app
from reelforge.config import Settings
from reelforge.errors import ConfigError
from reelforge.store.db import Database
from reelforge.store.migrations import head_revision

runner = CliRunner()


def _env(settings: Settings) -> dict[str, str]:
    return {"REELFORGE_HOME": str(settings.home)}


def test_db_upgrade_creates_the_database_and_can_run_again(settings: Settings) -> None:
    for _ in range(2):
        result = runner.invoke(app, ["db", "upgrade"], env=_env(settings))
        assert result.exit_code == 0, result.output
        assert f"at revision {head_revision()}" in result.output
    assert (settings.home / "reelforge.db").is_file()
    current = runner.invoke(app, ["db", "current"], env=_env(settings))
    assert f"current: {head_revision()}" in current.output


def test_an_unreachable_database_is_named_without_its_password(settings: Settings) -> None:
    env = {**_env(settings), "REELFORGE_DATABASE_URL": "postgresql://u:hunter2@127.0.0.1:1/x"}
    result = runner.invoke(app, ["db", "upgrade"], env=env)
    assert isinstance(result.exception, ConfigError)
    message = result.exception.message
    assert "postgresql+psycopg://u:***@127.0.0.1:1/x" in message
    assert "REELFORGE_DATABASE_URL" in message and "hunter2" not in message + result.output


def test_vault_rotate_re_encrypts_stored_secrets(settings: Settings) -> None:
    runner.invoke(app, ["db", "upgrade"], env=_env(settings))
    database = Database.from_settings(settings)
    with database.session() as s:
        uid = users.create_user(s, email="sam@example.com", age_confirmed=True).id
        vault.put_secret(
            s,
            vault.Vault.from_settings(settings),
            owner_id=uid,
            kind="provider_key",
            name="openai",
            value="sk-123",
        )
    old_keys = vault.Vault.from_settings(settings).keys

    result = runner.invoke(app, ["vault", "rotate"], env=_env(settings))

    assert result.exit_code == 0, result.output
    assert "Re-encrypted 1 secret" in result.output
    fresh = vault.Vault.from_settings(settings)
    assert fresh.keys != old_keys
    with database.session() as s:
        value = vault.read_secret(s, fresh, owner_id=uid, kind="provider_key", name="openai")
    assert value == "sk-123"
    database.dispose()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_serve_starts_the_api_with_migrations_applied(settings: Settings, tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, **_env(settings)}
    env = {k: v for k, v in env.items() if not k.startswith("REELFORGE_") or k == "REELFORGE_HOME"}
    process = subprocess.Popen(
        [sys.executable, "-m", "reelforge.cli.main", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(process.communicate()[0]) from None
                time.sleep(0.2)
        assert health.json()["status"] == "ok"
        code = httpx.post(
            f"http://127.0.0.1:{port}/api/v1/auth/code", json={"email": "sam@example.com"}
        )
        assert code.status_code == 202  # the database was migrated on start
        assert list((settings.home / "mail").glob("*.eml"))
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0]
    assert "/docs" in output
