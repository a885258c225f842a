"""The New video form: what this server can use for this user, and reading what was chosen.

Every writer, voice and media source the registry knows is offered; the ones
that cannot be used with these settings are shown disabled with what turns
them on — the same facts ``reelforge doctor`` reports, from
:func:`reelforge.studio.availability.provider_availability`, asked with the
user's own keys and plan. A choice the page did not offer is refused here with
a message next to its field, before anything is made.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import UploadFile
from sqlalchemy.orm import Session

from reelforge.accounts import provider_keys, usage
from reelforge.accounts.tables import User
from reelforge.config import Settings
from reelforge.errors import InputError
from reelforge.research.dna import versions as dna_store
from reelforge.studio.availability import Availability, providers_of
from reelforge.studio.models import PRESETS
from reelforge.studio.options import MakeOptions
from reelforge.studio.write import validate_topic
from reelforge.videos import service as videos

#: What each built-in provider is, in a few words (a plugin shows its name).
DESCRIPTIONS = {
    ("llm", "offline"): "Offline template writer — no language model, runs here",
    ("llm", "openai"): "OpenAI, or any OpenAI-compatible server (Ollama)",
    ("llm", "anthropic"): "Anthropic Claude",
    ("llm", "gemini"): "Google Gemini",
    ("tts", "piper"): "Piper neural voice — runs here",
    ("tts", "espeak"): "eSpeak NG — robotic, runs here",
    ("tts", "elevenlabs"): "ElevenLabs voices",
    ("tts", "openai"): "OpenAI voices",
    ("tts", "none"): "No voice — silent, captions only",
    ("media", "procedural"): "Procedural backgrounds — drawn here",
    ("media", "library"): "Your own media library folder",
    ("media", "pexels"): "Pexels stock photos and clips",
    ("media", "pixabay"): "Pixabay stock photos and clips",
}
PRESET_DESCRIPTIONS = {
    "vertical": "Shorts, Reels and TikTok at full quality",
    "vertical-fast": "Vertical at a smaller size: renders about twice as fast",
    "square": "Feeds that show square posts",
    "horizontal": "Widescreen, for YouTube videos",
}
MEDIA_SLOTS = 3  # media sources tried in order, first to last
NO_MEDIA = ""  # the value of "no further source" in a media slot


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    usable: bool = True
    detail: str = ""
    enable: str = ""  # how to turn it on, when it is not usable
    setting: str = ""
    takes_own_key: bool = False
    remote: bool = False

    @classmethod
    def of(cls, availability: Availability) -> Choice:
        kind, name = availability.kind, availability.name
        return cls(
            value=name,
            label=DESCRIPTIONS.get((kind, name), name),
            usable=availability.usable,
            detail=availability.detail,
            enable=availability.enable,
            setting=availability.setting,
            takes_own_key=availability.takes_own_key,
            remote=availability.remote,
        )


@dataclass
class Choices:
    writers: list[Choice]
    voices: list[Choice]
    media: list[Choice]
    presets: list[Choice]
    has_dna: bool

    def usable(self, kind: str) -> list[str]:
        return [c.value for c in getattr(self, kind) if c.usable]


@dataclass
class NewVideo:
    """What the form shows: the values chosen (or the defaults) and any problems."""

    topic: str = ""
    writer: str = ""
    voice: str = ""
    media: list[str] = field(default_factory=list)  # one per slot, NO_MEDIA for none
    preset: str = ""
    use_dna: bool = False
    errors: dict[str, str] = field(default_factory=dict)

    def options(self) -> dict[str, Any]:
        """The studio options the service is given, as the API's body would carry them."""
        return {
            "writer": self.writer,
            "voice": self.voice,
            "media": [m for m in self.media if m != NO_MEDIA],
            "preset": self.preset,
        }


