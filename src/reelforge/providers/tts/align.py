"""Offline forced alignment: when is each word of a known text heard in a clip?

Used for voices that return audio without word timings (espeak-ng, OpenAI
TTS) and as piper's fallback. PocketSphinx 5 aligns the text against the audio
with its bundled US-English acoustic model and CMU dictionary; nothing leaves
the machine.

Words the dictionary lacks do not break it, in this order:

1. words with digits are read out first ("42" -> "forty two");
2. hyphenated words are aligned part by part ("ninety-nine");
3. any other unknown word (a brand, a name) gets a pronunciation from espeak's
   phonemizer (bundled inside piper), converted from IPA to the model's
   ARPAbet phones and added to the dictionary for this process;
4. a word that still has no pronunciation is timed between its aligned
   neighbours: the stretch from the middle of the word before to the middle
   of the word after is shared out. Its anchors come from the alignment.
"""

from __future__ import annotations

import re
import tempfile
import threading
from pathlib import Path
from typing import Any

from reelforge.av.ffmpeg import run_ffmpeg
from reelforge.errors import ConfigError, ProviderError
from reelforge.providers.tts.arpabet import ipa_to_arpabet
from reelforge.providers.types.media import WordTiming
from reelforge.speech.speakable import spoken_words, to_speakable

_LOCK = threading.Lock()
_DECODER: Any = None
_PROVIDER = "alignment"
_FILLERS = frozenset({"<s>", "</s>", "<sil>"})


def _decoder() -> Any:
    """One PocketSphinx decoder per process (under ``_LOCK``): building it reads the model."""
    global _DECODER
    if _DECODER is None:
        try:
            from pocketsphinx import Decoder
        except ImportError as exc:
            raise ConfigError(
                "Forced alignment needs pocketsphinx. Run `make setup` or `pip install pocketsphinx`."
            ) from exc
        _DECODER = Decoder(lm=None, loglevel="FATAL")
    return _DECODER


def _pcm16k(audio_path: Path, ffmpeg: str | None) -> bytes:
    """The clip as 16 kHz mono signed 16-bit PCM, what the acoustic model was trained on."""
    with tempfile.TemporaryDirectory(prefix="reelforge-align-") as tmp:
        raw = Path(tmp) / "audio.s16"
        run_ffmpeg(
            ["-i", str(audio_path), "-vn", "-ac", "1", "-ar", "16000", "-f", "s16le", str(raw)],
            exe=ffmpeg,
            what="resampling audio for alignment",
        )
        return raw.read_bytes()


def _tokens(decoder: Any, word: str) -> list[str]:
    """Dictionary entries that spell ``word`` (adding one when needed); [] if none can."""
    key = word.lower().replace("’", "'")
    if decoder.lookup_word(key):
        return [key]
    if re.search(r"\d", key):
        spoken = to_speakable(key)
        if spoken != key:
            return [t for part in spoken_words(spoken) for t in _tokens(decoder, part)]
    parts = [p for p in re.split(r"[-–]", key) if p]
    if len(parts) > 1:
        return [t for part in parts for t in _tokens(decoder, part)]
    phones = ipa_to_arpabet(key)
    if not phones or not re.fullmatch(r"[\w'.]+", key):
        return []
    try:
        decoder.add_word(key, " ".join(phones), True)
    except RuntimeError:
        return []
    return [key]


def _segments(decoder: Any, pcm: bytes, tokens: list[str]) -> list[tuple[float, float]]:
    frate = float(decoder.config["frate"])
    try:
        decoder.set_align_text(" ".join(tokens))
        decoder.start_utt()
        decoder.process_raw(pcm, no_search=False, full_utt=True)
        decoder.end_utt()
    except RuntimeError as exc:
        raise ProviderError(f"Forced alignment could not start: {exc}", provider=_PROVIDER) from exc
    segments = decoder.seg()
    found = [] if segments is None else [s for s in segments if s.word not in _FILLERS]
    if len(found) != len(tokens):
        raise ProviderError(
            "Forced alignment found no path through the audio for this text "
            f"({len(found)} of {len(tokens)} words). The audio may not be speech of this text, "
            "or be too short for it.",
            provider=_PROVIDER,
        )
    return [(s.start_frame / frate, (s.end_frame + 1) / frate) for s in found]


def align_words(*, audio_path: Path, text: str, ffmpeg: str | None = None) -> list[WordTiming]:
    """Time every word of ``text`` (as :func:`spoken_words` splits it) in ``audio_path``.

    Raises ProviderError when the audio cannot be aligned to the text at all.
    """
    words = spoken_words(text)
    if not words:
        return []
    pcm = _pcm16k(audio_path, ffmpeg)
    clip_end = len(pcm) / 2 / 16000
    with _LOCK:
        decoder = _decoder()
        plan = [_tokens(decoder, w) for w in words]
        tokens = [t for p in plan for t in p]
        if not tokens:
            raise ProviderError(
                f"None of the words of {text[:60]!r} can be pronounced by the aligner.",
                provider=_PROVIDER,
            )
        segments = _segments(decoder, pcm, tokens)
    spans: list[tuple[float, float] | None] = []
    cursor = 0
    for entry in plan:
        if entry:
            mine = segments[cursor : cursor + len(entry)]
            spans.append((mine[0][0], min(mine[-1][1], clip_end)))
            cursor += len(entry)
        else:
            spans.append(None)
    return _share_unaligned(words, spans, clip_end)


def _share_unaligned(
    words: list[str], spans: list[tuple[float, float] | None], clip_end: float
) -> list[WordTiming]:
    """Fill words without a span from the middle of the aligned word before to the
    middle of the aligned word after, shortening those neighbours to make room."""
    fixed: list[list[float] | None] = [list(s) if s else None for s in spans]
    k = 0
    while k < len(fixed):
        if fixed[k] is not None:
            k += 1
            continue
        end = k
        while end < len(fixed) and fixed[end] is None:
            end += 1
        before = fixed[k - 1] if k > 0 else None
        after = fixed[end] if end < len(fixed) else None
        lo = (before[0] + before[1]) / 2 if before else 0.0
        hi = (after[0] + after[1]) / 2 if after else clip_end
        if before:
            before[1] = lo
        if after:
            after[0] = hi
        step = (hi - lo) / (end - k)
        for i in range(k, end):
            fixed[i] = [lo + step * (i - k), lo + step * (i - k + 1)]
        k = end
    return [
        WordTiming(word=w, start=span[0], end=max(span[0], span[1]))
        for w, span in zip(words, fixed, strict=True)
        if span is not None
    ]
