"""A fake Anthropic Messages API (``POST /v1/messages``) in the documented wire format.

Enforced like the real service: ``x-api-key`` and ``anthropic-version``
headers, ``max_tokens`` required, roles ``user``/``assistant`` only (the
system prompt is a top-level field), turns starting with ``user``. Errors come
as ``{"type": "error", "error": {"type", "message"}}``, including 529
``overloaded_error``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.server import FakeRequest, FakeResponse


def error(status: int, type: str, message: str) -> FakeResponse:
    return FakeResponse(status, {"type": "error", "error": {"type": type, "message": message}})


def rate_limited(retry_after: str = "1") -> FakeResponse:
    response = error(429, "rate_limit_error", "Number of request tokens has exceeded your limit.")
    response.headers["retry-after"] = retry_after
    return response


def overloaded() -> FakeResponse:
    return error(529, "overloaded_error", "Overloaded")


def server_error() -> FakeResponse:
    return error(500, "api_error", "Internal server error")


@dataclass
class AnthropicFake:
    """``replies`` queue: a str is the text answer, a FakeResponse is sent as is."""

    api_key: str = "sk-ant-test"
    version: str = "2023-06-01"
    replies: list[str | FakeResponse] = field(default_factory=list)
    default_reply: str = "{}"
    stop_reason: str = "end_turn"
    bodies: list[dict[str, Any]] = field(default_factory=list)
    times: list[float] = field(default_factory=list)

    def __call__(self, request: FakeRequest) -> FakeResponse:
        self.times.append(time.monotonic())
        if (request.method, request.path) != ("POST", "/v1/messages"):
            return error(404, "not_found_error", f"Not found: {request.path}")
        if request.headers.get("x-api-key") != self.api_key:
            return error(401, "authentication_error", "invalid x-api-key")
        if request.headers.get("anthropic-version") != self.version:
            return error(400, "invalid_request_error", "anthropic-version: header is required")
        body = request.json()
        invalid = self._invalid(body)
        if invalid:
            return invalid
        self.bodies.append(body)
        reply = self.replies.pop(0) if self.replies else self.default_reply
        if isinstance(reply, FakeResponse):
            return reply
        return FakeResponse(
            200,
            {
                "id": f"msg_fake{len(self.bodies)}",
                "type": "message",
                "role": "assistant",
                "model": body["model"],
                "content": [{"type": "text", "text": reply}],
                "stop_reason": self.stop_reason,
                "stop_sequence": None,
                "usage": {"input_tokens": 50, "output_tokens": 120},
            },
        )

    def _invalid(self, body: Any) -> FakeResponse | None:
        bad = "invalid_request_error"
        if not isinstance(body, dict) or not isinstance(body.get("model"), str):
            return error(400, bad, "model: Field required")
        if not isinstance(body.get("max_tokens"), int) or body["max_tokens"] < 1:
            return error(400, bad, "max_tokens: Field required")
        if "system" in body and not isinstance(body["system"], str | list):
            return error(400, bad, "system: Input should be a valid string")
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            return error(400, bad, "messages: at least one message is required")
        for i, message in enumerate(messages):
            role = message.get("role")
            if role not in ("user", "assistant"):
                return error(400, bad, f"messages.{i}.role: Input should be 'user' or 'assistant'")
            expected = "user" if i % 2 == 0 else "assistant"
            if role != expected:
                return error(400, bad, "messages: roles must alternate between user and assistant")
            if not isinstance(message.get("content"), str | list):
                return error(400, bad, f"messages.{i}.content: Field required")
        return None
