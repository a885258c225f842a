"""Database fixtures shared by the store, accounts and web tests.

SQLite always; the real PostgreSQL at ``REELFORGE_TEST_POSTGRES_URL`` (default
127.0.0.1:5432, database ``test``, trust auth) for tests marked ``postgres``,
each in a fresh schema that is dropped afterwards. Import the fixtures into a
conftest with ``from tests.store.support import *``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from reelforge.config import Settings
from reelforge.store.db import Database
from reelforge.store.migrations import upgrade_database

PG_URL = os.environ.get(
    "REELFORGE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
_reachable: dict[str, str | None] = {}

__all__ = [
    "BACKENDS",
    "configured",
    "database",
    "db_settings",
    "postgres_schema",
    "require_postgres",
    "sqlite_database",
]


def configured(settings: Settings, **changes: object) -> Settings:
    """A validated copy of ``settings`` with ``changes`` (strings become SecretStr etc.)."""
    return type(settings)(**{**settings.model_dump(), **changes})


def require_postgres() -> None:
    """Skip with the reason when the PostgreSQL server is not there."""
    if "reason" not in _reachable:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            _reachable["reason"] = None
        except OperationalError as exc:
            _reachable["reason"] = f"PostgreSQL not reachable at {PG_URL}: {exc.orig}"
        finally:
            engine.dispose()
    reason = _reachable["reason"]
    if reason:
        pytest.skip(reason)


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A fresh schema; yields a database URL whose search_path is that schema."""
    require_postgres()
    schema = f"rf_test_{secrets.token_hex(6)}"
    admin = create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def db_settings(request: pytest.FixtureRequest, settings: Settings) -> Iterator[Settings]:
    """``settings`` on SQLite, then on PostgreSQL (a fresh schema)."""
    if request.param == "sqlite":
        yield settings
        return
    with postgres_schema() as url:
        yield configured(settings, database_url=url)


@pytest.fixture
def database(db_settings: Settings) -> Iterator[Database]:
    """A migrated database for ``db_settings``."""
    db = Database.from_settings(db_settings)
    upgrade_database(db)
    try:
        yield db
    finally:
        db.dispose()


@pytest.fixture
def sqlite_database(settings: Settings) -> Iterator[Database]:
    """A migrated SQLite database in the test's home (for tests that need only one backend)."""
    db = Database.from_settings(settings)
    upgrade_database(db)
    try:
        yield db
    finally:
        db.dispose()
