"""Forced alignment: timing a known text in audio that came without timings."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelforge.config import Settings
from reelforge.errors import ProviderError
from reelforge.providers.tts.align import _share_unaligned, align_words
from reelforge.providers.tts.audio import write_wav
from reelforge.providers.tts.piper import PiperTTS
from reelforge.providers.types.media import Speech, WordTiming
from reelforge.speech.speakable import spoken_words
from tests.fakes.openai_speech import tone_wav


def _agreement(engine: Speech, aligned: list[WordTiming], tolerance: float = 0.25) -> float:
    """Share of words whose aligned start is within ``tolerance`` s of the engine's."""
    pairs = zip(aligned, engine.words, strict=True)
    close = [abs(a.start - e.start) <= tolerance for a, e in pairs]
    return close.count(True) / len(close)


@pytest.mark.slow
def test_alignment_agrees_with_the_engines_own_timings(settings: Settings, tmp_path: Path) -> None:
    text = (
        "Honey never spoils, and archaeologists found edible honey in ancient tombs. "
        "It is over three thousand years old!"
    )
    engine = PiperTTS(settings).speak(text=text, out_path=tmp_path / "v.wav")
    aligned = align_words(audio_path=engine.path, text=text)
    assert [w.word for w in aligned] == spoken_words(text)
    starts = [w.start for w in aligned]
    assert starts == sorted(starts)
    assert all(w.end <= engine.duration + 0.01 for w in aligned)
    assert _agreement(engine, aligned) >= 0.9


@pytest.mark.slow
def test_words_missing_from_the_dictionary_are_still_aligned(
    settings: Settings, tmp_path: Path
) -> None:
    """Brand names and made-up words get a pronunciation; numbers are read out."""
    text = "Reelforge makes TikTok shorts with forty-two zxqv clips in 1999."
    engine = PiperTTS(settings).speak(text=text, out_path=tmp_path / "v.wav")
    aligned = align_words(audio_path=engine.path, text=text)
    assert [w.word for w in aligned] == spoken_words(text)
    assert _agreement(engine, aligned) >= 0.9


def test_audio_that_is_not_this_speech_fails_clearly(tmp_path: Path) -> None:
    audio = tmp_path / "tone.wav"
    audio.write_bytes(tone_wav("x" * 10))
    with pytest.raises(ProviderError, match="no path through the audio"):
        align_words(audio_path=audio, text="The quick brown fox jumps over the lazy dog again.")


def test_silence_text_gives_no_words(tmp_path: Path) -> None:
    audio = tmp_path / "quiet.wav"
    write_wav(audio, b"\x00\x00" * 16000, sample_rate=16000)
    assert align_words(audio_path=audio, text=" — ") == []


def test_an_unpronounceable_word_is_placed_between_its_aligned_neighbours() -> None:
    words = ["one", "???", "three"]
    timed = _share_unaligned(words, [(0.0, 1.0), None, (1.0, 2.0)], clip_end=2.0)
    assert [(w.word, w.start, w.end) for w in timed] == [
        ("one", 0.0, 0.5), ("???", 0.5, 1.5), ("three", 1.5, 2.0)
    ]  # fmt: skip
