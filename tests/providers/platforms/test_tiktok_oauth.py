"""TikTok Login Kit against the fake: PKCE verified by the server, rotation, re-consent, revoke."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from reelforge.config import Settings
from reelforge.errors import ConfigError, PlatformError, ProviderError, ReconsentRequired
from reelforge.providers.platforms import pkce
from reelforge.providers.platforms.tiktok_oauth import TikTokOAuth, validate_redirect_uri
from reelforge.providers.types.publishing import ConnectionTokens
from tests.fakes.tiktok import FakeTikTok
from tests.providers.platforms.conftest import REDIRECT, consent

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def connect(settings: Settings) -> tuple[TikTokOAuth, ConnectionTokens]:
    oauth = TikTokOAuth(settings)
    auth = oauth.authorize(state="st-1")
    callback = consent(auth.url)
    assert callback["state"] == "st-1"
    tokens = oauth.exchange_code(
        code=callback["code"], code_verifier=auth.code_verifier.get_secret_value(), now=NOW
    )
    return oauth, tokens


def refresh_of(tokens: ConnectionTokens) -> str:
    assert tokens.refresh_token is not None
    return tokens.refresh_token.get_secret_value()


def test_authorize_url_carries_every_documented_parameter(tt_settings: Settings) -> None:
    auth = TikTokOAuth(tt_settings).authorize(state="abc")
    parts = urlsplit(auth.url)
    q = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert parts.path == "/v2/auth/authorize/"
    assert q["client_key"] == "ck_test"
    assert q["scope"] == "user.info.basic,video.publish,video.upload"
    assert q["response_type"] == "code"
    assert q["redirect_uri"] == REDIRECT
    assert q["state"] == "abc"
    assert q["code_challenge_method"] == "S256"
    verifier = auth.code_verifier.get_secret_value()
    assert 43 <= len(verifier) <= 128
    assert q["code_challenge"] == pkce.challenge(verifier, "hex")
    assert len(q["code_challenge"]) == 64  # hex SHA-256, the documented default


def test_connect_with_hex_pkce_gives_tokens_with_lifetimes_from_the_answer(
    tt_settings: Settings,
) -> None:
    _, tokens = connect(tt_settings)
    assert tokens.access_token.get_secret_value().startswith("act.")
    assert tokens.refresh_token is not None
    assert tokens.refresh_token.get_secret_value().startswith("rft.")
    assert tokens.open_id == "oid-123"
    assert tokens.scopes == ("user.info.basic", "video.publish", "video.upload")
    assert tokens.expires_at == NOW + timedelta(seconds=86400)
    assert tokens.refresh_expires_at == NOW + timedelta(seconds=31536000)
    assert "act." not in repr(tokens)  # secrets never print


def test_base64url_pkce_setting_is_what_the_server_checks(
    tt_settings: Settings, tiktok: FakeTikTok
) -> None:
    tiktok.pkce_encoding = "base64url"
    with pytest.raises(PlatformError) as err:  # hex challenge, server expects base64url
        connect(tt_settings)
    assert err.value.platform_code == "invalid_request"
    assert "PKCE" in err.value.message
    _, tokens = connect(tt_settings.model_copy(update={"tiktok_pkce_encoding": "base64url"}))
    assert tokens.open_id == "oid-123"


def test_wrong_verifier_is_refused_by_the_server(tt_settings: Settings) -> None:
    oauth = TikTokOAuth(tt_settings)
    auth = oauth.authorize()
    callback = consent(auth.url)
    with pytest.raises(PlatformError) as err:
        oauth.exchange_code(code=callback["code"], code_verifier=pkce.new_verifier())
    assert err.value.platform_code == "invalid_request"


def test_user_granting_a_subset_of_scopes_is_reported(
    tt_settings: Settings, tiktok: FakeTikTok
) -> None:
    tiktok.granted_scopes = ("user.info.basic", "video.upload")
    _, tokens = connect(tt_settings)
    assert tokens.scopes == ("user.info.basic", "video.upload")


def test_refresh_rotates_and_the_old_refresh_token_dies(tt_settings: Settings) -> None:
    oauth, tokens = connect(tt_settings)
    assert tokens.refresh_token is not None
    first = tokens.refresh_token.get_secret_value()
    renewed = oauth.refresh(refresh_token=first, now=NOW)
    second = renewed.refresh_token
    assert second is not None and second.get_secret_value() != first
    assert renewed.access_token.get_secret_value() != tokens.access_token.get_secret_value()
    with pytest.raises(ReconsentRequired) as err:  # the old one is dead
        oauth.refresh(refresh_token=first)
    assert err.value.platform_code == "invalid_grant"
    assert "Reconnect TikTok" in err.value.message
    assert not err.value.retryable
    # and the stored (new) one keeps working
    assert oauth.refresh(refresh_token=second.get_secret_value()).refresh_token is not None


def test_invalid_grant_on_a_used_code_means_reconsent(tt_settings: Settings) -> None:
    oauth = TikTokOAuth(tt_settings)
    auth = oauth.authorize()
    callback = consent(auth.url)
    verifier = auth.code_verifier.get_secret_value()
    oauth.exchange_code(code=callback["code"], code_verifier=verifier)
    with pytest.raises(ReconsentRequired):
        oauth.exchange_code(code=callback["code"], code_verifier=verifier)


def test_user_info_returns_only_what_reelforge_keeps(tt_settings: Settings) -> None:
    oauth, tokens = connect(tt_settings)
    info = oauth.user_info(access_token=tokens.access_token.get_secret_value())
    assert info.model_dump() == {
        "open_id": "oid-123",
        "display_name": "Test Creator",
        "avatar_url": "https://p16.tiktokcdn.example/a.jpg",
    }


def test_revoke_ends_access_at_tiktok(tt_settings: Settings) -> None:
    oauth, tokens = connect(tt_settings)
    access = tokens.access_token.get_secret_value()
    oauth.revoke(token=access)
    with pytest.raises(PlatformError) as err:
        oauth.user_info(access_token=access)
    assert err.value.platform_code == "access_token_invalid"
    with pytest.raises(ReconsentRequired):  # the grant is gone, refresh too
        oauth.refresh(refresh_token=refresh_of(tokens))


def test_oauth_error_sent_with_http_200_is_still_an_error(
    tt_settings: Settings, tiktok: FakeTikTok
) -> None:
    oauth, tokens = connect(tt_settings)
    tiktok.fail_next("token", "invalid_grant", status=200)
    with pytest.raises(ReconsentRequired):
        oauth.refresh(refresh_token=refresh_of(tokens))


def test_wrong_client_secret_names_the_settings(tt_settings: Settings) -> None:
    from pydantic import SecretStr

    oauth = TikTokOAuth(tt_settings.model_copy(update={"tiktok_client_secret": SecretStr("x")}))
    auth = oauth.authorize()
    callback = consent(auth.url)
    with pytest.raises(ProviderError) as err:
        oauth.exchange_code(
            code=callback["code"], code_verifier=auth.code_verifier.get_secret_value()
        )
    assert "REELFORGE_TIKTOK_CLIENT_SECRET" in err.value.message


def test_missing_app_credentials_is_a_config_error(settings: Settings) -> None:
    with pytest.raises(ConfigError) as err:
        TikTokOAuth(settings)
    assert "REELFORGE_TIKTOK_CLIENT_KEY" in err.value.message


@pytest.mark.parametrize(
    "uri",
    [
        "http://reelforge.example/cb",  # not https
        "https://reelforge.example/cb?x=1",  # query
        "https://reelforge.example/cb#frag",  # fragment
        "/api/v1/connections/tiktok/callback",  # not absolute
        "https://reelforge.example/" + "a" * 600,  # too long
    ],
)
def test_invalid_redirect_uris_are_refused(uri: str) -> None:
    with pytest.raises(ConfigError):
        validate_redirect_uri(uri)


def test_loopback_http_redirect_is_allowed_for_the_cli() -> None:
    assert validate_redirect_uri("http://127.0.0.1:3455/callback/")


def test_default_redirect_uses_public_url(settings: Settings) -> None:
    from pydantic import SecretStr

    s = settings.model_copy(
        update={
            "tiktok_client_key": "k",
            "tiktok_client_secret": SecretStr("s"),
            "public_url": "https://studio.example.com/",
        }
    )
    assert TikTokOAuth(s).redirect_uri() == (
        "https://studio.example.com/api/v1/connections/tiktok/callback"
    )
