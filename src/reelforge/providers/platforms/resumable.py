"""The steps every resumable publish shares: read the ledger back, record a create call
exactly once, hand the caller its view of the post, retry once with a fresh token.

Why here and not in each state machine: exactly-once rests on doing these the
same way everywhere — intent recorded before the create call, the platform's
id (or its refusal) right after — and a new platform module should get that by
calling these rather than by copying TikTok's machine. A platform whose post is
one local, idempotent step (the outbox, a test double) needs only
:func:`publish_once`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from reelforge.errors import InputError, PlatformError, ProviderError
from reelforge.providers.platforms.error_codes import explain_fail_reason
from reelforge.providers.types.publishing import (
    PlatformPost,
    PostLedger,
    PostState,
    TokenGetter,
)

T = TypeVar("T")


def result(state: PostState) -> PlatformPost:
    """The caller-facing view of a ledger record."""
    return PlatformPost(
        platform=state.platform,
        post_key=state.post_key,
        phase=state.phase,
        publish_id=state.publish_id,
        status=state.status,
        fail_reason=state.fail_reason,
        fail_message=explain_fail_reason(state.fail_reason) if state.phase == "failed" else "",
        post_ids=state.post_ids,
        history=tuple(event.status for event in state.history),
    )


def must_load(ledger: PostLedger, post_key: str) -> PostState:
    state = ledger.load(post_key)
    if state is None:
        raise InputError(f"The ledger lost post {post_key!r}; it must store every record.")
    return state


def create_once(
    ledger: PostLedger, post_key: str, send: Callable[[], tuple[str, str | None]]
) -> None:
    """Send a create call whose intent is already recorded; record its id or its refusal.

    ``send`` returns (the platform's id for the post or upload session, an upload URL)."""
    try:
        publish_id, upload_url = send()
    except ProviderError as exc:
        answered = exc.status is not None and exc.status < 500
        if answered:  # a definite refusal: nothing was created
            code = str(exc.details.get("platform_code") or exc.status)
            ledger.record_status(
                post_key,
                status="INIT_REJECTED",
                fail_reason=code,
                phase="rejected" if exc.retryable else "failed",
            )
        raise
    ledger.record_init(post_key, publish_id=publish_id, upload_url=upload_url)


def publish_once(
    ledger: PostLedger,
    post_key: str,
    *,
    platform: str,
    total_bytes: int,
    write: Callable[[], tuple[str, str | None]],
    status: str = "PUBLISHED",
) -> PlatformPost:
    """Publish a post that is one local step, recorded in the ledger like any other.

    ``write`` makes the post and returns (its id, a URL to it or None). It must be
    idempotent: a run that died after writing and before recording calls it again,
    and it must then return the same post unchanged. A finished post is returned
    as recorded, without calling ``write``."""
    state = ledger.load(post_key)
    if state is not None and state.terminal:
        return result(state)
    ledger.record_init_sent(post_key, platform=platform, total_bytes=total_bytes)
    publish_id, url = write()
    ledger.record_init(post_key, publish_id=publish_id, upload_url=None)
    ledger.record_upload(post_key, uploaded_bytes=total_bytes, complete=True)
    ledger.record_status(post_key, status=status, phase="published")
    return result(must_load(ledger, post_key)).model_copy(update={"url": url})


def with_fresh_token(
    access_token: TokenGetter, run: Callable[[str], T], *, rejected: frozenset[str]
) -> T:
    """``run(token)``; when the platform refuses the token (a ``platform_code`` in
    ``rejected``) before its expiry, once more with a freshly refreshed one."""
    try:
        return run(access_token(False))
    except PlatformError as exc:
        if exc.platform_code not in rejected:
            raise
    return run(access_token(True))
