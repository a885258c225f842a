"""Storyboard stage: decide what each scene shows, before any media is fetched.

Why a stage of its own: the choice (a stock search, an image prompt, a
procedural style) is cheap, deterministic and worth showing to the user — and
it is part of each scene's cache key, so changing the media provider redoes
only the media, not the voice. A visual the user set by hand is never touched.
"""

from __future__ import annotations

import re

from reelforge.errors import InputError
from reelforge.studio.models import Scene, Script, Visual, VisualKind

#: Procedural background styles, chosen in turn by scene index.
STYLES: tuple[str, ...] = ("gradient", "aurora", "bokeh", "stripes", "grain")

STOCK_MEDIA = frozenset({"pexels", "pixabay", "library"})
GENERATED_MEDIA = frozenset({"imagegen", "generated"})
PROCEDURAL_MEDIA = frozenset({"procedural"})

_MAX_QUERY_WORDS = 5
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def stock_query(terms: list[str]) -> str:
    """One search string from a scene's terms.

    The writer lists terms best first, so the first one leads. A lone word
    ("bread") is too vague for a stock search, so the next term's new words are
    added ("bread kitchen counter"), up to five words: longer queries find
    nothing on stock sites.
    """
    words: list[str] = []
    for term in terms:
        for word in term.split():
            if word.lower() not in (w.lower() for w in words):
                words.append(word)
        if len(words) >= 2:
            break
    return " ".join(words[:_MAX_QUERY_WORDS])


def image_prompt(scene: Scene) -> str:
    """A prompt for a vertical photo: what to show (terms), then the moment (narration)."""
    subject = ", ".join(scene.search_terms)
    first_sentence = _SENTENCE_END.split(scene.narration.strip(), maxsplit=1)[0]
    moment = first_sentence.rstrip(".!?")
    if len(moment) > 160:
        moment = moment[:160].rsplit(" ", 1)[0]
    return (
        f"Vertical 9:16 photograph of {subject}. Scene: {moment}. "
        "Natural light, shallow depth of field, sharp focus, rich colour; "
        "no text, no letters, no watermark, no logos."
    )


def style_for(index: int) -> str:
    return STYLES[index % len(STYLES)]


def _visual_for(scene: Scene, index: int, media: str) -> Visual:
    if media in STOCK_MEDIA:
        return Visual(kind=VisualKind.STOCK, query=stock_query(scene.search_terms))
    if media in GENERATED_MEDIA:
        return Visual(kind=VisualKind.GENERATED, prompt=image_prompt(scene))
    return Visual(kind=VisualKind.PROCEDURAL, style=style_for(index))


def storyboard(script: Script, *, media: str) -> Script:
    """A copy of ``script`` with every scene's ``visual`` set; user-set visuals are kept."""
    choice = media.strip().lower()
    known = STOCK_MEDIA | GENERATED_MEDIA | PROCEDURAL_MEDIA
    if choice not in known:
        raise InputError(
            f"Unknown media source {media!r}. Choose one of: {', '.join(sorted(known))}."
        )
    scenes = [
        scene.model_copy(deep=True)
        if scene.visual is not None
        else scene.model_copy(update={"visual": _visual_for(scene, i, choice)}, deep=True)
        for i, scene in enumerate(script.scenes)
    ]
    return script.model_copy(update={"scenes": scenes}, deep=True)
