"""Editor's checks on a script: warnings that each say what to fix.

Why warnings and not errors: a script that breaks these rules still renders;
the creator decides. Validation (``Script``) rejects what cannot be rendered;
this module flags what will make a short worse — an intro that loses viewers in
the first second, narration that runs past the platform limit, numbers the
voice will misread, captions too long to read at a glance.

``estimated_seconds`` is only for these warnings: the real timing of a short
comes from the voice's audio, never from counting words.
"""

from __future__ import annotations

import re

from reelforge.studio.models import Script
from reelforge.studio.prompts import HOOK_MAX_WORDS, ON_SCREEN_MAX_WORDS

INTRO_PHRASES = (
    "in this video",
    "in today's video",
    "in this clip",
    "hey guys",
    "hi guys",
    "hey everyone",
    "hello everyone",
    "welcome back",
    "welcome to my channel",
    "today we're going to",
    "today we are going to",
    "today i'm going to",
    "today i am going to",
    "let's get started",
    "without further ado",
    "before we begin",
    "don't forget to like and subscribe",
)

MIN_SCENES = 4
MAX_SCENES = 8

_WORD = re.compile(r"[\w'’]+")
_TOKEN = re.compile(r"\S+")
_YEAR = re.compile(r"^(1[0-9]|20)\d\d(s|'s)?$")
_PLAIN_INT = re.compile(r"^\d+(st|nd|rd|th)?$")  # "300", "2nd": the voices read these
_EDGE_PUNCT = "\"'“”‘’()[]{}.,!?;:…—–-"

# What each troublesome mark looks like when written out, for the fix hint.
_SPOKEN_EXAMPLES = (
    ("%", '"50%" → "fifty percent"'),
    ("$", '"$1,000" → "a thousand dollars"'),
    ("€", '"€5" → "five euros"'),
    ("£", '"£5" → "five pounds"'),
    ("/", '"1/2" → "half"'),
    (":", '"3:30" → "half past three"'),
    (",", '"1,000" → "a thousand"'),
    (".", '"3.5" → "three and a half"'),
)


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def word_count(text: str) -> int:
    return len(_words(text))


def estimated_seconds(script: Script, words_per_minute: float) -> float:
    """Rough narration length from word count (editor's estimate, not the real timing)."""
    if words_per_minute <= 0:
        raise ValueError("words_per_minute must be positive")
    total = sum(word_count(scene.narration) for scene in script.scenes)
    return total * 60.0 / words_per_minute


def _normalise(text: str) -> str:
    return " ".join(w.lower().replace("’", "'") for w in _words(text))


def _intro_warnings(script: Script) -> list[str]:
    found = []
    texts = [("The hook", script.hook)] + [
        (f"Scene {i}", scene.narration) for i, scene in enumerate(script.scenes, 1)
    ]
    for where, text in texts:
        spoken = f" {_normalise(text)} "
        for phrase in INTRO_PHRASES:
            if f" {_normalise(phrase)} " in spoken:
                found.append(
                    f'{where} says "{phrase}": cut the intro and go straight to the point — '
                    "viewers decide in the first second."
                )
    return found


def _hook_warnings(script: Script) -> list[str]:
    hook = script.hook.strip()
    if not hook:
        return [
            "The script has no hook: open scene 1 with a line under 12 words that makes "
            "people stay."
        ]
    warnings = []
    if word_count(hook) > HOOK_MAX_WORDS:
        warnings.append(
            f"The hook has {word_count(hook)} words: cut it to {HOOK_MAX_WORDS} or fewer."
        )
    if script.scenes and not _normalise(script.scenes[0].narration).startswith(_normalise(hook)):
        warnings.append(
            "Scene 1 does not open with the hook: start its narration with the hook, word for word."
        )
    return warnings


def _number_hint(token: str) -> str:
    for mark, example in _SPOKEN_EXAMPLES:
        if mark in token:
            return example
    return '"3x" → "three times", "10km" → "ten kilometres"'


def unspeakable_numbers(text: str) -> list[str]:
    """Tokens with digits the voice may misread (units, symbols, decimals, fractions).

    Plain whole numbers and years (e.g. "1999", "the 1980s") are read as words
    and are not reported.
    """
    bad = []
    for raw in _TOKEN.findall(text):
        token = raw.strip(_EDGE_PUNCT)
        if not any(ch.isdigit() for ch in token):
            continue
        if _YEAR.match(token) or _PLAIN_INT.match(token):
            continue
        bad.append(token)
    return bad


def _number_warnings(script: Script) -> list[str]:
    warnings = []
    texts = [("The hook", script.hook)] + [
        (f"Scene {i}", scene.narration) for i, scene in enumerate(script.scenes, 1)
    ]
    for where, text in texts:
        for token in unspeakable_numbers(text):
            warnings.append(
                f'{where} says "{token}", which the voice may misread: write it as words '
                f"(e.g. {_number_hint(token)}). Plain years like 1999 are fine; they are read "
                "as words."
            )
    return warnings


def _length_warnings(script: Script, *, words_per_minute: float, max_seconds: float) -> list[str]:
    seconds = estimated_seconds(script, words_per_minute)
    if seconds <= max_seconds:
        return []
    excess = int((seconds - max_seconds) * words_per_minute / 60.0 + 0.999)
    return [
        f"The narration runs about {seconds:.0f} s at {words_per_minute:g} words a minute, over "
        f"the {max_seconds:g} s limit: cut about {excess} words."
    ]


def _scene_count_warnings(script: Script) -> list[str]:
    count = len(script.scenes)
    if MIN_SCENES <= count <= MAX_SCENES:
        return []
    return [
        f"The script has {count} scenes: use {MIN_SCENES} to {MAX_SCENES} so each one stays on "
        "screen long enough to read and short enough to hold attention."
    ]


def _on_screen_warnings(script: Script) -> list[str]:
    warnings = []
    for i, scene in enumerate(script.scenes, 1):
        n = word_count(scene.on_screen_text)
        if n > ON_SCREEN_MAX_WORDS:
            warnings.append(
                f"Scene {i}'s on-screen text has {n} words: keep it to {ON_SCREEN_MAX_WORDS} or "
                "fewer so it can be read at a glance."
            )
    return warnings


def _search_term_warnings(script: Script) -> list[str]:
    seen: dict[str, int] = {}
    warnings = []
    for i, scene in enumerate(script.scenes, 1):
        for term in scene.search_terms:
            key = _normalise(term)
            if key in seen:
                first = seen[key]
                where = "twice in that scene" if first == i else f"in scenes {first} and {i}"
                warnings.append(
                    f'The search term "{term}" is used {where}: vary it so the same '
                    "footage does not repeat."
                )
            else:
                seen[key] = i
    return warnings


def review_script(
    script: Script, *, words_per_minute: float = 160, max_seconds: float = 60
) -> list[str]:
    """Every editor's warning for ``script``, in reading order of the checks."""
    return [
        *_hook_warnings(script),
        *_intro_warnings(script),
        *_length_warnings(script, words_per_minute=words_per_minute, max_seconds=max_seconds),
        *_scene_count_warnings(script),
        *_number_warnings(script),
        *_on_screen_warnings(script),
        *_search_term_warnings(script),
    ]
