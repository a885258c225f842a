"""Google OAuth 2.0 for YouTube uploads: authorize URL, code exchange, refresh, revoke.

Wire facts (developers.google.com/identity/protocols/oauth2/web-server):

* Browser → ``{auth_base}/o/oauth2/v2/auth?client_id&redirect_uri&response_type=code
  &scope&access_type=offline&prompt=consent&state&code_challenge&code_challenge_method=S256``
  (``access_type=offline`` + ``prompt=consent`` make Google return a refresh token).
* ``POST {token_url}`` form ``client_id``, ``client_secret``, ``code``, ``code_verifier``,
  ``grant_type=authorization_code``, ``redirect_uri`` → ``access_token``, ``expires_in``,
  ``refresh_token``, ``scope`` (space list), ``token_type``; refresh with
  ``grant_type=refresh_token`` (usually no new refresh token: keep the old one).
* ``POST {revoke_url}`` form ``token``.
* Errors: ``{"error": "invalid_grant", "error_description"}`` → :class:`ReconsentRequired`.
* PKCE challenges are unpadded base64url (RFC 7636), unlike TikTok's hex default.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from reelforge.clock import utc_now
from reelforge.errors import ConfigError, PlatformError, ProviderError
from reelforge.providers.platforms import pkce
from reelforge.providers.platforms._http import json_body, platform_client
from reelforge.providers.platforms.error_codes import google_oauth_error, youtube_error
from reelforge.providers.types.publishing import AuthorizationRequest, ConnectionTokens

SCOPE_UPLOAD = "https://www.googleapis.com/auth/youtube.upload"
CALLBACK_PATH = "/api/v1/connections/youtube/callback"


def map_google_response(response: httpx.Response, retry_after: float | None) -> ProviderError:
    """A non-2xx Google answer (OAuth-style or API-style error body) → a clear error."""
    return google_error_from(json_body(response), status=response.status_code) or youtube_error(
        "backendError" if response.status_code >= 500 else "",
        message=response.text[:200],
        status=response.status_code,
        retry_after=retry_after,
    )


def google_error_from(body: Any, *, status: int) -> PlatformError | None:
    if not isinstance(body, dict):
        return None
    err = body.get("error")
    if isinstance(err, str) and err:
        return google_oauth_error(err, description=str(body.get("error_description") or ""))
    if isinstance(err, dict):
        errors = err.get("errors") or [{}]
        reason = str(errors[0].get("reason") or "") if isinstance(errors[0], dict) else ""
        return youtube_error(reason, message=str(err.get("message") or ""), status=status)
    return None


def _secret(value: Any) -> str:
    if value is None:
        return ""
    return str(value.get_secret_value() if hasattr(value, "get_secret_value") else value)


class GoogleOAuth:
    """Connect a YouTube channel (scope youtube.upload, offline access)."""

    name = "youtube"

    def __init__(self, settings: Any, *, transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings
        self.client_id = str(settings.google_client_id or "")
        self.client_secret = _secret(settings.google_client_secret)
        if not self.client_id or not self.client_secret:
            raise ConfigError(
                "Connecting YouTube needs a Google OAuth client: set REELFORGE_GOOGLE_CLIENT_ID "
                "and REELFORGE_GOOGLE_CLIENT_SECRET (Google Cloud console → Credentials).",
                details={"setting": "REELFORGE_GOOGLE_CLIENT_ID"},
            )
        self.http = platform_client(
            settings,
            provider="youtube",
            base_url=settings.google_token_url,
            mapper=map_google_response,
            transport=transport,
            retries=False,
        )

    def redirect_uri(self) -> str:
        uri = self.settings.google_redirect_uri or (
            str(self.settings.public_url).rstrip("/") + CALLBACK_PATH
        )
        parts = urlsplit(uri)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.fragment:
            raise ConfigError(
                f"The Google redirect URI {uri!r} must be an absolute URL without a fragment; "
                "set REELFORGE_GOOGLE_REDIRECT_URI and register it in the Google Cloud console.",
                details={"setting": "REELFORGE_GOOGLE_REDIRECT_URI"},
            )
        return uri

    def authorize(
        self,
        *,
        state: str | None = None,
        scopes: Sequence[str] = (SCOPE_UPLOAD,),
        redirect_uri: str | None = None,
        code_verifier: str | None = None,
    ) -> AuthorizationRequest:
        verifier = pkce.check_verifier(code_verifier) if code_verifier else pkce.new_verifier()
        state = state or pkce.new_state()
        uri = redirect_uri or self.redirect_uri()
        query = urlencode(
            {
                "client_id": self.client_id,
                "redirect_uri": uri,
                "response_type": "code",
                "scope": " ".join(scopes),
                "access_type": "offline",
                "prompt": "consent",
                "include_granted_scopes": "true",
                "state": state,
                "code_challenge": pkce.challenge(verifier, "base64url"),
                "code_challenge_method": "S256",
            }
        )
        base = str(self.settings.google_auth_base_url).rstrip("/")
        return AuthorizationRequest(
            url=f"{base}/o/oauth2/v2/auth?{query}",
            state=state,
            code_verifier=verifier,
            redirect_uri=uri,
        )

    def _token_call(
        self, form: dict[str, str], *, now: datetime | None, keep_refresh: str | None = None
    ) -> ConnectionTokens:
        response = self.http.request(
            "POST",
            str(self.settings.google_token_url),
            data={"client_id": self.client_id, "client_secret": self.client_secret, **form},
        )
        body = json_body(response)
        found = google_error_from(body, status=response.status_code)
        if found is not None:
            raise found
        if not isinstance(body, dict) or "access_token" not in body:
            raise ProviderError("Google's token answer lacks access_token.", provider="youtube")
        now = now or utc_now()
        refresh = body.get("refresh_token") or keep_refresh
        refresh_in = body.get("refresh_token_expires_in")
        return ConnectionTokens(
            access_token=str(body["access_token"]),
            refresh_token=str(refresh) if refresh else None,
            expires_at=now + timedelta(seconds=float(body.get("expires_in") or 3600)),
            refresh_expires_at=now + timedelta(seconds=float(refresh_in)) if refresh_in else None,
            scopes=tuple(str(body.get("scope") or "").split()),
            open_id=None,
        )

    def exchange_code(
        self,
        *,
        code: str,
        code_verifier: str,
        redirect_uri: str | None = None,
        now: datetime | None = None,
    ) -> ConnectionTokens:
        tokens = self._token_call(
            {
                "code": code,
                "code_verifier": code_verifier,
                "grant_type": "authorization_code",
                "redirect_uri": redirect_uri or self.redirect_uri(),
            },
            now=now,
        )
        if tokens.refresh_token is None:
            raise ProviderError(
                "Google gave no refresh token, so reelforge could not post later. Remove "
                "reelforge's access at myaccount.google.com/permissions and connect again.",
                provider="youtube",
            )
        return tokens

    def refresh(self, *, refresh_token: str, now: datetime | None = None) -> ConnectionTokens:
        """New access token; a rotated refresh token is used when Google sends one."""
        return self._token_call(
            {"grant_type": "refresh_token", "refresh_token": refresh_token},
            now=now,
            keep_refresh=refresh_token,
        )

    def revoke(self, *, token: str) -> None:
        """Revoke the grant at Google; a token Google no longer knows counts as revoked."""
        try:
            self.http.request("POST", str(self.settings.google_revoke_url), data={"token": token})
        except PlatformError as exc:
            if exc.platform_code != "invalid_token":
                raise

    def close(self) -> None:
        self.http.close()
