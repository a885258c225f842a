"""The espeak-ng fallback voice: needs the espeak-ng program, timed by forced alignment."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reelforge.config import Settings
from reelforge.errors import ConfigError
from reelforge.providers.registry import create
from reelforge.providers.tts.espeak import EspeakTTS
from reelforge.speech.speakable import spoken_words

ESPEAK = shutil.which("espeak-ng") or shutil.which("espeak")


def test_without_the_program_it_says_how_to_install_it(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with no espeak on it
    with pytest.raises(ConfigError, match="apt-get install espeak-ng") as caught:
        EspeakTTS(settings).speak(text="Hello.", out_path=tmp_path / "v.wav")
    assert "--voice piper" in caught.value.message


def test_a_configured_binary_that_does_not_exist_names_the_setting(
    settings: Settings, tmp_path: Path
) -> None:
    settings.espeak_binary = str(tmp_path / "no-such-espeak")
    with pytest.raises(ConfigError, match="REELFORGE_ESPEAK_BINARY"):
        EspeakTTS(settings).speak(text="Hello.", out_path=tmp_path / "v.wav")


@pytest.mark.skipif(
    ESPEAK is None,
    reason="espeak-ng is not installed on this machine (apt-get install espeak-ng); "
    "the default piper voice does not need it",
)
def test_speaks_and_times_every_word(settings: Settings, tmp_path: Path) -> None:
    text = "Bees dance to share maps with the hive."
    speech = create("tts", "espeak", settings).speak(text=text, out_path=tmp_path / "v.wav")
    assert speech.timing_source == "alignment"
    assert [w.word for w in speech.words] == spoken_words(text)
    starts = [w.start for w in speech.words]
    assert starts == sorted(starts)
    assert 1.0 < speech.duration < 6.0
    assert speech.words[-1].end <= speech.duration + 0.01
