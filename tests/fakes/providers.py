"""Fake providers for pipeline tests: fast, deterministic, and honest about what they do.

FakeTTS writes a tone whose length follows the word count and reports the word
times it generated (the fake *is* the engine here, so its timings are exact).
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from reelforge.av.ffmpeg import run_ffmpeg
from reelforge.providers.base import TTS
from reelforge.providers.types.media import Speech, WordTiming

WORD_S = 0.18


class FakeTTS(TTS):
    name: ClassVar[str] = "fake"
    calls: ClassVar[list[str]] = []

    def cache_identity(self) -> dict[str, str]:
        return {}

    def speak(self, *, text: str, out_path: Path) -> Speech:
        FakeTTS.calls.append(text)
        words = text.split()
        duration = round(len(words) * WORD_S + 0.1, 3)
        run_ffmpeg(
            [
                "-f",
                "lavfi",
                "-i",
                f"sine=frequency=220:duration={duration}",
                "-ar",
                "22050",
                "-ac",
                "1",
                "-f",
                "wav",
                str(out_path),
            ],
            what="fake voice",
        )
        timings = [
            WordTiming(
                word=w,
                start=round(0.05 + i * WORD_S, 3),
                end=round(0.05 + (i + 1) * WORD_S - 0.02, 3),
            )
            for i, w in enumerate(words)
        ]
        return Speech(path=out_path, duration=duration, words=timings, timing_source="engine")
