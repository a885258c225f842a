"""A fake of OpenAI's ``POST /v1/images/generations``.

Speaks the documented format: bearer auth; ``model``, ``prompt``, ``n``,
``size``; GPT image models accept 1024x1024/1536x1024/1024x1536, answer
``b64_json`` and reject ``response_format``; DALL·E 3 accepts
1024x1024/1792x1024/1024x1792 and ``response_format`` url|b64_json. Errors are
``{"error": {"message", "type", "param", "code"}}``. Images are tiny PNGs
(the real ones are the requested size; tests do not need the pixels).
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field
from typing import Any

from PIL import Image

from tests.fakes.server import FakeRequest, FakeResponse

KEY = "sk-test-images"
SIZES = {
    "gpt-image-1": {"1024x1024", "1536x1024", "1024x1536", "auto"},
    "dall-e-3": {"1024x1024", "1792x1024", "1024x1792"},
}


def png_bytes(width: int = 32, height: int = 48) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#224466").save(buffer, format="PNG")
    return buffer.getvalue()


def _error(
    status: int, message: str, *, type_: str, param: str | None, code: str | None
) -> FakeResponse:
    return FakeResponse(
        status, {"error": {"message": message, "type": type_, "param": param, "code": code}}
    )


@dataclass
class FakeOpenAIImages:
    key: str = KEY
    base_url: str = ""
    rate_limited: int = 0
    #: Answer with a URL even when b64_json was asked (as some compatible servers do).
    answer_with_url: bool = False
    bodies: list[dict[str, Any]] = field(default_factory=list)

    def handle(self, request: FakeRequest) -> FakeResponse:
        if request.path.startswith("/files/"):
            if request.headers.get("authorization"):
                return FakeResponse(400, "the file host must never receive the API key")
            return FakeResponse(200, png_bytes(), {"Content-Type": "image/png"})
        if request.method != "POST" or request.path != "/v1/images/generations":
            return _error(404, "Not found", type_="invalid_request_error", param=None, code=None)
        if request.headers.get("authorization") != f"Bearer {self.key}":
            return _error(
                401,
                "Incorrect API key provided.",
                type_="invalid_request_error",
                param=None,
                code="invalid_api_key",
            )
        if self.rate_limited > 0:
            self.rate_limited -= 1
            response = _error(
                429,
                "Rate limit reached for images.",
                type_="requests",
                param=None,
                code="rate_limit_exceeded",
            )
            response.headers["Retry-After"] = "0"
            return response
        body = request.json()
        self.bodies.append(body)
        model = body.get("model", "dall-e-2")
        if model not in SIZES:
            return _error(
                404,
                f"The model '{model}' does not exist.",
                type_="invalid_request_error",
                param="model",
                code="model_not_found",
            )
        if not body.get("prompt"):
            return _error(
                400,
                "Missing required parameter: 'prompt'.",
                type_="invalid_request_error",
                param="prompt",
                code="missing_required_parameter",
            )
        size = body.get("size", "1024x1024")
        if size not in SIZES[model]:
            return _error(
                400,
                f"Invalid value: '{size}'.",
                type_="invalid_request_error",
                param="size",
                code="invalid_value",
            )
        fmt = body.get("response_format")
        if model.startswith("gpt-image") and fmt is not None:
            return _error(
                400,
                "Unknown parameter: 'response_format'.",
                type_="invalid_request_error",
                param="response_format",
                code="unknown_parameter",
            )
        wants_url = fmt == "url" or (model.startswith("dall-e") and fmt is None)
        if wants_url or self.answer_with_url:
            item = {"url": f"{self.base_url}/files/img-1.png", "revised_prompt": body["prompt"]}
        else:
            item = {"b64_json": base64.b64encode(png_bytes()).decode()}
        return FakeResponse(200, {"created": 1_700_000_000, "data": [item]})
