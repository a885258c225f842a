"""Bring-your-own provider keys (P09): encrypted, used only for their owner."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from reelforge.accounts import provider_keys, users
from reelforge.accounts.tables import Secret
from reelforge.accounts.vault import Vault
from reelforge.config import Settings
from reelforge.errors import ConfigError, InputError, NotFound
from reelforge.store.db import Database
from tests.store.support import configured

ALICE_KEY = "sk-alice-0123456789abcdef"


def _users(db: Database) -> tuple[str, str]:
    with db.session() as s:
        a = users.create_user(s, email="a@example.com", age_confirmed=True).id
        b = users.create_user(s, email="b@example.com", age_confirmed=True).id
    return a, b


def test_providers_that_take_keys_are_derived_from_settings_and_the_registry() -> None:
    names = provider_keys.byok_providers()
    assert {"openai", "anthropic", "gemini", "elevenlabs", "pexels", "pixabay"} <= names
    assert "resend" not in names and "offline" not in names


def test_P09_provider_keys_are_encrypted_and_listed_by_last_four_only(
    database: Database, db_settings: Settings
) -> None:
    v = Vault.from_settings(db_settings)
    alice, _ = _users(database)
    with database.session() as s:
        info = provider_keys.put_provider_key(
            s, v, owner_id=alice, provider="openai", key=f"  {ALICE_KEY}\n"
        )
    assert (info.provider, info.last_four) == ("openai", "cdef")
    with database.session() as s:
        row = s.scalars(select(Secret)).one()
        assert (row.kind, row.name) == ("provider_key", "openai")
        assert ALICE_KEY.encode() not in row.ciphertext
        assert [i.provider for i in provider_keys.list_provider_keys(s, owner_id=alice)] == [
            "openai"
        ]


def test_P09_a_users_key_is_used_only_for_that_user(
    database: Database, db_settings: Settings
) -> None:
    settings = configured(db_settings, openai_api_key="sk-operator-key")
    v = Vault.from_settings(settings)
    alice, bob = _users(database)
    with database.session() as s:
        provider_keys.put_provider_key(s, v, owner_id=alice, provider="openai", key=ALICE_KEY)
    with database.session() as s:
        assert provider_keys.credential_for(s, v, settings, user_id=alice, provider="openai") == (
            ALICE_KEY
        )
        # Bob gets the operator's key (his plan allows it), never Alice's.
        assert provider_keys.credential_for(s, v, settings, user_id=bob, provider="openai") == (
            "sk-operator-key"
        )
        assert provider_keys.credential_for(s, v, settings, user_id=bob, provider="pexels") is None


def test_P09_server_keys_only_where_the_plan_allows_them(
    sqlite_database: Database, settings: Settings
) -> None:
    byok_only = configured(
        settings,
        openai_api_key="sk-operator-key",
        plans={"byok": {"server_keys": False}},
        default_plan="byok",
    )
    v = Vault.from_settings(byok_only)
    alice, _ = _users(sqlite_database)
    with sqlite_database.session() as s, pytest.raises(ConfigError) as info:
        provider_keys.credential_for(s, v, byok_only, user_id=alice, provider="openai")
    assert "PUT /api/v1/provider-keys/openai" in info.value.message


def test_P25_a_provider_key_can_be_deleted_at_any_time(
    sqlite_database: Database, settings: Settings
) -> None:
    v = Vault.from_settings(settings)
    alice, bob = _users(sqlite_database)
    with sqlite_database.session() as s:
        provider_keys.put_provider_key(s, v, owner_id=alice, provider="elevenlabs", key="el-123456")
    with sqlite_database.session() as s, pytest.raises(NotFound):
        provider_keys.delete_provider_key(s, owner_id=bob, provider="elevenlabs")
    with sqlite_database.session() as s:
        provider_keys.delete_provider_key(s, owner_id=alice, provider="elevenlabs")
    with sqlite_database.session() as s:
        assert provider_keys.list_provider_keys(s, owner_id=alice) == []


@pytest.mark.parametrize(
    ("provider", "key"), [("nope", "k-123"), ("openai", "has space"), ("openai", " ")]
)
def test_unknown_providers_and_garbled_keys_are_refused(
    sqlite_database: Database, settings: Settings, provider: str, key: str
) -> None:
    alice, _ = _users(sqlite_database)
    with sqlite_database.session() as s, pytest.raises((NotFound, InputError)):
        provider_keys.put_provider_key(
            s, Vault.from_settings(settings), owner_id=alice, provider=provider, key=key
        )
