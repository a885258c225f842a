"""The vault (P08): AES-GCM, key id beside each ciphertext, key never in the database,
rotation that loses nothing."""

from __future__ import annotations

import base64
import os
import stat

import pytest
from sqlalchemy import select, update

from reelforge.accounts import users, vault
from reelforge.accounts.tables import Secret
from reelforge.accounts.vault import Vault
from reelforge.config import Settings
from reelforge.errors import ConfigError, ReelforgeError
from reelforge.store.db import Database
from tests.store.support import configured

TOKEN = "act.example-oauth-access-token-0123456789"


def _b64(key: bytes) -> str:
    return base64.b64encode(key).decode()


def _users(db: Database) -> tuple[str, str]:
    with db.session() as s:
        a = users.create_user(s, email="a@example.com", age_confirmed=True).id
        b = users.create_user(s, email="b@example.com", age_confirmed=True).id
    return a, b


def _put(db: Database, v: Vault, owner: str, value: str = TOKEN, name: str = "tiktok") -> None:
    with db.session() as s:
        vault.put_secret(s, v, owner_id=owner, kind="oauth_token", name=name, value=value)


def _read(db: Database, v: Vault, owner: str, name: str = "tiktok") -> str | None:
    with db.session() as s:
        return vault.read_secret(s, v, owner_id=owner, kind="oauth_token", name=name)


def test_P08_tokens_are_sealed_with_aes_gcm_and_the_key_is_not_in_the_database(
    database: Database, db_settings: Settings
) -> None:
    v = Vault.from_settings(db_settings)
    owner, _ = _users(database)
    _put(database, v, owner)
    with database.session() as s:
        row = s.scalars(select(Secret)).one()
    assert row.key_id == v.current_key_id and len(row.nonce) == 12
    assert TOKEN.encode() not in row.ciphertext
    assert len(row.ciphertext) == len(TOKEN) + 16  # GCM tag
    assert _read(database, v, owner) == TOKEN
    if database.backend == "sqlite":
        raw = b"".join(p.read_bytes() for p in db_settings.home.glob("reelforge.db*"))
        assert TOKEN.encode() not in raw
        assert v.keys[0] not in raw and _b64(v.keys[0]).encode() not in raw


def test_P08_the_key_file_is_private_and_reused(settings: Settings) -> None:
    first = Vault.from_settings(settings)
    path = settings.home / "vault.key"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert Vault.from_settings(settings).keys == first.keys


def test_P08_a_ciphertext_moved_to_another_users_row_does_not_open(
    sqlite_database: Database, settings: Settings
) -> None:
    v = Vault.from_settings(settings)
    alice, bob = _users(sqlite_database)
    _put(sqlite_database, v, alice)
    _put(sqlite_database, v, bob, value="bobs-own-token")
    with sqlite_database.session() as s:
        stolen = s.scalars(select(Secret).where(Secret.owner_id == alice)).one()
        s.execute(
            update(Secret)
            .where(Secret.owner_id == bob)
            .values(nonce=stolen.nonce, ciphertext=stolen.ciphertext)
        )
    with pytest.raises(ReelforgeError) as info:
        _read(sqlite_database, v, bob)
    assert "integrity" in info.value.message


def test_a_missing_key_is_named_in_the_error(sqlite_database: Database, settings: Settings) -> None:
    owner, _ = _users(sqlite_database)
    _put(sqlite_database, Vault([os.urandom(32)]), owner)
    with pytest.raises(ConfigError) as info:
        _read(sqlite_database, Vault([os.urandom(32)]), owner)
    assert "REELFORGE_VAULT_KEY" in info.value.message


def test_rotation_with_the_key_file_re_encrypts_everything_and_drops_the_old_key(
    database: Database, db_settings: Settings
) -> None:
    old = Vault.from_settings(db_settings)
    a, b = _users(database)
    for owner in (a, b):
        for name in ("tiktok", "youtube"):
            _put(database, old, owner, value=f"{owner}-{name}", name=name)

    result = vault.rotate(database, db_settings, batch=3)

    new = Vault.from_settings(db_settings)
    assert result.re_encrypted == 4 and result.dropped_keys == 1
    assert new.keys != old.keys and len(new.keys) == 1
    with database.session() as s:
        assert {row.key_id for row in s.scalars(select(Secret))} == {new.current_key_id}
    assert _read(database, new, b, "youtube") == f"{b}-youtube"
    assert _read(database, old, a) == f"{a}-tiktok"  # a running server picks up the new file


def test_rotation_with_configured_keys_moves_secrets_to_the_first_key(
    sqlite_database: Database, settings: Settings
) -> None:
    old_key, new_key = os.urandom(32), os.urandom(32)
    before = configured(settings, vault_key=_b64(old_key))
    owner, _ = _users(sqlite_database)
    _put(sqlite_database, Vault.from_settings(before), owner)

    after = configured(settings, vault_key=f"{_b64(new_key)},{_b64(old_key)}")
    result = vault.rotate(sqlite_database, after)

    assert result.re_encrypted == 1
    only_new = Vault.from_settings(configured(settings, vault_key=_b64(new_key)))
    assert _read(sqlite_database, only_new, owner) == TOKEN
    assert not (settings.home / "vault.key").exists()


@pytest.mark.parametrize("bad", ["not base64!", base64.b64encode(b"short").decode(), " , "])
def test_a_bad_configured_key_is_a_clear_config_error(settings: Settings, bad: str) -> None:
    with pytest.raises(ConfigError):
        Vault.from_settings(configured(settings, vault_key=bad))


def test_deleting_a_secret_is_immediate(sqlite_database: Database, settings: Settings) -> None:
    v = Vault.from_settings(settings)
    owner, _ = _users(sqlite_database)
    _put(sqlite_database, v, owner)
    with sqlite_database.session() as s:
        assert vault.delete_secret(s, owner_id=owner, kind="oauth_token", name="tiktok")
    assert _read(sqlite_database, v, owner) is None
