"""Offline topic ideas: labelled as a heuristic, built from breakouts and the niche."""

from __future__ import annotations

from reelforge.providers.types.research import VideoStats
from reelforge.research.analytics import breakouts
from reelforge.research.dna.profile import ContentDNA
from reelforge.research.frame import VideoFrame
from reelforge.research.ideas import heuristic_ideas, ideas_prompt


def test_ideas_come_from_breakouts_and_say_they_are_a_heuristic(
    videos_by_creator: dict[str, list[VideoStats]],
) -> None:
    found = breakouts(VideoFrame.from_videos(videos_by_creator))
    dna = ContentDNA(niche="home baking", hook_styles=["question"])
    result = heuristic_ideas(found, dna=dna)
    assert result.source == "heuristic" and "heuristic" in result.note.lower()
    (idea,) = result.ideas
    assert idea.based_on == ["b4"]
    assert idea.topic == "sourdough rise secrets for home baking"
    assert idea.hook_style == "question" and idea.angle.endswith("?")
    assert "10.0x" in idea.why


def test_without_breakouts_ideas_come_from_the_niche_alone() -> None:
    result = heuristic_ideas([], dna=ContentDNA(niche="budget travel"), limit=2)
    assert len(result.ideas) == 2
    assert all(i.topic == "budget travel" and i.based_on == [] for i in result.ideas)
    assert heuristic_ideas([]).ideas == []


def test_llm_prompt_carries_the_niche_and_the_breakouts(
    videos_by_creator: dict[str, list[VideoStats]],
) -> None:
    found = breakouts(VideoFrame.from_videos(videos_by_creator))
    system, user = ideas_prompt(found, dna=ContentDNA(niche="home baking"))
    assert "JSON" in system and "home baking" in user and "b4 | 1000 |" in user
