"""Write stage: topic checks, the offline writer's label, and retry-once with real clients."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import SecretStr

from reelforge.config import Settings
from reelforge.errors import InputError, ProviderError
from reelforge.providers.llm.anthropic import AnthropicLLM
from reelforge.providers.llm.offline import OfflineLLM
from reelforge.providers.llm.openai_compat import OpenAICompatLLM
from reelforge.studio.write import OFFLINE_WARNING, write_script
from tests.fakes.anthropic import AnthropicFake
from tests.fakes.openai import OpenAIFake
from tests.fakes.server import FakeServer, serve

TOPIC = "why bread goes stale"


def model_script(**changes: Any) -> dict[str, Any]:
    """What a well-behaved model answers."""
    data: dict[str, Any] = {
        "title": "Why Bread Goes Stale",
        "hook": "Your bread isn't drying out.",
        "scenes": [
            {
                "narration": "Your bread isn't drying out. It's turning back into crystals.",
                "on_screen_text": "It's not drying out",
                "search_terms": ["bread loaf", "kitchen counter"],
            },
            {
                "narration": "Baking melts the starch into a soft gel.",
                "on_screen_text": "Starch melts",
                "search_terms": ["oven baking"],
            },
            {
                "narration": "As it cools, the starch slowly lines back up into hard crystals.",
                "on_screen_text": "Then it recrystallises",
                "search_terms": ["crystals macro"],
            },
            {
                "narration": "That's why the fridge makes bread stale faster, and toasting undoes it.",
                "on_screen_text": "Toast it back",
                "search_terms": ["toaster", "fridge door"],
            },
            {
                "narration": "Follow for more kitchen science.",
                "on_screen_text": "Follow for more",
                "search_terms": ["phone scrolling"],
            },
        ],
        "call_to_action": "Follow for more kitchen science.",
        "hashtags": ["#bread", "#science"],
    }
    data.update(changes)
    return data


def _openai(settings: Settings, server: FakeServer) -> OpenAICompatLLM:
    update = {"openai_base_url": server.base_url, "openai_model": "local-model"}
    return OpenAICompatLLM(settings.model_copy(update=update))


@pytest.mark.parametrize(
    ("topic", "says"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("x" * 201, "200 or fewer"),
        ("12345 !!! ???", "no words"),
    ],
)
def test_bad_topics_are_refused_with_what_to_do(topic: str, says: str, settings: Settings) -> None:
    with pytest.raises(InputError) as refused:
        write_script(topic=topic, llm=OfflineLLM(settings))
    assert says in refused.value.message
    assert "why bread goes stale" in refused.value.message  # an example of a good topic


def test_offline_script_says_plainly_that_no_model_wrote_it(settings: Settings) -> None:
    result = write_script(topic="  why   bread goes stale ", llm=OfflineLLM(settings))
    assert result.script.topic == TOPIC
    assert result.script.writer == "offline" and result.script.model == "template"
    assert not result.script.model_written
    assert result.warnings == [OFFLINE_WARNING]
    assert OFFLINE_WARNING.startswith(
        "Written by the offline template writer — no language model was used"
    )


def test_a_good_answer_becomes_the_script_with_only_editor_warnings(settings: Settings) -> None:
    answer = model_script(topic="something else", writer="me", model="fake", extra="ignored")
    answer["scenes"][1]["narration"] = "In this video, baking melts the starch."
    fake = OpenAIFake(api_key=None, replies=[json.dumps(answer)], model="local-model-q4")
    with serve(fake) as server:
        result = write_script(
            topic=TOPIC, llm=_openai(settings, server), dna={"tone": "dry, curious"}
        )

    script = result.script
    assert (script.topic, script.writer, script.model) == (TOPIC, "openai", "local-model-q4")
    assert script.model_written
    assert len(result.warnings) == 1 and '"in this video"' in result.warnings[0]
    sent = fake.chats[0]
    user = sent["messages"][-1]["content"]
    assert TOPIC in user and "at most 160 words" in user and "dry, curious" in user
    assert '"search_terms"' in user  # the schema travels with the prompt
    assert sent["response_format"] == {"type": "json_object"}


def test_invalid_json_is_retried_once_with_the_error(settings: Settings) -> None:
    fenced = "```json\n" + json.dumps(model_script()) + "\n```"
    fake = OpenAIFake(api_key=None, replies=["Sure! Here is your script: {title: oops", fenced])
    with serve(fake) as server:
        result = write_script(topic=TOPIC, llm=_openai(settings, server))

    assert result.script.title == "Why Bread Goes Stale"
    assert len(fake.chats) == 2
    retry = fake.chats[1]["messages"]
    assert [m["role"] for m in retry] == ["system", "user", "assistant", "user"]
    assert retry[2]["content"] == "Sure! Here is your script: {title: oops"
    assert "not valid JSON" in retry[3]["content"]


def test_a_script_that_breaks_a_rule_is_retried_with_the_field_named(settings: Settings) -> None:
    too_long = model_script(hook="This hook goes on and on and on for far more than eleven words")
    first, second = json.dumps(too_long), json.dumps(model_script())
    fake = AnthropicFake(api_key="sk-ant-test", replies=[first, second])
    with serve(fake) as server:
        update = {
            "anthropic_base_url": server.base_url,
            "anthropic_api_key": SecretStr("sk-ant-test"),
        }
        llm = AnthropicLLM(settings.model_copy(update=update))
        result = write_script(topic=TOPIC, llm=llm)

    assert result.script.hook == "Your bread isn't drying out."
    retry = fake.bodies[1]["messages"]
    assert [m["role"] for m in retry] == ["user", "assistant", "user"]
    assert "hook" in retry[-1]["content"] and "12 words" in retry[-1]["content"]


def test_invalid_twice_is_a_clear_non_retryable_provider_error(settings: Settings) -> None:
    bad = json.dumps(model_script(scenes=[]))
    fake = OpenAIFake(api_key=None, replies=[bad, bad, bad])
    with serve(fake) as server, pytest.raises(ProviderError) as failed:
        write_script(topic=TOPIC, llm=_openai(settings, server))

    assert len(fake.chats) == 2  # one retry, no more
    error = failed.value
    assert not error.retryable and error.provider == "openai"
    assert "scenes" in error.message and "at least 4" in error.message
    assert "REELFORGE_WRITER=offline" in error.message


def test_a_too_long_script_warns_with_how_many_words_to_cut(settings: Settings) -> None:
    fake = OpenAIFake(api_key=None, replies=[json.dumps(model_script())])
    with serve(fake) as server:
        result = write_script(topic=TOPIC, llm=_openai(settings, server), max_seconds=10)
    assert any("over the 10 s limit" in w and "cut about" in w for w in result.warnings)
    assert "at most 26 words" in fake.chats[0]["messages"][-1]["content"]
