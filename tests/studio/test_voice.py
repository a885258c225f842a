"""voice_scene: what the pipeline gets back for one scene's narration."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from reelforge.config import Settings
from reelforge.errors import InputError, ProviderError
from reelforge.providers.base import TTS
from reelforge.providers.tts.audio import write_wav
from reelforge.providers.tts.piper import PiperTTS
from reelforge.providers.tts.silent import SilentTTS
from reelforge.providers.types.media import Speech, WordTiming
from reelforge.speech.speakable import spoken_words
from reelforge.studio.voice import SILENT_WARNING, voice_scene


class ToneTTS(TTS):
    """A one-second tone that claims its words run past the end (as engines can by a frame)."""

    name: ClassVar[str] = "tone"

    def setup(self) -> None:
        self.texts: list[str] = []

    def cache_identity(self) -> dict[str, str]:
        return {}

    def speak(self, *, text: str, out_path: Path) -> Speech:
        self.texts.append(text)
        write_wav(out_path, (np.ones(22050) * 3000).astype(np.int16), sample_rate=22050)
        words = [WordTiming(word=w, start=0.5 + 0.3 * i, end=0.8 + 0.3 * i)
                 for i, w in enumerate(spoken_words(text))]  # fmt: skip
        return Speech(path=out_path, duration=1.0, words=words, timing_source="engine")


class MuteTTS(TTS):
    """A broken engine: says it spoke but wrote nothing."""

    name: ClassVar[str] = "mute"

    def cache_identity(self) -> dict[str, str]:
        return {}

    def speak(self, *, text: str, out_path: Path) -> Speech:
        out_path.write_bytes(b"")
        return Speech(path=out_path, duration=1.0, words=[], timing_source="engine")


def test_the_voice_reads_the_normalised_narration(tmp_path: Path, settings: Settings) -> None:
    tts = ToneTTS(settings)
    speech = voice_scene(tts=tts, narration="Save 25% today.", out_path=tmp_path / "v.wav")
    assert tts.texts == ["Save twenty-five percent today."]
    # ...and the words come back as written, timed by the spoken words they became.
    assert [w.word for w in speech.words] == ["Save", "25%", "today."]
    save, percent, today = speech.words
    assert (percent.start, percent.end) == pytest.approx((0.8, 1.0))  # clamped to the clip
    assert save.start == pytest.approx(0.5) and today.start == pytest.approx(1.0)


def test_timings_are_kept_inside_the_clip(tmp_path: Path, settings: Settings) -> None:
    speech = voice_scene(
        tts=ToneTTS(settings), narration="one two three", out_path=tmp_path / "v.wav"
    )
    assert speech.duration == pytest.approx(1.0)
    assert all(0 <= w.start <= w.end <= speech.duration for w in speech.words)
    starts = [w.start for w in speech.words]
    assert starts == sorted(starts)


def test_silent_cut_says_so(settings: Settings, tmp_path: Path) -> None:
    out = tmp_path / "scene.wav"
    speech = voice_scene(tts=SilentTTS(settings), narration="Nothing is heard.", out_path=out)
    assert speech.warnings == [SILENT_WARNING]
    assert speech.path == out and out.is_file()
    assert speech.words == [] and speech.timing_source == "none"


def test_an_engine_that_writes_no_audio_fails_and_leaves_nothing(
    tmp_path: Path, settings: Settings
) -> None:
    out = tmp_path / "scene.wav"
    with pytest.raises(ProviderError, match="wrote no audio"):
        voice_scene(tts=MuteTTS(settings), narration="Hello there.", out_path=out)
    assert list(tmp_path.iterdir()) == []


def test_narration_with_nothing_to_say_is_refused(tmp_path: Path, settings: Settings) -> None:
    with pytest.raises(InputError, match="no words to speak"):
        voice_scene(tts=ToneTTS(settings), narration=" — ... ", out_path=tmp_path / "v.wav")


class RecordingPiper(PiperTTS):
    """Piper, keeping what it answered (the spoken words and their timings)."""

    def speak(self, *, text: str, out_path: Path) -> Speech:
        self.answer = super().speak(text=text, out_path=out_path)
        return self.answer


@pytest.mark.slow
def test_piper_scene_words_are_written_as_in_the_script_and_timed_as_spoken(
    settings: Settings, tmp_path: Path
) -> None:
    tts = RecordingPiper(settings)
    speech = voice_scene(
        tts=tts, narration="In 1999, 25% of bees left.", out_path=tmp_path / "v.wav"
    )
    assert [w.word for w in speech.words] == ["In", "1999,", "25%", "of", "bees", "left."]
    spoken = tts.answer.words
    assert [w.word for w in spoken] == [
        "In", "nineteen", "ninety-nine", "twenty-five", "percent", "of", "bees", "left"
    ]  # fmt: skip
    # "1999," lasts from "nineteen" to "ninety-nine"; "25%" from "twenty-five" to "percent".
    year, share, bees = speech.words[1], speech.words[2], speech.words[4]
    assert (year.start, year.end) == (spoken[1].start, spoken[2].end)
    assert (share.start, share.end) == (spoken[3].start, spoken[4].end)
    assert (bees.start, bees.end) == (spoken[6].start, spoken[6].end)
    assert speech.timing_source == "engine"
    assert speech.warnings == []
    assert not (tmp_path / "v.part.wav").exists()
