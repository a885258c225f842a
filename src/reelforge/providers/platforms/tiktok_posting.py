"""TikTok Content Posting API: creator info, video init (direct or inbox draft), chunked
upload, photo carousel init, status fetch.

Wire facts (developers.tiktok.com, Content Posting API reference + Media Transfer Guide):

* Every answer is ``{"data": {…}, "error": {"code": "ok", "message", "log_id"}}``;
  a non-``ok`` code can arrive with HTTP 200, so the body is always read.
* ``POST /v2/post/publish/creator_info/query/`` (20/min) → ``privacy_level_options``,
  ``comment_disabled``, ``duet_disabled``, ``stitch_disabled``,
  ``max_video_post_duration_sec``, ``creator_username`` …
* ``POST /v2/post/publish/video/init/`` (direct, scope video.publish, 6/min) with
  ``post_info`` + ``source_info``; ``POST /v2/post/publish/inbox/video/init/``
  (draft, scope video.upload) with ``source_info`` only → ``publish_id``, ``upload_url``.
* ``PUT upload_url`` per chunk: ``Content-Type: video/mp4``, ``Content-Length``,
  ``Content-Range: bytes FIRST-LAST/TOTAL``; sequential; 206 partial, 201 complete.
  Chunks 5–64 MB, ``total_chunk_count = floor(video_size / chunk_size)``, the last
  chunk takes the remainder (≤ 128 MB), a file < 5 MB is one chunk, 1–1000 chunks.
* ``POST /v2/post/publish/content/init/`` ``media_type=PHOTO``, ``PULL_FROM_URL``
  ``photo_images`` (≤ 35, URL prefix verified by the app owner), title ≤ 90,
  description ≤ 4000.
* ``POST /v2/post/publish/status/fetch/`` (30/min) ``{"publish_id"}`` → ``status``,
  ``fail_reason``, ``publicaly_available_post_id`` (sic), ``uploaded_bytes``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from reelforge.errors import InputError
from reelforge.providers.platforms._http import platform_client
from reelforge.providers.platforms.tiktok_common import envelope_data, map_response
from reelforge.providers.types.publishing import CreatorInfo, PostRequest, PublishStatus, utf16_len

MIN_CHUNK = 5 * 1024 * 1024  # ≥ 5 MB however TikTok counts a megabyte
MAX_CHUNK = 64_000_000  # ≤ 64 MB however TikTok counts a megabyte
MAX_FINAL_CHUNK = 128_000_000
MAX_CHUNKS = 1000
MAX_VIDEO_BYTES = 4 * 1024**3
TITLE_MAX_UTF16 = 2200
PHOTO_TITLE_MAX = 90
PHOTO_DESCRIPTION_MAX = 4000
MAX_PHOTOS = 35
VIDEO_TYPES = {".mp4": "video/mp4", ".mov": "video/quicktime", ".webm": "video/webm"}


@dataclass(frozen=True)
class ChunkPlan:
    """How a file of ``video_size`` bytes is cut, by TikTok's exact chunk rules."""

    video_size: int
    chunk_size: int
    total_chunk_count: int

    def ranges(self) -> list[tuple[int, int]]:
        """Inclusive (first, last) byte ranges; the last chunk absorbs the remainder."""
        out = []
        for index in range(self.total_chunk_count):
            first = index * self.chunk_size
            last = (
                self.video_size - 1
                if index == self.total_chunk_count - 1
                else first + self.chunk_size - 1
            )
            out.append((first, last))
        return out

    def source_info(self) -> dict[str, Any]:
        return {
            "source": "FILE_UPLOAD",
            "video_size": self.video_size,
            "chunk_size": self.chunk_size,
            "total_chunk_count": self.total_chunk_count,
        }


