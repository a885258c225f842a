"""A fake OpenAI(-compatible) API that speaks the documented wire format.

Routes are looked up by (method, path) in ``OpenAIFake.routes`` so other
endpoints (e.g. ``/v1/audio/speech``) can be added beside
``chat_completions``. Behaviour that matters to clients is enforced the way
the real service does it: ``Authorization: Bearer`` checked, error bodies
``{"error": {"message", "type", "param", "code"}}``, JSON mode refused unless a
message mentions JSON, 429 with ``Retry-After``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.server import FakeRequest, FakeResponse

Route = Callable[[FakeRequest], FakeResponse]
ROLES = {"system", "developer", "user", "assistant", "tool"}


def error(
    status: int, message: str, *, type: str = "invalid_request_error", code: str | None = None
) -> FakeResponse:
    body = {"error": {"message": message, "type": type, "param": None, "code": code}}
    return FakeResponse(status, body)


def rate_limited(retry_after: str = "1") -> FakeResponse:
    response = error(
        429,
        "Rate limit reached for requests per min. Please try again in 1s.",
        type="requests",
        code="rate_limit_exceeded",
    )
    response.headers["Retry-After"] = retry_after
    return response


def server_error() -> FakeResponse:
    return error(500, "The server had an error while processing your request.", type="server_error")


@dataclass
class OpenAIFake:
    """Serve with ``serve(fake)``. ``replies`` is a queue: a str is the assistant's
    content (200), a FakeResponse is sent as is; when empty, ``default_reply`` is used."""

    api_key: str | None = "sk-test-openai"
    replies: list[str | FakeResponse] = field(default_factory=list)
    default_reply: str = "{}"
    json_mode_supported: bool = True
    finish_reason: str = "stop"
    model: str | None = None  # echoed model name; default: the requested one
    chats: list[dict[str, Any]] = field(default_factory=list)  # request bodies, in order
    times: list[float] = field(default_factory=list)  # monotonic arrival time of each call
    routes: dict[tuple[str, str], Route] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.routes.setdefault(("POST", "/v1/chat/completions"), self.chat_completions)

    def __call__(self, request: FakeRequest) -> FakeResponse:
        self.times.append(time.monotonic())
        route = self.routes.get((request.method, request.path))
        if route is None:
            return error(404, f"Invalid URL ({request.method} {request.path})")
        denied = self.check_auth(request)
        return denied or route(request)

    def check_auth(self, request: FakeRequest) -> FakeResponse | None:
        if self.api_key is None:  # a local server (Ollama, llama.cpp) that needs no key
            return None
        auth = request.headers.get("authorization", "")
        if not auth.startswith("Bearer "):
            return error(
                401,
                "You didn't provide an API key. You need to provide your API key in an "
                "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
            )
        if auth.removeprefix("Bearer ") != self.api_key:
            return error(
                401,
                "Incorrect API key provided: sk-***. You can find your API key at "
                "https://platform.openai.com/account/api-keys.",
                code="invalid_api_key",
            )
        return None

    def _invalid(self, body: Any) -> FakeResponse | None:
        if not isinstance(body, dict) or not isinstance(body.get("model"), str):
            return error(400, "you must provide a model parameter")
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            return error(400, "'messages' must be a non-empty array", code="invalid_value")
        for i, message in enumerate(messages):
            if message.get("role") not in ROLES or not isinstance(message.get("content"), str):
                return error(400, f"Invalid value for 'messages[{i}]'.", code="invalid_value")
        response_format = body.get("response_format")
        if response_format is not None:
            if not self.json_mode_supported:
                return error(400, "Unrecognized request argument supplied: response_format")
            kind = response_format.get("type")
            if kind not in ("text", "json_object", "json_schema"):
                return error(400, f"Invalid value: '{kind}'. response_format.type is invalid.")
            if kind == "json_object" and not any("json" in m["content"].lower() for m in messages):
                return error(
                    400,
                    "'messages' must contain the word 'json' in some form, to use "
                    "'response_format' of type 'json_object'.",
                )
        return None

    def chat_completions(self, request: FakeRequest) -> FakeResponse:
        body = request.json()
        invalid = self._invalid(body)
        if invalid:
            return invalid
        self.chats.append(body)
        reply = self.replies.pop(0) if self.replies else self.default_reply
        if isinstance(reply, FakeResponse):
            return reply
        return FakeResponse(
            200,
            {
                "id": f"chatcmpl-fake{len(self.chats)}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": self.model or body["model"],
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": reply, "refusal": None},
                        "logprobs": None,
                        "finish_reason": self.finish_reason,
                    }
                ],
                "usage": {"prompt_tokens": 50, "completion_tokens": 120, "total_tokens": 170},
            },
        )
