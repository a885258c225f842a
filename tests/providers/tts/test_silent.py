"""The "none" voice: silence long enough to read the scene, and no word timings."""

from __future__ import annotations

import wave
from pathlib import Path

from reelforge.config import Settings
from reelforge.providers.registry import create
from reelforge.providers.tts.silent import SilentTTS


def test_silence_lasts_the_reading_time_and_claims_no_timings(
    settings: Settings, tmp_path: Path
) -> None:
    tts = create("tts", "none", settings)
    assert isinstance(tts, SilentTTS)
    text = " ".join(["word"] * 30)  # 30 words at 150 wpm = 12 s
    speech = tts.speak(text=text, out_path=tmp_path / "s.wav")
    assert speech.words == []
    assert speech.timing_source == "none"
    assert speech.duration == 12.0
    with wave.open(str(speech.path)) as wav:
        assert wav.getnframes() / wav.getframerate() == 12.0
        assert set(wav.readframes(wav.getnframes())) == {0}


def test_short_scenes_still_get_time_to_read(settings: Settings, tmp_path: Path) -> None:
    speech = SilentTTS(settings).speak(text="Hi.", out_path=tmp_path / "s.wav")
    assert speech.duration == 1.5
