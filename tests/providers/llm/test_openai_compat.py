"""The OpenAI-compatible client against a local fake speaking the chat-completions format."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from reelforge.config import Settings
from reelforge.errors import ConfigError, ProviderError
from reelforge.providers.base import CompletionRequest
from reelforge.providers.llm.openai_compat import OpenAICompatLLM
from tests.fakes import openai as fake_openai
from tests.fakes.openai import OpenAIFake
from tests.fakes.server import FakeServer, serve

KEY = "sk-test-openai"
REQUEST = CompletionRequest(
    task="script",
    system="You write scripts. Reply with JSON.",
    user="Topic: why bread goes stale",
    json_schema={"type": "object"},
)


def _llm(settings: Settings, server: FakeServer, **overrides: object) -> OpenAICompatLLM:
    update = {"openai_base_url": server.base_url, "openai_api_key": SecretStr(KEY), **overrides}
    return OpenAICompatLLM(settings.model_copy(update=update))


def test_answer_text_comes_back_with_json_mode_and_bearer_key_on_the_wire(
    settings: Settings,
) -> None:
    fake = OpenAIFake(api_key=KEY, replies=['{"title": "Stale"}'], model="gpt-test-0001")
    with serve(fake) as server:
        completion = _llm(settings, server, openai_model="gpt-test").complete(REQUEST)

    assert completion.text == '{"title": "Stale"}'
    assert completion.model == "gpt-test-0001"
    assert server.requests[0].headers["authorization"] == f"Bearer {KEY}"
    body = fake.chats[0]
    assert body["model"] == "gpt-test"
    assert body["response_format"] == {"type": "json_object"}
    assert body["messages"] == [
        {"role": "system", "content": REQUEST.system},
        {"role": "user", "content": REQUEST.user},
    ]


def test_history_is_sent_before_the_new_user_turn(settings: Settings) -> None:
    fake = OpenAIFake(api_key=KEY, replies=["{}"])
    retry = CompletionRequest(
        task="script",
        system="Reply with JSON.",
        user="Fix it.",
        history=(("user", "Topic: x"), ("assistant", "not json")),
    )
    with serve(fake) as server:
        _llm(settings, server).complete(retry)
    roles = [(m["role"], m["content"]) for m in fake.chats[0]["messages"]]
    assert roles == [
        ("system", "Reply with JSON."),
        ("user", "Topic: x"),
        ("assistant", "not json"),
        ("user", "Fix it."),
    ]
    assert "response_format" not in fake.chats[0]  # no schema asked -> no JSON mode


def test_json_mode_can_be_turned_off_for_servers_that_reject_it(settings: Settings) -> None:
    fake = OpenAIFake(api_key=None, json_mode_supported=False, replies=["{}"])
    with serve(fake) as server:
        strict = _llm(settings, server)
        with pytest.raises(ProviderError) as refused:
            strict.complete(REQUEST)
        relaxed = _llm(settings, server, openai_json_mode=False)
        assert relaxed.complete(REQUEST).text == "{}"
    assert "REELFORGE_OPENAI_JSON_MODE=false" in refused.value.message
    assert "response_format" not in fake.chats[-1]


def test_local_server_needs_no_key_and_gets_no_auth_header(settings: Settings) -> None:
    fake = OpenAIFake(api_key=None, replies=["{}"])
    with serve(fake) as server:
        llm = OpenAICompatLLM(settings.model_copy(update={"openai_base_url": server.base_url}))
        llm.complete(REQUEST)
    assert "authorization" not in server.requests[0].headers


def test_base_url_ending_in_v1_is_accepted(settings: Settings) -> None:
    fake = OpenAIFake(api_key=None, replies=["{}"])
    with serve(fake) as server:
        llm = OpenAICompatLLM(
            settings.model_copy(update={"openai_base_url": server.base_url + "/v1"})
        )
        assert llm.complete(REQUEST).text == "{}"
    assert server.requests[0].path == "/v1/chat/completions"


def test_api_openai_com_without_a_key_names_the_setting(settings: Settings) -> None:
    with pytest.raises(ConfigError) as missing:
        OpenAICompatLLM(settings)
    assert "REELFORGE_OPENAI_API_KEY" in missing.value.message


def test_users_own_key_wins_over_the_server_key(settings: Settings) -> None:
    fake = OpenAIFake(api_key="sk-users-own", replies=["{}"])
    with serve(fake) as server:
        update = {"openai_base_url": server.base_url, "openai_api_key": SecretStr(KEY)}
        llm = OpenAICompatLLM(settings.model_copy(update=update), credential="sk-users-own")
        llm.complete(REQUEST)
    assert server.requests[0].headers["authorization"] == "Bearer sk-users-own"


def test_refused_key_is_a_clear_error_naming_the_setting(settings: Settings) -> None:
    fake = OpenAIFake(api_key="sk-the-right-one")
    with serve(fake) as server, pytest.raises(ProviderError) as refused:
        _llm(settings, server).complete(REQUEST)
    assert refused.value.status == 401
    assert not refused.value.retryable
    assert "REELFORGE_OPENAI_API_KEY" in refused.value.message
    assert "Incorrect API key" in refused.value.message
    assert len(fake.chats) == 0 and len(server.requests) == 1  # not retried


def test_rate_limit_is_retried_after_the_time_the_server_asked_for(settings: Settings) -> None:
    fake = OpenAIFake(api_key=KEY, replies=[fake_openai.rate_limited("1"), "{}"])
    with serve(fake) as server:
        assert _llm(settings, server).complete(REQUEST).text == "{}"
    assert len(fake.times) == 2
    # the backoff setting is 0.01 s, so a gap of a second means Retry-After was honoured
    assert fake.times[1] - fake.times[0] >= 0.95


def test_server_errors_exhaust_retries_then_fail_retryable(settings: Settings) -> None:
    fake = OpenAIFake(api_key=KEY, replies=[fake_openai.server_error()] * 5)
    with serve(fake) as server, pytest.raises(ProviderError) as failed:
        _llm(settings, server).complete(REQUEST)
    assert failed.value.retryable
    assert failed.value.status == 500
    assert len(server.requests) == settings.http_max_retries + 1


def test_an_answer_cut_off_at_the_token_limit_is_an_error(settings: Settings) -> None:
    fake = OpenAIFake(api_key=KEY, replies=['{"title": "Sta'], finish_reason="length")
    with serve(fake) as server, pytest.raises(ProviderError) as cut:
        _llm(settings, server, openai_max_tokens=50).complete(REQUEST)
    assert "REELFORGE_OPENAI_MAX_TOKENS" in cut.value.message
    assert fake.chats[0]["max_tokens"] == 50


def test_unknown_model_points_at_the_settings(settings: Settings) -> None:
    missing = fake_openai.error(404, "The model `nope` does not exist", code="model_not_found")
    fake = OpenAIFake(api_key=KEY, replies=[missing])
    with serve(fake) as server, pytest.raises(ProviderError) as failed:
        _llm(settings, server, openai_model="nope").complete(REQUEST)
    assert "REELFORGE_OPENAI_MODEL" in failed.value.message
    assert "does not exist" in failed.value.message
