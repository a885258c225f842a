"""The script's own words, timed by the words the voice spoke.

Why: a voice reads the *normalised* narration ("3" -> "three", "$5" -> "five
dollars", see :mod:`reelforge.speech.speakable`), and every engine (piper,
espeak, ElevenLabs, OpenAI + forced alignment) reports its word timings for
those spoken words, without punctuation. Captions built from them lost every
full stop and comma, showed "three" where the script says "3", and ran pages
across sentence ends. Captions must show the script as written, so each
written word takes the time span of the spoken words it became.

How, in two steps, both deterministic:

1. The normaliser itself says which spoken words each written word became
   (:func:`~reelforge.speech.speakable.written_words`): no guessing for "1,200"
   -> "one thousand two hundred" or '"Octopuses' -> "Octopuses".
2. Those expected spoken words are matched, in order, to the words the engine
   actually timed (:class:`difflib.SequenceMatcher` over case- and
   punctuation-free forms). Usually they are identical; where an engine merged,
   split, dropped or added a word, the unmatched stretch shares its time in
   proportion to letters, and a word the voice dropped gets the gap between
   its neighbours (or a share of the word before it).

It works from a :class:`~reelforge.providers.types.media.Speech`'s timings
alone, whatever produced them, and is idempotent: timings that already carry
the written words come back unchanged.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from difflib import SequenceMatcher

from reelforge.providers.types.media import WordTiming
from reelforge.speech.speakable import sentence_ends, written_words

__all__ = ["sentence_ends", "written_timings"]

_MIN_GAP_S = 0.08  # a silence at least this long can hold a word the voice dropped


def written_timings(narration: str, words: list[WordTiming]) -> list[WordTiming]:
    """The written words of ``narration`` ("3", "hearts.", '"Octopuses'), each
    timed from the first to the last of the spoken ``words`` it became.

    ``words`` are a voice's timings for ``to_speakable(narration)``; timings
    that are already the written words are returned as they are. With no
    timings there is nothing to time: the result is empty.
    """
    if not words:
        return []
    written = [w for w in written_words(narration) if w.spoken]
    if not written or [w.word for w in words] == [w.text for w in written]:
        return list(words)
    expected = [spoken for w in written for spoken in w.spoken]
    spans = _align(expected, words)
    out: list[WordTiming] = []
    k = 0
    for word in written:
        mine = spans[k : k + len(word.spoken)]
        k += len(word.spoken)
        out.append(WordTiming(word=word.text, start=mine[0][0], end=max(e for _, e in mine)))
    return _ordered(out)


def _key(word: str) -> str:
    return "".join(ch for ch in word.casefold() if ch.isalnum())


@dataclass
class _Stretch:
    """Expected words [a, b) heard as timed words [c, d) (maybe none)."""

    a: int
    b: int
    c: int
    d: int


def _stretches(expected: list[str], timed: list[WordTiming]) -> list[_Stretch]:
    """Expected words matched to timed words: one stretch per matched word, one per
    unmatched run; timed words nobody expected join the stretch before them."""
    matcher = SequenceMatcher(
        None, [_key(w) for w in expected], [_key(w.word) for w in timed], autojunk=False
    )
    out: list[_Stretch] = []
    extra: tuple[int, int] | None = None  # timed words before any expected one
    for tag, a, b, c, d in matcher.get_opcodes():
        if tag == "equal":
            out += [_Stretch(a + i, a + i + 1, c + i, c + i + 1) for i in range(b - a)]
        elif tag == "insert":  # heard but not expected: the word before takes the time
            if out:
                out[-1].d = d
            else:
                extra = (c, d)
        else:  # replace or delete
            out.append(_Stretch(a, b, c, d))
    if extra is not None and out:
        out[0].c = extra[0]
    return out


def _align(expected: list[str], timed: list[WordTiming]) -> list[tuple[float, float]]:
    """A (start, end) for every expected word, in order."""
    stretches = _stretches(expected, timed)
    spans: list[tuple[float, float]] = [(0.0, 0.0)] * len(expected)
    for i, s in enumerate(stretches):
        names = expected[s.a : s.b]
        heard = timed[s.c : s.d]
        if len(heard) == len(names):
            for j, w in enumerate(heard):
                spans[s.a + j] = (w.start, w.end)
        elif heard:
            for j, span in enumerate(_share(names, heard)):
                spans[s.a + j] = span
        else:
            spans[s.a : s.b] = _dropped(expected, stretches, i, spans, timed)
    return spans


def _share(names: list[str], heard: list[WordTiming]) -> list[tuple[float, float]]:
    """Split the time of ``heard`` among ``names`` in proportion to their letters
    (a merged "of the", a split "twenty five", a "1999" read as four words)."""
    sizes = [max(1, len(_key(w.word))) for w in heard]
    edges = [0]
    for size in sizes:
        edges.append(edges[-1] + size)

    def at(x: float, *, ending: bool) -> float:
        """The time at letter position ``x`` of the heard words; at a boundary
        between two of them, the end of the first (``ending``) or the start of
        the second."""
        found = bisect_left(edges, x) if ending else bisect_right(edges, x)
        i = min(len(heard) - 1, max(0, found - 1))
        w = heard[i]
        frac = min(1.0, max(0.0, (x - edges[i]) / sizes[i]))
        return w.start + (w.end - w.start) * frac

    lengths = [max(1, len(_key(n))) for n in names]
    scale = edges[-1] / sum(lengths)
    out: list[tuple[float, float]] = []
    pos = 0
    for length in lengths:
        begin = at(pos * scale, ending=False)
        pos += length
        out.append((begin, at(pos * scale, ending=True)))
    return out


def _dropped(
    expected: list[str],
    stretches: list[_Stretch],
    i: int,
    spans: list[tuple[float, float]],
    timed: list[WordTiming],
) -> list[tuple[float, float]]:
    """Spans for words the voice never timed: the silence between their
    neighbours when there is one, else a share of the word before them."""
    s = stretches[i]
    names = expected[s.a : s.b]
    before = stretches[i - 1] if i else None
    after = next((t for t in stretches[i + 1 :] if t.d > t.c), None)
    hi = timed[after.c].start if after is not None else spans[s.a - 1][1] if s.a else 0.0
    # With nothing before them, they take the lead-in just before the next word.
    lo = max(0.0, hi - _MIN_GAP_S * len(names)) if before is None else spans[before.b - 1][1]
    if hi - lo >= _MIN_GAP_S * len(names) or before is None:
        step = max(0.0, hi - lo) / len(names)
        return [(lo + j * step, lo + (j + 1) * step) for j in range(len(names))]
    # No room between them: the word before makes room by sharing its own time.
    prev = before.b - 1
    start, end = spans[prev]
    shared = _share(
        [expected[prev], *names], [WordTiming(word=expected[prev], start=start, end=end)]
    )
    spans[prev] = shared[0]
    return shared[1:]


def _ordered(words: list[WordTiming]) -> list[WordTiming]:
    """Starts never go back and every end is at or after its start."""
    out: list[WordTiming] = []
    floor = 0.0
    for w in words:
        start = max(w.start, floor)
        out.append(WordTiming(word=w.word, start=start, end=max(w.end, start)))
        floor = start
    return out
