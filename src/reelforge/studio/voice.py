"""The voice stage: one scene's narration -> a WAV and the time of every word.

What the pipeline calls per scene. It normalises the narration for speech
(:func:`~reelforge.speech.speakable.to_speakable`: "3" -> "three"), asks the
chosen provider to speak it, and checks the result before anyone relies on it:

* the provider writes to a ``.part`` file that is moved into place only once
  it is a non-empty, readable WAV — a crash never leaves a half-written clip
  that a resumed run would take for finished;
* word timings are kept inside the clip and in order (engines and aligners
  can overshoot the last sample by a frame);
* a silent cut (the ``none`` voice) and a clip without word timings come back
  with a warning in ``Speech.warnings`` for the pipeline to show the user;
* ``Speech.words`` are the narration's own *written* words ("3", "hearts.",
  '"Octopuses'), each timed from the first to the last spoken word it became
  (:func:`~reelforge.studio.caption_words.written_timings`): engines time what
  they spoke ("three", no punctuation), but captions show the script.

Timings always come from the engine or from forced alignment; this stage never
invents them (it only shares them out among the written words).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from reelforge.errors import InputError, ProviderError, RenderError
from reelforge.providers.base import TTS
from reelforge.providers.tts.audio import wav_duration
from reelforge.providers.types.media import Speech, WordTiming
from reelforge.speech.speakable import spoken_words, to_speakable
from reelforge.studio.caption_words import written_timings

log = logging.getLogger(__name__)

SILENT_WARNING = (
    "This cut is silent: the 'none' voice speaks nothing, so captions come from the "
    "on-screen text only. Choose a voice (e.g. --voice piper) for narration."
)
_WAV_HEADER_BYTES = 44


def _tidy(words: list[WordTiming], duration: float) -> list[WordTiming]:
    """Clamp timings into [0, duration] and keep starts non-decreasing."""
    tidy: list[WordTiming] = []
    floor = 0.0
    for w in words:
        start = min(max(w.start, floor), duration)
        end = min(max(w.end, start), duration)
        tidy.append(WordTiming(word=w.word, start=start, end=end))
        floor = start
    return tidy


def _checked_duration(path: Path, provider: str) -> float:
    if not path.is_file() or path.stat().st_size <= _WAV_HEADER_BYTES:
        raise ProviderError(
            f"The {provider} voice wrote no audio ({path.name} is missing or empty).",
            provider=provider,
        )
    try:
        duration = wav_duration(path)
    except RenderError as exc:
        raise ProviderError(
            f"The {provider} voice wrote a file that is not a readable WAV: {exc.message}",
            provider=provider,
        ) from exc
    if duration <= 0:
        raise ProviderError(f"The {provider} voice wrote an empty clip.", provider=provider)
    return duration


def voice_scene(*, tts: TTS, narration: str, out_path: Path) -> Speech:
    """Speak one scene's ``narration`` with ``tts`` into ``out_path`` (a WAV).

    Returns the clip with the narration's written words timed in seconds from
    its start (see the module docstring). Raises
    InputError when the narration has nothing to say, ProviderError when the
    voice fails or writes no usable audio.
    """
    text = to_speakable(narration)
    if not spoken_words(text):
        raise InputError(
            f"This scene's narration has no words to speak ({narration[:60]!r}). "
            "Write a sentence for it, or remove the scene."
        )
    out_path.parent.mkdir(parents=True, exist_ok=True)
    partial = out_path.with_name(f"{out_path.stem}.part{out_path.suffix or '.wav'}")
    partial.unlink(missing_ok=True)
    try:
        speech = tts.speak(text=text, out_path=partial)
        duration = _checked_duration(partial, tts.name)
        os.replace(partial, out_path)
    finally:
        partial.unlink(missing_ok=True)
    warnings = list(speech.warnings)
    if speech.timing_source == "none":
        warnings.append(SILENT_WARNING)
    elif not speech.words:
        warnings.append(
            f"The {tts.name} voice gave no word timings for this scene; its captions cannot "
            "highlight words."
        )
    for warning in warnings:
        log.warning("%s", warning)
    return speech.model_copy(
        update={
            "path": out_path,
            "duration": duration,
            "words": written_timings(narration, _tidy(speech.words, duration)),
            "warnings": warnings,
        }
    )
