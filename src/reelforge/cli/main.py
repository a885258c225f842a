"""The `reelforge` command. Domain errors become a message and an exit code here, once."""

from __future__ import annotations

import sys
from importlib import import_module

import typer

from reelforge.cli import doctor as doctor_cmd
from reelforge.cli import studio
from reelforge.cli.output import console
from reelforge.errors import InputError, ProviderError, ReelforgeError, RenderError

app = typer.Typer(
    name="reelforge",
    help="Study creators, write, build and post vertical shorts — offline by default.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
studio.register(app)
app.command()(doctor_cmd.doctor)

# Command groups owned by other parts of the system register themselves when present.
for _module in (
    "reelforge.cli.db",
    "reelforge.cli.vault",
    "reelforge.cli.serve",
    "reelforge.cli.worker",
    "reelforge.cli.account",
    "reelforge.cli.creators",
    "reelforge.cli.dna",
    "reelforge.cli.publish",
):
    try:
        import_module(_module).register(app)
    except ModuleNotFoundError as exc:  # pragma: no cover - only while a part is absent
        if exc.name != _module:
            raise

EXIT_CODES: dict[type[ReelforgeError], int] = {InputError: 2, ProviderError: 3, RenderError: 4}


def exit_code(error: ReelforgeError) -> int:
    for cls, code in EXIT_CODES.items():
        if isinstance(error, cls):
            return code
    return 1


def main() -> None:
    try:
        app()
    except ReelforgeError as error:
        console.print(f"[red]error:[/red] {error.message}")
        sys.exit(exit_code(error))


if __name__ == "__main__":
    main()
