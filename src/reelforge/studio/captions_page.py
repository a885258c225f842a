"""Grouping timed words into caption pages, and when each page is on screen.

A page is what the viewer reads at once (at most two rows). Pages always break
where speech breaks (a pause, the end of a sentence), so one page never holds
the end of one sentence and the start of the next; between those, a phrase is
cut into the fewest pages that fit, evenly, preferring cuts after commas.

Where sentences end is read from the words' own text with the normaliser's
knowledge (:func:`~reelforge.studio.caption_words.sentence_ends`): "hearts."
and 'said."' end one, "Dr." and "7 a.m. sharp" do not. The words are the
script's written words (see :mod:`reelforge.studio.caption_words`), so their
punctuation is there to read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from reelforge.providers.types.media import WordTiming
from reelforge.studio.caption_words import sentence_ends

HOLD_CS = 50  # a page stays up to 0.5 s after its last word ends...
BRIDGE_CS = 25  # ...and runs on to the next page if the gap left would be shorter than this
_SOFT_BREAK = (",", ";", ":", "—", "–")
_CLOSERS = "\"')]}»”’"


@dataclass
class Token:
    """One displayed word: its text, as shown, and the timed words it came from.

    Engines sometimes time punctuation as its own "word"; that is glued to the
    word before it so a comma never sits alone at the start of a row.
    """

    text: str
    shown: str
    words: list[WordTiming]

    @property
    def start(self) -> float:
        return self.words[0].start

    @property
    def end(self) -> float:
        return max(w.end for w in self.words)

    def ends_with(self, marks: tuple[str, ...]) -> bool:
        return self.text.rstrip(_CLOSERS).endswith(marks)


@dataclass
class Page:
    tokens: list[Token]
    rows: list[list[Token]] = field(default_factory=list)

    @property
    def start(self) -> float:
        return self.tokens[0].start

    @property
    def end(self) -> float:
        return max(t.end for t in self.tokens)


def tokens_of(words: list[WordTiming], *, uppercase: bool) -> list[Token]:
    tokens: list[Token] = []
    for word in words:
        text = " ".join(word.word.split())
        if not text:
            continue
        if tokens and not any(ch.isalnum() for ch in text):
            last = tokens[-1]
            last.text += text
            last.shown = last.text.upper() if uppercase else last.text
            last.words.append(word)
            continue
        tokens.append(Token(text=text, shown=text.upper() if uppercase else text, words=[word]))
    return tokens


def paginate(
    tokens: list[Token],
    *,
    fits: Callable[[list[str]], bool],
    pause: float,
    capacity: int,
) -> list[Page]:
    """Pages for a run of tokens: hard breaks at pauses and sentence ends, fitted in between."""
    pages: list[Page] = []
    run: list[Token] = []
    ends = sentence_ends([t.text for t in tokens])
    for i, token in enumerate(tokens):
        if run and (token.start - run[-1].end > pause or ends[i - 1]):
            pages += _split_run(run, fits, capacity)
            run = []
        run.append(token)
    if run:
        pages += _split_run(run, fits, capacity)
    return pages


def soft_breaks(tokens: list[Token]) -> list[bool]:
    """Whether a row or page may nicely end after each token (a comma, a dash)."""
    return [t.ends_with(_SOFT_BREAK) for t in tokens]


def _split_run(run: list[Token], fits: Callable[[list[str]], bool], capacity: int) -> list[Page]:
    """Fewest pages that fit; among those, even page lengths and breaks after commas.

    A greedy fill would leave orphans ("out." alone on a page) and cut phrases
    anywhere; a small dynamic programme over the cut points avoids both.
    """
    n = len(run)
    shown = [t.shown for t in run]
    # best[i]: (pages, cost, next cut) for run[i:]
    best: list[tuple[int, float, int]] = [(0, 0.0, n)] * (n + 1)
    for i in range(n - 1, -1, -1):
        choice: tuple[int, float, int] = (n + 1, 0.0, i + 1)  # beaten by any real option
        for j in range(i + 1, n + 1):
            if j - i > 1 and not fits(shown[i:j]):
                break
            slack = max(0.0, 1 - len(" ".join(shown[i:j])) / capacity)
            cost = slack * slack
            if j < n and run[j - 1].ends_with(_SOFT_BREAK):
                cost -= 0.3
            pages, rest_cost, _ = best[j]
            candidate = (pages + 1, cost + rest_cost, j)
            if candidate[:2] < choice[:2]:
                choice = candidate
        best[i] = choice
    out: list[Page] = []
    i = 0
    while i < n:
        j = best[i][2]
        out.append(Page(run[i:j]))
        i = j
    return out


def page_times(pages: list[Page], *, until: float | None = None) -> list[tuple[int, int]]:
    """(start, end) of each page in centiseconds: no overlaps, short gaps bridged.

    A page starts with its first word and lingers a little after its last one,
    but never past the next page's start (nor past ``until``). A page that would
    start at or after ``until`` comes back with ``end <= start``: it is not shown.
    """
    cap = round(until * 100) if until is not None else None
    starts: list[int] = []
    for page in pages:
        start = round(page.start * 100)
        if starts:
            start = max(start, starts[-1] + 1)
        starts.append(start)
    times: list[tuple[int, int]] = []
    for i, (page, start) in enumerate(zip(pages, starts, strict=True)):
        end = max(round(page.end * 100), start + 1) + HOLD_CS
        if i + 1 < len(pages):
            following = starts[i + 1]
            end = min(end, following)
            if following - end < BRIDGE_CS:
                end = following
        end = max(end, start + 1)
        if cap is not None:
            end = min(end, cap)  # a page starting at or after ``until`` gets no time at all
        times.append((start, max(end, start) if cap is not None and start >= cap else end))
    return times
