"""Settings wired to the local fake TikTok / Google / YouTube servers."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from pydantic import SecretStr

from reelforge.config import Settings
from tests.fakes.google_oauth import FakeGoogleOAuth
from tests.fakes.server import FakeServer, serve
from tests.fakes.tiktok import FakeTikTok
from tests.fakes.youtube_upload import FakeYouTube

REDIRECT = "https://reelforge.example/api/v1/connections/tiktok/callback"


@pytest.fixture
def tiktok() -> FakeTikTok:
    return FakeTikTok()


@pytest.fixture
def tiktok_server(tiktok: FakeTikTok) -> Iterator[FakeServer]:
    with serve(tiktok) as srv:
        yield srv


@pytest.fixture
def tt_settings(settings: Settings, tiktok_server: FakeServer) -> Settings:
    return settings.model_copy(
        update={
            "tiktok_client_key": "ck_test",
            "tiktok_client_secret": SecretStr("cs_test"),
            "tiktok_auth_base_url": tiktok_server.base_url,
            "tiktok_api_base_url": tiktok_server.base_url,
            "tiktok_redirect_uri": REDIRECT,
        }
    )


@pytest.fixture
def google() -> FakeGoogleOAuth:
    return FakeGoogleOAuth()


@pytest.fixture
def youtube(google: FakeGoogleOAuth) -> FakeYouTube:
    """Accepts the fake Google's access tokens, plus a ready-made "ya29.test"."""
    google.access_tokens.add("ya29.test")
    return FakeYouTube(access_tokens=google.access_tokens)


@pytest.fixture
def yt_settings(
    settings: Settings, google: FakeGoogleOAuth, youtube: FakeYouTube
) -> Iterator[Settings]:
    with serve(google) as g, serve(youtube) as y:
        yield settings.model_copy(
            update={
                "google_client_id": google.client_id,
                "google_client_secret": SecretStr(google.client_secret),
                "google_auth_base_url": g.base_url,
                "google_token_url": f"{g.base_url}/token",
                "google_revoke_url": f"{g.base_url}/revoke",
                "google_redirect_uri": "https://reelforge.example/api/v1/connections/youtube/callback",
                "youtube_upload_base_url": y.base_url,
            }
        )


def consent(url: str) -> dict[str, str]:
    """Play the user clicking "Allow": follow the authorize URL to its callback redirect."""
    response = httpx.get(url, follow_redirects=False)
    assert response.status_code == 302, response.text
    return {k: v[0] for k, v in parse_qs(urlsplit(response.headers["location"]).query).items()}
