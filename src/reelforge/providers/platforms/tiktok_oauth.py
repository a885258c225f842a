"""TikTok Login Kit (OAuth v2 with PKCE): authorize URL, code exchange, refresh, revoke, user info.

Wire facts (developers.tiktok.com, Login Kit for Web/Desktop, Manage user access tokens):

* Browser → ``{auth_base}/v2/auth/authorize/?client_key&scope=a,b&response_type=code
  &redirect_uri&state&code_challenge&code_challenge_method=S256``.
* ``POST {api_base}/v2/oauth/token/`` form-encoded (``client_key``, ``client_secret``,
  ``code``, ``grant_type=authorization_code``, ``redirect_uri``, ``code_verifier``) →
  flat JSON ``access_token``, ``expires_in``, ``open_id``, ``refresh_token``,
  ``refresh_expires_in``, ``scope`` (comma list), ``token_type``.
* Refresh: same endpoint, ``grant_type=refresh_token``. Refresh tokens rotate:
  the answer's refresh token replaces the old one, which stops working.
* ``POST /v2/oauth/revoke/`` form ``client_key``, ``client_secret``, ``token``.
* Errors are flat: ``{"error": "invalid_grant", "error_description", "log_id"}``
  (``invalid_grant`` → :class:`ReconsentRequired`).
* ``GET /v2/user/info/?fields=open_id,display_name,avatar_url`` with a bearer token.

Token calls are sent once (no automatic retry): a code is single-use and a
refresh rotates the token, so resending after a lost answer would fail anyway
and only hide the real cause.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from reelforge.clock import utc_now
from reelforge.errors import ConfigError, InputError, ProviderError
from reelforge.providers.platforms import pkce
from reelforge.providers.platforms._http import json_body, platform_client
from reelforge.providers.platforms.tiktok_common import envelope_data, error_from_body, map_response
from reelforge.providers.types.publishing import AuthorizationRequest, ConnectionTokens, UserInfo

DEFAULT_SCOPES = ("user.info.basic", "video.publish", "video.upload")
CALLBACK_PATH = "/api/v1/connections/tiktok/callback"
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1"})


def validate_redirect_uri(uri: str) -> str:
    """TikTok's redirect URI rules: absolute https, static (no query, no fragment), < 512 chars.

    ``http`` is accepted only for localhost/127.0.0.1, which TikTok's desktop
    rules allow (the CLI's local callback).
    """
    parts = urlsplit(uri)
    problems = []
    if len(uri) >= 512:
        problems.append("it must be shorter than 512 characters")
    if parts.scheme != "https" and not (
        parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS
    ):
        problems.append("it must be an absolute https:// URL")
    if not parts.netloc:
        problems.append("it must be absolute (scheme and host)")
    if parts.query or parts.fragment or "?" in uri or "#" in uri:
        problems.append("it must not have a query string or fragment")
    if problems:
        raise ConfigError(
            f"The TikTok redirect URI {uri!r} is not valid: {'; '.join(problems)}. Set "
            "REELFORGE_TIKTOK_REDIRECT_URI (or REELFORGE_PUBLIC_URL) and register the same URI "
            "in the TikTok developer portal.",
            details={"setting": "REELFORGE_TIKTOK_REDIRECT_URI"},
        )
    return uri


def _secret(value: Any) -> str:
    if value is None:
        return ""
    return str(value.get_secret_value() if hasattr(value, "get_secret_value") else value)


def tokens_from(body: dict[str, Any], *, now: datetime) -> ConnectionTokens:
    """A token answer → :class:`ConnectionTokens`, lifetimes taken from the answer itself."""
    try:
        access = str(body["access_token"])
        expires_in = float(body["expires_in"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ProviderError(
            "TikTok's token answer lacks access_token/expires_in.", provider="tiktok"
        ) from exc
    refresh = body.get("refresh_token")
    refresh_in = body.get("refresh_expires_in")
    scope = str(body.get("scope") or "")
    return ConnectionTokens(
        access_token=access,
        refresh_token=str(refresh) if refresh else None,
        expires_at=now + timedelta(seconds=expires_in),
        refresh_expires_at=now + timedelta(seconds=float(refresh_in)) if refresh_in else None,
        scopes=tuple(s for s in scope.replace(" ", ",").split(",") if s),
        open_id=str(body.get("open_id") or "") or None,
    )


class TikTokOAuth:
    """Connect a TikTok account on the user's behalf (never sees their TikTok password)."""

    name = "tiktok"

    def __init__(self, settings: Any, *, transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings
        self.client_key = str(settings.tiktok_client_key or "")
        self.client_secret = _secret(settings.tiktok_client_secret)
        if not self.client_key or not self.client_secret:
            raise ConfigError(
                "Connecting TikTok needs the app's credentials: set REELFORGE_TIKTOK_CLIENT_KEY "
                "and REELFORGE_TIKTOK_CLIENT_SECRET (from developers.tiktok.com → Manage apps).",
                details={"setting": "REELFORGE_TIKTOK_CLIENT_KEY"},
            )
        self.http = platform_client(
            settings,
            provider="tiktok",
            base_url=settings.tiktok_api_base_url,
            mapper=map_response,
            transport=transport,
            retries=False,
        )
        self.http_reads = platform_client(
            settings,
            provider="tiktok",
            base_url=settings.tiktok_api_base_url,
            mapper=map_response,
            transport=transport,
        )

    def redirect_uri(self) -> str:
        configured = self.settings.tiktok_redirect_uri
        uri = configured or str(self.settings.public_url).rstrip("/") + CALLBACK_PATH
        return validate_redirect_uri(uri)

    def authorize(
        self,
        *,
        state: str | None = None,
        scopes: Sequence[str] = DEFAULT_SCOPES,
        redirect_uri: str | None = None,
        code_verifier: str | None = None,
    ) -> AuthorizationRequest:
        """The URL to send the user to, with a fresh PKCE verifier and ``state``."""
        verifier = pkce.check_verifier(code_verifier) if code_verifier else pkce.new_verifier()
        state = state or pkce.new_state()
        uri = validate_redirect_uri(redirect_uri) if redirect_uri else self.redirect_uri()
        if not scopes:
            raise InputError("Ask for at least one TikTok scope.")
        query = urlencode(
            {
                "client_key": self.client_key,
                "scope": ",".join(scopes),
                "response_type": "code",
                "redirect_uri": uri,
                "state": state,
                "code_challenge": pkce.challenge(verifier, self.settings.tiktok_pkce_encoding),
                "code_challenge_method": "S256",
            }
        )
        base = str(self.settings.tiktok_auth_base_url).rstrip("/")
        return AuthorizationRequest(
            url=f"{base}/v2/auth/authorize/?{query}",
            state=state,
            code_verifier=verifier,
            redirect_uri=uri,
        )

    def _token_call(self, form: dict[str, str], *, now: datetime | None) -> ConnectionTokens:
        response = self.http.request(
            "POST",
            "/v2/oauth/token/",
            data={"client_key": self.client_key, "client_secret": self.client_secret, **form},
            headers={"Cache-Control": "no-cache"},
        )
        body = json_body(response)
        found = error_from_body(body, status=response.status_code)
        if found is not None:
            raise found
        if not isinstance(body, dict):
            raise ProviderError("TikTok's token answer is not JSON.", provider="tiktok")
        return tokens_from(body, now=now or utc_now())

    def exchange_code(
        self,
        *,
        code: str,
        code_verifier: str,
        redirect_uri: str | None = None,
        now: datetime | None = None,
    ) -> ConnectionTokens:
        """Trade the callback's ``code`` (and the stored verifier) for tokens."""
        return self._token_call(
            {
                "code": code,
                "grant_type": "authorization_code",
                "redirect_uri": redirect_uri or self.redirect_uri(),
                "code_verifier": code_verifier,
            },
            now=now,
        )

    def refresh(self, *, refresh_token: str, now: datetime | None = None) -> ConnectionTokens:
        """New tokens; store the returned refresh token at once — the old one is dead."""
        return self._token_call(
            {"grant_type": "refresh_token", "refresh_token": refresh_token}, now=now
        )

    def revoke(self, *, token: str) -> None:
        """Revoke the grant at TikTok (disconnect, promise P12)."""
        response = self.http_reads.request(
            "POST",
            "/v2/oauth/revoke/",
            data={
                "client_key": self.client_key,
                "client_secret": self.client_secret,
                "token": token,
            },
        )
        found = error_from_body(json_body(response), status=response.status_code)
        if found is not None:
            raise found

    def user_info(self, *, access_token: str) -> UserInfo:
        """open_id, display name and avatar URL: all reelforge keeps (promise P11)."""
        response = self.http_reads.request(
            "GET",
            "/v2/user/info/",
            params={"fields": "open_id,display_name,avatar_url"},
            headers={"Authorization": f"Bearer {access_token}"},
        )
        user = envelope_data(response).get("user") or {}
        return UserInfo(
            open_id=str(user.get("open_id") or ""),
            display_name=str(user.get("display_name") or ""),
            avatar_url=str(user.get("avatar_url") or ""),
        )

    def close(self) -> None:
        self.http.close()
        self.http_reads.close()
