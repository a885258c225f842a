"""The Gemini client against a local fake speaking the generateContent format."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from reelforge.config import Settings
from reelforge.errors import ConfigError, ProviderError
from reelforge.providers.base import CompletionRequest
from reelforge.providers.llm.gemini import GeminiLLM
from tests.fakes import gemini as fake_gemini
from tests.fakes.gemini import GeminiFake
from tests.fakes.server import FakeServer, serve

KEY = "AIza-test-gemini"
REQUEST = CompletionRequest(
    task="script",
    system="You write scripts. Reply with JSON.",
    user="Topic: why bread goes stale",
    json_schema={"type": "object"},
    history=(("user", "Topic: x"), ("assistant", "not json")),
)


def _llm(settings: Settings, server: FakeServer, **overrides: object) -> GeminiLLM:
    update = {"gemini_base_url": server.base_url, "gemini_api_key": SecretStr(KEY)}
    return GeminiLLM(settings.model_copy(update={**update, **overrides}))


def test_answer_text_comes_back_with_json_mime_type_and_key_header(settings: Settings) -> None:
    fake = GeminiFake(api_key=KEY, replies=['{"title": "Stale"}'])
    with serve(fake) as server:
        completion = _llm(settings, server, gemini_model="models/gemini-test").complete(REQUEST)

    assert completion.text == '{"title": "Stale"}'
    assert fake.models == ["gemini-test"]
    request = server.requests[0]
    assert request.headers["x-goog-api-key"] == KEY
    assert "key" not in request.query  # the key never travels in the URL (logs, proxies)
    body = fake.bodies[0]
    assert body["generationConfig"]["responseMimeType"] == "application/json"
    assert body["systemInstruction"] == {"parts": [{"text": REQUEST.system}]}
    assert [c["role"] for c in body["contents"]] == ["user", "model", "user"]
    assert body["contents"][-1]["parts"] == [{"text": REQUEST.user}]


def test_missing_key_names_the_setting(settings: Settings) -> None:
    with pytest.raises(ConfigError) as missing:
        GeminiLLM(settings)
    assert "REELFORGE_GEMINI_API_KEY" in missing.value.message


def test_invalid_key_answered_as_400_is_a_clear_error_naming_the_setting(
    settings: Settings,
) -> None:
    fake = GeminiFake(api_key="AIza-right")
    with serve(fake) as server, pytest.raises(ProviderError) as refused:
        _llm(settings, server).complete(REQUEST)
    assert not refused.value.retryable
    assert "REELFORGE_GEMINI_API_KEY" in refused.value.message
    assert "API key not valid" in refused.value.message


def test_blocked_prompt_says_it_was_blocked(settings: Settings) -> None:
    fake = GeminiFake(api_key=KEY, replies=[fake_gemini.blocked("SAFETY")])
    with serve(fake) as server, pytest.raises(ProviderError) as blocked:
        _llm(settings, server).complete(REQUEST)
    assert "blocked (SAFETY)" in blocked.value.message
    assert not blocked.value.retryable


def test_rate_limit_is_retried_after_the_time_the_server_asked_for(settings: Settings) -> None:
    fake = GeminiFake(api_key=KEY, replies=[fake_gemini.rate_limited("1"), "{}"])
    with serve(fake) as server:
        assert _llm(settings, server).complete(REQUEST).text == "{}"
    assert len(fake.times) == 2
    assert fake.times[1] - fake.times[0] >= 0.95  # backoff setting is 0.01 s


def test_unavailable_exhausts_retries_then_fails_retryable(settings: Settings) -> None:
    fake = GeminiFake(api_key=KEY, replies=[fake_gemini.unavailable()] * 5)
    with serve(fake) as server, pytest.raises(ProviderError) as failed:
        _llm(settings, server).complete(REQUEST)
    assert failed.value.retryable and failed.value.status == 503
    assert len(server.requests) == settings.http_max_retries + 1


def test_answer_cut_at_the_token_limit_is_an_error(settings: Settings) -> None:
    fake = GeminiFake(api_key=KEY, replies=['{"title": "St'], finish_reason="MAX_TOKENS")
    with serve(fake) as server, pytest.raises(ProviderError) as cut:
        _llm(settings, server).complete(REQUEST)
    assert "MAX_TOKENS" in cut.value.message


def test_json_mode_off_sends_no_mime_type(settings: Settings) -> None:
    fake = GeminiFake(api_key=KEY, replies=["{}"])
    with serve(fake) as server:
        _llm(settings, server, gemini_json_mode=False).complete(REQUEST)
    assert "responseMimeType" not in fake.bodies[0]["generationConfig"]
