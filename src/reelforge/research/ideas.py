"""Topic ideas from breakout videos and the DNA's niche — the offline heuristic.

Why a heuristic at all: ideas must work with the embedded defaults (nothing
leaves the machine, promise P20). It recombines the content words of the
workspace's breakout titles with the user's niche and favourite hook styles.
It is labelled as a heuristic everywhere it shows, and the service prefers
the user's LLM when one is configured (see :func:`ideas_prompt`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel

from reelforge.research.analytics_results import Breakout, VideoRef
from reelforge.research.dna.profile import ContentDNA
from reelforge.research.title_words import HOOK_LABELS, words

HEURISTIC_NOTE = (
    "Offline heuristic: these topics recombine words from your workspace's breakout "
    "videos with your niche. No AI model was used; configure an LLM for richer ideas."
)

#: Hook pattern id -> an angle template for a topic.
ANGLES: dict[str, str] = {
    "question": "Why does {topic} work so well?",
    "number": "3 {topic} mistakes everyone makes",
    "how_to": "How to get {topic} right in 60 seconds",
    "negation": "Stop doing {topic} like this",
    "you": "You're doing {topic} wrong",
}


class Idea(BaseModel):
    topic: str
    angle: str
    hook_style: str
    based_on: list[str]  # video ids of the breakouts it grew from
    why: str


class IdeasResult(BaseModel):
    source: Literal["heuristic", "llm"]
    note: str
    ideas: list[Idea]


def _styles(dna: ContentDNA | None) -> list[str]:
    """Hook pattern ids the DNA prefers (matched by label words), else all of them."""
    wanted = []
    for style in dna.hook_styles if dna else []:
        low = style.lower()
        for pattern, label in HOOK_LABELS.items():
            first = label.split()[0].lower()
            if (low == label.lower() or first in low or pattern.replace("_", "-") in low) and (
                pattern not in wanted
            ):
                wanted.append(pattern)
    return wanted or list(ANGLES)


def heuristic_ideas(
    breakouts: Sequence[Breakout | VideoRef], *, dna: ContentDNA | None = None, limit: int = 10
) -> IdeasResult:
    """Up to ``limit`` topic ideas, each citing the breakout video(s) it came from."""
    styles = _styles(dna)
    niche_words = words(dna.niche) if dna and dna.niche else []
    ideas: list[Idea] = []
    seen: set[str] = set()
    for video in breakouts:
        keywords = list(dict.fromkeys(words(video.title)))[:3]
        if not keywords:
            continue
        topic = " ".join(keywords)
        if niche_words and not set(niche_words) & set(keywords):
            topic = f"{topic} for {' '.join(niche_words[:3])}"
        if topic in seen:
            continue
        seen.add(topic)
        style = styles[len(ideas) % len(styles)]
        ratio = getattr(video, "ratio", None)
        lift = f", {ratio:.1f}x its creator's usual views" if ratio else ""
        ideas.append(
            Idea(
                topic=topic,
                angle=ANGLES[style].format(topic=topic),
                hook_style=HOOK_LABELS[style],
                based_on=[video.video_id],
                why=f"From the breakout {video.title!r}{lift}.",
            )
        )
        if len(ideas) >= limit:
            break
    if not ideas and niche_words:
        topic = " ".join(niche_words[:3])
        for style in styles[:limit]:
            ideas.append(
                Idea(
                    topic=topic,
                    angle=ANGLES[style].format(topic=topic),
                    hook_style=HOOK_LABELS[style],
                    based_on=[],
                    why="No breakout videos yet; built from your niche alone.",
                )
            )
    return IdeasResult(source="heuristic", note=HEURISTIC_NOTE, ideas=ideas)


def ideas_prompt(
    breakouts: Sequence[Breakout | VideoRef], *, dna: ContentDNA | None, limit: int = 10
) -> tuple[str, str]:
    """(system, user) turns asking an LLM for ideas from the same inputs, as JSON."""
    system = (
        "You suggest short-form video topics. Reply with one JSON object: "
        '{"ideas": [{"topic": str, "angle": str, "hook_style": str, "based_on": [video ids], '
        '"why": str}]}. No prose, no markdown.'
    )
    lines = [f"Suggest {limit} topics for a creator."]
    if dna and dna.niche:
        lines.append(f"Niche: {dna.niche}")
    if dna and dna.audience:
        lines.append(f"Audience: {dna.audience}")
    if dna and dna.hook_styles:
        lines.append(f"Preferred hook styles: {', '.join(dna.hook_styles)}")
    lines.append("Videos that broke out (id | views | title):")
    lines += [f"- {v.video_id} | {v.views} | {v.title}" for v in breakouts[:30]]
    return system, "\n".join(lines)
