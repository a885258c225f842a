"""How the CLI shows progress, warnings and errors (Rich), in one place."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from reelforge.studio.pipeline import Event, EventCallback

console = Console(stderr=True)


@contextmanager
def progress_bar(title: str) -> Iterator[EventCallback]:
    """A Rich bar fed by pipeline events (segment progress comes from ffmpeg's -progress)."""
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[step]}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as bar:
        task = bar.add_task(title, total=1.0, step="")

        def on_event(event: Event) -> None:
            bar.update(task, completed=event.progress, step=event.message or event.stage)

        yield on_event


def warn(lines: list[str]) -> None:
    for line in lines:
        console.print(f"[yellow]![/yellow] {line}")
