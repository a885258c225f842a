"""Every platform error code the docs list maps to a clear message and a retry decision."""

from __future__ import annotations

import pytest

from reelforge.errors import ReconsentRequired
from reelforge.providers.platforms.error_codes import (
    explain_fail_reason,
    google_oauth_error,
    tiktok_error,
    tiktok_oauth_error,
    youtube_error,
)

# (code, retryable) for every TikTok code listed in shared/APIS.md
TIKTOK_CODES = [
    ("access_token_invalid", True),
    ("scope_not_authorized", False),
    ("invalid_params", False),
    ("invalid_file_upload", False),
    ("rate_limit_exceeded", True),
    ("internal_error", True),
    ("spam_risk_too_many_posts", False),
    ("spam_risk_too_many_pending_share", False),
    ("spam_risk_user_banned_from_posting", False),
    ("url_ownership_unverified", False),
    ("unaudited_client_can_only_post_to_private_accounts", False),
    ("privacy_level_option_mismatch", False),
]


@pytest.mark.parametrize(("code", "retryable"), TIKTOK_CODES)
def test_tiktok_codes(code: str, retryable: bool) -> None:
    error = tiktok_error(code, message="detail from tiktok", status=400, log_id="L1")
    assert error.retryable is retryable
    assert error.platform_code == code and error.log_id == "L1"
    assert code not in error.message.split("(")[0]  # a sentence, not the bare code
    assert "detail from tiktok" in error.message


def test_new_spam_risk_codes_fall_back_to_the_spam_message() -> None:
    error = tiktok_error("spam_risk_something_new")
    assert "spam" in error.message and not error.retryable


def test_unknown_tiktok_code_is_retryable_only_for_server_side_statuses() -> None:
    assert tiktok_error("weird", status=503).retryable
    assert not tiktok_error("weird", status=400).retryable


def test_invalid_grant_means_reconsent_for_both_platforms() -> None:
    assert isinstance(tiktok_oauth_error("invalid_grant"), ReconsentRequired)
    assert isinstance(google_oauth_error("invalid_grant"), ReconsentRequired)
    assert isinstance(tiktok_error("scope_not_authorized"), ReconsentRequired)


@pytest.mark.parametrize(
    ("reason", "retryable", "words"),
    [
        ("quotaExceeded", True, "quota"),
        ("uploadLimitExceeded", False, "upload limit"),
        ("rateLimitExceeded", True, "slow down"),
        ("userRateLimitExceeded", True, "slow down"),
        ("backendError", True, "internal error"),
        ("youtubeSignupRequired", False, "no YouTube channel"),
    ],
)
def test_youtube_reasons(reason: str, retryable: bool, words: str) -> None:
    error = youtube_error(reason, status=403)
    assert error.retryable is retryable and words in error.message


def test_fail_reasons_are_explained() -> None:
    assert "fps" in explain_fail_reason("frame_rate_check_failed")
    assert "spam" in explain_fail_reason("spam_risk_text")
    assert "verified" in explain_fail_reason("url_ownership_unverified")
    assert "odd_reason" in explain_fail_reason("odd_reason")


def test_quota_exhaustion_is_retried_after_the_pacific_midnight_reset() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from reelforge.providers.platforms.error_codes import seconds_to_quota_reset

    evening = datetime(2026, 3, 10, 23, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
    assert seconds_to_quota_reset(evening) == 3600
    error = youtube_error("quotaExceeded", status=403)
    assert error.retryable and error.retry_after is not None
    assert 0 < error.retry_after <= 25 * 3600
