"""The `reelforge` command. Domain errors become a message and an exit code here, once."""

from __future__ import annotations

import sys

import typer

from reelforge.cli import account, billing, creators, db, dna, publish, serve, studio, vault, worker
from reelforge.cli import doctor as doctor_cmd
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

# Each command group registers itself; modules import their heavy parts lazily.
for _group in (db, vault, serve, worker, account, creators, dna, publish, billing):
    _group.register(app)

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
