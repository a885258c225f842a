"""A fake Gemini API (``POST /v1beta/models/{model}:generateContent``), documented format.

Enforced like the real service: the key in ``x-goog-api-key`` (or ``?key=``),
an invalid key answered as HTTP 400 ``INVALID_ARGUMENT`` with reason
``API_KEY_INVALID``, unknown request fields rejected, roles ``user``/``model``.
Errors: ``{"error": {"code", "message", "status"}}``.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.server import FakeRequest, FakeResponse

_PATH = re.compile(r"^/v1beta/models/([^/:]+):generateContent$")
_FIELDS = {
    "contents",
    "systemInstruction",
    "generationConfig",
    "safetySettings",
    "tools",
    "toolConfig",
    "cachedContent",
}
_CONFIG_FIELDS = {
    "temperature",
    "topP",
    "topK",
    "candidateCount",
    "maxOutputTokens",
    "stopSequences",
    "responseMimeType",
    "responseSchema",
    "responseJsonSchema",
    "thinkingConfig",
}
_MIME = {"text/plain", "application/json", "text/x.enum"}


def error(code: int, status: str, message: str, reason: str | None = None) -> FakeResponse:
    body: dict[str, Any] = {"error": {"code": code, "message": message, "status": status}}
    if reason:
        body["error"]["details"] = [
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": reason,
                "domain": "googleapis.com",
                "metadata": {"service": "generativelanguage.googleapis.com"},
            }
        ]
    return FakeResponse(code, body)


def rate_limited(retry_after: str = "1") -> FakeResponse:
    response = error(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).")
    response.headers["Retry-After"] = retry_after
    return response


def unavailable() -> FakeResponse:
    return error(503, "UNAVAILABLE", "The model is overloaded. Please try again later.")


def blocked(reason: str = "SAFETY") -> FakeResponse:
    return FakeResponse(
        200,
        {
            "promptFeedback": {"blockReason": reason, "safetyRatings": []},
            "usageMetadata": {"promptTokenCount": 40, "totalTokenCount": 40},
        },
    )


@dataclass
class GeminiFake:
    """``replies`` queue: a str is the text answer, a FakeResponse is sent as is."""

    api_key: str = "AIza-test-gemini"
    replies: list[str | FakeResponse] = field(default_factory=list)
    default_reply: str = "{}"
    finish_reason: str = "STOP"
    bodies: list[dict[str, Any]] = field(default_factory=list)
    models: list[str] = field(default_factory=list)  # model named in each request's path
    times: list[float] = field(default_factory=list)

    def __call__(self, request: FakeRequest) -> FakeResponse:
        self.times.append(time.monotonic())
        match = _PATH.match(request.path)
        if request.method != "POST" or not match:
            return error(404, "NOT_FOUND", f"Method not found: {request.path}")
        key = request.headers.get("x-goog-api-key") or request.arg("key")
        if not key:
            return error(
                403,
                "PERMISSION_DENIED",
                "Method doesn't allow unregistered callers (callers without established "
                "identity). Please use API Key or other form of API consumer identity.",
            )
        if key != self.api_key:
            return error(
                400,
                "INVALID_ARGUMENT",
                "API key not valid. Please pass a valid API key.",
                reason="API_KEY_INVALID",
            )
        body = request.json()
        invalid = self._invalid(body)
        if invalid:
            return invalid
        self.bodies.append(body)
        self.models.append(match.group(1))
        reply = self.replies.pop(0) if self.replies else self.default_reply
        if isinstance(reply, FakeResponse):
            return reply
        return FakeResponse(
            200,
            {
                "candidates": [
                    {
                        "content": {"parts": [{"text": reply}], "role": "model"},
                        "finishReason": self.finish_reason,
                        "index": 0,
                    }
                ],
                "usageMetadata": {
                    "promptTokenCount": 50,
                    "candidatesTokenCount": 120,
                    "totalTokenCount": 170,
                },
                "modelVersion": match.group(1),
            },
        )

    def _invalid(self, body: Any) -> FakeResponse | None:
        def bad(message: str) -> FakeResponse:
            return error(400, "INVALID_ARGUMENT", message)

        if not isinstance(body, dict):
            return bad("Invalid JSON payload received.")
        for name in body:
            if name not in _FIELDS:
                return bad(
                    f'Invalid JSON payload received. Unknown name "{name}": Cannot find field.'
                )
        contents = body.get("contents")
        if not isinstance(contents, list) or not contents:
            return bad("* GenerateContentRequest.contents: contents is not specified")
        for content in [*contents, body.get("systemInstruction") or {"parts": [{"text": "-"}]}]:
            if content.get("role", "user") not in ("user", "model"):
                return bad("Please use a valid role: user, model.")
            parts = content.get("parts")
            if not isinstance(parts, list) or not all(
                isinstance(p.get("text"), str) for p in parts
            ):
                return bad(
                    "* GenerateContentRequest.contents.parts: contents.parts must not be empty"
                )
        config = body.get("generationConfig") or {}
        for name in config:
            if name not in _CONFIG_FIELDS:
                return bad(
                    f'Invalid JSON payload received. Unknown name "{name}" at '
                    "'generation_config': Cannot find field."
                )
        mime = config.get("responseMimeType")
        if mime is not None and mime not in _MIME:
            return bad(
                f"* GenerateContentRequest.generation_config.response_mime_type: "
                f"allowed mimetypes are {sorted(_MIME)}"
            )
        return None
