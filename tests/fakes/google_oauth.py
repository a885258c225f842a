"""A fake Google OAuth 2.0 server: authorize (consent simulated), token with PKCE (base64url),
refresh, revoke, with Google's flat error bodies (``{"error": "invalid_grant", …}``).

Routes: ``GET /o/oauth2/v2/auth``, ``POST /token``, ``POST /revoke``. Point
``google_auth_base_url`` at the server and the token/revoke URLs at its paths.
Access tokens it issues are in ``access_tokens`` (share the set with the fake
YouTube so uploads accept them).
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import threading
from dataclasses import dataclass, field
from urllib.parse import urlencode

from tests.fakes.server import FakeRequest, FakeResponse

SCOPE_UPLOAD = "https://www.googleapis.com/auth/youtube.upload"


def _b64(verifier: str) -> str:
    return (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )


@dataclass
class FakeGoogleOAuth:
    client_id: str = "cid.apps.googleusercontent.com"
    client_secret: str = "gsecret"
    rotate_refresh: bool = False  # Google usually keeps the refresh token
    access_tokens: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self.codes: dict[str, tuple[str, str, str]] = {}  # code -> (challenge, redirect, scope)
        self.refresh: dict[str, set[str]] = {}  # refresh token -> its access tokens

    def __call__(self, req: FakeRequest) -> FakeResponse:
        with self._lock:
            if req.method == "GET" and req.path == "/o/oauth2/v2/auth":
                return self._authorize(req)
            if req.method == "POST" and req.path == "/token":
                return self._token(req)
            if req.method == "POST" and req.path == "/revoke":
                return self._revoke(req)
        return FakeResponse(404, {"error": "not_found"})

    @staticmethod
    def _error(error: str, description: str, status: int = 400) -> FakeResponse:
        return FakeResponse(status, {"error": error, "error_description": description})

    def _authorize(self, req: FakeRequest) -> FakeResponse:
        q = {k: v[0] for k, v in req.query.items()}
        if q.get("client_id") != self.client_id:
            return self._error("invalid_client", "The OAuth client was not found.", 401)
        needed = {
            "response_type": "code",
            "access_type": "offline",
            "code_challenge_method": "S256",
        }
        if any(q.get(k) != v for k, v in needed.items()) or not q.get("code_challenge"):
            return self._error(
                "invalid_request", "code, offline access and S256 PKCE are required."
            )
        code = f"4/code{next(self._ids)}"
        self.codes[code] = (q["code_challenge"], q.get("redirect_uri", ""), q.get("scope", ""))
        query = urlencode({"code": code, "state": q.get("state", ""), "scope": q.get("scope", "")})
        return FakeResponse(302, b"", {"Location": f"{q.get('redirect_uri')}?{query}"})

    def _issue_access(self, refresh: str) -> str:
        access = f"ya29.fake{next(self._ids)}"
        self.refresh[refresh].add(access)
        self.access_tokens.add(access)
        return access

    def _token(self, req: FakeRequest) -> FakeResponse:
        form = req.form()
        if (
            form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
        ):
            return self._error("invalid_client", "Unauthorized", 401)
        if form.get("grant_type") == "authorization_code":
            found = self.codes.pop(form.get("code", ""), None)
            if found is None or form.get("redirect_uri") != found[1]:
                return self._error("invalid_grant", "Malformed auth code.")
            if _b64(form.get("code_verifier", "")) != found[0]:
                return self._error("invalid_grant", "Invalid code verifier.")
            refresh = f"1//refresh{next(self._ids)}"
            self.refresh[refresh] = set()
            return FakeResponse(
                200,
                {
                    "access_token": self._issue_access(refresh),
                    "expires_in": 3599,
                    "refresh_token": refresh,
                    "scope": found[2],
                    "token_type": "Bearer",
                },
            )
        if form.get("grant_type") == "refresh_token":
            refresh = form.get("refresh_token", "")
            if refresh not in self.refresh:
                return self._error("invalid_grant", "Token has been expired or revoked.")
            body = {"expires_in": 3599, "scope": SCOPE_UPLOAD, "token_type": "Bearer"}
            if self.rotate_refresh:
                old, refresh = refresh, f"1//refresh{next(self._ids)}"
                self.refresh[refresh] = self.refresh.pop(old)
                body["refresh_token"] = refresh
            body["access_token"] = self._issue_access(refresh)
            return FakeResponse(200, body)
        return self._error("unsupported_grant_type", "Invalid grant_type.")

    def _revoke(self, req: FakeRequest) -> FakeResponse:
        token = req.form().get("token", "")
        for refresh, accesses in list(self.refresh.items()):
            if token == refresh or token in accesses:
                self.access_tokens.difference_update(accesses)
                del self.refresh[refresh]
                return FakeResponse(200, {})
        return self._error("invalid_token", "Token expired or revoked")
