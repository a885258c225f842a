"""Migrations: run from the package, idempotent, equal to tables.py, safe when started twice."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from reelforge.config import Settings
from reelforge.store.db import Database, database_url
from reelforge.store.migrations import current_revision, head_revision, upgrade, upgrade_database
from reelforge.store.orm import Base

REQUIRED = {
    "users",
    "sessions",
    "otp_codes",
    "api_keys",
    "secrets",
    "usage_counters",
    "rate_limit_hits",
    "videos",
    "jobs",
    "job_events",
}


def test_upgrade_creates_every_table_and_can_run_again(database: Database) -> None:
    assert set(inspect(database.engine).get_table_names()) >= REQUIRED
    assert current_revision(database) == head_revision()
    assert upgrade_database(database) == head_revision()  # second run: nothing to do


def test_migrations_equal_the_table_definitions(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_upgrade_from_settings_creates_the_sqlite_file_in_home(settings: Settings) -> None:
    assert upgrade(settings) == head_revision()
    assert (settings.home / "reelforge.db").is_file()


def test_two_processes_upgrading_at_once_both_succeed(db_settings: Settings) -> None:
    """The web server and the worker start together and both migrate the same database."""
    env = {
        **os.environ,
        "REELFORGE_HOME": str(db_settings.home),
        "REELFORGE_DATABASE_URL": database_url(db_settings),
    }
    script = "from reelforge.store.migrations import upgrade; print(upgrade(__import__('reelforge.config').config.load_settings()))"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _, err in outputs]
    assert [out.strip() for out, _ in outputs] == [head_revision(), head_revision()]


def test_threads_upgrading_at_once_both_succeed(db_settings: Settings) -> None:
    results: list[str | None] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(upgrade(db_settings))
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert results == [head_revision(), head_revision()]
