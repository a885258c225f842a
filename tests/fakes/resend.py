"""A local fake of the Resend email API (``POST /emails``).

Speaks the documented wire format: Bearer API key; JSON body with ``from``,
``to`` (string or list), ``subject`` and ``html`` and/or ``text``; answers
``{"id": "<uuid>"}``. Errors are flat: ``{"statusCode", "name", "message"}``
(e.g. 401 ``missing_api_key``, 422 ``validation_error``, 429
``rate_limit_exceeded`` with Retry-After).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.server import FakeRequest, FakeResponse


def _error(status: int, name: str, message: str, **headers: str) -> FakeResponse:
    return FakeResponse(status, {"statusCode": status, "name": name, "message": message}, headers)


@dataclass
class FakeResend:
    api_key: str = "re_test_key"
    sent: list[dict[str, Any]] = field(default_factory=list)
    fail_next: list[int] = field(default_factory=list)  # statuses to answer before succeeding

    def __call__(self, request: FakeRequest) -> FakeResponse:
        if (request.method, request.path) != ("POST", "/emails"):
            return _error(404, "not_found", "The requested endpoint does not exist.")
        auth = request.headers.get("authorization", "")
        if not auth.startswith("Bearer "):
            return _error(401, "missing_api_key", "Missing API key in the authorization header.")
        if auth != f"Bearer {self.api_key}":
            return _error(403, "invalid_api_key", "API key is invalid.")
        if self.fail_next:
            status = self.fail_next.pop(0)
            if status == 429:
                return _error(
                    429, "rate_limit_exceeded", "Too many requests.", **{"Retry-After": "0"}
                )
            return _error(status, "internal_server_error", "Unexpected error.")
        body = request.json()
        if not isinstance(body, dict):
            return _error(422, "validation_error", "Body must be a JSON object.")
        for name in ("from", "to", "subject"):
            if not body.get(name):
                return _error(422, "missing_required_field", f"Missing `{name}` field.")
        if "html" not in body and "text" not in body:
            return _error(422, "validation_error", "Missing `html` or `text` field.")
        to = body["to"] if isinstance(body["to"], list) else [body["to"]]
        if len(to) > 50 or any("@" not in str(a) for a in to):
            return _error(422, "validation_error", "Invalid `to` field.")
        message_id = str(uuid.uuid4())
        self.sent.append({**body, "id": message_id, "headers": request.headers})
        return FakeResponse(200, {"id": message_id})
