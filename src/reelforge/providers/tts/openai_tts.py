"""OpenAI text-to-speech (or any server speaking ``/v1/audio/speech``), timed by forced alignment.

``POST {openai_base_url}/v1/audio/speech`` with a bearer key and JSON
``model``, ``input``, ``voice``, ``response_format: "wav"`` answers with the
audio bytes and no timings, so the words are timed offline by forced
alignment against the text we sent (:mod:`reelforge.providers.tts.align`). The WAV
is re-written by ffmpeg because OpenAI streams WAV with placeholder sizes in
its header, which Python's ``wave`` module and some players misread.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from reelforge.errors import ProviderError
from reelforge.providers.base import TTS
from reelforge.providers.tts.align import align_words
from reelforge.providers.tts.audio import decode_to_wav, wav_duration
from reelforge.providers.types.media import Speech

MAX_INPUT_CHARS = 4096  # the endpoint's documented limit


class OpenAITTS(TTS):
    name: ClassVar[str] = "openai"
    needs_key: ClassVar[bool] = True
    remote: ClassVar[bool] = True
    key_setting: ClassVar[str | None] = "openai_api_key"

    def setup(self) -> None:
        self._key = self.api_key()

    def cache_identity(self) -> dict[str, str]:
        return {"voice": self.settings.openai_tts_voice, "model": self.settings.openai_tts_model}

    def speak(self, *, text: str, out_path: Path) -> Speech:
        if len(text) > MAX_INPUT_CHARS:
            raise ProviderError(
                f"OpenAI speech takes at most {MAX_INPUT_CHARS} characters; this narration has "
                f"{len(text)}. Split it across scenes.",
                provider=self.name,
            )
        http = self.http_client(
            self.settings.openai_base_url, headers={"Authorization": f"Bearer {self._key}"}
        )
        try:
            response = http.request(
                "POST",
                "/v1/audio/speech",
                json={
                    "model": self.settings.openai_tts_model,
                    "input": text,
                    "voice": self.settings.openai_tts_voice,
                    "response_format": "wav",
                },
            )
        finally:
            http.close()
        if response.headers.get("content-type", "").startswith("application/json"):
            raise ProviderError(
                f"OpenAI speech answered JSON instead of audio: {response.text[:200]}",
                provider=self.name,
            )
        decode_to_wav(response.content, out_path=out_path, provider=self.name, suffix=".wav",
                      ffmpeg=self.settings.ffmpeg)  # fmt: skip
        words = align_words(audio_path=out_path, text=text, ffmpeg=self.settings.ffmpeg)
        return Speech(
            path=out_path, duration=wav_duration(out_path), words=words, timing_source="alignment"
        )
