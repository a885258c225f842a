"""No voice: a silent cut, captioned from the on-screen text only.

Chosen with ``--voice none`` for music-only shorts, or where no voice is
wanted. Each scene gets silence long enough to read its narration at
``silent_words_per_minute`` (never less than 1.5 s), and *no* word timings
(``timing_source="none"``): nothing is spoken, so no word can be highlighted,
and the captions stage falls back to the scene's on-screen text.
:func:`reelforge.studio.voice.voice_scene` adds a warning that the cut is
silent.

This is the only voice whose duration comes from the text's length — it is a
reading time for silence, not a guess at speech, and it carries no timings.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from reelforge.providers.base import TTS
from reelforge.providers.tts.audio import write_silence
from reelforge.providers.types.media import Speech
from reelforge.speech.speakable import spoken_words

MIN_SECONDS = 1.5


class SilentTTS(TTS):
    name: ClassVar[str] = "none"

    def cache_identity(self) -> dict[str, str]:
        return {"wpm": str(self.settings.silent_words_per_minute)}

    def reading_seconds(self, text: str) -> float:
        wpm = max(self.settings.silent_words_per_minute, 1.0)
        return round(max(MIN_SECONDS, len(spoken_words(text)) * 60.0 / wpm), 2)

    def speak(self, *, text: str, out_path: Path) -> Speech:
        seconds = self.reading_seconds(text)
        write_silence(out_path, seconds=seconds)
        return Speech(path=out_path, duration=seconds, words=[], timing_source="none")
