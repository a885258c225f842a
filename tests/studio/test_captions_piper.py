"""End to end with the real (offline) piper voice: the captions a render writes
show the script as written — its full stops, commas, quotes and "3" — and no
caption page runs across a sentence end.

Piper times the words it *spoke* ("three", no punctuation); this checks that
what reaches the ASS (burned in, and the sidecar) and the SRT is the script.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reelforge.config import Settings
from reelforge.studio.models import Scene, Script
from reelforge.studio.options import MakeOptions
from reelforge.studio.pipeline import Pipeline

NARRATION = [
    "Octopuses have 3 hearts. It's something most people never learn.",
    "Start with the basics. A few simple parts, a little patience, and you are set.",
    'Scientists call it "the blue blood trick." Copper carries the oxygen, not iron.',
    "Two hearts feed the gills, one feeds the body. Follow for more!",
]
SENTENCE_END = re.compile(r"[.!?][\"')]*$")
TAG = re.compile(r"\{[^}]*\}")


def _script() -> Script:
    return Script(
        topic="octopus hearts",
        title="Why octopuses have 3 hearts",
        hook="Octopuses have 3 hearts.",
        scenes=[Scene(narration=n, search_terms=["octopus"]) for n in NARRATION],
    )


def srt_pages(srt: str) -> list[list[str]]:
    pages = []
    for cue in srt.strip().split("\n\n"):
        _number, times, *rows = cue.split("\n")
        assert "-->" in times
        pages.append(" ".join(rows).split())
    return pages


def ass_pages(ass: str) -> list[list[str]]:
    """The page each Caption event shows (karaoke repeats a page once per word)."""
    pages: list[list[str]] = []
    for line in ass.splitlines():
        if not line.startswith("Dialogue:"):
            continue
        fields = line.split(":", 1)[1].split(",", 9)
        if fields[3] != "Caption":
            continue
        page = TAG.sub("", fields[9]).replace("\\N", " ").split()
        if not pages or pages[-1] != page:
            pages.append(page)
    return pages


def lit_words(ass: str) -> list[str]:
    return re.findall(r"\{\\1c&H3FD2FF&\}(.*?)\{\\1c&HFFFFFF&\}", ass)


def check_pages(pages: list[list[str]], narration: list[str]) -> None:
    """Every word as written, in order, once, with all its marks; and no page
    that ends one sentence and starts the next."""
    words = [w for page in pages for w in page]
    assert words == " ".join(narration).split()
    text, script = " ".join(words), " ".join(narration)
    for mark in ".,\"'!":
        assert text.count(mark) == script.count(mark), mark
    for page in pages:
        inside = [w for w in page[:-1] if SENTENCE_END.search(w)]
        assert inside == [], (
            f"a page holds the end of one sentence and the start of the next: {page}"
        )


@pytest.mark.slow
def test_a_piper_render_captions_the_script_as_written(settings: Settings, tmp_path: Path) -> None:
    options = MakeOptions.from_settings(
        settings,
        voice="piper",
        media=["procedural"],
        size="180x320",
        fps=24,
        x264_preset="ultrafast",
    )
    pipeline = Pipeline(settings=settings, options=options, project_dir=tmp_path / "project")
    result = pipeline.render(_script(), out_dir=tmp_path / "out", name="octopus")

    srt = result.srt.read_text(encoding="utf-8")
    ass = result.ass.read_text(encoding="utf-8")
    for pages in (srt_pages(srt), ass_pages(ass)):
        check_pages(pages, NARRATION)
        assert ["Octopuses", "have", "3", "hearts."] in pages  # the number as written
        assert not any("three" in w.lower() for page in pages for w in page)
        assert ['"the', "blue", "blood", 'trick."'] in [p[-4:] for p in pages]
    assert lit_words(ass) == " ".join(NARRATION).split()  # the karaoke lights written words

    # The per-scene files that were burned into the video say the same.
    burned = sorted((tmp_path / "project" / "cache" / "captions").glob("*.ass"))
    assert len(burned) == len(NARRATION)
    scenes = {ass_pages(p.read_text(encoding="utf-8"))[0][0]: p for p in burned}
    for narration in NARRATION:
        check_pages(
            ass_pages(scenes[narration.split()[0]].read_text(encoding="utf-8")), [narration]
        )
