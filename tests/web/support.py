"""Helpers for API tests: a client over the real app, and sign-up through the mail folder.

``Api.sign_up`` goes the way a person does: ask for a code, read it from the
newest ``.eml`` in ``$REELFORGE_HOME/mail``, verify with it.
"""

from __future__ import annotations

import email
import re
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

from reelforge.config import Settings

CODE = re.compile(r"\b(\d{6})\b")


@dataclass
class Account:
    email: str
    token: str
    user_id: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class Api:
    def __init__(self, client: TestClient, settings: Settings) -> None:
        self.client = client
        self.settings = settings

    def mails(self, to: str | None = None) -> list[email.message.Message]:
        folder = self.settings.home / "mail"
        paths = sorted(folder.glob("*.eml"))  # names start with the time written
        messages = [email.message_from_bytes(p.read_bytes()) for p in paths]
        return [m for m in messages if to is None or m["To"] == to]

    def latest_code(self, to: str) -> str:
        message = self.mails(to)[-1]
        match = CODE.search(str(message["Subject"]))
        assert match, f"no code in {message['Subject']!r}"
        return match.group(1)

    def request_code(self, address: str) -> str:
        answer = self.client.post("/api/v1/auth/code", json={"email": address})
        assert answer.status_code == 202, answer.text
        return self.latest_code(address)

    def sign_up(self, address: str, **extra: Any) -> Account:
        code = self.request_code(address)
        answer = self.client.post(
            "/api/v1/auth/verify",
            json={"email": address, "code": code, "age_confirmed": True, **extra},
        )
        assert answer.status_code == 200, answer.text
        body = answer.json()
        self.client.cookies.clear()  # tests choose bearer or cookie explicitly
        return Account(email=address, token=body["token"], user_id=body["user"]["id"])

    def api_key(self, account: Account, name: str = "test") -> tuple[str, str]:
        answer = self.client.post("/api/v1/api-keys", json={"name": name}, headers=account.headers)
        assert answer.status_code == 201, answer.text
        return answer.json()["id"], answer.json()["key"]


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The response has the one error shape (and the given status/code)."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code
    return dict(body["error"])
