"""The Anthropic client against a local fake speaking the Messages API format."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from reelforge.config import Settings
from reelforge.errors import ConfigError, ProviderError
from reelforge.providers.base import CompletionRequest
from reelforge.providers.llm.anthropic import AnthropicLLM
from tests.fakes import anthropic as fake_anthropic
from tests.fakes.anthropic import AnthropicFake
from tests.fakes.server import FakeServer, serve

KEY = "sk-ant-test"
REQUEST = CompletionRequest(
    task="script",
    system="You write scripts. Reply with JSON.",
    user="Topic: why bread goes stale",
    json_schema={"type": "object"},
    history=(("user", "Topic: x"), ("assistant", "not json")),
)


def _llm(settings: Settings, server: FakeServer, **overrides: object) -> AnthropicLLM:
    update = {"anthropic_base_url": server.base_url, "anthropic_api_key": SecretStr(KEY)}
    return AnthropicLLM(settings.model_copy(update={**update, **overrides}))


def test_answer_text_comes_back_with_headers_and_fields_on_the_wire(settings: Settings) -> None:
    fake = AnthropicFake(api_key=KEY, replies=['{"title": "Stale"}'])
    with serve(fake) as server:
        completion = _llm(settings, server, anthropic_model="claude-test").complete(REQUEST)

    assert completion.text == '{"title": "Stale"}'
    assert completion.model == "claude-test"
    headers = server.requests[0].headers
    assert headers["x-api-key"] == KEY
    assert headers["anthropic-version"] == "2023-06-01"
    body = fake.bodies[0]
    assert body["system"] == REQUEST.system
    assert body["max_tokens"] == settings.anthropic_max_tokens
    assert [m["role"] for m in body["messages"]] == ["user", "assistant", "user"]
    assert body["messages"][-1]["content"] == REQUEST.user


def test_missing_key_names_the_setting(settings: Settings) -> None:
    with pytest.raises(ConfigError) as missing:
        AnthropicLLM(settings)
    assert "REELFORGE_ANTHROPIC_API_KEY" in missing.value.message


def test_refused_key_is_a_clear_error_naming_the_setting(settings: Settings) -> None:
    fake = AnthropicFake(api_key="sk-ant-right")
    with serve(fake) as server, pytest.raises(ProviderError) as refused:
        _llm(settings, server).complete(REQUEST)
    assert refused.value.status == 401 and not refused.value.retryable
    assert "REELFORGE_ANTHROPIC_API_KEY" in refused.value.message
    assert "invalid x-api-key" in refused.value.message


def test_users_own_key_is_called_out_when_refused(settings: Settings) -> None:
    fake = AnthropicFake(api_key="sk-ant-right")
    with serve(fake) as server, pytest.raises(ProviderError) as refused:
        llm = AnthropicLLM(
            settings.model_copy(update={"anthropic_base_url": server.base_url}),
            credential="sk-ant-users-old",
        )
        llm.complete(REQUEST)
    assert "your own anthropic key" in refused.value.message
    assert server.requests[0].headers["x-api-key"] == "sk-ant-users-old"


def test_rate_limit_is_retried_after_the_time_the_server_asked_for(settings: Settings) -> None:
    fake = AnthropicFake(api_key=KEY, replies=[fake_anthropic.rate_limited("1"), "{}"])
    with serve(fake) as server:
        assert _llm(settings, server).complete(REQUEST).text == "{}"
    assert len(fake.times) == 2
    assert fake.times[1] - fake.times[0] >= 0.95  # backoff setting is 0.01 s


def test_server_errors_exhaust_retries_then_fail_retryable(settings: Settings) -> None:
    fake = AnthropicFake(api_key=KEY, replies=[fake_anthropic.server_error()] * 5)
    with serve(fake) as server, pytest.raises(ProviderError) as failed:
        _llm(settings, server).complete(REQUEST)
    assert failed.value.retryable and failed.value.status == 500
    assert len(server.requests) == settings.http_max_retries + 1


def test_overloaded_529_is_reported_as_retryable(settings: Settings) -> None:
    fake = AnthropicFake(api_key=KEY, replies=[fake_anthropic.overloaded()] * 5)
    with serve(fake) as server, pytest.raises(ProviderError) as failed:
        _llm(settings, server).complete(REQUEST)
    assert failed.value.retryable
    assert failed.value.status == 529
    assert "overloaded" in failed.value.message.lower()


def test_answer_cut_at_max_tokens_names_the_setting(settings: Settings) -> None:
    fake = AnthropicFake(api_key=KEY, replies=['{"title": "St'], stop_reason="max_tokens")
    with serve(fake) as server, pytest.raises(ProviderError) as cut:
        _llm(settings, server, anthropic_max_tokens=20).complete(REQUEST)
    assert "REELFORGE_ANTHROPIC_MAX_TOKENS" in cut.value.message
    assert fake.bodies[0]["max_tokens"] == 20
