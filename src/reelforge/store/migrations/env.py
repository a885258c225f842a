"""Alembic environment: runs on the connection that :func:`reelforge.store.migrations.upgrade`
hands over (no alembic.ini, so it works from an installed package)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, text

MIGRATION_LOCK_ID = 0x7265656C  # "reel": one migrator at a time on PostgreSQL


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        # Only autogenerate needs the tables; the store knows no domain, so the caller of
        # make_revision hands the whole schema in (reelforge.schema.metadata).
        target_metadata=context.config.attributes.get("metadata"),
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite ALTERs need batch mode
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})
        # SQLite: the transaction began with BEGIN IMMEDIATE (store/db.py), which already
        # serialises concurrent migrators; the second one then sees the new revision.
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("Run migrations with `reelforge db upgrade` (it passes a connection).")
    _run(connection)


if context.is_offline_mode():
    raise RuntimeError(
        "Offline (SQL script) migrations are not supported; use `reelforge db upgrade`."
    )
run_migrations_online()
