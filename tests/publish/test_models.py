"""Post requests and tokens: the rules callers rely on before any platform call."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reelforge.errors import InputError
from reelforge.providers.types.publishing import ConnectionTokens, PostRequest, utf16_len


def test_a_post_is_either_a_video_or_images() -> None:
    with pytest.raises(InputError, match="either one video"):
        PostRequest(title="x")
    with pytest.raises(InputError, match="either one video"):
        PostRequest(title="x", video_path=Path("v.mp4"), image_urls=("https://a/1.jpg",))


def test_video_caption_is_title_then_description() -> None:
    request = PostRequest(title="Title", description="More", video_path=Path("v.mp4"))
    assert request.caption() == "Title\n\nMore"
    assert utf16_len("a😀") == 3


def test_tokens_refresh_ahead_of_expiry_and_never_print() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    tokens = ConnectionTokens(
        access_token="act.secret",  # type: ignore[arg-type]
        refresh_token="rft.secret",  # type: ignore[arg-type]
        expires_at=now + timedelta(minutes=10),
        refresh_expires_at=now + timedelta(days=1),
    )
    assert not tokens.needs_refresh(now=now, margin_s=300)
    assert tokens.needs_refresh(now=now + timedelta(minutes=6), margin_s=300)
    assert not tokens.refresh_expired(now=now)
    assert tokens.refresh_expired(now=now + timedelta(days=2))
    assert "secret" not in repr(tokens) and "secret" not in str(tokens.model_dump())
