"""Text normalisation for speech: write out what a voice would read badly.

Why: TTS engines each guess differently at "1999", "$3.50", "25%" or "3x", and
forced alignment can only align words it can pronounce. Expanding them into
words *before* synthesis means the voice, the word timings and the captions
all see the same words ("nineteen ninety-nine"), so what is highlighted on
screen is exactly what is heard.

Public: :func:`to_speakable` (the normaliser), :func:`spoken_words` (the
display words of a text, as every voice provider reports them),
:func:`cardinal`, :func:`ordinal`, :func:`year` (number words).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from reelforge.speech.numwords import cardinal, decimal, ordinal, plural_ordinal, year

__all__ = ["cardinal", "ordinal", "spoken_words", "to_speakable", "year"]

_CURRENCY = {"$": ("dollar", "dollars", "cent", "cents"), "€": ("euro", "euros", "cent", "cents"),
             "£": ("pound", "pounds", "penny", "pence")}  # fmt: skip
_SCALES = {"k": "thousand", "thousand": "thousand", "m": "million", "million": "million",
           "b": "billion", "bn": "billion", "billion": "billion", "trillion": "trillion"}  # fmt: skip
_UNITS = {
    "km": ("kilometer", "kilometers"), "kg": ("kilogram", "kilograms"),
    "cm": ("centimeter", "centimeters"), "mm": ("millimeter", "millimeters"),
    "ml": ("milliliter", "milliliters"), "mg": ("milligram", "milligrams"),
    "lb": ("pound", "pounds"), "lbs": ("pound", "pounds"), "ft": ("foot", "feet"),
    "mph": ("mile per hour", "miles per hour"), "kph": ("kilometer per hour", "kilometers per hour"),
    "hr": ("hour", "hours"), "hrs": ("hour", "hours"), "min": ("minute", "minutes"),
    "mins": ("minute", "minutes"), "sec": ("second", "seconds"), "secs": ("second", "seconds"),
    "gb": ("gigabyte", "gigabytes"), "mb": ("megabyte", "megabytes"), "tb": ("terabyte", "terabytes"),
    "°c": ("degree Celsius", "degrees Celsius"), "°f": ("degree Fahrenheit", "degrees Fahrenheit"),
    "°": ("degree", "degrees"),
}  # fmt: skip
# (pattern, spoken, may end a sentence): titles never end one ("Dr. Smith").
_ABBREVIATIONS = [
    (r"\be\.g\.", "for example", False), (r"\bi\.e\.", "that is", False),
    (r"\betc\.", "et cetera", True), (r"\bvs\.?(?=\s)", "versus", False),
    (r"\bDr\.", "Doctor", False), (r"\bMr\.", "Mister", False), (r"\bMrs\.", "Missus", False),
    (r"\bMs\.", "Miz", False), (r"\bJr\.", "Junior", True), (r"\bSr\.", "Senior", True),
    (r"\bapprox\.", "approximately", False), (r"\bavg\.", "average", False),
    (r"\bw/(?=\s)", "with", False), (r"\b[Nn]o\.(?=\s*\d)", "number", False),
    (r"#(?=\d)", "number ", False),
]  # fmt: skip
_FRACTIONS = {"1/2": "one half", "1/3": "one third", "2/3": "two thirds", "1/4": "one quarter",
              "3/4": "three quarters", "24/7": "twenty-four seven"}  # fmt: skip
_YEAR_CUES = {
    "in", "since", "by", "from", "until", "till", "before", "after", "during", "around", "circa",
    "year", "of", "to", "and", "through", "early", "late", "mid", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december",
}  # fmt: skip

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"  # "1,200,000.5" or "1200"


def _number(text: str) -> str:
    """A plain number ("1,200", "3.5") in words."""
    clean = text.replace(",", "")
    return decimal(clean) if "." in clean else cardinal(int(clean))


def _money(match: re.Match[str]) -> str:
    symbol, amount, scale = match["sym"], match["amount"].replace(",", ""), match["scale"]
    one, many, cent, cents = _CURRENCY[symbol]
    if scale:
        return f"{_number(amount)} {_SCALES[scale.lower()]} {many}"
    whole, _, frac = amount.partition(".")
    units = int(whole or "0")
    sub = int((frac + "00")[:2]) if frac else 0
    parts = []
    if units or not sub:
        parts.append(f"{cardinal(units)} {one if units == 1 else many}")
    if sub:
        parts.append(f"{cardinal(sub)} {cent if sub == 1 else cents}")
    return " and ".join(parts)


def _scaled(match: re.Match[str]) -> str:
    return f"{_number(match['amount'])} {_SCALES[match['scale'].lower()]}"


def _unit(match: re.Match[str]) -> str:
    amount = match["amount"]
    one, many = _UNITS[match["unit"].lower()]
    return f"{_number(amount)} {one if amount == '1' else many}"


def _time(match: re.Match[str]) -> str:
    hour, minute = int(match["h"]), int(match["m"])
    spoken = cardinal(hour)
    if minute == 0:
        spoken += "" if match["ampm"] else " o'clock"
    elif minute < 10:
        spoken += f" oh {cardinal(minute)}"
    else:
        spoken += f" {cardinal(minute)}"
    return spoken + _ampm(match["ampm"])


def _ampm(marker: str | None) -> str:
    if not marker:
        return ""
    return " a.m." if marker.lower().startswith("a") else " p.m."


def _decade(match: re.Match[str]) -> str:
    digits = match["digits"]
    words = cardinal(int(digits)) if len(digits) == 2 else year(int(digits))  # '90s, 1990s
    if words.endswith("y"):
        return words[:-1] + "ies"
    return words + "s"


def _fraction(match: re.Match[str]) -> str:
    text = match[0]
    if text in _FRACTIONS:
        return _FRACTIONS[text]
    top, bottom = (int(x) for x in text.split("/"))
    if 5 <= bottom <= 9 and top < bottom:
        return f"{cardinal(top)} {ordinal(bottom) if top == 1 else plural_ordinal(bottom)}"
    return f"{cardinal(top)} out of {cardinal(bottom)}"


def _plain_number(match: re.Match[str]) -> str:
    text = match[0]
    digits = text.replace(",", "")
    if "," not in text and "." not in text and len(digits) == 4 and 1100 <= int(digits) <= 2099:
        before = match.string[: match.start()].split()
        cue = before[-1].strip(",").lower() if before else ""
        if cue in _YEAR_CUES or _starts_sentence(match):
            return year(int(digits))
    if "." not in digits and len(digits) > 15:
        return " ".join(cardinal(int(d)) for d in digits)
    return _number(text)


def _starts_sentence(match: re.Match[str]) -> bool:
    before = match.string[: match.start()].rstrip(" \"'(")
    return not before or before[-1] in ".!?"


def _sentence_case(
    replace: Callable[[re.Match[str]], str],
) -> Callable[[re.Match[str]], str]:
    """Capitalise a replacement that opens a sentence ("1500 came." -> "Fifteen hundred came.")."""

    def wrapped(match: re.Match[str]) -> str:
        spoken = replace(match)
        return spoken[:1].upper() + spoken[1:] if _starts_sentence(match) else spoken

    return wrapped


def _abbreviations(text: str) -> str:
    for pattern, spoken, can_end in _ABBREVIATIONS:

        def replace(match: re.Match[str], spoken: str = spoken, can_end: bool = can_end) -> str:
            # An abbreviation's own period may also have ended the sentence.
            rest = match.string[match.end() :].lstrip()
            ended = can_end and (not rest or rest[0].isupper())
            return spoken + ("." if ended else "")

        text = re.sub(pattern, replace, text)
    return text


Replacement = str | Callable[[re.Match[str]], str]

_STEPS: list[tuple[re.Pattern[str], Replacement]] = [
    (re.compile(r"[‘’ʼ]"), "'"),
    (re.compile(r"[“”]"), '"'),
    (re.compile(r"(?<=\d),(?=\d{1,2}\b|\d{4})"), ", "),  # a list "1,2,3", not "1,000"
    (re.compile(r"\s+[—–]\s+|—"), ", "),
    (re.compile(r"(?<=\w)\s*&\s*(?=\w)"), " and "),
    (re.compile(r"(?<!\w)[+](?=\d)"), "plus "),
    (re.compile(r"(?<=\d)[x×](?=\d)"), " by "),  # 1080x1920
    (re.compile(r"(?<=\d)\s*[xX×](?![\w])"), " times"),
    (re.compile(r"(?<![\d,.])(?P<sym>[$€£])\s?(?P<amount>" + _NUM + r")"
                r"(?:\s?(?P<scale>thousand|million|billion|trillion|bn|[kKmMbB])\b)?"), _money),
    (re.compile(r"(?<![\d.])(?P<amount>" + _NUM + r")\s?%"), r"\g<amount> percent"),
    (re.compile(r"\b(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)(?!\d)(?:\s?(?P<ampm>[ap]\.?m\.?)(?!\w))?",
                re.I), _time),
    (re.compile(r"\b(?P<h>1[0-2]|0?[1-9])\s?(?P<ampm>[ap]\.?m\.?)(?!\w)", re.I),
     lambda m: cardinal(int(m["h"])) + _ampm(m["ampm"])),
    (re.compile(r"(?:\b|')(?P<digits>1[1-9]\d0|20[0-9]0|\d0)'?s\b"), _decade),
    (re.compile(r"\b(?P<n>\d+)(?:st|nd|rd|th)\b", re.I), lambda m: ordinal(int(m["n"]))),
    (re.compile(r"\b\d{1,2}/\d{1,2}\b"), _fraction),
    (re.compile(r"(?<![\d.])(?P<amount>" + _NUM + r")\s?(?P<scale>k|K|M|B|bn)\b"), _scaled),
    (re.compile(r"(?<![\d.])(?P<amount>" + _NUM + r")\s?(?P<unit>"
                + "|".join(sorted((re.escape(u) for u in _UNITS), key=len, reverse=True))
                + r")(?![\w/])", re.I), _unit),
    (re.compile(r"(?<=\d)\s?[-–]\s?(?=\d)"), " to "),
    (re.compile(r"(?<![\w.])-(?=\d)"), "minus "),
    (re.compile(_NUM), _plain_number),
    (re.compile(r"\s*=\s*"), " equals "),
    (re.compile(r"(?<=\s)@(?=\s)"), "at"),
    (re.compile(r"[ \t]+"), " "),
]  # fmt: skip


def to_speakable(text: str) -> str:
    """Rewrite ``text`` so a voice reads it as a person would.

    >>> to_speakable("In 1999, 25% paid $3.50 & got 3x more.")
    'In nineteen ninety-nine, twenty-five percent paid three dollars and fifty cents and got three times more.'
    """
    text = _abbreviations(text)
    for pattern, replacement in _STEPS:
        if isinstance(replacement, str):
            text = pattern.sub(replacement, text)
        else:
            text = pattern.sub(_sentence_case(replacement), text)
    text = re.sub(r"\b([ap])\.m\.\.", r"\1.m.", text)  # "7pm." -> "seven p.m."
    return re.sub(r"\s+([,.!?;:])", r"\1", text).strip()


_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")  # "a.m", the stripped form of "a.m."
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")


def spoken_words(text: str) -> list[str]:
    """The words of ``text`` as captions show them: split on whitespace, outer
    punctuation stripped ("don't", "twenty-five" and "a.m." stay whole), and
    tokens with nothing speakable (a lone dash, an emoji) dropped."""
    words = []
    for token in text.split():
        word = _EDGE.sub("", token)
        if _DOTTED.fullmatch(word) and word + "." in token:
            word += "."
        if word:
            words.append(word)
    return words
