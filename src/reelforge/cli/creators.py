"""`reelforge creators add|list|show|refresh|remove|import|report` — through the API.

Commands name a creator by its id or its handle (``@breadlab``; ``tiktok:@breadlab``
when the same handle is on both platforms). They talk to the server the CLI is
logged in to (``reelforge login``), so they work the same locally and remotely.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import typer
from rich.console import Console
from rich.table import Table

from reelforge.cli.client import ApiClient, api_client
from reelforge.cli.output import console
from reelforge.errors import InputError, NotFound

creators_app = typer.Typer(help="Creators you learn from: their public videos and what works.")
out = Console()  # tables go to stdout; messages to stderr (console)

CreatorArg = Annotated[str, typer.Argument(help="The creator's id or @handle")]
TzOption = Annotated[
    str | None, typer.Option("--tz", help="IANA time zone for best times, e.g. Europe/Berlin")
]


@contextmanager
def client() -> Iterator[ApiClient]:
    api = api_client()
    try:
        yield api
    finally:
        api.close()


def resolve(api: ApiClient, ref: str) -> dict[str, Any]:
    """The creator a user named by id, @handle or platform:@handle."""
    everyone: list[dict[str, Any]] = api.get("/api/v1/creators")
    for creator in everyone:
        if creator["id"] == ref:
            return creator
    platform, sep, handle = ref.partition(":")
    if not sep or platform not in ("youtube", "tiktok"):
        platform, handle = "", ref
    wanted = handle.strip().lstrip("@").lower()
    found = [
        c
        for c in everyone
        if (not platform or c["platform"] == platform)
        and wanted in {(c["handle"] or "").lower(), (c["platform_id"] or "").lower()}
    ]
    if not found:
        raise NotFound(f"No creator {ref!r} in your workspace; see `reelforge creators list`.")
    if len(found) > 1:
        raise InputError(
            f"{ref!r} is on both platforms; say youtube:@{wanted} or tiktok:@{wanted}."
        )
    return found[0]


def _fmt(value: float | None, *, percent: bool = False) -> str:
    from reelforge.research.report_html import number

    return number(value, percent=percent)


@creators_app.command("add")
def add(
    platform: Annotated[str, typer.Argument(help="youtube or tiktok")],
    handle: Annotated[str, typer.Argument(help="@handle, channel id or profile URL")],
    source: Annotated[
        str | None, typer.Option(help="youtube, tiktok_research, tiktok_display or import")
    ] = None,
) -> None:
    """Add a creator to your workspace."""
    body: dict[str, Any] = {"platform": platform.lower(), "handle": handle}
    if source:
        body["source"] = source
    with client() as api:
        creator = api.post("/api/v1/creators", json=body)
    console.print(
        f"[green]✓[/green] {creator['label']} ({creator['platform']}, from {creator['source']}) "
        f"— id {creator['id']}"
    )
    if creator["source"] != "import":
        console.print(f"Read its videos with: reelforge creators refresh {creator['label']}")


@creators_app.command("list")
def list_creators() -> None:
    """The creators in your workspace."""
    with client() as api:
        rows = api.get("/api/v1/creators")
    table = Table(title="Creators")
    for name in ("Creator", "Platform", "Source", "Videos", "Last refresh", "Id"):
        table.add_column(name, overflow="fold")
    for c in rows:
        refresh = c["refresh"]["status"] or "never"
        table.add_row(c["label"], c["platform"], c["source"], str(c["videos"]), refresh, c["id"])
    out.print(table)


@creators_app.command("show")
def show(creator: CreatorArg) -> None:
    """One creator: profile, videos stored, last refresh."""
    with client() as api:
        c = resolve(api, creator)
    refresh = c["refresh"]
    out.print(f"[bold]{c['label']}[/bold] {c['display_name'] or ''} ({c['platform']})")
    out.print(f"id {c['id']} · source {c['source']} · followers {_fmt(c['followers'])}")
    out.print(f"videos stored: {c['videos']} (newest {c['last_published'] or '–'})")
    out.print(f"last refresh: {refresh['status'] or 'never'} {refresh['message'] or ''}")
    if refresh["retry_after"]:
        out.print(f"quota resets at {refresh['retry_after']}")


@creators_app.command("refresh")
def refresh(
    creator: CreatorArg,
    wait: Annotated[bool, typer.Option(help="Follow the job until it ends")] = True,
) -> None:
    """Read the creator's public videos from its API (a background job)."""
    with client() as api:
        c = resolve(api, creator)
        started = api.post(f"/api/v1/creators/{c['id']}/refresh")
        job = started["job"]
        if not wait:
            console.print(f"queued job {job['id']}")
            return
        job = api.follow_job(job["id"], f"refresh {c['label']}")
        after = api.get(f"/api/v1/creators/{c['id']}")
    console.print(f"{after['label']}: {after['videos']} videos stored.")
    if job["state"] != "succeeded":
        raise typer.Exit(3)


