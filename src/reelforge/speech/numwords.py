"""Numbers as English words (American style: "one hundred twenty-three").

Written here rather than pulled in as a dependency because the voice stage
needs only cardinals, ordinals, years and decimals, and the exact spelling
must stay stable: it is what captions show and what forced alignment looks up.
"""

from __future__ import annotations

_ONES = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
]  # fmt: skip
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (10**3, "thousand"))
_IRREGULAR_ORDINALS = {
    "one": "first", "two": "second", "three": "third", "five": "fifth",
    "eight": "eighth", "nine": "ninth", "twelve": "twelfth",
}  # fmt: skip


def _below_thousand(n: int) -> str:
    words = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        words.append(f"{_ONES[hundreds]} hundred")
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        words.append(_TENS[tens] + (f"-{_ONES[ones]}" if ones else ""))
    elif rest or not hundreds:
        words.append(_ONES[rest])
    return " ".join(words)


def cardinal(n: int) -> str:
    """``1234`` -> ``"one thousand two hundred thirty-four"``; negatives say "minus"."""
    if n < 0:
        return f"minus {cardinal(-n)}"
    if n >= 10**15:
        return " ".join(_ONES[int(d)] for d in str(n))
    if n < 1000:
        return _below_thousand(n)
    words = []
    for size, name in _SCALES:
        count, n = divmod(n, size)
        if count:
            words.append(f"{cardinal(count)} {name}")
    if n:
        words.append(_below_thousand(n))
    return " ".join(words)


def _ordinal_word(word: str) -> str:
    if word in _IRREGULAR_ORDINALS:
        return _IRREGULAR_ORDINALS[word]
    if word.endswith("y"):
        return word[:-1] + "ieth"
    return word + "th"


def ordinal(n: int) -> str:
    """``21`` -> ``"twenty-first"``."""
    words = cardinal(n)
    head, sep, last = words.rpartition(" ")
    stem, dash, unit = last.rpartition("-")
    last = f"{stem}{dash}{_ordinal_word(unit)}" if dash else _ordinal_word(last)
    return f"{head}{sep}{last}"


def plural_ordinal(n: int) -> str:
    """Denominators of fractions: ``8`` -> ``"eighths"``."""
    return ordinal(n) + "s"


def year(n: int) -> str:
    """Years as people say them: 1999 "nineteen ninety-nine", 1905 "nineteen oh five",
    1900 "nineteen hundred", 2005 "two thousand five", 2024 "twenty twenty-four"."""
    if not 1000 <= n <= 9999 or 2000 <= n <= 2009 or n % 1000 == 0:
        return cardinal(n)
    high, low = divmod(n, 100)
    if low == 0:
        return f"{cardinal(high)} hundred"
    if low < 10:
        return f"{cardinal(high)} oh {cardinal(low)}"
    return f"{cardinal(high)} {cardinal(low)}"


def decimal(text: str) -> str:
    """``"3.14"`` -> ``"three point one four"`` (digits after the point one by one)."""
    whole, _, frac = text.partition(".")
    spoken = cardinal(int(whole or "0"))
    if frac:
        spoken += " point " + " ".join(_ONES[int(d)] for d in frac)
    return spoken
