"""Where caption text goes on the frame, and how words are grouped into rows.

Why measure with Pillow: libass draws with FreeType/HarfBuzz, so Pillow (also
FreeType) at the same pixel size predicts a row's width to within a few pixels.
That lets us choose rows and font sizes that really stay inside the platform
safe zone, instead of trusting a character count. libass sizes text so that the
font's OS/2 win ascent + descent equals the ASS font size, which is how an ASS
size is turned into a Pillow size here (see :class:`fonts.FontFacts`).
"""

from __future__ import annotations

import math
from functools import cache
from itertools import pairwise
from pathlib import Path

from PIL import ImageFont
from pydantic import BaseModel, ConfigDict

from reelforge.studio.fonts import font_facts

# The platform safe zone of TikTok / Reels / Shorts, as fractions of the frame.
SAFE_TOP = 0.10  # status bar, "Following | For You" tabs
SAFE_BOTTOM = 0.80  # caption text, sound name, progress bar below this
SAFE_LEFT = 0.06
SAFE_RIGHT = 0.85  # like / comment / share / profile icon column to the right
CAPTION_BASELINE = 0.68  # the bottom of the caption text sits here (fraction of height)
_SAMPLE = "the quick brown fox jumps over the lazy dog"


class Box(BaseModel):
    """A rectangle in frame pixels (left/top inclusive, right/bottom exclusive)."""

    model_config = ConfigDict(frozen=True)

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top

    def contains(self, other: Box) -> bool:
        return (
            other.left >= self.left
            and other.top >= self.top
            and other.right <= self.right
            and other.bottom <= self.bottom
        )


def safe_zone(width: int, height: int) -> Box:
    """The part of a frame that no platform UI covers; captions and cards stay inside it."""
    return Box(
        left=round(width * SAFE_LEFT),
        top=round(height * SAFE_TOP),
        right=round(width * SAFE_RIGHT),
        bottom=round(height * SAFE_BOTTOM),
    )


@cache
def _pillow_font(font_path: Path, pixel_em: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path), pixel_em)


class Measurer:
    """Widths of text as libass will draw it at a given ASS font size."""

    def __init__(self, font_path: Path) -> None:
        self.font_path = font_path
        self.facts = font_facts(font_path)
        self._widths: dict[tuple[str, float], float] = {}

    def width(self, text: str, ass_size: float) -> float:
        key = (text, ass_size)
        if key not in self._widths:
            em = round(ass_size * self.facts.em_per_ass_size * 4) / 4  # quarter pixels: few fonts
            self._widths[key] = float(_pillow_font(self.font_path, em).getlength(text))
        return self._widths[key]

    def average_char(self, ass_size: float, *, uppercase: bool) -> float:
        sample = _SAMPLE.upper() if uppercase else _SAMPLE
        return self.width(sample, ass_size) / len(sample)


class Block(BaseModel):
    """Rows of words laid out at one font size, and the box they cover on the frame."""

    rows: list[list[str]]
    font_size: int
    box: Box

    @property
    def text_rows(self) -> list[str]:
        return [" ".join(row) for row in self.rows]


class RowRules(BaseModel):
    """What a row may hold: characters, rows per block, pixels (at ``font_size``)."""

    max_chars: int
    max_rows: int
    max_width: float
    font_size: int
    pop: float = 1.0  # the active word may be drawn this much wider


def row_width(row: list[str], size: float, measure: Measurer, pop: float = 1.0) -> float:
    """Width of a row, allowing its widest word to be popped by ``pop``."""
    if not row:
        return 0.0
    base = measure.width(" ".join(row), size)
    if pop <= 1.0:
        return base
    return base + max(measure.width(w, size) for w in row) * (pop - 1.0)


def _row_ok(row: list[str], rules: RowRules, measure: Measurer) -> bool:
    if len(row) == 1:
        return True
    return len(" ".join(row)) <= rules.max_chars and (
        row_width(row, rules.font_size, measure, rules.pop) <= rules.max_width
    )