@creators_app.command("remove")
def remove(
    creator: CreatorArg,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask")] = False,
) -> None:
    """Remove a creator and all its videos, snapshots and stats."""
    with client() as api:
        c = resolve(api, creator)
        if not yes and not typer.confirm(
            f"Remove {c['label']} and its {c['videos']} stored videos?"
        ):
            raise typer.Exit(1)
        api.delete(f"/api/v1/creators/{c['id']}")
    console.print(f"[green]✓[/green] removed {c['label']} and all its videos")


@creators_app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="yt-dlp --dump-json lines or a CSV", exists=True)],
    creator: Annotated[
        str | None, typer.Option(help="Put every video into this creator (id or @handle)")
    ] = None,
    platform: Annotated[
        str | None, typer.Option(help="youtube or tiktok, for lines without an extractor")
    ] = None,
) -> None:
    """Import videos from a file; bad rows are listed with their line numbers."""
    with client() as api:
        query: dict[str, str] = {}
        if creator:
            query["creator_id"] = resolve(api, creator)["id"]
        if platform:
            query["platform"] = platform
        path = "/api/v1/creators/import" + (f"?{urlencode(query)}" if query else "")
        outcome = api.post(path, files={"file": (file.name, file.read_bytes())})
    for c in outcome["creators"]:
        verb = "added" if c["created"] else "updated"
        console.print(
            f"[green]✓[/green] {verb} {c['label']}: {c['new_videos']} new, "
            f"{c['updated_videos']} updated"
        )
    for problem in outcome["problems"]:
        console.print(f"[yellow]line {problem['line']}:[/yellow] skipped — {problem['reason']}")
    for warning in outcome["warnings"]:
        console.print(f"[yellow]line {warning['line']}:[/yellow] {warning['reason']}")
    for note in outcome["notes"]:
        console.print(f"[yellow]![/yellow] {note}")
    console.print(
        f"{outcome['imported']} videos imported, {len(outcome['problems'])} rows skipped."
    )


def _report_tables(data: dict[str, Any]) -> None:
    from reelforge.research.analytics_results import AnalyticsReport

    report = AnalyticsReport.model_validate(data["report"])
    labels: dict[str, str] = data["creators"]
    s = report.summary
    summary = Table(title=f"{s.videos:,} videos, {s.creators} creator(s)")
    for name in ("Median views", "Top views", "Engagement", "Posts/week", "Best times"):
        summary.add_column(name)
    best = ", ".join(f"{b.weekday_name} {b.hour:02d}:00" for b in report.weekday_hour.best)
    summary.add_row(
        _fmt(s.median_views),
        _fmt(s.top_views),
        _fmt(s.engagement_rate, percent=True),
        _fmt(s.median_posts_per_week),
        best or "–",
    )
    out.print(summary)
    if report.breakouts:
        table = Table(title="Breakouts (views vs the creator's recent median)")
        for name in ("Title", "Creator", "Views", "x usual"):
            table.add_column(name, overflow="fold")
        for b in report.breakouts[:10]:
            table.add_row(
                b.title, labels.get(b.creator, b.creator), _fmt(b.views), f"{b.ratio:.1f}x"
            )
        out.print(table)
    lengths = Table(title="Length vs views")
    for name in ("Length", "Videos", "Median views"):
        lengths.add_column(name)
    for bucket in report.durations:
        if bucket.videos:
            lengths.add_row(bucket.label, str(bucket.videos), _fmt(bucket.median_views))
    out.print(lengths)
    if report.words.top_words:
        words = ", ".join(w.word for w in report.words.top_words[:10])
        out.print(f"Words in top videos: {words}")


@creators_app.command("report")
def report(
    creator: Annotated[str | None, typer.Argument(help="A creator; default: the workspace")] = None,
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write an HTML report with the charts")
    ] = None,
    tz: TzOption = None,
) -> None:
    """What works: a summary table, and optionally an HTML report with the charts."""
    params = {"tz": tz} if tz else {}
    with client() as api:
        if creator:
            c = resolve(api, creator)
            data = api.get(f"/api/v1/creators/{c['id']}/analytics", **params)
            title = f"{c['label']} on {c['platform']}"
        else:
            data = api.get("/api/v1/analytics", **params)
            title = "Your research workspace"
        _report_tables(data)
        if html is not None:
            charts = _charts(api, data["charts"], params)
    if html is not None:
        from reelforge.research.analytics_results import AnalyticsReport
        from reelforge.research.report_html import html_report

        page = html_report(
            AnalyticsReport.model_validate(data["report"]),
            title=f"reelforge report: {title}",
            labels=data["creators"],
            charts=charts,
        )
        html.write_text(page, encoding="utf-8")
        console.print(f"[green]✓[/green] wrote {html}")


def _charts(api: ApiClient, urls: dict[str, str], params: dict[str, str]) -> dict[str, str]:
    """Each chart's SVG text, fetched from the server."""
    charts: dict[str, str] = {}
    suffix = f"?{urlencode(params)}" if params else ""
    with tempfile.TemporaryDirectory(prefix="reelforge-charts-") as tmp:
        for name, url in urls.items():
            path = api.download(url + suffix, Path(tmp) / f"{name}.svg")
            charts[name] = path.read_text(encoding="utf-8")
    return charts


def register(app: typer.Typer) -> None:
    app.add_typer(creators_app, name="creators")
