"""A fake of OpenAI's ``POST /v1/audio/speech`` that speaks its documented wire format.

JSON body ``model``, ``input`` (≤ 4096 chars), ``voice``, optional
``response_format`` (mp3 default; this fake serves ``wav`` and ``pcm``) with
``Authorization: Bearer``; the answer is the raw audio bytes. Errors use
OpenAI's ``{"error": {"message", "type", "param", "code"}}``; 429 carries
``Retry-After``. Like the real service, WAV is sent the way a stream is: with
0xFFFFFFFF placeholder sizes in the RIFF and data headers.

The audio comes from ``synthesize(text) -> WAV bytes``: a tone by default, or a
real voice (tests pass piper) so forced alignment has speech to align.
"""

from __future__ import annotations

import io
import wave
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tests.fakes.server import FakeRequest, FakeResponse

VOICES = {"alloy", "ash", "ballad", "coral", "echo", "fable", "onyx", "nova", "sage", "shimmer",
          "verse", "marin", "cedar"}  # fmt: skip
MAX_INPUT = 4096


def error(status: int, message: str, *, type: str = "invalid_request_error",
          code: str | None = None, param: str | None = None) -> FakeResponse:  # fmt: skip
    return FakeResponse(status, {"error": {"message": message, "type": type, "param": param,
                                           "code": code}})  # fmt: skip


def rate_limited(retry_after: str = "0") -> FakeResponse:
    response = error(429, "Rate limit reached for tts-1 in organization org-fake on requests "
                     "per min (RPM): Limit 3, Used 3, Requested 1.", type="requests",
                     code="rate_limit_exceeded")  # fmt: skip
    response.headers["Retry-After"] = retry_after
    return response


def server_error() -> FakeResponse:
    return error(500, "The server had an error while processing your request. Sorry about that!",
                 type="server_error")  # fmt: skip


def tone_wav(text: str, *, sample_rate: int = 24000) -> bytes:
    """A 440 Hz tone, 0.08 s per character: audio, but not speech."""
    frames = int(sample_rate * max(0.3, 0.08 * len(text)))
    t = np.arange(frames) / sample_rate
    samples = (8000 * np.sin(2 * np.pi * 440 * t)).astype("<i2").tobytes()
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(sample_rate)
        wav.writeframes(samples)
    return out.getvalue()


def as_streamed(wav_bytes: bytes) -> bytes:
    """Overwrite the RIFF and data sizes with 0xFFFFFFFF, as OpenAI's streamed WAV has them."""
    data = bytearray(wav_bytes)
    data[4:8] = b"\xff\xff\xff\xff"
    at = data.find(b"data")
    data[at + 4 : at + 8] = b"\xff\xff\xff\xff"
    return bytes(data)


@dataclass
class OpenAISpeechFake:
    """Serve with ``serve(fake)``. ``replies`` is a queue of FakeResponses sent before
    the fake starts answering normally (e.g. ``[rate_limited(), server_error()]``)."""

    api_key: str = "sk-test-openai"
    synthesize: Callable[[str], bytes] = tone_wav
    replies: list[FakeResponse] = field(default_factory=list)
    bodies: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, request: FakeRequest) -> FakeResponse:
        if (request.method, request.path) != ("POST", "/v1/audio/speech"):
            return error(404, f"Invalid URL ({request.method} {request.path})")
        auth = request.headers.get("authorization", "")
        if auth.removeprefix("Bearer ") != self.api_key or not auth.startswith("Bearer "):
            return error(401, "Incorrect API key provided: sk-***. You can find your API key at "
                         "https://platform.openai.com/account/api-keys.", code="invalid_api_key")  # fmt: skip
        if self.replies:
            return self.replies.pop(0)
        body = request.json()
        invalid = self._invalid(body)
        if invalid:
            return invalid
        self.bodies.append(body)
        audio = self.synthesize(body["input"])
        if body.get("response_format") == "pcm":
            with wave.open(io.BytesIO(audio)) as wav:
                return FakeResponse(200, wav.readframes(wav.getnframes()),
                                    {"Content-Type": "audio/pcm"})  # fmt: skip
        return FakeResponse(200, as_streamed(audio), {"Content-Type": "audio/wav"})

    def _invalid(self, body: Any) -> FakeResponse | None:
        if not isinstance(body, dict):
            return error(400, "We could not parse the JSON body of your request.")
        for name in ("model", "input", "voice"):
            if not body.get(name):
                return error(400, f"Missing required parameter: '{name}'.", param=name)
        if len(body["input"]) > MAX_INPUT:
            return error(400, f"'input' is too long: at most {MAX_INPUT} characters.",
                         param="input", code="string_above_max_length")  # fmt: skip
        if body["voice"] not in VOICES:
            return error(400, f"Invalid value for 'voice': {body['voice']!r}.", param="voice")
        fmt = body.get("response_format", "mp3")
        if fmt not in ("mp3", "opus", "aac", "flac", "wav", "pcm"):
            return error(400, f"Invalid value for 'response_format': {fmt!r}.",
                         param="response_format")  # fmt: skip
        if fmt not in ("wav", "pcm"):
            return error(400, f"This fake serves wav and pcm only, not {fmt!r}.")
        return None
