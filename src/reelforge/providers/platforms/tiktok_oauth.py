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

The flow shared with Google (PKCE, token answers, sending token calls once) is
:class:`~reelforge.providers.platforms.oauth.PkceOAuth`; this module states
TikTok's names, its redirect URI rules, its revoke and its user info call.
"""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import urlsplit

import httpx

from reelforge.errors import ConfigError, PlatformError, ProviderError
from reelforge.providers.platforms import pkce, tiktok_common
from reelforge.providers.platforms._http import json_body, platform_client
from reelforge.providers.platforms.oauth import PkceOAuth
from reelforge.providers.types.publishing import UserInfo

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


class TikTokOAuth(PkceOAuth):
    """Connect a TikTok account on the user's behalf (never sees their TikTok password)."""

    provider = "tiktok"
    label = "TikTok"
    client_id_param = "client_key"
    client_id_setting = "tiktok_client_key"
    client_secret_setting = "tiktok_client_secret"
    missing_app = (
        "Connecting TikTok needs the app's credentials: set REELFORGE_TIKTOK_CLIENT_KEY "
        "and REELFORGE_TIKTOK_CLIENT_SECRET (from developers.tiktok.com → Manage apps)."
    )
    redirect_setting = "tiktok_redirect_uri"
    callback_path = CALLBACK_PATH
    default_scopes = DEFAULT_SCOPES
    scope_separator = ","
    token_headers: ClassVar[dict[str, str]] = {"Cache-Control": "no-cache"}

    def __init__(self, settings: Any, *, transport: httpx.BaseTransport | None = None) -> None:
        super().__init__(settings, transport=transport)
        self.http_reads = platform_client(
            settings,
            provider="tiktok",
            base_url=settings.tiktok_api_base_url,
            mapper=tiktok_common.map_response,
            transport=transport,
        )

    def api_base_url(self) -> str:
        return str(self.settings.tiktok_api_base_url)

    def token_url(self) -> str:
        return "/v2/oauth/token/"

    def authorize_endpoint(self) -> str:
        return str(self.settings.tiktok_auth_base_url).rstrip("/") + "/v2/auth/authorize/"

    def challenge(self, verifier: str) -> str:
        return pkce.challenge(verifier, self.settings.tiktok_pkce_encoding)

    def check_redirect_uri(self, uri: str) -> str:
        return validate_redirect_uri(uri)

    def error_in(self, body: Any, *, status: int) -> PlatformError | None:
        return tiktok_common.error_from_body(body, status=status)

    def map_response(self, response: httpx.Response, retry_after: float | None) -> ProviderError:
        return tiktok_common.map_response(response, retry_after)

    def revoke(self, *, token: str) -> None:
        """Revoke the grant at TikTok (disconnect, promise P12)."""
        response = self.http_reads.request(
            "POST",
            "/v2/oauth/revoke/",
            data={
                "client_key": self.client_id,
                "client_secret": self.client_secret,
                "token": token,
            },
        )
        found = tiktok_common.error_from_body(json_body(response), status=response.status_code)
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
        user = tiktok_common.envelope_data(response).get("user") or {}
        return UserInfo(
            open_id=str(user.get("open_id") or ""),
            display_name=str(user.get("display_name") or ""),
            avatar_url=str(user.get("avatar_url") or ""),
        )

    def close(self) -> None:
        super().close()
        self.http_reads.close()
