"""Narration is rewritten so the voice reads numbers and symbols as a person would,
and captions (built from the same words) show exactly what is heard."""

from __future__ import annotations

import re

import pytest

from reelforge.speech.speakable import (
    cardinal,
    ordinal,
    spoken_words,
    to_speakable,
    written_words,
    year,
)

CASES = [
    ("In 1999, it began.", "In nineteen ninety-nine, it began."),
    ("Since 2005 and in 2024.", "Since two thousand five and in twenty twenty-four."),
    ("Built in 1905.", "Built in nineteen oh five."),
    ("2024 was loud.", "Twenty twenty-four was loud."),
    ("It has 1500 parts.", "It has one thousand five hundred parts."),
    ("Pi is about 3.14.", "Pi is about three point one four."),
    ("Only 25% of people.", "Only twenty-five percent of people."),
    ("Growth of 2.5% a year.", "Growth of two point five percent a year."),
    ("It costs $3.50 today.", "It costs three dollars and fifty cents today."),
    ("Just $1 or $0.99.", "Just one dollar or ninety-nine cents."),
    ("A $2.5 million deal.", "A two point five million dollars deal."),
    ("£5 and €20", "Five pounds and twenty euros"),
    ("It is 3x faster.", "It is three times faster."),
    ("The 21st and the 3rd.", "The twenty-first and the third."),
    ("Salt & pepper.", "Salt and pepper."),
    ("Dr. Smith vs. Mr. Jones", "Doctor Smith versus Mister Jones"),
    ("Fruit, e.g. apples, etc. Then more.", "Fruit, for example apples, et cetera. Then more."),
    ("Over 1,000,000 fans.", "Over one million fans."),
    ("We hit 10k followers.", "We hit ten thousand followers."),
    ("Back in the 1990s.", "Back in the nineteen nineties."),
    ("Music of the '80s.", "Music of the eighties."),
    ("Wake at 7:30pm.", "Wake at seven thirty p.m."),
    ("Meet at 7pm.", "Meet at seven p.m."),
    ("A $5m fund.", "A five million dollars fund."),
    ("Shot at 1080x1920.", "Shot at one thousand eighty by nineteen twenty."),
    ("Counting 1,2,3 now.", "Counting one, two, three now."),
    ("Open 24/7, half is 1/2.", "Open twenty-four seven, half is one half."),
    ("From 10-20 minutes.", "From ten to twenty minutes."),
    ("Run 5km in -5 degrees.", "Run five kilometers in minus five degrees."),
    ("A #1 hit.", "A number one hit."),
]


@pytest.mark.parametrize(("text", "spoken"), CASES)
def test_numbers_symbols_and_abbreviations_are_written_out(text: str, spoken: str) -> None:
    assert to_speakable(text) == spoken


@pytest.mark.parametrize(("text", "spoken"), CASES)
def test_each_written_word_says_which_spoken_words_it_became(text: str, spoken: str) -> None:
    written = written_words(text)
    assert [w for word in written for w in word.spoken] == spoken_words(spoken)
    assert " ".join(word.text for word in written) == text
    assert all(word.spoken for word in written)


def test_written_words_of_numbers_money_and_lists() -> None:
    said = {w.text: w.spoken for w in written_words("Pay $3.50 for 1,2,3 in 10-20 days, 3x.")}
    assert said["$3.50"] == ("three", "dollars", "and", "fifty", "cents")
    assert said["1,2,3"] == ("one", "two", "three")
    assert said["10-20"] == ("ten", "to", "twenty")
    assert said["3x."] == ("three", "times")
    ends = [w.text for w in written_words("Dr. Who came. Then he left!") if w.ends_sentence]
    assert ends == ["came.", "left!"]


def test_plain_prose_is_left_alone() -> None:
    text = "Honey never spoils. Don't you think it's amazing?"
    assert to_speakable(text) == text


def test_no_digits_survive_in_typical_narration() -> None:
    narration = (
        "In 2023, 47% of 1,200 creators earned $5.5k from 3x more posts on the 1st of May, "
        "about 2.5 hours a day & 10-15 clips."
    )
    assert not re.search(r"\d", to_speakable(narration))


def test_number_words() -> None:
    assert cardinal(0) == "zero"
    assert cardinal(105) == "one hundred five"
    assert (
        cardinal(1_234_567)
        == "one million two hundred thirty-four thousand five hundred sixty-seven"
    )
    assert ordinal(12) == "twelfth"
    assert ordinal(40) == "fortieth"
    assert ordinal(101) == "one hundred first"
    assert year(1900) == "nineteen hundred"
    assert year(2000) == "two thousand"


def test_spoken_words_keep_contractions_and_drop_bare_punctuation() -> None:
    words = spoken_words("\"Don't\" panic — it's twenty-five percent off at 7 a.m., okay?!")
    assert words == ["Don't", "panic", "it's", "twenty-five", "percent", "off", "at", "7",
                     "a.m.", "okay"]  # fmt: skip