def wrap(words: list[str], rules: RowRules, measure: Measurer) -> list[list[str]] | None:
    """Fewest rows that obey the rules, then the most balanced split; None if none exists.

    A word wider than a row on its own is allowed only as the sole word of a
    row (the caller shrinks the font for that block); words are never split.
    """
    n = len(words)

    def row_ok(i: int, j: int) -> bool:
        return _row_ok(words[i:j], rules, measure)

    best: dict[tuple[int, int], tuple[float, list[int]] | None] = {}

    def solve(i: int, rows_left: int) -> tuple[float, list[int]] | None:
        """Minimal widest row for words[i:] in exactly rows_left rows, with the cut points."""
        if (i, rows_left) in best:
            return best[(i, rows_left)]
        result: tuple[float, list[int]] | None = None
        if rows_left == 1:
            if row_ok(i, n):
                result = (row_width(words[i:], rules.font_size, measure, rules.pop), [n])
        else:
            for j in range(i + 1, n - rows_left + 2):
                if not row_ok(i, j):
                    break
                rest = solve(j, rows_left - 1)
                if rest is None:
                    continue
                widest = max(row_width(words[i:j], rules.font_size, measure, rules.pop), rest[0])
                if result is None or widest < result[0]:
                    result = (widest, [j, *rest[1]])
        best[(i, rows_left)] = result
        return result

    for count in range(1, min(rules.max_rows, n) + 1):
        found = solve(0, count)
        if found is not None:
            cuts = [0, *found[1]]
            return [words[a:b] for a, b in pairwise(cuts)]
    return None


SOFT_ROW_SLACK = 1.25  # a row cut after a comma may be this much wider than the most balanced


def prefer_soft_break(
    rows: list[list[str]], soft: list[bool], rules: RowRules, measure: Measurer
) -> list[list[str]]:
    """Two rows cut after a comma ("Start with the basics," / "a few parts")
    rather than the most balanced cut, when that is nearly as balanced.

    ``soft[i]``: a row may nicely end after word ``i``. Other row counts, and
    rows already cut at a soft break, come back as they are.
    """
    words = [w for row in rows for w in row]
    if len(rows) != 2 or soft[len(rows[0]) - 1]:
        return rows
    size, pop = rules.font_size, rules.pop
    balanced = max(row_width(row, size, measure, pop) for row in rows)
    best: tuple[float, int] | None = None
    for cut in range(1, len(words)):
        top, bottom = words[:cut], words[cut:]
        if not soft[cut - 1] or not (
            _row_ok(top, rules, measure) and _row_ok(bottom, rules, measure)
        ):
            continue
        widest = max(row_width(top, size, measure, pop), row_width(bottom, size, measure, pop))
        if widest <= balanced * SOFT_ROW_SLACK and (best is None or widest < best[0]):
            best = (widest, cut)
    if best is None:
        return rows
    return [words[: best[1]], words[best[1] :]]


def fits_page(words: list[str], rules: RowRules, measure: Measurer) -> bool:
    """Whether words make a block at the rules' own font size (a lone long word always does)."""
    rows = wrap(words, rules, measure)
    if rows is None:
        return False
    return len(words) == 1 or all(
        row_width(row, rules.font_size, measure, rules.pop) <= rules.max_width for row in rows
    )


def fit_font_size(rows: list[list[str]], rules: RowRules, measure: Measurer) -> int:
    """The rules' font size, or a smaller one for a block whose widest row would overflow."""
    size = rules.font_size
    while size > 1:
        widest = max(row_width(row, size, measure, rules.pop) for row in rows)
        if widest <= rules.max_width:
            break
        size = max(1, min(size - 1, math.floor(size * rules.max_width / widest)))
    return size


def text_box(
    rows: list[list[str]],
    *,
    size: int,
    measure: Measurer,
    centre_x: float,
    bottom: float | None = None,
    top: float | None = None,
    border: float,
    shadow: float,
    pop: float = 1.0,
) -> Box:
    """The pixels a block of rows covers, anchored at its text bottom or top.

    libass centres each row on ``centre_x``; a row is ``size`` pixels tall; the
    outline grows the box on every side, the shadow offsets it right and down.
    """
    widest = max(row_width(row, size, measure, pop) for row in rows)
    text_height = size * len(rows) * (pop if pop > 1.0 else 1.0)
    if bottom is not None:
        text_top, text_bottom = bottom - text_height, bottom
    elif top is not None:
        text_top, text_bottom = top, top + text_height
    else:
        raise ValueError("text_box needs a top or a bottom")
    return Box(
        left=centre_x - widest / 2 - border,
        top=text_top - border,
        right=centre_x + widest / 2 + border + shadow,
        bottom=text_bottom + border + shadow,
    )
