"""A voice from an entry point is found, listed after the built-ins and built like them."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from reelforge.config import Settings
from reelforge.providers import registry
from reelforge.studio.options import MakeOptions
from tests.fakes import plugin_voice


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = plugin_voice.install(tmp_path / "plugin")
    monkeypatch.syspath_prepend(str(root))
    return root


def test_an_entry_point_voice_is_listed_after_the_built_ins(installed: Path) -> None:
    names = list(registry.available("tts"))
    assert names == [*registry.BUILTINS["tts"], "testvoice"]


def test_it_is_built_through_the_provider_contract(
    installed: Path, settings: Settings, tmp_path: Path
) -> None:
    voice = registry.create(
        "tts", "testvoice", settings, credential="users-key", transport=httpx.MockTransport(print)
    )
    assert isinstance(voice, plugin_voice.TestVoice)
    assert voice.settings is settings and voice.byok
    speech = voice.speak(text="Hello plugin world.", out_path=tmp_path / "v.wav")
    assert [w.word for w in speech.words] == ["Hello", "plugin", "world"]
    assert MakeOptions.from_settings(settings, voice="testvoice").voice == "testvoice"


def test_a_plugin_cannot_replace_a_built_in_of_the_same_name(
    installed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = installed / "tests_plugin-0.0.dist-info" / "entry_points.txt"
    entry.write_text(entry.read_text() + "tts.piper = tests.fakes.plugin_voice:TestVoice\n")
    assert registry.available("tts")["piper"] == registry.BUILTINS["tts"]["piper"]
