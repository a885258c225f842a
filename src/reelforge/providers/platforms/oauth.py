"""OAuth 2.0 authorization code with PKCE: the part TikTok's Login Kit and Google's OAuth share.

Why one base: both send the browser to an authorize URL built from a fresh
verifier and ``state``, post the code (or a refresh token) with the app's
credentials to a token endpoint, and read a token answer whose lifetimes come
from the answer itself. What differs is stated by each subclass: the names
(``client_key``/``client_id``, comma or space scope lists), the challenge
encoding, the redirect URI rules, the error envelope and the revoke call.
:class:`PkceOAuth` implements :class:`~reelforge.providers.types.publishing.OAuthClient`.

Token calls are sent once (no automatic retry): a code is single-use and a
refresh may rotate the token, so resending after a lost answer would fail anyway
and only hide the real cause.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import urlencode

import httpx

from reelforge.clock import utc_now
from reelforge.config import secret_text
from reelforge.errors import ConfigError, InputError, PlatformError, ProviderError
from reelforge.providers.platforms import pkce
from reelforge.providers.platforms._http import json_body, platform_client
from reelforge.providers.types.publishing import AuthorizationRequest, ConnectionTokens

_SCOPE_SPLIT = re.compile(r"[,\s]+")


class PkceOAuth(ABC):
    """Connect an account on the user's behalf (reelforge never sees their password)."""

    #: Name in errors and logs ("tiktok", "youtube").
    provider: ClassVar[str]
    #: How people write the sign-in service ("TikTok", "Google").
    label: ClassVar[str]
    #: The app id's name in the authorize query and the token form.
    client_id_param: ClassVar[str]
    #: Settings holding the app's id and secret.
    client_id_setting: ClassVar[str]
    client_secret_setting: ClassVar[str]
    #: The ConfigError message when they are not set (which settings, where to get them).
    missing_app: ClassVar[str]
    #: Settings holding the registered redirect URI, and the default callback path.
    redirect_setting: ClassVar[str]
    callback_path: ClassVar[str]
    default_scopes: ClassVar[tuple[str, ...]]
    scope_separator: ClassVar[str] = " "
    token_headers: ClassVar[dict[str, str]] = {}
    #: Seconds an access token lives when the answer does not say (None: it must say).
    default_expires_in: ClassVar[float | None] = None

    def __init__(self, settings: Any, *, transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings
        self.client_id = str(getattr(settings, self.client_id_setting, None) or "")
        self.client_secret = secret_text(getattr(settings, self.client_secret_setting, None))
        if not self.client_id or not self.client_secret:
            raise ConfigError(
                self.missing_app,
                details={"setting": f"REELFORGE_{self.client_id_setting.upper()}"},
            )
        self.http = platform_client(
            settings,
            provider=self.provider,
            base_url=self.api_base_url(),
            mapper=self.map_response,
            transport=transport,
            retries=False,
        )

    # --- what each platform states -------------------------------------------

    @abstractmethod
    def api_base_url(self) -> str:
        """The base URL of the token endpoint's HTTP client."""

    @abstractmethod
    def token_url(self) -> str:
        """The token endpoint (a path under :meth:`api_base_url`, or an absolute URL)."""

    @abstractmethod
    def authorize_endpoint(self) -> str:
        """The absolute URL the browser is sent to (without the query)."""

    @abstractmethod
    def challenge(self, verifier: str) -> str:
        """The S256 PKCE challenge in the encoding this platform checks."""

    @abstractmethod
    def check_redirect_uri(self, uri: str) -> str:
        """``uri`` when the platform would accept it as a redirect URI; else ConfigError."""

    @abstractmethod
    def error_in(self, body: Any, *, status: int) -> PlatformError | None:
        """The error a token-endpoint answer carries (it may come with HTTP 200), or None."""

    @abstractmethod
    def map_response(self, response: httpx.Response, retry_after: float | None) -> ProviderError:
        """A non-2xx answer → a clear error (the mapper of the HTTP client)."""

    @abstractmethod
    def revoke(self, *, token: str) -> None:
        """End the grant at the platform (disconnect, promise P12)."""

    def authorize_extras(self) -> dict[str, str]:
        """Further authorize-query parameters this platform needs."""
        return {}

    # --- the shared flow -----------------------------------------------------

    def redirect_uri(self) -> str:
        """The configured redirect URI, default ``{public_url}`` + the callback path."""
        configured = getattr(self.settings, self.redirect_setting, None)
        default = str(self.settings.public_url).rstrip("/") + self.callback_path
        return self.check_redirect_uri(configured or default)

    def authorize(
        self,
        *,
        state: str | None = None,
        scopes: Sequence[str] | None = None,
        redirect_uri: str | None = None,
        code_verifier: str | None = None,
    ) -> AuthorizationRequest:
        """The URL to send the user to, with a fresh PKCE verifier and ``state``."""
        verifier = pkce.check_verifier(code_verifier) if code_verifier else pkce.new_verifier()
        state = state or pkce.new_state()
        uri = self.check_redirect_uri(redirect_uri) if redirect_uri else self.redirect_uri()
        asked = tuple(self.default_scopes if scopes is None else scopes)
        if not asked:
            raise InputError(f"Ask for at least one {self.label} scope.")
        query = urlencode(
            {
                self.client_id_param: self.client_id,
                "scope": self.scope_separator.join(asked),
                "response_type": "code",
                "redirect_uri": uri,
                "state": state,
                **self.authorize_extras(),
                "code_challenge": self.challenge(verifier),
                "code_challenge_method": "S256",
            }
        )
        return AuthorizationRequest(
            url=f"{self.authorize_endpoint()}?{query}",
            state=state,
            code_verifier=verifier,
            redirect_uri=uri,
        )

    def tokens_from(
        self, body: dict[str, Any], *, now: datetime, keep_refresh: str | None = None
    ) -> ConnectionTokens:
        """A token answer → :class:`ConnectionTokens`, lifetimes taken from the answer itself.

        ``keep_refresh``: the refresh token to keep when the answer sends none (a refresh
        that does not rotate it)."""
        access = body.get("access_token")
        lifetime = body.get("expires_in") or self.default_expires_in
        try:
            expires_in = float(lifetime) if lifetime is not None else None
        except (TypeError, ValueError):
            expires_in = None
        if not access or expires_in is None:
            raise ProviderError(
                f"{self.label}'s token answer lacks access_token/expires_in.",
                provider=self.provider,
            )
        refresh = body.get("refresh_token") or keep_refresh
        refresh_in = body.get("refresh_expires_in") or body.get("refresh_token_expires_in")
        return ConnectionTokens(
            access_token=str(access),
            refresh_token=str(refresh) if refresh else None,
            expires_at=now + timedelta(seconds=expires_in),
            refresh_expires_at=now + timedelta(seconds=float(refresh_in)) if refresh_in else None,
            scopes=tuple(s for s in _SCOPE_SPLIT.split(str(body.get("scope") or "")) if s),
            open_id=str(body.get("open_id") or "") or None,
        )

    def _token_call(
        self, form: dict[str, str], *, now: datetime | None, keep_refresh: str | None = None
    ) -> ConnectionTokens:
        response = self.http.request(
            "POST",
            self.token_url(),
            data={
                self.client_id_param: self.client_id,
                "client_secret": self.client_secret,
                **form,
            },
            headers=self.token_headers or None,
        )
        body = json_body(response)
        found = self.error_in(body, status=response.status_code)
        if found is not None:
            raise found
        if not isinstance(body, dict):
            raise ProviderError(f"{self.label}'s token answer is not JSON.", provider=self.provider)
        return self.tokens_from(body, now=now or utc_now(), keep_refresh=keep_refresh)

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
                "code_verifier": code_verifier,
                "grant_type": "authorization_code",
                "redirect_uri": redirect_uri or self.redirect_uri(),
            },
            now=now,
        )

    def refresh(self, *, refresh_token: str, now: datetime | None = None) -> ConnectionTokens:
        """New tokens. A refresh token in the answer replaces the old one (TikTok rotates: the
        old one is dead, store the new one at once); without one the old one stays (Google)."""
        return self._token_call(
            {"grant_type": "refresh_token", "refresh_token": refresh_token},
            now=now,
            keep_refresh=refresh_token,
        )

    def close(self) -> None:
        self.http.close()
