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

The flow shared with TikTok is :class:`~reelforge.providers.platforms.oauth.PkceOAuth`;
this module states Google's names, its error bodies, offline access and its revoke.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from reelforge.errors import ConfigError, PlatformError, ProviderError
from reelforge.providers.platforms import pkce
from reelforge.providers.platforms._http import json_body
from reelforge.providers.platforms.error_codes import google_oauth_error, youtube_error
from reelforge.providers.platforms.oauth import PkceOAuth
from reelforge.providers.types.publishing import ConnectionTokens

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


class GoogleOAuth(PkceOAuth):
    """Connect a YouTube channel (scope youtube.upload, offline access)."""

    provider = "youtube"
    label = "Google"
    client_id_param = "client_id"
    client_id_setting = "google_client_id"
    client_secret_setting = "google_client_secret"
    missing_app = (
        "Connecting YouTube needs a Google OAuth client: set REELFORGE_GOOGLE_CLIENT_ID "
        "and REELFORGE_GOOGLE_CLIENT_SECRET (Google Cloud console → Credentials)."
    )
    redirect_setting = "google_redirect_uri"
    callback_path = CALLBACK_PATH
    default_scopes = (SCOPE_UPLOAD,)
    default_expires_in = 3600.0

    def api_base_url(self) -> str:
        return str(self.settings.google_token_url)

    def token_url(self) -> str:
        return str(self.settings.google_token_url)

    def authorize_endpoint(self) -> str:
        return str(self.settings.google_auth_base_url).rstrip("/") + "/o/oauth2/v2/auth"

    def challenge(self, verifier: str) -> str:
        return pkce.challenge(verifier, "base64url")

    def check_redirect_uri(self, uri: str) -> str:
        parts = urlsplit(uri)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.fragment:
            raise ConfigError(
                f"The Google redirect URI {uri!r} must be an absolute URL without a fragment; "
                "set REELFORGE_GOOGLE_REDIRECT_URI and register it in the Google Cloud console.",
                details={"setting": "REELFORGE_GOOGLE_REDIRECT_URI"},
            )
        return uri

    def authorize_extras(self) -> dict[str, str]:
        # access_type=offline + prompt=consent: Google returns a refresh token
        return {"access_type": "offline", "prompt": "consent", "include_granted_scopes": "true"}

    def error_in(self, body: Any, *, status: int) -> PlatformError | None:
        return google_error_from(body, status=status)

    def map_response(self, response: httpx.Response, retry_after: float | None) -> ProviderError:
        return map_google_response(response, retry_after)

    def exchange_code(
        self,
        *,
        code: str,
        code_verifier: str,
        redirect_uri: str | None = None,
        now: datetime | None = None,
    ) -> ConnectionTokens:
        tokens = super().exchange_code(
            code=code, code_verifier=code_verifier, redirect_uri=redirect_uri, now=now
        )
        if tokens.refresh_token is None:
            raise ProviderError(
                "Google gave no refresh token, so reelforge could not post later. Remove "
                "reelforge's access at myaccount.google.com/permissions and connect again.",
                provider="youtube",
            )
        return tokens

    def revoke(self, *, token: str) -> None:
        """Revoke the grant at Google; a token Google no longer knows counts as revoked."""
        try:
            self.http.request("POST", str(self.settings.google_revoke_url), data={"token": token})
        except PlatformError as exc:
            if exc.platform_code != "invalid_token":
                raise
