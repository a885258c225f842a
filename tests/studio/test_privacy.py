"""Promises about where a user's content goes (P20, P21)."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

from reelforge.config import Settings
from reelforge.errors import ProviderError
from reelforge.providers.llm.openai_compat import OpenAICompatLLM
from reelforge.studio.models import Script
from reelforge.studio.options import MakeOptions
from reelforge.studio.pipeline import Pipeline
from reelforge.studio.write import write_script
from tests.fakes.openai import OpenAIFake
from tests.fakes.server import mock_transport, serve

BENCH_SCRIPT = Path(__file__).parents[2] / "bench" / "fixtures" / "bench_script.json"


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every outbound connection this process tries (it fails them, too)."""
    tried: list[Any] = []
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            tried.append(address)
            raise OSError(f"test forbids network access (tried {address})")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return tried


@pytest.mark.slow
def test_P20_with_the_embedded_defaults_nothing_leaves_the_machine(
    settings: Settings, connections: list[Any], tmp_path: Path
) -> None:
    settings.openai_api_key = None
    options = MakeOptions.from_settings(settings, size="180x320", fps=24, x264_preset="ultrafast")
    assert (options.writer, options.voice, options.media) == ("offline", "piper", ["procedural"])
    pipeline = Pipeline(settings=settings, options=options, project_dir=tmp_path / "p")
    script = pipeline.write("why bread goes stale").script
    short = script.model_copy(
        update={
            "scenes": [
                s.model_copy(update={"narration": " ".join(s.narration.split()[:5])})
                for s in script.scenes[:4]
            ]
        }
    )
    result = pipeline.render(short, out_dir=tmp_path / "out")
    assert result.video.exists()
    assert connections == []


def test_P20_a_configured_model_is_used_only_when_the_user_chooses_it(
    settings: Settings, connections: list[Any]
) -> None:
    fake = OpenAIFake()
    with serve(fake) as server:
        settings.openai_base_url = server.base_url
        settings.openai_api_key = "sk-test-openai"  # type: ignore[assignment]
        options = MakeOptions.from_settings(settings)
        assert options.writer == "offline"  # a key alone does not send scripts anywhere
        Pipeline(settings=settings, options=options, project_dir=settings.home / "p").write(
            "why ice floats"
        )
    assert fake.chats == [] and connections == []


def test_P21_openai_is_asked_not_to_store_the_users_content(settings: Settings) -> None:
    reply = json.loads(BENCH_SCRIPT.read_text())
    fake = OpenAIFake(
        default_reply=json.dumps(
            {k: reply[k] for k in ("title", "hook", "scenes", "call_to_action", "hashtags")}
        )
    )
    settings.openai_api_key = "sk-test-openai"  # type: ignore[assignment]
    llm = OpenAICompatLLM(settings, transport=mock_transport(fake))  # base URL: api.openai.com
    result = write_script(topic="why bread goes stale", llm=llm)
    assert isinstance(result.script, Script)
    assert fake.chats and all(chat.get("store") is False for chat in fake.chats)


def test_P21_self_hosted_servers_get_no_unknown_fields(settings: Settings) -> None:
    fake = OpenAIFake(api_key=None, default_reply="{}")
    with serve(fake) as server:
        settings.openai_base_url = server.base_url
        llm = OpenAICompatLLM(settings)
        with pytest.raises(ProviderError):
            write_script(topic="why ice floats", llm=llm)  # "{}" is not a script
    assert fake.chats and all("store" not in chat for chat in fake.chats)
