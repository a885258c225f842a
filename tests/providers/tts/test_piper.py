"""The default voice: a real neural voice, offline, with the engine's own word timings."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from reelforge.config import Settings
from reelforge.errors import ConfigError
from reelforge.providers.registry import create
from reelforge.providers.tts.piper import PiperTTS
from reelforge.providers.types.media import Speech
from reelforge.speech.speakable import spoken_words


def _samples(speech: Speech) -> tuple[np.ndarray, int]:
    with wave.open(str(speech.path)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
        return np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2"), wav.getframerate()


def _check_timings(speech: Speech, text: str) -> None:
    assert [w.word for w in speech.words] == spoken_words(text)
    for before, after in zip(speech.words, speech.words[1:], strict=False):
        assert before.start < after.start
        assert before.end <= after.start + 1e-6
    assert all(w.start < w.end for w in speech.words)
    assert speech.words[-1].end <= speech.duration


@pytest.mark.slow
def test_speaks_a_wav_with_a_timing_for_every_word(settings: Settings, tmp_path: Path) -> None:
    text = "Honey never spoils. Archaeologists found edible honey in ancient tombs!"
    tts = create("tts", "piper", settings)
    speech = tts.speak(text=text, out_path=tmp_path / "v.wav")
    samples, rate = _samples(speech)
    assert rate == 22050
    assert speech.duration == pytest.approx(len(samples) / rate)
    assert 2.0 < speech.duration < 10.0
    assert speech.timing_source == "engine"
    _check_timings(speech, text)


@pytest.mark.slow
def test_words_are_timed_where_the_voice_is_loud(settings: Settings, tmp_path: Path) -> None:
    """The timings point at speech: each word's span is far louder than the clip's lead-in."""
    speech = PiperTTS(settings).speak(text="Bees dance to share maps.", out_path=tmp_path / "v.wav")
    samples, rate = _samples(speech)
    audio = samples.astype(np.float64)

    def rms(start: float, end: float) -> float:
        chunk = audio[int(start * rate) : max(int(end * rate), int(start * rate) + 1)]
        return float(np.sqrt(np.mean(chunk**2)))

    lead_in = rms(0.0, speech.words[0].start)
    for word in speech.words:
        assert rms(word.start, word.end) > 4 * lead_in + 100, word


@pytest.mark.slow
def test_merged_function_words_and_numbers_keep_their_place(
    settings: Settings, tmp_path: Path
) -> None:
    """espeak fuses "of the" and reads "1999" as several words; later words must not shift."""
    text = "The dog of the year, born in 1999, is a cat."
    speech = PiperTTS(settings).speak(text=text, out_path=tmp_path / "v.wav")
    _check_timings(speech, text)
    words = {w.word: w for w in speech.words}
    # "1999" takes as long as the four words it is read as; "cat" follows it.
    assert words["1999"].end - words["1999"].start > 0.6
    assert words["cat"].start > words["1999"].end


@pytest.mark.slow
def test_voice_is_loaded_once_per_process(settings: Settings, tmp_path: Path) -> None:
    from reelforge.providers.tts import piper

    PiperTTS(settings).speak(text="One.", out_path=tmp_path / "a.wav")
    loaded = dict(piper._VOICES)
    PiperTTS(settings).speak(text="Two.", out_path=tmp_path / "b.wav")
    assert len(loaded) == 1
    assert all(piper._VOICES[key] is voice for key, voice in loaded.items())


def test_a_missing_custom_model_says_which_setting(settings: Settings, tmp_path: Path) -> None:
    settings.piper_model = tmp_path / "nope.onnx"
    with pytest.raises(ConfigError, match="REELFORGE_PIPER_MODEL"):
        PiperTTS(settings).speak(text="Hello.", out_path=tmp_path / "v.wav")