def choices_for(db: Session, settings: Settings, *, owner_id: str) -> Choices:
    own = {k.provider for k in provider_keys.list_provider_keys(db, owner_id=owner_id)}
    user = db.get(User, owner_id)
    server_keys = usage.plan_for(settings, user.plan if user else None).server_keys

    def of(kind: str) -> list[Choice]:
        found = providers_of(settings, kind, own_keys=own, server_keys=server_keys)
        return [Choice.of(a) for a in found]

    presets = [
        Choice(p.name, f"{p.name} — {p.width}×{p.height}: {PRESET_DESCRIPTIONS.get(p.name, '')}")
        for p in PRESETS.values()
    ]
    return Choices(
        writers=of("llm"),
        voices=of("tts"),
        media=of("media"),
        presets=presets,
        has_dna=dna_store.current(db, owner_id=owner_id) is not None,
    )


def _first_usable(preferred: str, usable: list[str]) -> str:
    return preferred if preferred in usable or not usable else usable[0]


def defaults(settings: Settings, choices: Choices) -> NewVideo:
    """The server's defaults (REELFORGE_WRITER, …), moved to a usable choice where needed."""
    base = MakeOptions.from_settings(settings)
    media = [m for m in base.media if m in choices.usable("media")] or choices.usable("media")[:1]
    return NewVideo(
        writer=_first_usable(base.writer, choices.usable("writers")),
        voice=_first_usable(base.voice, choices.usable("voices")),
        media=(media + [NO_MEDIA] * MEDIA_SLOTS)[:MEDIA_SLOTS],
        preset=base.preset,
        use_dna=choices.has_dna,
    )


def read_form(
    choices: Choices,
    *,
    topic: str,
    writer: str,
    voice: str,
    media: list[str],
    preset: str,
    use_dna: bool,
) -> NewVideo:
    """The submitted form, with a message per field that cannot be used as given."""
    form = NewVideo(
        topic=topic,
        writer=writer,
        voice=voice,
        media=(media + [NO_MEDIA] * MEDIA_SLOTS)[:MEDIA_SLOTS],
        preset=preset,
        # Without a DNA there is nothing to leave out: the choice only matters with one.
        use_dna=use_dna or not choices.has_dna,
    )
    try:
        form.topic = validate_topic(topic)
    except InputError as exc:
        form.errors["topic"] = exc.message
    for kind, value, what in (("writers", writer, "writer"), ("voices", voice, "voice")):
        if value not in choices.usable(kind):
            form.errors[what] = f"Choose a {what} this server can use (the ones not greyed out)."
    picked = [m for m in form.media if m != NO_MEDIA]
    if not picked:
        form.errors["media"] = "Choose at least one media source for the first choice."
    elif any(m not in choices.usable("media") for m in picked):
        form.errors["media"] = "Choose media sources this server can use (not greyed out)."
    elif len(set(picked)) != len(picked):
        form.errors["media"] = "Each media source can be chosen once; leave later choices empty."
    if preset not in PRESETS:
        form.errors["preset"] = f"Choose one of the sizes: {', '.join(PRESETS)}."
    return form


def save_upload(upload: UploadFile | None, folder: Path) -> videos.MusicFile | None:
    """The uploaded music written to ``folder`` (None when no file was chosen).

    Reads at most one byte past the limit, so an oversized file is refused without
    filling the disk."""
    if upload is None or not upload.filename:
        return None
    limit = videos.MUSIC_MAX_BYTES
    fd, name = tempfile.mkstemp(dir=folder, prefix="music-", suffix=Path(upload.filename).suffix)
    path = Path(name)
    with open(fd, "wb") as out:
        copied = 0
        while chunk := upload.file.read(1024 * 1024):
            copied += len(chunk)
            if copied > limit:
                break
            out.write(chunk)
    if copied > limit:
        path.unlink(missing_ok=True)
        raise InputError(
            f"Music files may be up to {limit // (1024 * 1024)} MB; send a shorter or more "
            "compressed one.",
            details={"field": "music"},
        )
    return videos.MusicFile(path=path, filename=upload.filename)


def upload_folder(settings: Settings) -> Path:
    folder = settings.home / "tmp" / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def discard(music: videos.MusicFile | None) -> None:
    """Forget the temporary upload (the service keeps its own copy in the blob store)."""
    if music is not None:
        music.path.unlink(missing_ok=True)
