"""Which providers are usable with these settings: the one answer doctor and the New video
page share — keys (the server's, or the user's own when the plan says so), what local
providers need on this machine, and plugins that do not load."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelforge.config import Settings
from reelforge.providers import registry
from reelforge.studio.availability import every_provider, provider_availability, providers_of
from tests.store.support import configured


def test_offline_providers_are_usable_and_keyed_ones_say_which_setting(
    settings: Settings,
) -> None:
    for kind, name in (("llm", "offline"), ("media", "procedural"), ("tts", "none")):
        found = provider_availability(settings, kind, name)
        assert found.usable and found.detail == "no key needed, runs on this machine"
    anthropic = provider_availability(settings, "llm", "anthropic")
    assert not anthropic.usable and anthropic.takes_own_key and anthropic.remote
    assert anthropic.detail == "REELFORGE_ANTHROPIC_API_KEY not set"
    assert anthropic.setting == "REELFORGE_ANTHROPIC_API_KEY"
    assert anthropic.cost == (
        "anthropic cannot be used until REELFORGE_ANTHROPIC_API_KEY is set "
        "(or a user adds their own key)"
    )
    assert anthropic.label == "writer anthropic"


def test_a_key_turns_a_provider_on_the_servers_only_when_the_plan_allows(
    settings: Settings,
) -> None:
    keyed = configured(settings, pexels_api_key="server-key")
    assert provider_availability(keyed, "media", "pexels").detail == "REELFORGE_PEXELS_API_KEY set"
    assert provider_availability(keyed, "media", "pexels").usable
    no_server_keys = provider_availability(keyed, "media", "pexels", server_keys=False)
    assert not no_server_keys.usable and "plan" in no_server_keys.detail
    own = provider_availability(settings, "media", "pixabay", own_keys={"pixabay"})
    assert own.usable and own.detail == "your own key"


def test_a_self_hosted_openai_compatible_writer_needs_no_key(settings: Settings) -> None:
    local = configured(settings, openai_base_url="http://localhost:11434")
    found = provider_availability(local, "llm", "openai")
    assert found.usable and "localhost:11434" in found.detail
    assert not provider_availability(local, "tts", "openai").usable  # OpenAI's voices still do


def test_local_providers_need_their_program_model_or_folder(
    settings: Settings, tmp_path: Path
) -> None:
    library = provider_availability(settings, "media", "library")
    assert not library.usable and library.setting == "REELFORGE_LIBRARY_DIR"
    folder = tmp_path / "media"
    folder.mkdir()
    assert provider_availability(
        configured(settings, library_dir=folder), "media", "library"
    ).usable
    assert not provider_availability(
        configured(settings, library_dir=tmp_path / "missing"), "media", "library"
    ).usable
    espeak = provider_availability(
        configured(settings, espeak_binary="no-such-espeak-here"), "tts", "espeak"
    )
    assert not espeak.usable and "espeak-ng" in espeak.setting
    piper = provider_availability(
        configured(settings, piper_model=tmp_path / "voice.onnx"), "tts", "piper"
    )
    assert not piper.usable and piper.setting == "REELFORGE_PIPER_MODEL"
    assert provider_availability(settings, "tts", "piper").usable  # the bundled voice


def test_a_plugin_that_does_not_load_is_listed_as_unusable(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        registry,
        "_plugins",
        lambda kind: {"broken": "no_such_pkg.media:X"} if kind == "media" else {},
    )
    found = {a.name: a for a in providers_of(settings, "media")}
    assert list(found)[-1] == "broken"  # after the built-ins
    assert not found["broken"].usable and found["broken"].plugin
    assert "cannot be loaded (plugin)" in found["broken"].detail
    kinds = {a.kind for a in every_provider(settings)}
    assert kinds == set(registry.BUILTINS)
