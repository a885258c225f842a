"""The offline script writer: templates, no language model, nothing leaves the machine.

Why it exists: reelforge must make a watchable short with no key and no
network (promise P20: with the embedded defaults nothing leaves the machine).
It cannot understand a topic, so it fills a proven short-video structure —
hook, context, two or three explanation beats, payoff, call to action — with
the topic's own words, and labels its output ``model="template"`` so the user
is told plainly that no model wrote it.

It answers only ``task="script"``; its output is deterministic for the same
topic and DNA (a hash of them seeds every choice), so re-running the pipeline
hits the cache.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from typing import Any

from reelforge.errors import ProviderError
from reelforge.providers.base import LLM, Completion, CompletionRequest
from reelforge.providers.llm import offline_templates as T

MODEL = "template"
_HOOK_MAX_WORDS = 11
_LONG_LABEL_WORDS = 8  # longer topics are shortened when repeated in narration
_WORD = re.compile(r"[A-Za-z0-9'’-]+")
_ADVICE = re.compile(r"\b(how to|ways to|tips|tricks|hacks|steps to|guide to)\b", re.IGNORECASE)


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _clean_topic(topic: str) -> str:
    text = " ".join(topic.split()).strip(" .!?;:,")
    first, _, rest = text.partition(" ")
    if first[:1].isupper() and first[1:].islower() and rest == rest.lower():
        text = first.lower() + (" " + rest if rest else "")  # "Why bread..." -> "why bread..."
    return text


def _content_runs(topic: str) -> list[str]:
    """Runs of consecutive content words ("save money", "groceries"), at most 3 words each."""
    runs: list[list[str]] = [[]]
    for word in _words(topic.lower()):
        word = word.strip("'’-")
        if not word:
            continue
        verb_like = len(word) > 4 and word.endswith("ed")  # "changed": ends a noun phrase
        if verb_like or word in T.STOPWORDS or not any(c.isalpha() for c in word):
            if runs[-1]:
                runs.append([])
            continue
        if len(runs[-1]) == 3:
            runs.append([])
        runs[-1].append(word)
    found = [" ".join(r) for r in runs if r]
    return found or ["ideas"]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _title_case(text: str) -> str:
    small = {"a", "an", "and", "the", "of", "to", "in", "on", "for", "or", "at", "by"}
    words = text.split()
    return " ".join(
        w if (i and w in small) or not w.islower() else _capital(w) for i, w in enumerate(words)
    )


class _Writer:
    """One script: holds the seeded choices and the phrases that must never appear."""

    def __init__(self, *, topic: str, dna: dict[str, Any], max_words: int, wpm: float) -> None:
        seed_src = json.dumps({"topic": topic, "dna": dna}, sort_keys=True, default=str)
        self.rng = random.Random(int(hashlib.sha256(seed_src.encode()).hexdigest()[:16], 16))
        self.topic = _clean_topic(topic)
        self.dna = dna
        self.avoid = [str(p).lower() for p in dna.get("phrases_to_avoid") or [] if str(p).strip()]
        target_s = dna.get("target_seconds")
        budget = max_words if not target_s else min(max_words, int(float(target_s) * wpm / 60))
        self.budget = max(budget, 1)
        self.runs = _content_runs(self.topic)
        keywords = [w for run in self.runs for w in run.split()]
        self.keywords = list(dict.fromkeys(keywords))
        self.used_terms: set[str] = set()

    # --- choosing text ---------------------------------------------------------

    def _ok(self, text: str) -> bool:
        low = text.lower()
        return not any(p in low for p in self.avoid)

    def pick(self, options: tuple[str, ...] | list[str]) -> str:
        """A seeded choice, preferring options without an avoided phrase."""
        shuffled = list(options)
        self.rng.shuffle(shuffled)
        return next((o for o in shuffled if self._ok(o)), shuffled[0])

    def scrub(self, text: str) -> str:
        """Remove any avoided phrase that survived the choices (e.g. inside the topic)."""
        for phrase in self.avoid:
            text = re.sub(re.escape(phrase), "", text, flags=re.IGNORECASE)
        text = re.sub(r"\s+([,.!?:])", r"\1", " ".join(text.split())).strip(" ,:")
        return text if any(c.isalpha() for c in text) else "Here's the idea."

    def style(self) -> str:
        wanted = []
        for style in self.dna.get("hook_styles") or []:
            low = str(style).lower()
            wanted += [
                name for name, keys in T.STYLE_KEYWORDS.items() if any(k in low for k in keys)
            ]
        return self.pick(wanted) if wanted else self.pick(list(T.HOOKS))

    # --- parts of the script ---------------------------------------------------

    def hook(self, *, style: str, beats: int) -> tuple[str, bool]:
        """The hook, and whether the topic fitted inside it."""
        count = T.COUNT_WORDS.get(beats, "Two")
        label_words = len(self.topic.split())
        fits = [h for h in T.HOOKS[style] if len(h.split()) - 1 + label_words <= _HOOK_MAX_WORDS]
        if fits:
            pattern = self.pick(fits)
            return pattern.format(label=self.topic, Label=_capital(self.topic), count=count), True
        pattern = self.pick(T.LONG_TOPIC_HOOKS[style])
        return pattern.format(count=count), False

    def label(self) -> str:
        if len(self.topic.split()) <= _LONG_LABEL_WORDS:
            return self.topic
        return max(self.runs, key=lambda r: len(r.split()))

    def terms(self, shots: tuple[str, ...], index: int) -> list[str]:
        """Up to two search terms, unique across the whole script."""
        chosen: list[str] = []
        runs = self.runs[index % len(self.runs) :] + self.runs[: index % len(self.runs)]
        candidates = [s.format(p=run) for s in shots for run in runs[:2]]
        candidates += [f"{run} scene {index + 1}" for run in runs]
        for term in candidates:
            key = term.lower()
            if key not in self.used_terms and self._ok(term):
                self.used_terms.add(key)
                chosen.append(term)
            if len(chosen) == 2:
                break
        return chosen or [f"scene {index + 1}"]

    def call_to_action(self) -> tuple[str, str]:
        """(spoken call to action, its on-screen text): the creator's own CTAs first."""
        own = [str(c).strip() for c in self.dna.get("calls_to_action") or [] if str(c).strip()]
        if own:
            cta = self.pick(own)
            return cta, " ".join(cta.rstrip(".!").split()[:4])
        spoken = self.pick([c for c, _ in T.CTAS])
        return spoken, dict(T.CTAS)[spoken]

    @property
    def advice(self) -> bool:
        """True for how-to topics, which take advice beats instead of explanation beats."""
        return bool(_ADVICE.search(self.topic))


