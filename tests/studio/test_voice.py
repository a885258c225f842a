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

    def __init__(self) -> None:
        self.texts: list[str] = []

    def speak(self, *, text: str, out_path: Path) -> Speech:
        self.texts.append(text)
        write_wav(out_path, (np.ones(22050) * 3000).astype(np.int16), sample_rate=22050)
        words = [WordTiming(word=w, start=0.5 + 0.3 * i, end=0.8 + 0.3 * i)
                 for i, w in enumerate(spoken_words(text))]  # fmt: skip
        return Speech(path=out_path, duration=1.0, words=words, timing_source="engine")


class MuteTTS(TTS):
    """A broken engine: says it spoke but wrote nothing."""

    name: ClassVar[str] = "mute"

    def speak(self, *, text: str, out_path: Path) -> Speech:
        out_path.write_bytes(b"")
        return Speech(path=out_path, duration=1.0, words=[], timing_source="engine")


def test_the_voice_reads_the_normalised_narration(tmp_path: Path) -> None:
    tts = ToneTTS()
    speech = voice_scene(tts=tts, narration="Save 25% today.", out_path=tmp_path / "v.wav")
    assert tts.texts == ["Save twenty-five percent today."]
    assert [w.word for w in speech.words] == ["Save", "twenty-five", "percent", "today"]


def test_timings_are_kept_inside_the_clip(tmp_path: Path) -> None:
    speech = voice_scene(tts=ToneTTS(), narration="one two three", out_path=tmp_path / "v.wav")
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


def test_an_engine_that_writes_no_audio_fails_and_leaves_nothing(tmp_path: Path) -> None:
    out = tmp_path / "scene.wav"
    with pytest.raises(ProviderError, match="wrote no audio"):
        voice_scene(tts=MuteTTS(), narration="Hello there.", out_path=out)
    assert list(tmp_path.iterdir()) == []


def test_narration_with_nothing_to_say_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no words to speak"):
        voice_scene(tts=ToneTTS(), narration=" — ... ", out_path=tmp_path / "v.wav")


@pytest.mark.slow
def test_piper_scene_captions_read_numbers_as_spoken(settings: Settings, tmp_path: Path) -> None:
    speech = voice_scene(
        tts=PiperTTS(settings), narration="In 1999, 25% of bees left.", out_path=tmp_path / "v.wav"
    )
    assert [w.word for w in speech.words] == [
        "In", "nineteen", "ninety-nine", "twenty-five", "percent", "of", "bees", "left"
    ]  # fmt: skip
    assert speech.timing_source == "engine"
    assert speech.warnings == []
    assert not (tmp_path / "v.part.wav").exists()