def plan_chunks(video_size: int, chunk_size: int = 10_000_000) -> ChunkPlan:
    """Choose chunk_size/total_chunk_count for a file, clamping the wish to TikTok's rules."""
    if video_size <= 0:
        raise InputError("The video file is empty.")
    if video_size > MAX_VIDEO_BYTES:
        raise InputError("TikTok accepts videos up to 4 GB; export a smaller file.")
    if video_size < MIN_CHUNK:
        return ChunkPlan(video_size, video_size, 1)
    size = min(max(chunk_size, MIN_CHUNK), MAX_CHUNK)
    if video_size // size > MAX_CHUNKS:
        size = -(-video_size // MAX_CHUNKS)
    count = max(1, video_size // size)
    if count == 1 and video_size > MAX_CHUNK:  # > 64 MB must be several chunks
        size = min(MAX_CHUNK, video_size // 2)
        count = video_size // size
    plan = ChunkPlan(video_size, size if count > 1 else video_size, count)
    last_first, last_last = plan.ranges()[-1]
    if last_last - last_first + 1 > MAX_FINAL_CHUNK:  # cannot happen with size ≤ 64 MB
        raise InputError("The final chunk would exceed TikTok's 128 MB limit.")
    return plan


def video_content_type(suffix: str) -> str:
    kind = VIDEO_TYPES.get(suffix.lower())
    if kind is None:
        raise InputError("TikTok accepts MP4, MOV or WebM videos; export one of those.")
    return kind


def check_direct_post(
    request: PostRequest, creator: CreatorInfo, *, duration_s: float | None
) -> None:
    """Refuse, before any init call, what this creator may not post (TikTok's UX rules)."""
    options = creator.privacy_level_options
    if request.privacy_level not in options:
        offered = ", ".join(options) or "none"
        raise InputError(
            f"This TikTok account does not offer privacy level {request.privacy_level!r}; "
            f"choose one of: {offered}.",
            details={"privacy_level_options": list(options)},
        )
    limit = creator.max_video_post_duration_sec
    if request.is_video and limit and duration_s is not None and duration_s > limit:
        raise InputError(
            f"The video is {duration_s:.0f} s long but this TikTok account may post at most "
            f"{limit} s. Trim it and post again.",
            details={"max_video_post_duration_sec": limit},
        )
    if request.is_video and utf16_len(request.caption()) > TITLE_MAX_UTF16:
        raise InputError(
            f"TikTok captions are at most {TITLE_MAX_UTF16} characters (emoji count as 2); "
            "shorten the title or description."
        )


def check_photo_post(request: PostRequest) -> None:
    if not 1 <= len(request.image_urls) <= MAX_PHOTOS:
        raise InputError(f"A TikTok carousel has 1 to {MAX_PHOTOS} images.")
    if not 0 <= request.photo_cover_index < len(request.image_urls):
        raise InputError("The cover index must point at one of the carousel's images.")
    if utf16_len(request.title) > PHOTO_TITLE_MAX:
        raise InputError(f"TikTok photo titles are at most {PHOTO_TITLE_MAX} characters.")
    if utf16_len(request.description) > PHOTO_DESCRIPTION_MAX:
        raise InputError(f"TikTok descriptions are at most {PHOTO_DESCRIPTION_MAX} characters.")


def _flags(request: PostRequest, creator: CreatorInfo | None) -> dict[str, bool]:
    """The creator's own disabled interactions win over the request (TikTok's UX rules)."""
    c = creator or CreatorInfo()
    return {
        "disable_comment": request.disable_comment or c.comment_disabled,
        "disable_duet": request.disable_duet or c.duet_disabled,
        "disable_stitch": request.disable_stitch or c.stitch_disabled,
    }


def post_url(username: str, post_id: str, *, photo: bool = False) -> str:
    """The public URL of a published post (``creator_username`` from creator info)."""
    return f"https://www.tiktok.com/@{username}/{'photo' if photo else 'video'}/{post_id}"


@dataclass(frozen=True)
class VideoInit:
    publish_id: str
    upload_url: str


class TikTokPosting:
    """Posting calls for one connected account (its access token)."""

    name = "tiktok"

    def __init__(
        self,
        settings: Any,
        *,
        access_token: str,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        base = settings.tiktok_api_base_url
        auth = {"Authorization": f"Bearer {access_token}"}
        common: dict[str, Any] = {
            "provider": "tiktok",
            "base_url": base,
            "mapper": map_response,
            "transport": transport,
        }
        self.http = platform_client(settings, headers=auth, **common)
        # creates and chunk PUTs go out once; the state machine decides about resending
        self.http_once = platform_client(settings, headers=auth, retries=False, **common)
        self.http_upload = platform_client(settings, retries=False, **common)

    def _post(self, path: str, body: dict[str, Any] | None, *, once: bool = False) -> Any:
        client = self.http_once if once else self.http
        headers = {"Content-Type": "application/json; charset=UTF-8"}
        response = client.request("POST", path, json=body, headers=headers)
        return envelope_data(response)

    def creator_info(self) -> CreatorInfo:
        data = self._post("/v2/post/publish/creator_info/query/", None)
        return CreatorInfo(
            username=str(data.get("creator_username") or ""),
            nickname=str(data.get("creator_nickname") or ""),
            avatar_url=str(data.get("creator_avatar_url") or ""),
            privacy_level_options=tuple(data.get("privacy_level_options") or ()),
            comment_disabled=bool(data.get("comment_disabled")),
            duet_disabled=bool(data.get("duet_disabled")),
            stitch_disabled=bool(data.get("stitch_disabled")),
            max_video_post_duration_sec=data.get("max_video_post_duration_sec"),
        )

    def init_video(
        self,
        *,
        request: PostRequest,
        plan: ChunkPlan,
        creator: CreatorInfo | None,
        duration_s: float | None = None,
    ) -> VideoInit:
        """Create the post (direct) or the inbox draft; the caller recorded intent first."""
        if request.mode == "draft":
            data = self._post(
                "/v2/post/publish/inbox/video/init/",
                {"source_info": plan.source_info()},
                once=True,
            )
        else:
            if creator is None:
                raise InputError("Query creator info before a direct post.")
            check_direct_post(request, creator, duration_s=duration_s)
            post_info: dict[str, Any] = {
                "title": request.caption(),
                "privacy_level": request.privacy_level,
                **_flags(request, creator),
                "brand_content_toggle": False,
                "brand_organic_toggle": False,
                "is_aigc": request.is_aigc,
            }
            if request.video_cover_timestamp_ms is not None:
                post_info["video_cover_timestamp_ms"] = request.video_cover_timestamp_ms
            data = self._post(
                "/v2/post/publish/video/init/",
                {"post_info": post_info, "source_info": plan.source_info()},
                once=True,
            )
        return VideoInit(str(data.get("publish_id") or ""), str(data.get("upload_url") or ""))

    def upload_chunk(
        self, *, upload_url: str, data: bytes, first: int, total: int, content_type: str
    ) -> int:
        """PUT one chunk; returns the HTTP status (206 partial, 201 complete)."""
        last = first + len(data) - 1
        response = self.http_upload.request(
            "PUT",
            upload_url,
            content=data,
            headers={
                "Content-Type": content_type,
                "Content-Range": f"bytes {first}-{last}/{total}",
            },
        )
        return response.status_code

    def init_photos(self, *, request: PostRequest, creator: CreatorInfo | None) -> str:
        """Create a photo carousel post that TikTok pulls from verified URLs."""
        check_photo_post(request)
        post_info: dict[str, Any] = {
            "title": request.title,
            "description": request.description,
            "disable_comment": _flags(request, creator)["disable_comment"],
            "auto_add_music": request.auto_add_music,
        }
        if request.mode == "direct":
            if creator is None:
                raise InputError("Query creator info before a direct post.")
            check_direct_post(request, creator, duration_s=None)
            post_info["privacy_level"] = request.privacy_level
        data = self._post(
            "/v2/post/publish/content/init/",
            {
                "media_type": "PHOTO",
                "post_mode": "DIRECT_POST" if request.mode == "direct" else "MEDIA_UPLOAD",
                "post_info": post_info,
                "source_info": {
                    "source": "PULL_FROM_URL",
                    "photo_images": list(request.image_urls),
                    "photo_cover_index": request.photo_cover_index,
                },
            },
            once=True,
        )
        return str(data.get("publish_id") or "")

    def fetch_status(self, *, publish_id: str) -> PublishStatus:
        data = self._post("/v2/post/publish/status/fetch/", {"publish_id": publish_id})
        ids = data.get("publicaly_available_post_id") or data.get("publicly_available_post_id")
        return PublishStatus(
            status=str(data.get("status") or ""),
            fail_reason=str(data.get("fail_reason") or ""),
            post_ids=tuple(str(i) for i in ids or ()),
            uploaded_bytes=int(data.get("uploaded_bytes") or 0),
            downloaded_bytes=int(data.get("downloaded_bytes") or 0),
        )

    def close(self) -> None:
        for client in (self.http, self.http_once, self.http_upload):
            client.close()
