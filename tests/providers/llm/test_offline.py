"""The offline template writer: valid, varied, deterministic, honest, DNA-aware."""

from __future__ import annotations

import json
from typing import Any

import pytest

from reelforge.config import load_settings
from reelforge.errors import ProviderError
from reelforge.providers.base import CompletionRequest
from reelforge.providers.llm.offline import OfflineLLM
from reelforge.studio.models import Script
from reelforge.studio.review import estimated_seconds, review_script

TOPICS = [
    "why bread goes stale",
    "Black holes",
    "how to save money on groceries",
    "the history of the Roman Empire",
    "AI",
    "3 tips for better sleep",
    "why cats purr",
    "what happens to your body when you stop drinking coffee",
    "how the invention of the printing press changed the way europeans shared news and ideas",
    "Is the five-second rule real?",
    "crème brûlée at home",
    "photosynthesis",
]
WRITER = OfflineLLM(load_settings())  # the offline writer reads no settings


def _ask(topic: str, dna: dict[str, Any] | None = None, max_words: int = 160) -> dict[str, Any]:
    request = CompletionRequest(
        task="script",
        system="",
        user="",
        inputs={"topic": topic, "dna": dna or {}, "max_words": max_words, "words_per_minute": 160},
    )
    completion = WRITER.complete(request)
    assert completion.model == "template"
    data: dict[str, Any] = json.loads(completion.text)
    return data


def _script(topic: str, data: dict[str, Any]) -> Script:
    return Script.model_validate({**data, "topic": topic, "writer": "offline", "model": "template"})


@pytest.mark.parametrize("topic", TOPICS)
def test_every_topic_gives_a_valid_script_that_passes_the_editors_checks(topic: str) -> None:
    script = _script(topic, _ask(topic))
    assert 5 <= len(script.scenes) <= 6
    assert script.scenes[0].narration.startswith(script.hook)
    assert script.call_to_action and script.scenes[-1].narration == script.call_to_action
    assert review_script(script, words_per_minute=160, max_seconds=60) == []


def test_same_topic_gives_the_same_script() -> None:
    assert _ask("why bread goes stale") == _ask("why bread goes stale")


def test_different_topics_get_different_structures() -> None:
    hooks = {_ask(t)["hook"].replace(t, "").replace(t.lower(), "") for t in TOPICS}
    first_beats = {_ask(t)["scenes"][1]["on_screen_text"] for t in TOPICS}
    assert len(hooks) >= 4
    assert len(first_beats) >= 3


def test_search_terms_come_from_the_topic_and_never_repeat() -> None:
    data = _ask("why bread goes stale")
    terms = [t for scene in data["scenes"] for t in scene["search_terms"]]
    assert len(terms) == len({t.lower() for t in terms})
    assert all(t.strip() for t in terms)
    assert "bread" in data["scenes"][0]["search_terms"]
    assert not any(word in terms for word in ("why", "goes"))


def test_dna_hook_style_target_length_and_calls_to_action_are_used() -> None:
    dna = {
        "hook_styles": ["stop doing X"],
        "target_seconds": 30,
        "calls_to_action": ["Follow for a new kitchen myth every day."],
    }
    data = _ask("why bread goes stale", dna)
    script = _script("why bread goes stale", data)
    assert data["hook"].startswith("Stop ")
    assert data["call_to_action"] == "Follow for a new kitchen myth every day."
    assert estimated_seconds(script, 160) <= 30
    long = _script("why bread goes stale", _ask("why bread goes stale"))
    assert estimated_seconds(long, 160) > estimated_seconds(script, 160)


@pytest.mark.parametrize("style", ["a question", "surprising claim"])
def test_question_and_claim_hooks(style: str) -> None:
    hook = _ask("why cats purr", {"hook_styles": [style]})["hook"]
    assert hook.endswith("?") == (style == "a question")


def test_phrases_to_avoid_never_appear_anywhere() -> None:
    avoid = ["the cause", "myth", "bread", "Follow for more", "simple"]
    for topic in ("why bread goes stale", "black holes", "how to save money"):
        text = json.dumps(_ask(topic, {"phrases_to_avoid": avoid})).lower()
        for phrase in avoid:
            assert phrase.lower() not in text, (topic, phrase)


def test_narration_stays_within_the_word_budget() -> None:
    for topic in TOPICS:
        data = _ask(topic, max_words=100)
        words = sum(len(s["narration"].split()) for s in data["scenes"])
        assert words <= 100, topic


def test_other_tasks_are_refused_with_the_settings_to_configure_a_model() -> None:
    with pytest.raises(ProviderError) as refused:
        WRITER.complete(CompletionRequest(task="summarise", system="", user="x"))
    assert not refused.value.retryable
    assert "only fills script templates" in refused.value.message
    assert "REELFORGE_WRITER" in refused.value.message
    assert "REELFORGE_OPENAI_BASE_URL" in refused.value.message


def test_it_is_labelled_local_and_keyless() -> None:
    assert OfflineLLM.remote is False and OfflineLLM.needs_key is False
    assert OfflineLLM.name == "offline"
