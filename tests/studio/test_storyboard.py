"""Storyboard: what each scene shows, per media source; user choices are kept."""

from __future__ import annotations

import pytest

from reelforge.errors import InputError
from reelforge.studio.models import Scene, Script, Visual, VisualKind
from reelforge.studio.storyboard import STYLES, storyboard


def _script(scenes: int = 6) -> Script:
    return Script(
        topic="why bread goes stale",
        title="Why Bread Goes Stale",
        hook="Your bread isn't drying out.",
        scenes=[
            Scene(
                narration=f"Your bread isn't drying out. Step {i} of the story.",
                search_terms=["bread", "kitchen counter"] if i == 0 else [f"oven baking {i}"],
            )
            for i in range(scenes)
        ],
    )


@pytest.mark.parametrize("media", ["pexels", "pixabay", "library"])
def test_stock_sources_get_a_search_query_from_the_best_terms(media: str) -> None:
    board = storyboard(_script(), media=media)
    visuals = [s.visual for s in board.scenes]
    assert all(v is not None and v.kind is VisualKind.STOCK for v in visuals)
    assert visuals[0] is not None and visuals[0].query == "bread kitchen counter"
    assert visuals[1] is not None and visuals[1].query == "oven baking 1"


def test_generated_images_get_a_vertical_photo_prompt_from_terms_and_narration() -> None:
    board = storyboard(_script(), media="imagegen")
    visual = board.scenes[0].visual
    assert visual is not None and visual.kind is VisualKind.GENERATED
    assert "Vertical 9:16 photograph" in visual.prompt
    assert "bread, kitchen counter" in visual.prompt
    assert "Your bread isn't drying out" in visual.prompt
    assert "Step 0" not in visual.prompt  # only the first sentence: one moment per image
    assert storyboard(_script(), media="generated") == board


def test_procedural_styles_cycle_by_scene_index() -> None:
    board = storyboard(_script(7), media="procedural")
    styles = [s.visual.style for s in board.scenes if s.visual is not None]
    assert styles == [STYLES[i % len(STYLES)] for i in range(7)]
    assert set(STYLES) == {"gradient", "aurora", "bokeh", "stripes", "grain"}
    assert storyboard(_script(7), media="procedural") == board  # deterministic


def test_a_visual_the_user_set_is_never_overwritten_and_the_input_is_untouched() -> None:
    script = _script()
    mine = Visual(kind=VisualKind.PROCEDURAL, style="grain")
    scenes = list(script.scenes)
    scenes[2] = scenes[2].model_copy(update={"visual": mine})
    script = script.model_copy(update={"scenes": scenes})

    board = storyboard(script, media="pexels")
    assert board.scenes[2].visual == mine
    assert board.scenes[3].visual is not None and board.scenes[3].visual.kind is VisualKind.STOCK
    assert script.scenes[3].visual is None  # a copy came back


def test_unknown_media_lists_the_choices() -> None:
    with pytest.raises(InputError) as refused:
        storyboard(_script(), media="vimeo")
    assert "pexels" in refused.value.message and "procedural" in refused.value.message
