"""The resumable YouTube publish: open a session → upload chunks → record the video id.

Exactly once on YouTube: a video exists only when its upload session receives
the last byte, so opening a second session after a lost answer is harmless.
The one dangerous moment is a lost answer to the final chunk; a resumed run
therefore asks the stored session first (``Content-Range: bytes */TOTAL``): a
200/201 there means the video already exists and its id is recorded, without
sending anything again.
"""

from __future__ import annotations

import mimetypes

from reelforge.errors import InputError
from reelforge.providers.platforms.resumable import create_once, must_load, result
from reelforge.providers.platforms.youtube_upload import YouTubeUploader, is_short, video_resource
from reelforge.providers.types.publishing import PlatformPost, PostLedger, PostRequest, Progress

DEFAULT_CHUNK = 8 * 1024 * 1024  # a multiple of 256 KiB


def _finish(ledger: PostLedger, post_key: str, video_id: str, *, short: bool) -> PlatformPost:
    state = must_load(ledger, post_key)
    ledger.record_upload(post_key, uploaded_bytes=state.total_bytes, complete=True)
    ledger.record_status(post_key, status="uploaded", post_ids=(video_id,), phase="published")
    url = f"https://www.youtube.com/shorts/{video_id}" if short else f"https://youtu.be/{video_id}"
    return result(must_load(ledger, post_key)).model_copy(update={"url": url})


def publish_youtube(
    *,
    client: YouTubeUploader,
    ledger: PostLedger,
    post_key: str,
    request: PostRequest,
    chunk_size: int = DEFAULT_CHUNK,
    shorts: str = "auto",
    shorts_max_s: float = 60.0,
    on_progress: Progress | None = None,
) -> PlatformPost:
    """Upload (or resume uploading) a video to the connected YouTube channel."""
    if request.video_path is None:
        raise InputError("YouTube posts need a video file.")
    path = request.video_path
    state = ledger.load(post_key)
    if state is not None and state.terminal:
        return result(state)
    resource = video_resource(request, shorts=shorts, shorts_max_s=shorts_max_s)
    short = "#shorts" in str(resource["snippet"]).lower() or is_short(
        width=request.width,
        height=request.height,
        duration_s=request.duration_s,
        max_s=shorts_max_s,
    )
    size = path.stat().st_size
    kind = mimetypes.guess_type(path.name)[0] or ""
    content_type = kind if kind.startswith("video/") else "application/octet-stream"
    start = 0
    if state is None or state.publish_id is None:
        ledger.record_init_sent(
            post_key, platform="youtube", total_bytes=size, chunk_size=chunk_size
        )
        create_once(
            ledger,
            post_key,
            lambda: (
                client.start_session(resource=resource, size=size, content_type=content_type),
                None,
            ),
        )
    else:
        if size != state.total_bytes:
            raise InputError("The video file changed since the upload began; post it again.")
        progress = client.query(session_url=state.publish_id, total=size)
        if progress.video_id:
            return _finish(ledger, post_key, progress.video_id, short=short)
        start = progress.received
    session_url = str(must_load(ledger, post_key).publish_id)

    def progressed(received: int) -> None:
        ledger.record_upload(post_key, uploaded_bytes=received, complete=False)
        if on_progress:
            on_progress(received, size)

    video_id = client.upload_file(
        session_url=session_url,
        path=path,
        start=start,
        total=size,
        chunk_size=chunk_size,
        on_progress=progressed,
    )
    return _finish(ledger, post_key, video_id, short=short)
