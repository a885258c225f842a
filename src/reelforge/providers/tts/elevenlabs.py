"""ElevenLabs voices, timed by the engine's own character alignment.

``POST /v1/text-to-speech/{voice_id}/with-timestamps`` (header ``xi-api-key``,
JSON ``text`` + ``model_id``, query ``output_format``) answers JSON with
``audio_base64`` and ``alignment`` — ``characters`` with
``character_start_times_seconds`` / ``character_end_times_seconds``. Words are
the runs of characters between spaces; a word starts when its first letter
does and ends when its last letter does (quotes and punctuation are not heard). ``alignment`` follows the text we sent
(already normalised by :mod:`speakable`), so captions show our words; the
``normalized_alignment`` is used only if ``alignment`` is absent.

Audio is MP3 by default and is decoded to WAV (``pcm_*`` formats are wrapped
directly), so every voice returns the same kind of file.

Errors: 401 ``{"detail":{"status":"invalid_api_key"|"quota_exceeded",...}}``
is not retried (a new key or more credits are needed); 429
(``too_many_concurrent_requests``, ``system_busy``) and 5xx are retried with
backoff by :class:`~reelforge.providers.http.ProviderHTTP`.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path
from typing import Any, ClassVar

from reelforge.errors import ProviderError
from reelforge.providers.base import TTS
from reelforge.providers.tts.audio import decode_to_wav, wav_duration, write_wav
from reelforge.providers.types.media import Speech, WordTiming
from reelforge.speech.speakable import spoken_words


def words_from_characters(alignment: dict[str, Any]) -> list[WordTiming]:
    """Group ElevenLabs' character alignment into words (runs between whitespace)."""
    chars = alignment.get("characters") or []
    starts = alignment.get("character_start_times_seconds") or []
    ends = alignment.get("character_end_times_seconds") or []
    if not (len(chars) == len(starts) == len(ends)):
        raise ValueError("alignment arrays differ in length")
    words: list[WordTiming] = []
    run: list[int] = []
    for index in [*range(len(chars)), -1]:
        if index >= 0 and not str(chars[index]).isspace():
            run.append(index)
            continue
        if run:
            shown = spoken_words("".join(str(chars[i]) for i in run))
            sounded = [i for i in run if str(chars[i]).isalnum()] or run  # not its punctuation
            if shown:
                start, end = float(starts[sounded[0]]), float(ends[sounded[-1]])
                words.append(WordTiming(word=shown[0], start=max(0.0, start), end=max(start, end)))
            run = []
    return words


class ElevenLabsTTS(TTS):
    name: ClassVar[str] = "elevenlabs"
    needs_key: ClassVar[bool] = True
    remote: ClassVar[bool] = True
    key_setting: ClassVar[str | None] = "elevenlabs_api_key"

    def setup(self) -> None:
        self._key = self.api_key()

    def cache_identity(self) -> dict[str, str]:
        return {"voice": self.settings.elevenlabs_voice_id, "model": self.settings.elevenlabs_model}

    def speak(self, *, text: str, out_path: Path) -> Speech:
        fmt = self.settings.elevenlabs_output_format
        http = self.http_client(
            self.settings.elevenlabs_base_url,
            headers={"xi-api-key": self._key, "Accept": "application/json"},
        )
        try:
            body = http.post_json(
                f"/v1/text-to-speech/{self.settings.elevenlabs_voice_id}/with-timestamps",
                params={"output_format": fmt},
                json={"text": text, "model_id": self.settings.elevenlabs_model},
            )
        except ProviderError as exc:
            _explain(exc)
            raise
        finally:
            http.close()
        audio, timings = self._parse(body)
        if fmt.startswith("pcm_"):
            write_wav(out_path, audio, sample_rate=int(fmt.split("_")[1]))
        else:
            decode_to_wav(audio, out_path=out_path, provider=self.name,
                          suffix="." + fmt.split("_")[0], ffmpeg=self.settings.ffmpeg)  # fmt: skip
        duration = wav_duration(out_path)
        words = [
            WordTiming(word=w.word, start=min(w.start, duration), end=min(w.end, duration))
            for w in timings
        ]
        return Speech(path=out_path, duration=duration, words=words, timing_source="engine")

    def _parse(self, body: Any) -> tuple[bytes, list[WordTiming]]:
        alignment = None
        if isinstance(body, dict):
            alignment = body.get("alignment") or body.get("normalized_alignment")
        if not isinstance(body, dict) or not body.get("audio_base64") or not alignment:
            raise ProviderError(
                "ElevenLabs answered without audio_base64 and alignment; is "
                "REELFORGE_ELEVENLABS_BASE_URL pointing at the ElevenLabs API?",
                provider=self.name,
            )
        try:
            return base64.b64decode(body["audio_base64"], validate=True), words_from_characters(
                alignment
            )
        except (binascii.Error, ValueError, TypeError) as exc:
            raise ProviderError(
                f"ElevenLabs sent a malformed answer: {exc}", provider=self.name
            ) from exc


_HINTS = {
    "quota_exceeded": "Your ElevenLabs credits are used up: add credits, or use another voice "
    "(--voice piper works offline).",
    "invalid_api_key": "Check REELFORGE_ELEVENLABS_API_KEY (or your own key in the vault).",
    "voice_not_found": "Check REELFORGE_ELEVENLABS_VOICE_ID names one of your voices.",
}


def _explain(error: ProviderError) -> None:
    """Add what to do for ElevenLabs' named error statuses (found in ``detail.status``)."""
    for status, hint in _HINTS.items():
        if status in error.message:
            error.message = f"{error.message} {hint}"
            error.args = (error.message,)
            error.details["elevenlabs_status"] = status
            return
