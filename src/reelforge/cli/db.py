"""`reelforge db upgrade | current`: apply and inspect schema migrations."""

from __future__ import annotations

import typer

from reelforge.config import load_settings

db_app = typer.Typer(help="The database: apply migrations (also done when the server starts).")


@db_app.command("upgrade")
def upgrade() -> None:
    """Bring the database (REELFORGE_DATABASE_URL, default SQLite in REELFORGE_HOME) to the
    newest schema. Safe to run any number of times."""
    from reelforge.store.db import Database
    from reelforge.store.migrations import upgrade_database

    database = Database.from_settings(load_settings())
    try:
        revision = upgrade_database(database)
    finally:
        database.dispose()
    typer.echo(f"Database {database.display_url} is at revision {revision}.")


@db_app.command("current")
def current() -> None:
    """Show the database's revision and the newest one this version knows."""
    from reelforge.store.db import Database
    from reelforge.store.migrations import current_revision, head_revision

    database = Database.from_settings(load_settings())
    try:
        typer.echo(f"current: {current_revision(database)}  newest: {head_revision()}")
    finally:
        database.dispose()


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
