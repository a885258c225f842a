"""Content DNA: derived with evidence, and built by the wizard with clear validation errors."""

from __future__ import annotations

import pytest

from reelforge.errors import InputError
from reelforge.providers.types.research import VideoStats
from reelforge.research.dna.derive import derive_dna
from reelforge.research.dna.profile import WIZARD_QUESTIONS, ContentDNA, dna_from_answers


def test_derived_length_hooks_topics_and_times_cite_their_evidence(
    videos_by_creator: dict[str, list[VideoStats]],
) -> None:
    derived = derive_dna({"bakes": videos_by_creator["bakes"]}, tz="America/New_York")
    # Top quartile of "bakes": b4 (1000 views, 70 s) and b1 (120 views, 20 s).
    assert derived.top_videos == 2
    assert derived.target_seconds.value == 45  # median of 70 and 20
    assert "Median length of the 2 top videos is 45 s" in derived.target_seconds.basis
    assert {e.video_id for e in derived.target_seconds.evidence} == {"b4", "b1"}
    # b4's title asks a question; only 1 of 8 titles does overall.
    assert "question" in derived.hook_styles.value
    assert "question: 1 of 2 top titles (50%) vs 12% of all" in derived.hook_styles.basis
    question = [e for e in derived.hook_styles.evidence if e.note == "question"]
    assert [(e.video_id, e.title) for e in question] == [
        ("b4", "Why does sourdough rise? Sourdough secrets")
    ]
    assert "sourdough" in derived.topics.value and "rye" not in derived.topics.value
    assert any(e.video_id == "b4" and e.note == "sourdough" for e in derived.topics.evidence)
    assert derived.hashtags.value == ["sourdough"]
    # b4 went out on Tuesday 2024-01-09 at 23:30 UTC: 18:30 in New York.
    assert derived.best_posting_times.value[0] == "Tue 18:00"
    assert (
        "Tue 18:00 America/New_York: 1 post, median 1,000 views" in derived.best_posting_times.basis
    )
    assert derived.posting_goals.value == "Post about 4 times a week"


def test_derived_dna_fills_a_profile_without_overwriting_the_users_choices(
    videos_by_creator: dict[str, list[VideoStats]],
) -> None:
    derived = derive_dna(videos_by_creator)
    fresh = derived.to_dna()
    assert fresh.target_seconds == derived.target_seconds.value
    assert fresh.niche and fresh.hook_styles == derived.hook_styles.value
    mine = ContentDNA(
        niche="rye bread for beginners", hook_styles=["personal story"], target_seconds=30
    )
    merged = derived.to_dna(mine)
    assert merged.niche == "rye bread for beginners" and merged.hook_styles == ["personal story"]
    assert merged.target_seconds == derived.target_seconds.value


def test_derivation_without_videos_says_what_to_do() -> None:
    with pytest.raises(InputError, match="Refresh them or import"):
        derive_dna({"nobody": []})


GOOD = {
    "niche": "sourdough for beginners",
    "audience": "busy parents",
    "voice_and_tone": ["Friendly", "witty"],
    "hook_styles": "question, number list (tips / steps)",
    "phrases_to_avoid": "game changer\nsmash that like button\n\n",
    "target_seconds": "40",
}


def test_wizard_answers_make_a_profile_the_writer_can_use() -> None:
    dna = dna_from_answers(GOOD)
    assert dna.voice_and_tone == "friendly, witty"
    assert dna.hook_styles == ["question", "number list (tips / steps)"]
    assert dna.phrases_to_avoid == ["game changer", "smash that like button"]
    assert dna.calls_to_action == ["Follow for more"]  # the question's default
    assert (dna.target_seconds, dna.words_per_minute) == (40, 150)
    writer = dna.for_writer()
    assert writer["tone"] == "friendly, witty" and "voice_and_tone" not in writer
    assert "visual_style" not in writer  # empty fields are left out


def test_wizard_lists_every_answer_that_needs_fixing() -> None:
    answers = {
        **GOOD,
        "niche": "",
        "voice_and_tone": ["grumpy"],
        "target_seconds": 900,
        "colour": "red",
    }
    with pytest.raises(InputError) as caught:
        dna_from_answers(answers)
    errors = caught.value.details["errors"]
    assert set(errors) == {"niche", "voice_and_tone", "target_seconds", "colour"}
    assert "needs an answer" in errors["niche"]
    assert "'grumpy' is not a choice" in errors["voice_and_tone"]
    assert "from 10 to 180" in errors["target_seconds"]
    assert "unknown question" in errors["colour"]


def test_wizard_questions_are_plain_data_for_every_door() -> None:
    data = [q.model_dump() for q in WIZARD_QUESTIONS]
    ids = [q["id"] for q in data]
    assert ids[:2] == ["niche", "audience"] and len(ids) == len(set(ids))
    assert set(ids) <= set(ContentDNA.model_fields)
    assert all(q["prompt"] for q in data)


def test_profile_rejects_items_it_cannot_use() -> None:
    with pytest.raises(ValueError):
        ContentDNA(target_seconds=500)
    with pytest.raises(ValueError):
        ContentDNA(phrases_to_use=["x" * 200])
    assert ContentDNA(phrases_to_use=[" a ", "A", ""]).phrases_to_use == ["a"]
