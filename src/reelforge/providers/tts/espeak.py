"""The fallback voice: the espeak-ng program, timed by forced alignment.

Robotic but tiny and everywhere. It needs the ``espeak-ng`` (or ``espeak``)
program: piper's wheel bundles espeak-ng only as a phonemizer library, which
cannot speak. espeak's own word events are not reachable from its command
line, so the clip is timed by forced alignment against the known text
(:mod:`reelforge.providers.tts.align`) — never estimated from text length.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import ClassVar

from reelforge.errors import ConfigError, ProviderError
from reelforge.providers.base import TTS
from reelforge.providers.tts.align import align_words
from reelforge.providers.tts.audio import wav_duration
from reelforge.providers.types.media import Speech

INSTALL_HINT = (
    "Install it (Debian/Ubuntu: `sudo apt-get install espeak-ng`; macOS: `brew install "
    "espeak-ng`) or set REELFORGE_ESPEAK_BINARY to its path — or use the bundled neural "
    "voice instead (--voice piper, the default), which needs no system package."
)


def find_espeak(configured: str | None) -> str:
    """The espeak binary to run: the configured one, else espeak-ng or espeak on PATH."""
    if configured:
        found = shutil.which(configured)
        if found is None:
            raise ConfigError(
                f"REELFORGE_ESPEAK_BINARY is {configured!r}, which is not an executable "
                f"program. {INSTALL_HINT}",
                details={"setting": "REELFORGE_ESPEAK_BINARY"},
            )
        return found
    for name in ("espeak-ng", "espeak"):
        found = shutil.which(name)
        if found:
            return found
    raise ConfigError(f"The espeak voice needs the espeak-ng program, which is not installed. "
                      f"{INSTALL_HINT}", details={"setting": "REELFORGE_ESPEAK_BINARY"})  # fmt: skip


class EspeakTTS(TTS):
    """espeak-ng via its command line; word timings by forced alignment."""

    name: ClassVar[str] = "espeak"

    def cache_identity(self) -> dict[str, str]:
        return {"voice": self.settings.espeak_voice, "rate": str(self.settings.espeak_rate_wpm)}

    def speak(self, *, text: str, out_path: Path) -> Speech:
        binary = find_espeak(self.settings.espeak_binary)
        out_path.parent.mkdir(parents=True, exist_ok=True)
        command = [binary, "-b", "1", "-v", self.settings.espeak_voice, "-s",
                   str(self.settings.espeak_rate_wpm), "-w", str(out_path), "--stdin"]  # fmt: skip
        try:
            proc = subprocess.run(command, input=text, capture_output=True, text=True, timeout=120)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ProviderError(f"Could not run {binary}: {exc}", provider=self.name) from exc
        if proc.returncode != 0 or not out_path.is_file():
            raise ProviderError(
                f"{Path(binary).name} failed (exit code {proc.returncode}): "
                f"{proc.stderr.strip()[-300:] or 'no message'}. Check REELFORGE_ESPEAK_VOICE "
                f"({self.settings.espeak_voice!r}) is a voice it knows (`espeak-ng --voices`).",
                provider=self.name,
            )
        words = align_words(audio_path=out_path, text=text, ffmpeg=self.settings.ffmpeg)
        return Speech(
            path=out_path, duration=wav_duration(out_path), words=words, timing_source="alignment"
        )
