"""`reelforge dna show|set FILE|wizard|derive CREATOR...` — your Content DNA, through the API.

The wizard asks the server's own questions (``GET /api/v1/dna/wizard``), so the
CLI, the API and the dashboard always ask the same thing; answers the server
refuses are asked again with its reason.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.prompt import IntPrompt, Prompt
from rich.table import Table

from reelforge.cli.creators import client, resolve
from reelforge.cli.output import console
from reelforge.errors import InputError

dna_app = typer.Typer(help="Your Content DNA: the style every script is written in.")
out = Console()
WIZARD_ROUNDS = 3


def _show_profile(profile: dict[str, Any], *, title: str) -> None:
    table = Table(title=title, show_header=False)
    table.add_column("Field", style="bold")
    table.add_column("Value", overflow="fold")
    for key, value in profile.items():
        text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        table.add_row(key.replace("_", " "), text or "–")
    out.print(table)


@dna_app.command("show")
def show(
    as_json: Annotated[bool, typer.Option("--json", help="Print the profile as JSON")] = False,
) -> None:
    """Your current Content DNA."""
    with client() as api:
        current = api.get("/api/v1/dna")
    if as_json:
        out.print_json(json.dumps(current["profile"]))
        return
    if current["version"] is None:
        console.print("No Content DNA yet: run `reelforge dna wizard` (or set/derive one).")
    title = f"Content DNA v{current['version']} ({current['source']})" if current["version"] else ""
    _show_profile(current["profile"], title=title or "Content DNA (defaults)")


@dna_app.command("set")
def set_dna(
    file: Annotated[Path, typer.Argument(help="A JSON file with the profile", exists=True)],
) -> None:
    """Replace your Content DNA with a JSON file's (saved as a new version)."""
    try:
        profile = json.loads(file.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{file} is not a JSON object ({exc}).") from None
    if not isinstance(profile, dict):
        raise InputError(f"{file} must hold one JSON object with the DNA's fields.")
    with client() as api:
        saved = api.put("/api/v1/dna", profile)
    console.print(f"[green]✓[/green] Content DNA saved as version {saved['version']}")


def _ask(question: dict[str, Any]) -> Any:
    """One wizard question as a Rich prompt of its kind."""
    text = question["prompt"] + (f" [dim]{question['help']}[/dim]" if question["help"] else "")
    default = question.get("default")
    if question["kind"] == "number":
        return IntPrompt.ask(text, default=default if isinstance(default, int) else None)
    if question["kind"] in ("multi", "choice"):
        out.print(text)
        for i, choice in enumerate(question["choices"], start=1):
            out.print(f"  {i}. {choice}")
        raw = Prompt.ask("Numbers or names, separated by commas")
        picked = []
        for item in (p.strip() for p in raw.split(",")):
            if item.isdigit() and 1 <= int(item) <= len(question["choices"]):
                picked.append(question["choices"][int(item) - 1])
            elif item:
                picked.append(item)
        return picked
    if question["kind"] == "list":
        out.print(text + " [dim](one per line; an empty line ends)[/dim]")
        items = []
        while item := Prompt.ask(" ", default="", show_default=False).strip():
            items.append(item)
        return items or (default if isinstance(default, list) else [])
    return Prompt.ask(text, default=default if isinstance(default, str) else "")


@dna_app.command("wizard")
def wizard(
    refine: Annotated[bool, typer.Option(help="Have your writer model tidy the result")] = False,
    save: Annotated[bool, typer.Option(help="Save it as your new Content DNA")] = True,
) -> None:
    """Answer a few questions; they become your Content DNA."""
    with client() as api:
        questions = api.get("/api/v1/dna/wizard")["questions"]
        answers = {q["id"]: _ask(q) for q in questions}
        by_id = {q["id"]: q for q in questions}
        for round_ in range(WIZARD_ROUNDS):
            try:
                outcome = api.post(
                    "/api/v1/dna/wizard",
                    json={"answers": answers, "refine": refine, "save": save},
                )
                break
            except InputError as error:
                problems = error.details.get("errors") or {}
                if not problems or round_ == WIZARD_ROUNDS - 1:
                    raise
                for key, reason in problems.items():
                    console.print(f"[yellow]{key}:[/yellow] {reason}")
                    if key in by_id:
                        answers[key] = _ask(by_id[key])
    for note in outcome["notes"]:
        console.print(f"[yellow]![/yellow] {note}")
    title = "Your Content DNA" + (
        f" (tidied by {outcome['refined_by']})" if outcome["refined_by"] else ""
    )
    _show_profile(outcome["profile"], title=title)
    if outcome["version"]:
        console.print(f"[green]✓[/green] saved as version {outcome['version']}")


@dna_app.command("derive")
def derive(
    creators: Annotated[list[str], typer.Argument(help="Creators (ids or @handles) to learn from")],
    save: Annotated[bool, typer.Option(help="Save the derived profile as your DNA")] = False,
    tz: Annotated[str | None, typer.Option("--tz", help="IANA time zone for posting times")] = None,
) -> None:
    """Derive a Content DNA from creators' top videos, showing the evidence for each field."""
    with client() as api:
        ids = [resolve(api, c)["id"] for c in creators]
        body: dict[str, Any] = {"creator_ids": ids, "save": save}
        if tz:
            body["tz"] = tz
        derived = api.post("/api/v1/dna/derive", json=body)
    proposal = derived["proposal"]
    out.print(f"From {proposal['videos']} videos ({proposal['top_videos']} top videos):")
    for field in ("target_seconds", "hook_styles", "topics", "hashtags", "best_posting_times"):
        item = proposal[field]
        value = item["value"]
        shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        out.print(f"[bold]{field.replace('_', ' ')}:[/bold] {shown or '–'}")
        out.print(f"  [dim]{item['basis']}[/dim]")
        for evidence in item["evidence"][:3]:
            out.print(f"  · {evidence['title'] or evidence['video_id']} ({evidence['note']})")
    goals = proposal["posting_goals"]
    out.print(f"[bold]posting goals:[/bold] {goals['value'] or '–'}  [dim]{goals['basis']}[/dim]")
    if derived["version"]:
        console.print(f"[green]✓[/green] saved as version {derived['version']}")
    else:
        console.print("Not saved; run again with --save to make it your Content DNA.")


def register(app: typer.Typer) -> None:
    app.add_typer(dna_app, name="dna")
