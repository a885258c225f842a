"""`reelforge login` / `logout` / `whoami`: how CLI commands reach the service."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reelforge.cli.client import LOCAL, CliLogin, api_client, login_path, save_login
from reelforge.cli.output import console
from reelforge.config import load_settings
from reelforge.errors import InputError

Server = Annotated[
    str | None, typer.Option("--server", help="The server's URL, e.g. https://studio.example.com")
]
ApiKey = Annotated[
    str | None, typer.Option("--api-key", help="An API key (rf_live_…) from that server")
]
Local = Annotated[bool, typer.Option("--local", help="Use this machine's reelforge home directly")]
Email = Annotated[str, typer.Option("--email", help="The local account's email (created if new)")]


def login(
    server: Server = None,
    api_key: ApiKey = None,
    local: Local = False,
    email: Email = "you@reelforge.local",
) -> None:
    """Save where CLI commands send their requests (the key is stored 0600 in REELFORGE_HOME)."""
    settings = load_settings()
    if local:
        login_data = CliLogin(server=LOCAL, api_key=_local_key(email))
    elif server and api_key:
        if not server.startswith(("http://", "https://")):
            raise InputError(
                f"--server must be a URL such as https://studio.example.com, not {server!r}."
            )
        login_data = CliLogin(server=server.rstrip("/"), api_key=api_key)
    else:
        raise InputError("Give --local, or both --server URL and --api-key KEY.")
    path = save_login(settings, login_data)
    client = api_client(settings)
    try:
        me = client.get("/api/v1/me")
    finally:
        client.close()
    console.print(f"[green]✓[/green] logged in as {me['email']} on {login_data.server} ({path})")


def _local_key(email: str) -> str:
    """Operator access: whoever can read this home may act as a local account in it."""
    from reelforge.accounts import api_keys, users
    from reelforge.runtime import runtime_for

    settings = load_settings()
    runtime = runtime_for(settings)
    with runtime.database.session() as db:
        user = users.find_user_by_email(db, email=email) or users.create_user(
            db, email=email, age_confirmed=True
        )
        _, key = api_keys.create_api_key(db, owner_id=user.id, name="reelforge CLI (local)")
    return key


def logout() -> None:
    """Forget the saved login (the API key stays valid until you revoke it)."""
    path = login_path(load_settings())
    path.unlink(missing_ok=True)
    console.print("logged out")


def whoami() -> None:
    """Show the account and server the CLI uses."""
    client = api_client()
    try:
        me = client.get("/api/v1/me")
    finally:
        client.close()
    console.print(f"{me['email']} ({me.get('name') or 'no name'}), plan {me['plan']}")


def export(
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the ZIP")] = Path(
        "reelforge-export.zip"
    ),
) -> None:
    """Download one ZIP with all your data (account, every row as JSON, every stored file)."""
    client = api_client()
    try:
        saved = client.download("/api/v1/me/export", output)
    finally:
        client.close()
    console.print(f"[green]✓[/green] {saved} ({saved.stat().st_size / 1e6:.1f} MB)")


def register(app: typer.Typer) -> None:
    app.command()(login)
    app.command()(logout)
    app.command()(whoami)
    app.command()(export)
