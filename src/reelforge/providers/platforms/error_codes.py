"""Every platform error code → a message a user can act on, and whether to retry.

Why one table: the platforms speak in codes (``spam_risk_too_many_posts``,
``quotaExceeded``); the post history, the CLI and the job queue need one
sentence and one retry decision for each. Unknown codes still map to a clear
message that names the code, so nothing reaches the user as a bare code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from reelforge.errors import PlatformError, ReconsentRequired


@dataclass(frozen=True)
class ErrorMeaning:
    message: str
    retryable: bool
    reconsent: bool = False  # the user must connect the account again


TIKTOK_ERRORS: dict[str, ErrorMeaning] = {
    "access_token_invalid": ErrorMeaning(
        "TikTok no longer accepts this connection's access token. reelforge will refresh it; "
        "if that fails, reconnect TikTok.",
        retryable=True,
    ),
    "scope_not_authorized": ErrorMeaning(
        "The TikTok connection lacks a permission this post needs (video.publish for direct "
        "posts, video.upload for drafts). Reconnect TikTok and allow posting.",
        retryable=False,
        reconsent=True,
    ),
    "invalid_params": ErrorMeaning(
        "TikTok rejected the post's settings as invalid. Check the title length, privacy level "
        "and media, then try again.",
        retryable=False,
    ),
    "invalid_file_upload": ErrorMeaning(
        "TikTok rejected the uploaded file. Use an MP4/MOV/WebM (H.264/H.265/VP8/VP9, "
        "23–60 fps, 360–4096 px a side) and post again.",
        retryable=False,
    ),
    "rate_limit_exceeded": ErrorMeaning(
        "TikTok's rate limit for this account was reached. reelforge will try again in a minute.",
        retryable=True,
    ),
    "internal_error": ErrorMeaning(
        "TikTok had an internal error. reelforge will try again shortly.", retryable=True
    ),
    "spam_risk_too_many_posts": ErrorMeaning(
        "TikTok's daily posting limit for this account was reached. Post again tomorrow.",
        retryable=False,
    ),
    "spam_risk_too_many_pending_share": ErrorMeaning(
        "Too many drafts are waiting in this TikTok inbox (at most 5 per day). Open TikTok, "
        "post or delete the pending drafts, then try again.",
        retryable=False,
    ),
    "spam_risk_user_banned_from_posting": ErrorMeaning(
        "TikTok has blocked this account from posting. Check the account in the TikTok app.",
        retryable=False,
    ),
    "spam_risk_text": ErrorMeaning(
        "TikTok flagged the post's text as spam. Change the title or description and try again.",
        retryable=False,
    ),
    "spam_risk": ErrorMeaning(
        "TikTok refused the post as a spam risk. Wait a while, then try a different post.",
        retryable=False,
    ),
    "url_ownership_unverified": ErrorMeaning(
        "TikTok will not fetch images from this address because its domain or URL prefix is not "
        "verified for the app. Verify the prefix of REELFORGE_PUBLIC_URL (or the bucket's public "
        "URL) in the TikTok developer portal, then post again.",
        retryable=False,
    ),
    "privacy_level_option_mismatch": ErrorMeaning(
        "This TikTok account does not offer the chosen privacy level. Pick one of the options "
        "shown for the account.",
        retryable=False,
    ),
    "unaudited_client_can_only_post_to_private_accounts": ErrorMeaning(
        "This TikTok app has not passed TikTok's audit yet, so it may only post with privacy "
        "'SELF_ONLY' (and the account must be private). Post as private, or finish the audit.",
        retryable=False,
    ),
    "reached_active_user_cap": ErrorMeaning(
        "The TikTok app reached its daily cap of active users. Try again tomorrow.",
        retryable=False,
    ),
}

TIKTOK_OAUTH_ERRORS: dict[str, ErrorMeaning] = {
    "invalid_grant": ErrorMeaning(
        "The TikTok authorisation expired or was revoked. Reconnect TikTok.",
        retryable=False,
        reconsent=True,
    ),
    "invalid_request": ErrorMeaning(
        "TikTok refused the sign-in request (often a PKCE mismatch: check "
        "REELFORGE_TIKTOK_PKCE_ENCODING). Start connecting again.",
        retryable=False,
    ),
    "invalid_client": ErrorMeaning(
        "TikTok does not recognise the app. Check REELFORGE_TIKTOK_CLIENT_KEY and "
        "REELFORGE_TIKTOK_CLIENT_SECRET.",
        retryable=False,
    ),
    "access_denied": ErrorMeaning(
        "The TikTok connection was not approved. Connect again and allow access.",
        retryable=False,
        reconsent=True,
    ),
    "invalid_scope": ErrorMeaning(
        "TikTok refused the requested permissions. Enable Login Kit and Content Posting for the "
        "app in the TikTok developer portal.",
        retryable=False,
    ),
    "server_error": ErrorMeaning("TikTok's sign-in service failed; try again.", retryable=True),
    "temporarily_unavailable": ErrorMeaning(
        "TikTok's sign-in service is busy; try again shortly.", retryable=True
    ),
}

TIKTOK_FAIL_REASONS: dict[str, str] = {
    "file_format_check_failed": "TikTok could not read the video format; export MP4 (H.264).",
    "duration_check_failed": "The video is longer than this account may post.",
    "frame_rate_check_failed": "The video's frame rate must be 23–60 fps.",
    "picture_size_check_failed": "The video or image size is outside TikTok's limits.",
    "internal": "TikTok had an internal error while processing; post again.",
    "video_pull_failed": "TikTok could not download the video from its URL.",
    "photo_pull_failed": "TikTok could not download the images; check the public URL works.",
    "publish_cancelled": "The post was cancelled on TikTok.",
    "auth_removed": "The TikTok connection was removed during posting; reconnect TikTok.",
    "spam_risk_too_many_posts": "TikTok's daily posting limit was reached; post tomorrow.",
    "spam_risk_user_banned_from_posting": "TikTok has blocked this account from posting.",
    "spam_risk_text": "TikTok flagged the text as spam; change the title or description.",
    "spam_risk": "TikTok refused the post as a spam risk.",
}

YOUTUBE_ERRORS: dict[str, ErrorMeaning] = {
    "quotaExceeded": ErrorMeaning(
        "The YouTube API daily quota of this reelforge server is used up; it resets at midnight "
        "Pacific time. The post will go out after that (or raise the quota in Google Cloud).",
        retryable=True,  # with retry_after = the reset
    ),
    "uploadLimitExceeded": ErrorMeaning(
        "This YouTube channel reached its upload limit for now. Try again in 24 hours.",
        retryable=False,
    ),
    "rateLimitExceeded": ErrorMeaning(
        "YouTube asked reelforge to slow down; it will try again shortly.", retryable=True
    ),
    "userRateLimitExceeded": ErrorMeaning(
        "YouTube asked reelforge to slow down for this account; it will try again shortly.",
        retryable=True,
    ),
    "authError": ErrorMeaning(
        "YouTube no longer accepts this connection's token. reelforge will refresh it; if that "
        "fails, reconnect YouTube.",
        retryable=True,
    ),
    "insufficientPermissions": ErrorMeaning(
        "The YouTube connection lacks upload permission. Reconnect YouTube and allow uploads.",
        retryable=False,
        reconsent=True,
    ),
    "youtubeSignupRequired": ErrorMeaning(
        "This Google account has no YouTube channel yet. Create one on youtube.com, then post.",
        retryable=False,
    ),
    "forbidden": ErrorMeaning("YouTube refused the upload for this account.", retryable=False),
    "invalidTitle": ErrorMeaning(
        "YouTube rejected the title (1–100 characters, no < or >).", retryable=False
    ),
    "invalidDescription": ErrorMeaning(
        "YouTube rejected the description (at most 5000 bytes, no < or >).", retryable=False
    ),
    "invalidTags": ErrorMeaning("YouTube rejected the tags (500 characters in all).", False),
    "invalidCategoryId": ErrorMeaning("YouTube does not know that category id.", False),
    "invalidVideoMetadata": ErrorMeaning("YouTube rejected the video's details.", False),
    "mediaBodyRequired": ErrorMeaning("YouTube received no video bytes; post again.", True),
    "backendError": ErrorMeaning("YouTube had an internal error; it will be retried.", True),
}

GOOGLE_OAUTH_ERRORS: dict[str, ErrorMeaning] = {
    "invalid_grant": ErrorMeaning(
        "The Google authorisation expired or was revoked. Reconnect YouTube.",
        retryable=False,
        reconsent=True,
    ),
    "invalid_client": ErrorMeaning(
        "Google does not recognise the app. Check REELFORGE_GOOGLE_CLIENT_ID and "
        "REELFORGE_GOOGLE_CLIENT_SECRET.",
        retryable=False,
    ),
    "invalid_request": ErrorMeaning("Google refused the sign-in request; connect again.", False),
    "access_denied": ErrorMeaning(
        "The YouTube connection was not approved. Connect again and allow access.", False, True
    ),
    "invalid_token": ErrorMeaning("Google did not recognise the token (already revoked?).", False),
}


def _build(
    table: dict[str, ErrorMeaning],
    *,
    provider: str,
    code: str,
    detail: str,
    status: int | None,
    retry_after: float | None,
    log_id: str,
    fallback: ErrorMeaning,
) -> PlatformError:
    meaning = table.get(code)
    if meaning is None and code.startswith("spam_risk"):
        meaning = table.get("spam_risk")
    meaning = meaning or fallback
    message = meaning.message
    if detail and detail not in message:
        message = f"{message} ({provider} said: {detail})"
    cls = ReconsentRequired if meaning.reconsent else PlatformError
    return cls(
        message,
        provider=provider,
        platform_code=code,
        retryable=meaning.retryable,
        status=status,
        retry_after=retry_after,
        log_id=log_id,
    )


def tiktok_error(
    code: str,
    *,
    message: str = "",
    status: int | None = None,
    retry_after: float | None = None,
    log_id: str = "",
) -> PlatformError:
    """The error for a TikTok ``error.code`` from a Content Posting / Display API envelope."""
    retryable = status is not None and (status == 429 or status >= 500)
    fallback = ErrorMeaning(f"TikTok refused the request with code {code!r}.", retryable)
    return _build(
        TIKTOK_ERRORS,
        provider="tiktok",
        code=code,
        detail=message,
        status=status,
        retry_after=retry_after,
        log_id=log_id,
        fallback=fallback,
    )


def tiktok_oauth_error(
    error: str, *, description: str = "", status: int | None = None, log_id: str = ""
) -> PlatformError:
    """The error for TikTok's flat OAuth answer ``{"error", "error_description", "log_id"}``."""
    fallback = ErrorMeaning(f"TikTok sign-in failed with {error!r}. Connect again.", False)
    return _build(
        TIKTOK_OAUTH_ERRORS,
        provider="tiktok",
        code=error,
        detail=description,
        status=status,
        retry_after=None,
        log_id=log_id,
        fallback=fallback,
    )


