"""The editor's checks: each problem a viewer would notice gets a warning saying what to fix."""

from __future__ import annotations

from typing import Any

import pytest

from reelforge.studio.models import Scene, Script
from reelforge.studio.review import estimated_seconds, review_script, unspeakable_numbers


def _script(**changes: Any) -> Script:
    scenes = [
        Scene(
            narration=f"Stale bread is a crystal problem. Scene {i} adds one more idea.",
            on_screen_text=f"Idea {i}",
            search_terms=[f"bread shot {i}"],
        )
        for i in range(5)
    ]
    scenes[0] = Scene(
        narration="Your bread isn't drying out. Starch is crystallising.",
        on_screen_text="Not drying out",
        search_terms=["bread loaf"],
    )
    fields: dict[str, Any] = {
        "topic": "why bread goes stale",
        "title": "Why Bread Goes Stale",
        "hook": "Your bread isn't drying out.",
        "scenes": scenes,
        "call_to_action": "Follow for more.",
    }
    fields.update(changes)
    return Script(**fields)


def _with_scene(index: int, **fields: Any) -> Script:
    script = _script()
    scenes = list(script.scenes)
    scenes[index] = scenes[index].model_copy(update=fields)
    return script.model_copy(update={"scenes": scenes})


def test_a_clean_script_has_no_warnings() -> None:
    assert review_script(_script()) == []


@pytest.mark.parametrize(
    "phrase", ["In this video", "Hey guys,", "Welcome back!", "Today we're going to"]
)
def test_intro_phrases_are_flagged(phrase: str) -> None:
    script = _with_scene(2, narration=f"{phrase} we look at starch.")
    warnings = review_script(script)
    assert len(warnings) == 1
    assert "Scene 3" in warnings[0] and "cut the intro" in warnings[0]


def test_a_hook_not_spoken_first_is_flagged() -> None:
    script = _with_scene(0, narration="Starch is crystallising. Your bread isn't drying out.")
    assert review_script(script) == [
        "Scene 1 does not open with the hook: start its narration with the hook, word for word."
    ]


def test_a_long_hook_is_flagged_even_on_an_unvalidated_script() -> None:
    hook = "This hook is far too long because it just keeps going and going on"
    script = Script.model_construct(**{**dict(_script()), "hook": hook})
    warnings = review_script(script)
    assert any("The hook has 14 words" in w for w in warnings)


def test_narration_over_the_limit_says_how_much_to_cut() -> None:
    script = _script()
    seconds = estimated_seconds(script, 160)
    assert seconds == pytest.approx(sum(len(s.narration.split()) for s in script.scenes) * 60 / 160)
    warnings = review_script(script, words_per_minute=160, max_seconds=10)
    assert len(warnings) == 1
    assert "over the 10 s limit" in warnings[0] and "cut about" in warnings[0]
    assert review_script(script, words_per_minute=160, max_seconds=60) == []


def test_too_few_scenes_is_flagged_on_an_unvalidated_script() -> None:
    short = Script.model_construct(**{**dict(_script()), "scenes": _script().scenes[:3]})
    assert any("3 scenes" in w and "4 to 8" in w for w in review_script(short))


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("It is 3.5x faster.", ["3.5x"]),
        ("It costs $1,000 a year.", ["$1,000"]),
        ("About 50% of it.", ["50%"]),
        ("Use 1/2 a cup.", ["1/2"]),
        ("Run 10km, then 2 more.", ["10km"]),
        ("In 1999 and the 1980s, 300 people came 2nd.", []),
    ],
)
def test_numbers_the_voice_may_misread(text: str, bad: list[str]) -> None:
    assert unspeakable_numbers(text) == bad


def test_number_warning_says_to_write_words_and_that_years_are_fine() -> None:
    warnings = review_script(_with_scene(1, narration="About 50% of bread goes stale by 2024."))
    assert len(warnings) == 1
    assert '"50%"' in warnings[0] and "fifty percent" in warnings[0]
    assert "years" in warnings[0] and "read as words" in warnings[0]


def test_long_on_screen_text_is_flagged() -> None:
    script = _with_scene(3, on_screen_text="Starch lines back up into hard little crystals")
    warnings = review_script(script)
    assert warnings == [
        "Scene 4's on-screen text has 8 words: keep it to 6 or fewer so it can be read at a glance."
    ]


def test_duplicate_search_terms_are_flagged() -> None:
    script = _with_scene(4, search_terms=["Bread Loaf", "toast"])
    warnings = review_script(script)
    assert len(warnings) == 1
    assert '"Bread Loaf"' in warnings[0] and "scenes 1 and 5" in warnings[0]
