"""What TikTok's Research and Display APIs share: the answer envelope and its error codes.

Every answer is ``{"data": {…}, "error": {"code": "ok", "message": "", "log_id": "…"}}``,
and a non-``ok`` code can come with HTTP 200 — so the body is always read,
never just the status. The envelope is read by the one reader the posting
clients use too (:func:`reelforge.providers.platforms.tiktok_common.envelope_error`);
what this module adds is what a code means for research. ``log_id`` is kept in
messages: TikTok support asks for it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from reelforge.errors import ProviderError
from reelforge.providers.platforms.tiktok_common import envelope_error
from reelforge.providers.research import next_reset, quota_error
from reelforge.providers.types.research import VideoStats, clean_hashtags, hashtags_in

#: Codes worth retrying later (the job queue retries retryable errors with backoff).
RETRYABLE_CODES = {"rate_limit_exceeded", "internal_error"}
#: Codes meaning the token must be fetched again.
TOKEN_CODES = {"access_token_invalid", "access_token_expired"}


class TokenExpired(Exception):
    """The access token was refused; the caller fetches a new one and retries once."""


def raise_for_envelope(body: Any, *, provider: str, status: int | None = None) -> dict[str, Any]:
    """Return ``data`` of an ok answer; raise the matching error otherwise."""
    found = envelope_error(body)
    if found is None:
        data = body.get("data")
        return data if isinstance(data, dict) else {}
    code, message, log_id = found
    if code in TOKEN_CODES:
        raise TokenExpired(code)
    detail = f"{code}: {message}" + (f" (log_id {log_id})" if log_id else "")
    if "quota" in code:
        raise quota_error(
            provider,
            f"TikTok's daily {provider} quota is used up ({detail}); it resets at midnight UTC.",
            resets_at=next_reset("UTC"),
        )
    if code in {"scope_not_authorized", "scope_permission_missed"}:
        hint = (
            "The Research API needs an approved research project."
            if provider == "tiktok_research"
            else "Reconnect TikTok and allow the video.list permission."
        )
        raise ProviderError(f"TikTok refused access ({detail}). {hint}", provider=provider)
    if code in RETRYABLE_CODES:
        raise ProviderError(
            f"TikTok is busy ({detail}); the refresh will be retried.",
            provider=provider,
            retryable=True,
            status=status or 429,
        )
    raise ProviderError(
        f"TikTok rejected the request ({detail}).", provider=provider, status=status
    )


def video_from_tiktok(item: dict[str, Any], *, username: str | None = None) -> VideoStats | None:
    """A Research or Display API video as VideoStats (None without id or create_time)."""
    video_id, created = item.get("id"), item.get("create_time")
    if video_id in (None, "") or created in (None, ""):
        return None
    description = str(item.get("video_description") or "")
    title = str(item.get("title") or "")
    user = str(item.get("username") or username or "")
    url = str(item.get("share_url") or "")
    if not url and user:
        url = f"https://www.tiktok.com/@{user}/video/{video_id}"
    duration = item.get("video_duration", item.get("duration"))
    listed = [str(t) for t in item.get("hashtag_names") or []]

    def count(name: str) -> int | None:
        value = item.get(name)
        return value if isinstance(value, int) and value >= 0 else None

    return VideoStats(
        platform="tiktok",
        platform_video_id=str(video_id),
        title=title,
        description=description,
        views=count("view_count"),
        likes=count("like_count"),
        comments=count("comment_count"),
        shares=count("share_count"),
        duration_s=float(duration) if isinstance(duration, int | float) else None,
        published_at=datetime.fromtimestamp(int(created), UTC),
        hashtags=clean_hashtags([*listed, *hashtags_in(title, description)]),
        url=url,
    )
