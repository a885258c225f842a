"""The README stays true: every setting, command and route is documented."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from reelforge.cli.main import app as cli_app
from reelforge.config import Settings, load_settings
from reelforge.web.app import create_app

README = (Path(__file__).parents[1] / "README.md").read_text()


def test_every_setting_is_documented() -> None:
    missing = [
        f"REELFORGE_{name.upper()}"
        for name in Settings.model_fields
        if f"REELFORGE_{name.upper()}" not in README
    ]
    assert missing == [], (
        f"add these to the README (tools/settings_doc.py writes the rows): {missing}"
    )


def _commands(app: typer.Typer, prefix: str = "reelforge") -> list[str]:
    found = []
    for command in app.registered_commands:
        name = command.name or (
            command.callback.__name__.replace("_", "-") if command.callback else ""
        )
        found.append(f"{prefix} {name}")
    for group in app.registered_groups:
        assert group.typer_instance is not None and group.name
        found += _commands(group.typer_instance, f"{prefix} {group.name}")
    return found


def test_every_cli_command_is_documented() -> None:
    missing = [c for c in _commands(cli_app) if f"`{c}" not in README and f"{c} " not in README]
    assert missing == [], f"document these commands in the README: {missing}"


def test_every_api_route_is_documented(tmp_path: Path) -> None:
    from fastapi.routing import iter_route_contexts

    app = create_app(load_settings(home=tmp_path))
    paths = {
        str(c.path) for c in iter_route_contexts(app.routes) if str(c.path).startswith("/api/v1")
    }
    missing = sorted(p for p in paths if re.sub(r"^/api/v1", "", p) not in README)
    assert missing == [], f"document these routes in the README: {missing}"
