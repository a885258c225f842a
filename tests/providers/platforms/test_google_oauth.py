"""Google OAuth for YouTube against the fake: offline access, base64url PKCE, refresh, revoke."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from reelforge.config import Settings
from reelforge.errors import ConfigError, ReconsentRequired
from reelforge.providers.platforms import pkce
from reelforge.providers.platforms.google_oauth import SCOPE_UPLOAD, GoogleOAuth
from reelforge.providers.types.publishing import ConnectionTokens
from tests.fakes.google_oauth import FakeGoogleOAuth
from tests.providers.platforms.conftest import consent


def connect(settings: Settings) -> tuple[GoogleOAuth, ConnectionTokens]:
    oauth = GoogleOAuth(settings)
    auth = oauth.authorize(state="s1")
    callback = consent(auth.url)
    assert callback["state"] == "s1"
    verifier = auth.code_verifier.get_secret_value()
    return oauth, oauth.exchange_code(code=callback["code"], code_verifier=verifier)


def refresh_of(tokens: ConnectionTokens) -> str:
    assert tokens.refresh_token is not None
    return tokens.refresh_token.get_secret_value()


def test_authorize_url_asks_for_offline_upload_access_with_s256(yt_settings: Settings) -> None:
    auth = GoogleOAuth(yt_settings).authorize(state="x")
    q = {k: v[0] for k, v in parse_qs(urlsplit(auth.url).query).items()}
    assert urlsplit(auth.url).path == "/o/oauth2/v2/auth"
    assert q["scope"] == SCOPE_UPLOAD
    assert (q["access_type"], q["prompt"], q["response_type"]) == ("offline", "consent", "code")
    assert q["code_challenge_method"] == "S256"
    assert q["code_challenge"] == pkce.challenge(auth.code_verifier.get_secret_value(), "base64url")


def test_connect_gives_access_and_refresh_tokens(yt_settings: Settings) -> None:
    _, tokens = connect(yt_settings)
    assert tokens.access_token.get_secret_value().startswith("ya29.")
    assert refresh_of(tokens).startswith("1//")
    assert tokens.scopes == (SCOPE_UPLOAD,)


def test_refresh_keeps_the_refresh_token_unless_google_rotates_it(
    yt_settings: Settings, google: FakeGoogleOAuth
) -> None:
    oauth, tokens = connect(yt_settings)
    renewed = oauth.refresh(refresh_token=refresh_of(tokens))
    assert refresh_of(renewed) == refresh_of(tokens)
    assert renewed.access_token.get_secret_value() != tokens.access_token.get_secret_value()
    google.rotate_refresh = True
    rotated = oauth.refresh(refresh_token=refresh_of(renewed))
    assert refresh_of(rotated) != refresh_of(renewed)


def test_revoked_grant_needs_reconsent(yt_settings: Settings, google: FakeGoogleOAuth) -> None:
    oauth, tokens = connect(yt_settings)
    oauth.revoke(token=refresh_of(tokens))
    assert tokens.access_token.get_secret_value() not in google.access_tokens
    with pytest.raises(ReconsentRequired) as err:
        oauth.refresh(refresh_token=refresh_of(tokens))
    assert "Reconnect YouTube" in err.value.message


def test_missing_client_is_a_config_error(settings: Settings) -> None:
    with pytest.raises(ConfigError, match="REELFORGE_GOOGLE_CLIENT_ID"):
        GoogleOAuth(settings)


def test_revoking_twice_is_not_an_error(yt_settings: Settings) -> None:
    oauth, tokens = connect(yt_settings)
    oauth.revoke(token=refresh_of(tokens))
    oauth.revoke(token=refresh_of(tokens))  # disconnect must succeed even if already gone
