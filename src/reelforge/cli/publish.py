"""`reelforge connect`, `disconnect`, `post`, `posts`: publishing through the API.

Every command goes through the saved login (`reelforge login --server … --api-key …`
or `--local`), so the same commands work against a remote server with only an
API key and on this machine. Which platforms there are, and whether connecting
one is a sign-in, is the server's answer (``GET /api/v1/connections/{platform}``),
so a platform added to the server needs nothing here.
"""

from __future__ import annotations

import re
import time
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from reelforge.cli.client import ApiClient, api_client
from reelforge.cli.output import console
from reelforge.errors import InputError

VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,15}$")

PlatformArg = Annotated[str, typer.Argument(help="A platform, e.g. tiktok, youtube or outbox")]
Wait = Annotated[
    float, typer.Option("--wait", help="Seconds to wait for the approval (0: do not wait)")
]


def _platform(client: ApiClient, name: str) -> dict[str, Any]:
    """What the server says about platform ``name``; NotFound lists the ones it has."""
    if not _NAME.match(name):
        raise InputError(f"{name!r} is not a platform name (like tiktok, youtube or outbox).")
    return dict(client.get(f"/api/v1/connections/{name}"))


def connect(platform: PlatformArg, wait: Wait = 600.0) -> None:
    """Connect an account: prints the link to approve in a browser, then waits for it."""
    client = api_client()
    try:
        if not _platform(client, platform)["needs_oauth"]:
            row = client.post(f"/api/v1/connections/{platform}")
            console.print(f"[green]✓[/green] {platform} connected ({row['id']})")
            return
        before = {c["id"]: c["updated_at"] for c in client.get("/api/v1/connections")}
        link = client.get(f"/api/v1/connections/{platform}/authorize")
        console.print(f"Open this link in a browser and approve reelforge on {platform}:")
        typer.echo(link["url"])  # stdout, so a script can read it
        deadline = time.monotonic() + min(wait, float(link["expires_in_s"]))
        while time.monotonic() < deadline:
            for row in client.get("/api/v1/connections"):
                if row["platform"] == platform and before.get(row["id"]) != row["updated_at"]:
                    name = row["display_name"] or platform
                    console.print(f"[green]✓[/green] {platform} connected: {name} ({row['id']})")
                    return
            time.sleep(1.0)
        if wait > 0:
            raise InputError(
                f"No {platform} approval arrived in time; run `reelforge connect {platform}` again."
            )
    finally:
        client.close()


def disconnect(
    connection_id: Annotated[str, typer.Argument(help="The id `reelforge connections` shows")],
) -> None:
    """Disconnect an account: revokes reelforge's access and deletes the tokens at once."""
    client = api_client()
    try:
        answer = client._send("DELETE", f"/api/v1/connections/{connection_id}").json()
    finally:
        client.close()
    mark = "[green]✓[/green]" if answer["revoked"] else "[yellow]![/yellow]"
    console.print(f"{mark} {answer['message']}")


def connections() -> None:
    """List the connected accounts."""
    client = api_client()
    try:
        rows = client.get("/api/v1/connections")
    finally:
        client.close()
    table = Table()
    for name in ("id", "platform", "account", "state"):
        table.add_column(name, no_wrap=name != "account")
    for row in rows:
        state = "reconnect needed" if row["needs_reconsent"] else "ok"
        table.add_row(row["id"], row["platform"], row["display_name"], state)
    console.print(table)


def _connection(client: ApiClient, platform: str) -> str:
    """The connection to post with: the newest one for ``platform``; a platform that needs no
    sign-in is connected on the way."""
    rows = [c for c in client.get("/api/v1/connections") if c["platform"] == platform]
    if not rows and not _platform(client, platform)["needs_oauth"]:
        return str(client.post(f"/api/v1/connections/{platform}")["id"])
    if not rows:
        raise InputError(f"No {platform} account is connected; run `reelforge connect {platform}`.")
    return str(rows[-1]["id"])


def _publish_at(text: str | None) -> str | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"--at {text!r} is not a date and time like 2030-01-31T18:00.") from None
    return (moment if moment.tzinfo else moment.astimezone()).isoformat()  # naive = local time


