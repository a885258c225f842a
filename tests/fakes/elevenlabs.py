"""A fake of ElevenLabs' ``POST /v1/text-to-speech/{voice_id}/with-timestamps``.

Wire format as documented: header ``xi-api-key``; JSON ``text`` and
``model_id``; query ``output_format`` (``mp3_44100_128`` default, ``pcm_*``
raw 16-bit samples); the answer is JSON ``audio_base64`` plus ``alignment``
and ``normalized_alignment``, each ``{characters, character_start_times_seconds,
character_end_times_seconds}``. Errors as ElevenLabs sends them:
``{"detail": {"status": ..., "message": ...}}`` — 401 ``invalid_api_key`` and
``quota_exceeded``, 400 ``voice_not_found``, 429 ``too_many_concurrent_requests``,
422 validation errors as a list.

The fake's "voice" is a tone, and its timings give each character
``seconds_per_char`` after a short lead-in, so tests can predict every word's
time exactly.
"""

from __future__ import annotations

import base64
import re
import subprocess
from dataclasses import dataclass, field
from typing import Any

import imageio_ffmpeg
import numpy as np

from tests.fakes.server import FakeRequest, FakeResponse

_ROUTE = re.compile(r"/v1/text-to-speech/(?P<voice>[^/]+)/with-timestamps")


def detail(status_code: int, status: str, message: str) -> FakeResponse:
    return FakeResponse(status_code, {"detail": {"status": status, "message": message}})


def too_many_concurrent() -> FakeResponse:
    return detail(429, "too_many_concurrent_requests", "Too many concurrent requests. Your "
                  "current subscription is associated with a maximum of 2 concurrent requests.")  # fmt: skip


def server_error() -> FakeResponse:
    return FakeResponse(500, {"detail": {"status": "internal_error", "message": "Internal error"}})


def tone_pcm(seconds: float, sample_rate: int) -> bytes:
    t = np.arange(int(seconds * sample_rate)) / sample_rate
    return (6000 * np.sin(2 * np.pi * 330 * t)).astype("<i2").tobytes()


def mp3(pcm: bytes, sample_rate: int) -> bytes:
    """Encode raw mono 16-bit PCM to MP3 with the bundled ffmpeg (libmp3lame)."""
    proc = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-f", "s16le",
         "-ar", str(sample_rate), "-ac", "1", "-i", "pipe:0", "-c:a", "libmp3lame", "-b:a",
         "64k", "-f", "mp3", "pipe:1"],
        input=pcm, capture_output=True, check=True,
    )  # fmt: skip
    return proc.stdout


@dataclass
class ElevenLabsFake:
    """Serve with ``serve(fake)``. ``replies`` are sent (in order) before normal answers."""

    api_key: str = "el-test-key"
    voices: set[str] = field(default_factory=lambda: {"21m00Tcm4TlvDq8Ikachm"})
    seconds_per_char: float = 0.05
    lead_in: float = 0.1
    credits: int | None = None  # characters left; None = unlimited
    replies: list[FakeResponse] = field(default_factory=list)
    bodies: list[dict[str, Any]] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)

    def __call__(self, request: FakeRequest) -> FakeResponse:
        route = _ROUTE.fullmatch(request.path)
        if request.method != "POST" or route is None:
            return FakeResponse(404, {"detail": "Not Found"})
        if request.headers.get("xi-api-key") != self.api_key:
            return detail(401, "invalid_api_key", "Invalid API key")
        if self.replies:
            return self.replies.pop(0)
        body = request.json()
        if not isinstance(body, dict) or not isinstance(body.get("text"), str):
            return FakeResponse(422, {"detail": [{"loc": ["body", "text"],
                                                  "msg": "Field required", "type": "missing"}]})  # fmt: skip
        if route["voice"] not in self.voices:
            return detail(400, "voice_not_found",
                          f"A voice with voice_id {route['voice']} was not found.")  # fmt: skip
        text = body["text"]
        if self.credits is not None and len(text) > self.credits:
            return detail(401, "quota_exceeded", f"This request exceeds your quota of 10000. You "
                          f"have {self.credits} credits remaining, while {len(text)} credits "
                          "are required for this request.")  # fmt: skip
        fmt = request.arg("output_format", "mp3_44100_128") or "mp3_44100_128"
        self.bodies.append(body)
        self.formats.append(fmt)
        return FakeResponse(200, self.answer(text, fmt))

    def timings(self, text: str) -> dict[str, Any]:
        starts = [round(self.lead_in + i * self.seconds_per_char, 3) for i in range(len(text))]
        return {
            "characters": list(text),
            "character_start_times_seconds": starts,
            "character_end_times_seconds": [round(s + self.seconds_per_char, 3) for s in starts],
        }

    def answer(self, text: str, fmt: str) -> dict[str, Any]:
        rate = int(fmt.split("_")[1])
        pcm = tone_pcm(self.lead_in + self.seconds_per_char * len(text) + 0.3, rate)
        audio = pcm if fmt.startswith("pcm_") else mp3(pcm, rate)
        return {
            "audio_base64": base64.b64encode(audio).decode(),
            "alignment": self.timings(text),
            "normalized_alignment": self.timings(text),
        }
