"""Word timings from an engine's own phoneme durations (piper's alignments).

Piper tells us how many audio samples each phoneme of an utterance got, but
not which *word* each phoneme belongs to: espeak merges function words ("of
the" becomes one phoneme group) and reads "1999" as four words. So each text
word is phonemized on its own and that sequence is aligned to the utterance's
phoneme stream with a small edit-distance alignment (match, substitute, skip).
A word's time is the span of the stream phonemes it aligned to — the engine's
own durations, never a guess from the text's length.

A word that aligns to no phoneme at all (espeak said nothing for it, or read
it so differently that nothing matched) gets the unclaimed stretch of the
stream between its aligned neighbours, shared by phoneme count when several
such words are adjacent. Its anchors are still the engine's timings.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from reelforge.providers.types.media import WordTiming

STRESS = frozenset("ˈˌ")


@dataclass(frozen=True)
class Phone:
    symbol: str
    start: float  # seconds from the start of the clip
    end: float


def _is_sound(symbol: str) -> bool:
    return bool(symbol) and unicodedata.category(symbol[0]) in ("Ll", "Lu", "Lo")


def sounds(symbols: Sequence[str]) -> list[str]:
    """Only the phonemes that are sounds: no stress or length marks, spaces or punctuation."""
    return [s for s in symbols if _is_sound(s)]


def timed_sounds(stream: Sequence[Phone]) -> list[Phone]:
    """Fold an utterance's aligned symbols into timed sounds.

    A stress mark's time goes to the sound after it and a length mark's time
    to the sound before it, so a word starts at its stress mark and ends after
    its long vowel; spaces and punctuation (pauses) belong to no word.
    """
    out: list[Phone] = []
    pending: float | None = None
    joined = False  # the previous symbol was a sound or a mark attached to one
    for phone in stream:
        if _is_sound(phone.symbol):
            start = pending if pending is not None else phone.start
            out.append(Phone(phone.symbol, start, phone.end))
            pending, joined = None, True
        elif phone.symbol in STRESS:
            pending = phone.start if pending is None else pending
        elif joined and phone.symbol and unicodedata.category(phone.symbol[0]) in ("Lm", "Mn"):
            out[-1] = replace(out[-1], end=phone.end)
        else:
            pending, joined = None, False
    return out


def _align(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (i, j) of a minimum edit-distance alignment of ``a`` to ``b``."""
    n, m = len(a), len(b)
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    for j in range(m + 1):
        cost[0][j] = j
    for i in range(1, n + 1):
        row, prev, ai = cost[i], cost[i - 1], a[i - 1]
        row[0] = i
        for j in range(1, m + 1):
            diag = prev[j - 1] + (0 if ai == b[j - 1] else 1)
            row[j] = min(diag, prev[j] + 1, row[j - 1] + 1)
    pairs = []
    i, j = n, m
    while i > 0 and j > 0:
        if cost[i][j] == cost[i - 1][j - 1] + (0 if a[i - 1] == b[j - 1] else 1):
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif cost[i][j] == cost[i - 1][j] + 1:
            i -= 1
        else:
            j -= 1
    pairs.reverse()
    return pairs


def words_from_phones(
    words: Sequence[str], word_symbols: Sequence[Sequence[str]], stream: Sequence[Phone]
) -> list[WordTiming]:
    """Time each of ``words`` (phonemized alone as ``word_symbols``) against ``stream``."""
    timed = timed_sounds(stream)
    flat: list[str] = []
    owner: list[int] = []
    counts = []
    for index, symbols in enumerate(word_symbols):
        keys = sounds(symbols)
        flat.extend(keys)
        owner.extend([index] * len(keys))
        counts.append(max(1, len(keys)))
    spans: list[tuple[float, float] | None] = [None] * len(words)
    for i, j in _align(flat, [p.symbol for p in timed]):
        w = owner[i]
        span = spans[w]
        spans[w] = (timed[j].start, timed[j].end) if span is None else (span[0], timed[j].end)
    return _fill_gaps(words, spans, counts, first=timed[0].start if timed else 0.0,
                      last=timed[-1].end if timed else 0.0)  # fmt: skip


def _fill_gaps(
    words: Sequence[str],
    spans: list[tuple[float, float] | None],
    counts: Sequence[int],
    *,
    first: float,
    last: float,
) -> list[WordTiming]:
    result: list[WordTiming] = []
    k = 0
    while k < len(words):
        span = spans[k]
        if span is not None:
            result.append(WordTiming(word=words[k], start=span[0], end=span[1]))
            k += 1
            continue
        run_end = k
        while run_end < len(words) and spans[run_end] is None:
            run_end += 1
        lo = result[-1].end if result else first
        next_span = spans[run_end] if run_end < len(words) else None
        hi = next_span[0] if next_span is not None else last
        total = sum(counts[k:run_end])
        t = lo
        for w in range(k, run_end):
            step = (max(hi, lo) - lo) * counts[w] / total
            result.append(WordTiming(word=words[w], start=t, end=t + step))
            t += step
        k = run_end
    return result
