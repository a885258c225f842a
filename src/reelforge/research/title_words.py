"""Words in titles and captions: tokens, stop words and hook patterns.

Shared by analytics (vectorised, through the regex constants) and by DNA
derivation and ideas (plain Python over a few hundred titles), so "a word"
means the same thing everywhere.
"""

from __future__ import annotations

import re

#: A word: letters (any script) with inner apostrophes. Digits and hashtags are not words.
WORD_REGEX = r"\p{L}[\p{L}'’]*\p{L}|\p{L}"
_WORD = re.compile(r"[^\W\d_][^\W\d_'’]*(?:['’][^\W\d_]+)*", re.UNICODE)
#: Removed before counting words: links, @mentions and #hashtags (counted on their own).
STRIP_REGEX = r"https?://\S+|www\.\S+|[#@]\w[\w.]*"
MIN_WORD_LEN = 3

_STOP_TEXT = """
a about above after again against all almost also am an and any are aren't as at be because
been before being below between both but by can can't cannot could couldn't did didn't do does
doesn't doing don't down during each even ever every few for from further get gets got had
hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him
himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself just let's
like me more most much must mustn't my myself no nor not now of off on once only or other
ought our ours ourselves out over own really same shan't she she'd she'll she's should
shouldn't so some such than that that's the their theirs them themselves then there there's
these they they'd they'll they're they've this those through to too under until up upon us
very was wasn't we we'd we'll we're we've were weren't what what's when when's where where's
which while who who's whom why why's will with won't would wouldn't yet you you'd you'll
you're you've your yours yourself yourselves
new video videos part full official ft feat via one two make made go going gonna wanna
"""
#: English stop words plus video filler ("part", "official"); never counted as topics.
STOP_WORDS = frozenset(_STOP_TEXT.split())


def words(text: str) -> list[str]:
    """Content words of ``text``: lower-cased, no stop words, links, tags or short words."""
    cleaned = re.sub(STRIP_REGEX, " ", text.lower())
    return [
        w
        for w in (m.group(0).replace("’", "'") for m in _WORD.finditer(cleaned))
        if len(w) >= MIN_WORD_LEN and w not in STOP_WORDS
    ]


# --- hook patterns ---------------------------------------------------------------

#: Hook pattern id -> the words a DNA's ``hook_styles`` uses for it. The labels
#: carry the keywords the offline writer matches (question, number/list, stop/never).
HOOK_LABELS: dict[str, str] = {
    "question": "question",
    "number": "number list (tips / steps)",
    "how_to": "how-to",
    "negation": "stop / don't / never (warning)",
    "you": "speaks to 'you'",
}

_HOOKS: dict[str, re.Pattern[str]] = {
    "question": re.compile(
        r"\?|^(who|what|why|when|where|which|is|are|do|does|did|can|could|should|would|will|"
        r"have|has)\b|^how (do|does|did|can|much|many|long|come|often)\b",
        re.IGNORECASE,
    ),
    "number": re.compile(r"(?<![\w#])\d+(?:[.,]\d+)?\b|\b(top|three|five|seven|ten)\b", re.I),
    "how_to": re.compile(
        r"\bhow (to|i|we|you)\b|\bguide\b|\btutorial\b|\bstep[- ]by[- ]step\b", re.I
    ),
    "negation": re.compile(
        r"\b(don'?t|never|stop|not|no|nobody|no one|nothing|without|avoid|mistakes?|wrong|"
        r"won'?t|can'?t|isn'?t|aren'?t)\b",
        re.IGNORECASE,
    ),
    "you": re.compile(r"\b(you|your|you'?re|yourself)\b", re.IGNORECASE),
}


def hook_patterns(title: str) -> list[str]:
    """The hook pattern ids a title uses (a title may use several, or none)."""
    text = title.replace("’", "'")
    return [name for name, pattern in _HOOKS.items() if pattern.search(text)]
