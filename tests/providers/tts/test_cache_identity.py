"""Every voice states what changes its sound; the identities of the built-in voices are pinned.

A voice's identity is part of each clip's cache key, so changing what a built-in
voice reports would re-voice every cached clip: the expected dicts below are the
ones earlier versions keyed their caches with.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr

from reelforge.config import Settings
from reelforge.providers import registry


def test_the_built_in_voices_keep_the_identities_caches_were_keyed_with(
    settings: Settings,
) -> None:
    keyed = settings.model_copy(
        update={"elevenlabs_api_key": SecretStr("el-key"), "openai_api_key": SecretStr("sk")}
    )
    pinned = {
        "piper": {"model": "joe-medium", "scale": "None"},
        "espeak": {"voice": "en-us", "rate": "165"},
        "elevenlabs": {"voice": "21m00Tcm4TlvDq8Ikachm", "model": "eleven_multilingual_v2"},
        "openai": {"voice": "alloy", "model": "gpt-4o-mini-tts"},
        "none": {"wpm": "150.0"},
    }
    # (other tests in this process may register voices of their own at run time)
    assert set(pinned) <= set(registry.BUILTINS["tts"])
    identities = {name: registry.create("tts", name, keyed).cache_identity() for name in pinned}
    assert identities == pinned


def test_an_identity_follows_the_voices_own_settings(settings: Settings, tmp_path: Path) -> None:
    changed = settings.model_copy(
        update={
            "piper_model": tmp_path / "other.onnx",
            "piper_length_scale": 1.2,
            "espeak_voice": "en-gb",
            "silent_words_per_minute": 120.0,
        }
    )
    assert registry.create("tts", "piper", changed).cache_identity() == {
        "model": str(tmp_path / "other.onnx"),
        "scale": "1.2",
    }
    assert registry.create("tts", "espeak", changed).cache_identity()["voice"] == "en-gb"
    assert registry.create("tts", "none", changed).cache_identity() == {"wpm": "120.0"}
