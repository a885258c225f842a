"""Text normalisation for speech: write out what a voice would read badly.

Why: TTS engines each guess differently at "1999", "$3.50", "25%" or "3x", and
forced alignment can only align words it can pronounce. Expanding them into
words *before* synthesis means every voice and aligner reads and times the
same words ("nineteen ninety-nine").

Captions, though, show the script as written ("1999,"). So the normaliser also
keeps track of where each character of its output came from, and can say which
spoken words every *written* word became (:func:`written_words`: "3" ->
"three", "$5" -> "five dollars") and where the script's sentences really end
(:func:`sentence_ends`: "Dr." does not end one, "etc." may); the captions give
each written word the time of the spoken words it became.

Public: :func:`to_speakable` (the normaliser), :func:`spoken_words` (the
display words of a text, as every voice provider reports them),
:func:`written_words` and :func:`sentence_ends` (written words against spoken
ones), :func:`cardinal`, :func:`ordinal`, :func:`year` (number words).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reelforge.speech.numwords import cardinal, decimal, ordinal, plural_ordinal, year

__all__ = [
    "WrittenWord",
    "cardinal",
    "ordinal",
    "sentence_ends",
    "spoken_words",
    "to_speakable",
    "written_words",
    "year",
]

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


Replacement = str | Callable[[re.Match[str]], str]
# Which written units (first, last) a character of the normalised text came from;
# None for whitespace (and for anything that came from whitespace alone).
Origin = tuple[int, int] | None


class _Tracked:
    """A text being normalised, with the origin of each of its characters."""

    __slots__ = ("origin", "text")

    def __init__(self, text: str, origin: list[Origin]) -> None:
        self.text, self.origin = text, origin

    def sub(self, pattern: re.Pattern[str], replacement: Replacement) -> _Tracked:
        """``pattern.sub(replacement, text)``, with the replaced text taking the
        origin of what it replaced (so "3x" -> "three times" all comes from "3x")."""
        parts: list[str] = []
        origin: list[Origin] = []
        pos = 0
        for match in pattern.finditer(self.text):
            start, end = match.span()
            parts.append(self.text[pos:start])
            origin += self.origin[pos:start]
            new = match.expand(replacement) if isinstance(replacement, str) else replacement(match)
            if new == match[0]:
                origin += self.origin[start:end]
            else:
                origin += [_union(self.origin[start:end])] * len(new)
            parts.append(new)
            pos = end
        if not parts:
            return self
        parts.append(self.text[pos:])
        origin += self.origin[pos:]
        return _Tracked("".join(parts), origin)

    def strip(self) -> _Tracked:
        lead = len(self.text) - len(self.text.lstrip())
        kept = len(self.text.strip())
        return _Tracked(self.text[lead : lead + kept], self.origin[lead : lead + kept])


def _union(origins: Sequence[Origin]) -> Origin:
    known = [o for o in origins if o is not None]
    if not known:
        return None
    return min(o[0] for o in known), max(o[1] for o in known)


def _abbreviations(text: _Tracked) -> _Tracked:
    for pattern, spoken, can_end in _ABBREVIATIONS:

        def replace(match: re.Match[str], spoken: str = spoken, can_end: bool = can_end) -> str:
            # An abbreviation's own period may also have ended the sentence.
            rest = match.string[match.end() :].lstrip()
            ended = can_end and (not rest or rest[0].isupper())
            return spoken + ("." if ended else "")

        text = text.sub(re.compile(pattern), replace)
    return text


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
    return _normalise(_Tracked(text, [None] * len(text))).text


_AMPM_TWICE = re.compile(r"\b([ap])\.m\.\.")  # "7pm." -> "seven p.m."
_SPACE_BEFORE_MARK = re.compile(r"\s+([,.!?;:])")


def _normalise(text: _Tracked) -> _Tracked:
    text = _abbreviations(text)
    for pattern, replacement in _STEPS:
        if isinstance(replacement, str):
            text = text.sub(pattern, replacement)
        else:
            text = text.sub(pattern, _sentence_case(replacement))
    text = text.sub(_AMPM_TWICE, r"\1.m.")
    return text.sub(_SPACE_BEFORE_MARK, r"\1").strip()


_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")  # "a.m", the stripped form of "a.m."
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_LEAD = re.compile(r"^[\W_]*")
_TOKEN = re.compile(r"\S+")  # what str.split() splits out (\s is str.isspace)


@dataclass(frozen=True)
class _Part:
    """One spoken word of a normalised text, where it is, and the token it is in."""

    word: str
    start: int  # the word's characters in the text
    end: int
    token: str  # the whitespace-separated token around it ('"hearts."' for "hearts")


def _parts(text: str) -> list[_Part]:
    parts = []
    for match in _TOKEN.finditer(text):
        token = match[0]
        word = _EDGE.sub("", token)
        if _DOTTED.fullmatch(word) and word + "." in token:
            word += "."
        if word:
            lead = _LEAD.match(token)
            start = match.start() + (lead.end() if lead else 0)
            parts.append(_Part(word, start, start + len(word), token))
    return parts


def spoken_words(text: str) -> list[str]:
    """The words of ``text`` as captions show them: split on whitespace, outer
    punctuation stripped ("don't", "twenty-five" and "a.m." stay whole), and
    tokens with nothing speakable (a lone dash, an emoji) dropped."""
    return [part.word for part in _parts(text)]


@dataclass(frozen=True)
class WrittenWord:
    """A word of a script as written ("3", '"Octopuses', "hearts.") and the
    spoken words it became ("three"); words read together ("$ 5" -> "five
    dollars") are one WrittenWord, and a mark with nothing to say ("—") rides
    with the word before it."""

    text: str
    spoken: tuple[str, ...]
    ends_sentence: bool


_CLOSERS = "\"')]}»”’"


def _ends_sentence(token: str, following: str | None) -> bool:
    """Whether a normalised token ('hearts."', "a.m.", "Doctor") ends its sentence.

    The normaliser has already dropped the periods of titles and Latin
    abbreviations ("Dr." -> "Doctor"); what is left is a full stop, except after
    an initial ("J. K. Rowling") or a dotted abbreviation ("a.m.") that the
    sentence runs on after (the next word is in lower case), and a quoted
    question the sentence goes on after ('"Why?" he asked.').
    """
    bare = token.rstrip(_CLOSERS)
    if bare != token and following is not None and following[:1].islower():
        return False  # '"Why?" he asked.': the quote's sentence runs on
    if bare.endswith(("!", "?", "…")):
        return True
    if not bare.endswith("."):
        return False
    core = _EDGE.sub("", bare)
    if len(core) == 1 and core.isupper():
        return following is None
    if _DOTTED.fullmatch(core):
        return following is None or not following[:1].islower()
    return True


def _units(units: Sequence[str]) -> tuple[str, list[Origin]]:
    """The units joined by spaces, and each character's unit."""
    text: list[str] = []
    origin: list[Origin] = []
    for i, unit in enumerate(units):
        if i:
            text.append(" ")
            origin.append(None)
        text.append(unit)
        origin += [None if ch.isspace() else (i, i) for ch in unit]
    return "".join(text), origin


def _groups(units: Sequence[str], normalised: _Tracked) -> list[tuple[int, int, list[_Part]]]:
    """Consecutive units read together, (first, last, their spoken words), in order.

    A spoken word belongs to the units its letters came from; units that share
    one are read together; a unit with no spoken word of its own joins the
    group before it (or, at the very start, the one after it).
    """
    n = len(units)
    parts = _parts(normalised.text)
    owners: list[Origin] = [_union(normalised.origin[p.start : p.end]) for p in parts]
    joined = [False] * max(n - 1, 0)  # joined[i]: units i and i+1 are one group
    for owner in owners:
        if owner is not None:
            for i in range(owner[0], owner[1]):
                joined[i] = True
    spoken_at = [False] * n
    for owner in owners:
        if owner is not None:
            spoken_at[owner[0]] = True
    for i in range(n - 1):  # a unit with nothing to say rides with its neighbour
        if not spoken_at[i + 1]:
            joined[i] = True
    if n and not spoken_at[0]:
        first_spoken = next((i for i in range(n) if spoken_at[i]), n - 1)
        for i in range(first_spoken):
            joined[i] = True
    groups: list[tuple[int, int, list[_Part]]] = []
    start = 0
    for i in range(n):
        if i == n - 1 or not joined[i]:
            groups.append((start, i, []))
            start = i + 1
    group_of = [0] * n
    for g, (first, last, _) in enumerate(groups):
        for i in range(first, last + 1):
            group_of[i] = g
    current = 0
    for part, owner in zip(parts, owners, strict=True):
        if owner is not None:
            current = max(current, group_of[owner[0]])  # order is kept, come what may
        if groups:
            groups[current][2].append(part)
    return groups


def written_words(text: str) -> list[WrittenWord]:
    """The written words of ``text`` (split on whitespace) with the spoken words
    each became; together their ``spoken`` are exactly
    ``spoken_words(to_speakable(text))``.

    >>> [(w.text, w.spoken) for w in written_words("It costs $5, right?")]
    [('It', ('It',)), ('costs', ('costs',)), ('$5,', ('five', 'dollars')), ('right?', ('right',))]
    """
    units = text.split()
    origin: list[Origin] = []
    unit = -1
    for i, ch in enumerate(text):
        if ch.isspace():
            origin.append(None)
            continue
        if i == 0 or text[i - 1].isspace():
            unit += 1
        origin.append((unit, unit))
    normalised = _normalise(_Tracked(text, origin))
    groups = _groups(units, normalised)
    out = []
    for g, (first, last, parts) in enumerate(groups):
        following = units[groups[g + 1][0]] if g + 1 < len(groups) else None
        ends = bool(parts) and _ends_sentence(parts[-1].token, following)
        out.append(
            WrittenWord(" ".join(units[first : last + 1]), tuple(p.word for p in parts), ends)
        )
    return out


def sentence_ends(units: Sequence[str]) -> list[bool]:
    """For each unit of a text (its caption words, in order), whether a
    sentence ends with it, as the normaliser reads the whole text.

    >>> sentence_ends(["Ask", "Dr.", "Who.", "Then", "7", "a.m.", "calls!"])
    [False, False, True, False, False, False, True]
    """
    text, origin = _units(units)
    normalised = _normalise(_Tracked(text, origin))
    groups = _groups(units, normalised)
    ends = [False] * len(units)
    for g, (_, last, parts) in enumerate(groups):
        following = units[groups[g + 1][0]] if g + 1 < len(groups) else None
        ends[last] = bool(parts) and _ends_sentence(parts[-1].token, following)
    return ends
