"""`reelforge vault rotate`: re-encrypt every stored secret under a new key."""

from __future__ import annotations

import typer

from reelforge.config import load_settings

vault_app = typer.Typer(help="The secrets vault (provider keys, OAuth tokens).")


@vault_app.command("rotate")
def rotate() -> None:
    """Re-encrypt every secret under a new key.

    With the key file ($REELFORGE_HOME/vault.key) a new key is made, every secret
    re-encrypted, and the old key dropped when all are done. With REELFORGE_VAULT_KEY,
    put the new key first (keep the old one after a comma), run this, then remove the old.
    """
    from reelforge.accounts.vault import rotate as rotate_vault
    from reelforge.store.db import Database

    settings = load_settings()
    database = Database.from_settings(settings)
    try:
        result = rotate_vault(database, settings)
    finally:
        database.dispose()
    typer.echo(f"Re-encrypted {result.re_encrypted} secret(s) under key {result.key_id}.")
    if result.dropped_keys:
        typer.echo(f"Dropped {result.dropped_keys} old key(s) from the key file.")
    elif settings.vault_key is not None:
        typer.echo("You can now remove the older keys from REELFORGE_VAULT_KEY.")


def register(app: typer.Typer) -> None:
    app.add_typer(vault_app, name="vault")
