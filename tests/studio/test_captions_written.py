"""Captions show the script as written (punctuation, casing, "3" not "three"),
timed by what the voice spoke, with pages that end where sentences end."""

from __future__ import annotations

import re

from reelforge.providers.types.media import WordTiming
from reelforge.speech.speakable import spoken_words, to_speakable
from reelforge.studio.caption_words import written_timings
from reelforge.studio.captions import CaptionStyle, build_captions
from reelforge.studio.fonts import default_font_path

FONT = default_font_path()
HIGHLIGHT = re.compile(r"\{\\1c&H3FD2FF&\}(.*?)\{\\1c&HFFFFFF&\}")
ENDS = re.compile(r"[.!?\u2026][\"')\u201d\u2019]*$")


def voiced(narration: str, step: float = 0.3) -> list[WordTiming]:
    """A voice's timings for ``narration`` (its spoken words, back to back, no
    pauses at all), mapped onto the written words as the voice stage does."""
    spoken = spoken_words(to_speakable(narration))
    timings = [
        WordTiming(word=w, start=round(i * step, 3), end=round(i * step + step * 0.9, 3))
        for i, w in enumerate(spoken)
    ]
    return written_timings(narration, timings)


def pages(narration: str, style: CaptionStyle | None = None) -> list[list[str]]:
    track = build_captions(
        words=voiced(narration), width=1080, height=1920, font_path=FONT, style=style
    )
    return [" ".join(line.rows).split() for line in track.lines]


def assert_no_page_joins_two_sentences(shown: list[list[str]]) -> None:
    for page in shown:
        inner = [w for w in page[:-1] if ENDS.search(w)]
        assert inner == [], f"a sentence ends inside the page {page}"


def test_the_issues_scripts_keep_their_punctuation_and_sentence_pages() -> None:
    narration = (
        "Octopuses have 3 hearts. It's something we all run into. "
        "Start with the basics. A few simple parts, a little patience, and you're set."
    )
    shown = pages(narration)
    assert [w for page in shown for w in page] == narration.split()
    assert_no_page_joins_two_sentences(shown)
    assert ["Octopuses", "have", "3", "hearts."] in shown
    assert ["Start", "with", "the", "basics."] in shown
    assert not any("three" in page for page in shown)


def test_titles_and_dotted_abbreviations_do_not_end_a_page() -> None:
    shown = pages("Dr. Smith wakes at 7 a.m. daily. Then he runs.")
    assert shown[0][:2] == ["Dr.", "Smith"]
    assert ["Then", "he", "runs."] in shown
    assert any(page[-1] == "daily." and "a.m." in page for page in shown)


def test_closing_quotes_after_a_full_stop_end_the_sentence() -> None:
    shown = pages('She said "go now." We went. "Why?" he asked.')
    # ...unless the sentence runs on after the quote ('"Why?" he asked.').
    assert shown == [["She", "said", '"go', 'now."'], ["We", "went."], ['"Why?"', "he", "asked."]]


def test_a_full_page_ends_after_a_comma_rather_than_mid_phrase() -> None:
    shown = pages("A few simple parts, a little patience, and you're set.")
    assert shown == [
        ["A", "few", "simple", "parts,"],
        ["a", "little", "patience,", "and", "you're", "set."],
    ]
    long = pages(
        "Mix the flour and the water, add a pinch of salt, knead it for ten minutes, "
        "then let it rest."
    )
    assert long[0][-1] == "water," and long[-1][-1] == "rest."


def test_rows_prefer_to_end_at_a_comma() -> None:
    track = build_captions(
        words=voiced("Start small, then grow."), width=1080, height=1920, font_path=FONT,
        style=CaptionStyle(max_chars_per_row=14),
    )  # fmt: skip
    assert [line.rows for line in track.lines] == [["Start small,", "then grow."]]


def test_karaoke_lights_the_written_word_and_the_srt_shows_the_script() -> None:
    narration = "Octopuses have 3 hearts, and $5 buys one."
    words = voiced(narration)
    track = build_captions(words=words, width=1080, height=1920, font_path=FONT)
    lit = [m.group(1) for m in HIGHLIGHT.finditer(track.ass)]
    assert lit == narration.split()
    text = " ".join(
        line for line in track.srt.splitlines() if line and "-->" not in line and not line.isdigit()
    )
    assert text == narration
    upper = build_captions(
        words=words, width=1080, height=1920, font_path=FONT, style=CaptionStyle(uppercase=True)
    )
    assert "OCTOPUSES HAVE 3 HEARTS," in " ".join(r for line in upper.lines for r in line.rows)


def test_spoken_words_without_punctuation_still_page_at_pauses_only() -> None:
    words = [
        WordTiming(word="three", start=0.0, end=0.3),
        WordTiming(word="hearts", start=0.35, end=0.6),
        WordTiming(word="It's", start=1.2, end=1.4),  # a pause before it
        WordTiming(word="something", start=1.45, end=1.8),
    ]
    track = build_captions(words=words, width=1080, height=1920, font_path=FONT)
    assert [line.rows for line in track.lines] == [["three hearts"], ["It's something"]]
