"""The script's written words, timed by the words a voice spoke (synthetic timings)."""

from __future__ import annotations

import pytest

from reelforge.providers.types.media import WordTiming
from reelforge.speech.speakable import spoken_words, to_speakable
from reelforge.studio.caption_words import sentence_ends, written_timings


def heard(words: list[str], *, start: float = 0.1, step: float = 0.4) -> list[WordTiming]:
    """Words spoken back to back: each 0.3 s, with 0.1 s between them."""
    return [
        WordTiming(word=w, start=round(start + i * step, 3), end=round(start + i * step + 0.3, 3))
        for i, w in enumerate(words)
    ]


def spoken_timings(narration: str) -> list[WordTiming]:
    """What every voice reports for a narration: its normalised words, timed."""
    return heard(spoken_words(to_speakable(narration)))


def spans(words: list[WordTiming]) -> dict[str, tuple[float, float]]:
    return {w.word: (round(w.start, 3), round(w.end, 3)) for w in words}


def test_a_number_takes_the_time_of_the_words_it_is_read_as() -> None:
    narration = "Octopuses have 3 hearts. Some have 1,200 suckers."
    spoken = spoken_timings(narration)
    assert [w.word for w in spoken][2] == "three"
    words = written_timings(narration, spoken)
    assert [w.word for w in words] == [
        "Octopuses", "have", "3", "hearts.", "Some", "have", "1,200", "suckers."
    ]  # fmt: skip
    by_word = spans(words)
    assert by_word["3"] == (0.9, 1.2)  # "three"
    # "one thousand two hundred": from the start of "one" to the end of "hundred".
    assert by_word["1,200"] == (spoken[6].start, spoken[9].end)
    assert by_word["suckers."] == (spoken[10].start, spoken[10].end)


def test_money_keeps_its_symbol_and_spans_all_its_words() -> None:
    narration = "It costs $5, or $3.50 with a coupon."
    spoken = spoken_timings(narration)
    assert [w.word for w in spoken][2:4] == ["five", "dollars"]
    words = written_timings(narration, spoken)
    assert [w.word for w in words] == ["It", "costs", "$5,", "or", "$3.50", "with", "a", "coupon."]
    by_word = spans(words)
    assert by_word["$5,"] == (spoken[2].start, spoken[3].end)
    # "three dollars and fifty cents"
    assert by_word["$3.50"] == (spoken[5].start, spoken[9].end)


def test_quotes_commas_and_apostrophes_are_shown_as_written() -> None:
    narration = "\u201cDon\u2019t panic,\u201d she said. Apples, pears, and plums."
    words = written_timings(narration, spoken_timings(narration))
    assert [w.word for w in words] == [
        "\u201cDon\u2019t", "panic,\u201d", "she", "said.", "Apples,", "pears,", "and", "plums."
    ]  # fmt: skip
    assert all(w.end > w.start for w in words)
    assert [w.start for w in words] == sorted(w.start for w in words)


def test_a_mark_with_nothing_to_say_rides_with_the_word_before_it() -> None:
    narration = '" It works \u2014 mostly . "'
    words = written_timings(narration, spoken_timings(narration))
    assert [w.word for w in words] == ['" It', "works \u2014", 'mostly . "']


def test_words_read_together_are_one_caption_word() -> None:
    narration = "Use 5 % of $ 5 at 7 a.m. sharp."
    spoken = spoken_timings(narration)
    words = written_timings(narration, spoken)
    assert [w.word for w in words] == ["Use", "5 %", "of", "$ 5", "at", "7 a.m.", "sharp."]
    assert spans(words)["7 a.m."] == (spoken[7].start, spoken[8].end)  # "seven a.m."


def test_a_word_the_voice_dropped_gets_the_silence_between_its_neighbours() -> None:
    narration = "The dog of the year is a cat."
    spoken = spoken_timings(narration)
    del spoken[3]  # the voice swallowed the second "the"
    words = written_timings(narration, spoken)
    assert [w.word for w in words] == narration.split()
    of, the, year = words[2], words[3], words[4]
    assert of.end <= the.start < the.end <= year.start
    assert (the.start, the.end) == pytest.approx((1.2, 1.7))  # from "of" to "year"


def test_a_dropped_word_with_no_silence_around_it_shares_the_word_before() -> None:
    narration = "Bees dance to share maps."
    spoken = [WordTiming(word=w, start=i * 0.3, end=(i + 1) * 0.3) for i, w in enumerate(
        ["Bees", "dance", "share", "maps"])]  # fmt: skip
    words = written_timings(narration, spoken)
    dance, to, share = words[1], words[2], words[3]
    assert dance.start == pytest.approx(0.3) and to.end == pytest.approx(0.6)
    assert dance.end == pytest.approx(to.start) and dance.start < dance.end < to.end
    assert share.start == pytest.approx(0.6)


def test_merged_and_split_words_share_their_time() -> None:
    narration = "The dog of the year, born 25 days ago."
    merged = heard(["The", "dog", "ofthe", "year", "born", "twenty", "five", "days", "ago"])
    words = written_timings(narration, merged)
    assert [w.word for w in words] == narration.split()
    by_word = spans(words)
    of, the = by_word["of"], by_word["the"]
    assert of[0] == 0.9 and the[1] == 1.2 and of[1] == the[0]  # "ofthe" split by letters
    assert by_word["25"] == (2.1, 2.8)  # "twenty" + "five" = "twenty-five"


def test_extra_words_the_voice_added_go_to_the_word_before() -> None:
    narration = "Honey never spoils."
    spoken = heard(["uh", "Honey", "never", "um", "spoils"])
    words = written_timings(narration, spoken)
    assert [w.word for w in words] == ["Honey", "never", "spoils."]
    assert spans(words) == {"Honey": (0.1, 0.8), "never": (0.9, 1.6), "spoils.": (1.7, 2.0)}


@pytest.mark.parametrize(
    "report",
    [
        # forced alignment, piper and espeak: spoken_words() of the normalised text
        lambda text: spoken_words(text),
        # a voice that keeps punctuation on its words (the fake voice: text.split())
        lambda text: text.split(),
        # lower-cased words, as some aligners give them
        lambda text: [w.lower() for w in spoken_words(text)],
    ],
)
def test_every_voices_timings_map_onto_the_same_written_words(report: object) -> None:
    narration = 'She said "3 cats, 2 dogs." Then 25% left!'
    assert callable(report)
    words = written_timings(narration, heard(report(to_speakable(narration))))
    assert [w.word for w in words] == narration.split()


def test_mapping_is_idempotent_and_empty_timings_stay_empty() -> None:
    narration = "In 1999, 25% of bees left."
    once = written_timings(narration, spoken_timings(narration))
    assert written_timings(narration, once) == once
    assert written_timings(narration, []) == []


def test_sentence_ends_follow_the_normaliser() -> None:
    words = ["Ask", "Dr.", "Who.", "It", "ends", 'here."', "At", "7", "a.m.", "sharp?!",
             "Fruit,", "e.g.", "apples,", "etc.", "Then", "J.", "K.", "Rowling\u2026", "wrote"]  # fmt: skip
    ends = sentence_ends(words)
    assert [w for w, end in zip(words, ends, strict=True) if end] == [
        "Who.", 'here."', "sharp?!", "etc.", "Rowling\u2026"
    ]  # fmt: skip
    assert sentence_ends(["three", "hearts", "It's", "something"]) == [False] * 4
    assert sentence_ends([]) == []