def seconds_to_quota_reset(now: datetime | None = None) -> float:
    """Seconds until midnight Pacific time, when YouTube API quotas reset."""
    pacific = ZoneInfo("America/Los_Angeles")
    local = (now or datetime.now(pacific)).astimezone(pacific)
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return (midnight - local).total_seconds()


def youtube_error(
    reason: str, *, message: str = "", status: int | None = None, retry_after: float | None = None
) -> PlatformError:
    """The error for a Google API ``error.errors[0].reason``."""
    retryable = status is not None and (status == 429 or status >= 500)
    if reason == "quotaExceeded" and retry_after is None:
        retry_after = seconds_to_quota_reset()
    fallback = ErrorMeaning(f"YouTube refused the upload ({reason or status}).", retryable)
    return _build(
        YOUTUBE_ERRORS,
        provider="youtube",
        code=reason,
        detail=message,
        status=status,
        retry_after=retry_after,
        log_id="",
        fallback=fallback,
    )


def google_oauth_error(
    error: str, *, description: str = "", status: int | None = None
) -> PlatformError:
    fallback = ErrorMeaning(f"Google sign-in failed with {error!r}. Connect again.", False)
    return _build(
        GOOGLE_OAUTH_ERRORS,
        provider="youtube",
        code=error,
        detail=description,
        status=status,
        retry_after=None,
        log_id="",
        fallback=fallback,
    )


def explain_fail_reason(reason: str) -> str:
    """A sentence for a TikTok status ``fail_reason`` (the post history shows it)."""
    if not reason:
        return "TikTok reported the post as failed without a reason."
    text = TIKTOK_FAIL_REASONS.get(reason)
    if text is None and reason in TIKTOK_ERRORS:  # a create call refused with this code
        text = TIKTOK_ERRORS[reason].message
    if text is None and reason.startswith("spam_risk"):
        text = TIKTOK_FAIL_REASONS["spam_risk"]
    return text or f"TikTok reported the post as failed ({reason})."
