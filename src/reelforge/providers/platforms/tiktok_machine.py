"""The resumable TikTok publish state machine: creator check → init → chunked upload → status.

Exactly once: the ledger records intent before every create call and the
platform's id right after it. A run that stops anywhere (worker killed, token
expired, network gone) is resumed by calling the same function with the same
``post_key`` and ledger:

* ``initialised`` / ``uploaded`` → never init again; ask TikTok how many bytes it
  holds (status fetch ``uploaded_bytes``) and continue the upload, then poll.
* ``init_sent`` (the create's answer was lost) → for a FILE_UPLOAD video, init
  again: the orphaned init never receives bytes, so TikTok drops it and no
  second post appears. For a PULL_FROM_URL carousel TikTok would fetch and post
  it by itself, so the run stops with :class:`PostOutcomeUnknown` instead.
* ``rejected`` (TikTok answered the create with a refusal) → nothing was made;
  creating again is safe.
* terminal phases → return the recorded result without calling TikTok.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from reelforge.av.ffmpeg import probe
from reelforge.errors import InputError, PostOutcomeUnknown, RenderError
from reelforge.providers.platforms.resumable import create_once, must_load, result
from reelforge.providers.platforms.tiktok_posting import (
    ChunkPlan,
    TikTokPosting,
    check_direct_post,
    plan_chunks,
    video_content_type,
)
from reelforge.providers.types.publishing import (
    Phase,
    PlatformPost,
    PollPolicy,
    PostLedger,
    PostRequest,
    PostState,
    Progress,
    PublishStatus,
)

Sleep = Callable[[float], None]
TERMINAL: dict[str, Phase] = {
    "PUBLISH_COMPLETE": "published",
    "SEND_TO_USER_INBOX": "sent_to_inbox",
    "FAILED": "failed",
}


def _record(ledger: PostLedger, post_key: str, status: PublishStatus) -> None:
    ledger.record_status(
        post_key,
        status=status.status,
        fail_reason=status.fail_reason,
        post_ids=status.post_ids,
        phase=TERMINAL.get(status.status),
    )


def _duration(request: PostRequest, ffmpeg: str | None) -> float | None:
    if request.duration_s is not None or request.video_path is None:
        return request.duration_s
    try:
        return probe(request.video_path, exe=ffmpeg).duration
    except RenderError as exc:
        raise InputError(f"Cannot read the video {request.video_path}: {exc.message}") from exc


def poll_until_done(
    client: TikTokPosting,
    ledger: PostLedger,
    post_key: str,
    *,
    poll: PollPolicy,
    sleep: Sleep,
) -> PostState:
    """Fetch status with backoff until a terminal status or ``max_wait_s``; record changes."""
    state = must_load(ledger, post_key)
    waited, interval = 0.0, poll.first_s
    while True:
        status = client.fetch_status(publish_id=str(state.publish_id))
        if status.status != state.status or status.status in TERMINAL:
            _record(ledger, post_key, status)
            state = must_load(ledger, post_key)
        if state.terminal or waited >= poll.max_wait_s:
            return state
        sleep(interval)
        waited += interval
        interval = min(interval * poll.factor, poll.max_interval_s)


def _upload(
    client: TikTokPosting,
    ledger: PostLedger,
    state: PostState,
    *,
    path: Path,
    resumed: bool,
    on_progress: Progress | None,
) -> PostState:
    """Send the chunks TikTok does not hold yet, in order."""
    plan = ChunkPlan(
        state.total_bytes, state.chunk_size, max(1, state.total_bytes // state.chunk_size)
    )
    offset = state.uploaded_bytes
    if resumed:  # TikTok's own count is the truth after a stop
        status = client.fetch_status(publish_id=str(state.publish_id))
        if status.status in TERMINAL:
            _record(ledger, state.post_key, status)
            return must_load(ledger, state.post_key)
        offset = status.uploaded_bytes
    starts = [first for first, _ in plan.ranges()]
    if offset not in (*starts, plan.video_size):
        raise PostOutcomeUnknown(
            f"TikTok holds {offset} bytes of this upload, which is not a chunk boundary; "
            "the upload cannot continue. Post the video again as a new post.",
            provider="tiktok",
            platform_code="upload_offset_mismatch",
        )
    content_type = video_content_type(path.suffix)
    with path.open("rb") as fh:
        for first, last in plan.ranges():
            if first < offset:
                continue
            fh.seek(first)
            data = fh.read(last - first + 1)
            client.upload_chunk(
                upload_url=str(state.upload_url),
                data=data,
                first=first,
                total=plan.video_size,
                content_type=content_type,
            )
            done = last + 1 == plan.video_size
            ledger.record_upload(state.post_key, uploaded_bytes=last + 1, complete=done)
            if on_progress:
                on_progress(last + 1, plan.video_size)
    if offset == plan.video_size:
        ledger.record_upload(state.post_key, uploaded_bytes=offset, complete=True)
    return must_load(ledger, state.post_key)


def publish_video(
    *,
    client: TikTokPosting,
    ledger: PostLedger,
    post_key: str,
    request: PostRequest,
    chunk_size: int = 10_000_000,
    poll: PollPolicy = PollPolicy(),
    sleep: Sleep = time.sleep,
    on_progress: Progress | None = None,
    ffmpeg: str | None = None,
) -> PlatformPost:
    """Post (or resume posting) a video file to TikTok, directly or as an inbox draft.

    ``ffmpeg`` (the settings' binary) probes the file when the request does not say how
    long the video is."""
    if request.video_path is None:
        raise InputError("publish_video needs a video file; use publish_photos for images.")
    path = request.video_path
    state = ledger.load(post_key)
    if state is not None and state.terminal:
        return result(state)
    size = path.stat().st_size
    resumed = state is not None and state.publish_id is not None
    if state is not None and resumed and size != state.total_bytes:
        raise InputError(
            f"The video file changed since posting began ({state.total_bytes} → {size} bytes); "
            "post it again as a new post."
        )
    if state is None or state.publish_id is None:
        plan = plan_chunks(size, chunk_size)
        video_content_type(path.suffix)
        creator, duration = None, None
        if request.mode == "direct":
            duration = _duration(request, ffmpeg)
            creator = client.creator_info()
            check_direct_post(request, creator, duration_s=duration)  # before any init
        ledger.record_init_sent(
            post_key, platform="tiktok", total_bytes=size, chunk_size=plan.chunk_size
        )

        def send() -> tuple[str, str | None]:
            init = client.init_video(
                request=request, plan=plan, creator=creator, duration_s=duration
            )
            return init.publish_id, init.upload_url

        create_once(ledger, post_key, send)
        state = must_load(ledger, post_key)
    if state.phase == "initialised":
        state = _upload(client, ledger, state, path=path, resumed=resumed, on_progress=on_progress)
    if not state.terminal:
        state = poll_until_done(client, ledger, post_key, poll=poll, sleep=sleep)
    return result(state)


def publish_photos(
    *,
    client: TikTokPosting,
    ledger: PostLedger,
    post_key: str,
    request: PostRequest,
    poll: PollPolicy = PollPolicy(),
    sleep: Sleep = time.sleep,
) -> PlatformPost:
    """Post (or resume) a photo carousel that TikTok pulls from verified public URLs."""
    if not request.image_urls:
        raise InputError("publish_photos needs image URLs; use publish_video for a video.")
    state = ledger.load(post_key)
    if state is not None and state.terminal:
        return result(state)
    if state is not None and state.phase == "init_sent":
        raise PostOutcomeUnknown(
            "reelforge cannot tell whether TikTok received this carousel: the answer to the "
            "create call was lost. Check the TikTok profile (and inbox); if the post is not "
            "there, post the images again as a new post.",
            provider="tiktok",
            platform_code="create_outcome_unknown",
        )
    if state is None or state.publish_id is None:
        creator = client.creator_info() if request.mode == "direct" else None
        if creator is not None:
            check_direct_post(request, creator, duration_s=None)
        ledger.record_init_sent(post_key, platform="tiktok", total_bytes=0)
        create_once(
            ledger, post_key, lambda: (client.init_photos(request=request, creator=creator), None)
        )
        state = must_load(ledger, post_key)
    if not state.terminal:
        state = poll_until_done(client, ledger, post_key, poll=poll, sleep=sleep)
    return result(state)