def _hashtag(run: str) -> str:
    return "#" + "".join(c for c in run if c.isalnum())


def _count(text: str) -> int:
    return len(_words(text))


def write_script(*, topic: str, dna: dict[str, Any], max_words: int, wpm: float) -> dict[str, Any]:
    """The script as the JSON object a model would have returned (see prompts.script_schema)."""
    w = _Writer(topic=topic, dna=dna, max_words=max_words, wpm=wpm)
    beats_n = 3 if w.budget >= 120 and w.rng.random() < 0.6 else 2
    style = w.style()
    hook, topic_in_hook = w.hook(style=style, beats=beats_n)
    context = w.pick(T.CONTEXT) if topic_in_hook else w.pick(T.CONTEXT_LONG).format(topic=w.topic)
    pool = T.HOWTO_BEATS if w.advice else T.BEATS
    beats = [pool[i] for i in sorted(w.rng.sample(range(len(pool)), k=beats_n))]  # keep the order
    payoff = w.pick(T.HOWTO_PAYOFFS if w.advice else T.PAYOFFS).format(label=w.label())
    cta, cta_on_screen = w.call_to_action()

    # Narration per scene: required sentences first, optional ones while the budget allows.
    narration: list[list[str]] = [[hook], *[[w.pick(b.lines)] for b in beats], [payoff], [cta]]
    optional = [(0, context)] + [(i + 1, b.extra) for i, b in enumerate(beats)]
    used = sum(_count(s) for scene in narration for s in scene)
    for index, sentence in optional:
        if used + _count(sentence) <= w.budget and w._ok(sentence):
            narration[index].append(sentence)
            used += _count(sentence)

    on_screen = [
        w.label() if len(w.label().split()) <= 6 else " ".join(w.label().split()[:6]),
        *[b.on_screen for b in beats],
        w.pick(T.PAYOFF_ON_SCREEN),
        cta_on_screen,
    ]
    shots = [
        ("{p}", "{p} cinematic", "{p} close up"),
        *[b.shots for b in beats],
        T.PAYOFF_SHOTS,
        T.CTA_SHOTS,
    ]
    scenes = [
        {
            "narration": w.scrub(" ".join(narration[i])),
            "on_screen_text": w.scrub(_capital(on_screen[i])),
            "search_terms": w.terms(shots[i], i),
        }
        for i in range(len(narration))
    ]
    return {
        "title": w.scrub(w.pick(T.TITLES).format(Label=_title_case(w.label())))[:100],
        "hook": w.scrub(hook),
        "scenes": scenes,
        "call_to_action": w.scrub(cta),
        "hashtags": [h for h in [*map(_hashtag, w.runs[:3]), *T.HASHTAGS] if w._ok(h)],
    }


class OfflineLLM(LLM):
    """Template writer; no key, no network, output labelled ``model="template"``."""

    name = "offline"
    needs_key = False
    remote = False

    def complete(self, request: CompletionRequest) -> Completion:
        if request.task != "script":
            raise ProviderError(
                f"The offline writer only fills script templates; it cannot do {request.task!r}. "
                "To use a language model, set REELFORGE_WRITER=openai (any OpenAI-compatible "
                "server, e.g. a local Ollama: REELFORGE_OPENAI_BASE_URL, REELFORGE_OPENAI_MODEL), "
                "anthropic (REELFORGE_ANTHROPIC_API_KEY) or gemini (REELFORGE_GEMINI_API_KEY).",
                provider=self.name,
                retryable=False,
            )
        inputs = request.inputs
        topic = str(inputs.get("topic") or "").strip()
        if not topic:
            raise ProviderError(
                "The offline writer needs inputs['topic'].", provider=self.name, retryable=False
            )
        script = write_script(
            topic=topic,
            dna=dict(inputs.get("dna") or {}),
            max_words=int(inputs.get("max_words") or 160),
            wpm=float(inputs.get("words_per_minute") or 160),
        )
        return Completion(text=json.dumps(script, ensure_ascii=False), model=MODEL)