def _upload(client: ApiClient, files: list[Path]) -> dict[str, Any]:
    """The media part of the post body: an uploaded video, or uploaded images."""
    for path in files:
        if not path.is_file():
            raise InputError(f"Cannot find {path}.")
    videos = [p for p in files if p.suffix.lower() in VIDEO_SUFFIXES]
    if videos:
        if len(files) != 1:
            raise InputError("Post one video, or one or more images — not both.")
        with videos[0].open("rb") as fh:
            video = client.post(
                "/api/v1/uploads/videos", files={"file": (videos[0].name, fh, "video/mp4")}
            )
        return {"video_id": video["id"]}
    handles = [p.open("rb") for p in files]
    try:
        sent = [
            ("files", (p.name, fh, "application/octet-stream"))
            for p, fh in zip(files, handles, strict=True)
        ]
        images = client.post("/api/v1/uploads", files=sent)
    finally:
        for fh in handles:
            fh.close()
    return {"images": [image["id"] for image in images]}


def post(
    files: Annotated[list[Path], typer.Argument(help="One MP4, or images for a carousel")],
    title: Annotated[str, typer.Option("--title", help="The post's title")] = "",
    description: Annotated[str, typer.Option("--description", help="Caption text")] = "",
    to: Annotated[str, typer.Option("--to", help="A platform, e.g. tiktok, youtube")] = "outbox",
    at: Annotated[
        str | None, typer.Option("--at", help="Post later, e.g. 2030-01-31T18:00 (local time)")
    ] = None,
    draft: Annotated[bool, typer.Option("--draft", help="TikTok: send to the inbox")] = False,
    privacy: Annotated[
        str, typer.Option("--privacy", help="e.g. PUBLIC_TO_EVERYONE")
    ] = "SELF_ONLY",
    aigc: Annotated[bool, typer.Option("--aigc", help="Label it AI-generated")] = False,
) -> None:
    """Post a video or a photo carousel to a connected account, now or --at a time."""
    client = api_client()
    try:
        body = {
            "connection_id": _connection(client, to),
            **_upload(client, files),
            "title": title,
            "description": description,
            "privacy_level": privacy,
            "is_aigc": aigc,
            "mode": "draft" if draft else "direct",
            "publish_at": _publish_at(at),
        }
        made = client.post("/api/v1/posts", json=body)
        post_id = made["post"]["id"]
        if made["job"] is None:
            console.print(
                f"[green]✓[/green] scheduled for {made['post']['publish_at']} ({post_id})"
            )
            return
        client.follow_job(made["job"]["id"], f"posting to {to}")
        final = client.get(f"/api/v1/posts/{post_id}")
    finally:
        client.close()
    _report(final)


def _report(post: dict[str, Any]) -> None:
    status = post["status"]
    where = post.get("url") or ""
    if status in ("published", "sent_to_inbox"):
        console.print(f"[green]✓[/green] {status} on {post['platform']} {where}".rstrip())
    elif status == "failed":
        raise InputError(f"The post failed: {post.get('message') or 'no reason given'}")
    else:
        console.print(f"{status}: {post.get('message') or 'see `reelforge posts`'}")


def posts(
    limit: Annotated[int, typer.Option("--limit", help="How many, newest first")] = 20,
) -> None:
    """Your post history: when, where, status, title, link."""
    client = api_client()
    try:
        rows = client.get("/api/v1/posts", limit=limit)
    finally:
        client.close()
    table = Table()
    for name in ("created", "platform", "status", "platform status"):
        table.add_column(name, no_wrap=True)
    table.add_column("title", overflow="fold")
    table.add_column("link / message", overflow="fold")
    for row in rows:
        table.add_row(
            row["created_at"][:16].replace("T", " "),
            row["platform"],
            row["status"],
            row["platform_status"] or "",
            row["title"][:40],
            row["url"] or row["message"] or "",
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command()(connect)
    app.command()(disconnect)
    app.command()(connections)
    app.command()(post)
    app.command()(posts)
