"""A voice that a third-party package would ship, registered only through an entry point.

Nothing in reelforge names it: :func:`install` writes a throwaway distribution's
metadata (``tests_plugin-0.0.dist-info``) whose ``entry_points.txt`` registers
``tts.testvoice`` in the ``reelforge.providers`` group. Put the folder it
returns on ``sys.path`` (or ``PYTHONPATH``) and ``importlib.metadata`` finds
it, as it would an installed plugin.

The voice writes silence with exact word timings (it *is* the engine), and
notes each text it spoke in ``<home>/testvoice-said.txt`` so a test running the
CLI in another process can tell it was used.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from reelforge.providers.base import TTS
from reelforge.providers.tts.audio import write_silence
from reelforge.providers.types.media import Speech, WordTiming
from reelforge.speech.speakable import spoken_words

NAME = "testvoice"
WORD_S = 0.15
LOG = "testvoice-said.txt"


class TestVoice(TTS):
    __test__ = False  # not a pytest test class, whatever its name

    name: ClassVar[str] = NAME

    def cache_identity(self) -> dict[str, str]:
        return {"word_s": str(WORD_S)}

    def speak(self, *, text: str, out_path: Path) -> Speech:
        words = spoken_words(text)
        duration = round(len(words) * WORD_S + 0.2, 3)
        write_silence(out_path, seconds=duration)
        timings = [
            WordTiming(
                word=w, start=round(0.1 + i * WORD_S, 3), end=round(0.1 + (i + 1) * WORD_S, 3)
            )
            for i, w in enumerate(words)
        ]
        home = self.settings.home
        home.mkdir(parents=True, exist_ok=True)
        with (home / LOG).open("a", encoding="utf-8") as said:
            said.write(text + "\n")
        return Speech(path=out_path, duration=duration, words=timings, timing_source="engine")


def install(root: Path) -> Path:
    """Write the plugin's distribution metadata under ``root``; returns the folder to add to
    ``sys.path`` (the ``tests`` package itself must be importable too)."""
    info = root / "tests_plugin-0.0.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: tests-plugin\nVersion: 0.0\n")
    (info / "entry_points.txt").write_text(
        f"[reelforge.providers]\ntts.{NAME} = tests.fakes.plugin_voice:TestVoice\n"
    )
    return root
