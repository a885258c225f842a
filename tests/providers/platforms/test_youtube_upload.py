"""YouTube resumable upload against the fake: session, 256 KiB chunks, 308 + Range, resume
after an interruption with ``bytes */TOTAL``, quota errors, and #Shorts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reelforge.config import Settings
from reelforge.errors import InputError, PlatformError
from reelforge.providers.platforms.error_codes import YOUTUBE_ERRORS
from reelforge.providers.platforms.youtube_upload import YouTubeUploader, video_resource
from reelforge.providers.types.publishing import PostRequest
from tests.fakes.youtube_upload import FakeYouTube

UNIT = 256 * 1024


def req(path: Path | None = None, **update: object) -> PostRequest:
    base = PostRequest(
        title="Ocean facts",
        description="Three facts.",
        privacy_level="public",
        video_path=path or Path("v.mp4"),
        width=1080,
        height=1920,
        duration_s=42,
        tags=("ocean", "facts"),
    )
    return base.model_copy(update=update)


@pytest.fixture
def uploader(yt_settings: Settings) -> YouTubeUploader:
    return YouTubeUploader(yt_settings, access_token="ya29.test", sleep=lambda s: None)


def test_vertical_short_clip_gets_shorts_in_the_title() -> None:
    resource = video_resource(req())
    assert resource["snippet"]["title"] == "Ocean facts #Shorts"
    assert resource["snippet"]["tags"] == ["ocean", "facts"]
    assert resource["status"] == {
        "privacyStatus": "public",
        "selfDeclaredMadeForKids": False,
        "containsSyntheticMedia": False,
    }


def test_landscape_or_long_clips_are_not_tagged_unless_asked() -> None:
    assert "#Shorts" not in video_resource(req(width=1920, height=1080))["snippet"]["title"]
    assert "#Shorts" not in video_resource(req(duration_s=61))["snippet"]["title"]
    assert video_resource(req(duration_s=150), shorts_max_s=180)["snippet"]["title"].endswith(
        "#Shorts"
    )
    assert video_resource(req(width=1920, height=1080), shorts="always")["snippet"][
        "title"
    ].endswith("#Shorts")
    assert "#Shorts" not in video_resource(req(), shorts="never")["snippet"]["title"]


def test_long_title_puts_shorts_in_the_description_once() -> None:
    resource = video_resource(req(title="t" * 95))
    assert resource["snippet"]["title"] == "t" * 95
    assert resource["snippet"]["description"].endswith("#Shorts")
    tagged = video_resource(req(description="already #shorts"))
    assert tagged["snippet"]["title"] == "Ocean facts"


def test_bad_metadata_is_refused_before_any_call() -> None:
    with pytest.raises(InputError):
        video_resource(req(title=""))
    with pytest.raises(InputError, match="< or >"):
        video_resource(req(title="a <b>"))
    with pytest.raises(InputError, match="privacy"):
        video_resource(req(privacy_level="friends"))


def test_resumable_upload_in_256k_multiples_returns_the_video_id(
    uploader: YouTubeUploader, youtube: FakeYouTube, tmp_path: Path
) -> None:
    path = tmp_path / "v.mp4"
    data = os.urandom(3 * UNIT + 1234)
    path.write_bytes(data)
    session = uploader.start_session(
        resource=video_resource(req(path)), size=len(data), content_type="video/mp4"
    )
    progress: list[int] = []
    video_id = uploader.upload_file(
        session_url=session,
        path=path,
        start=0,
        total=len(data),
        chunk_size=UNIT + 10,
        on_progress=progress.append,
    )
    assert progress == [UNIT, 2 * UNIT, 3 * UNIT]  # chunk size rounded down to 256 KiB
    assert bytes(youtube.videos[video_id].data) == data
    assert youtube.videos[video_id].resource["snippet"]["title"] == "Ocean facts #Shorts"


def test_interrupted_upload_resumes_from_the_servers_range(
    uploader: YouTubeUploader, youtube: FakeYouTube, tmp_path: Path, yt_settings: Settings
) -> None:
    path = tmp_path / "v.mp4"
    data = os.urandom(4 * UNIT)
    path.write_bytes(data)
    youtube.interrupt_at = UNIT + 5000  # the connection drops inside the second chunk
    session = uploader.start_session(
        resource=video_resource(req(path)), size=len(data), content_type="video/mp4"
    )
    video_id = uploader.upload_file(
        session_url=session, path=path, start=0, total=len(data), chunk_size=2 * UNIT
    )
    assert bytes(youtube.videos[video_id].data) == data
    # a fresh process can ask where the session stands: bytes */TOTAL
    other = YouTubeUploader(yt_settings, access_token="ya29.test")
    assert other.query(session_url=session, total=len(data)).video_id == video_id


def test_query_reports_partial_progress_with_308_and_range(
    uploader: YouTubeUploader, tmp_path: Path
) -> None:
    size = 2 * UNIT
    session = uploader.start_session(
        resource=video_resource(req()), size=size, content_type="video/mp4"
    )
    assert uploader.query(session_url=session, total=size).received == 0
    uploader.put_chunk(session_url=session, data=b"\0" * UNIT, first=0, total=size)
    progress = uploader.query(session_url=session, total=size)
    assert progress.received == UNIT and not progress.complete


@pytest.mark.parametrize(
    ("reason", "status"), [("quotaExceeded", 403), ("uploadLimitExceeded", 400)]
)
def test_quota_errors_are_clear_and_not_retried(
    uploader: YouTubeUploader, youtube: FakeYouTube, reason: str, status: int
) -> None:
    youtube.fail_next(reason, status=status)
    with pytest.raises(PlatformError) as err:
        uploader.start_session(resource=video_resource(req()), size=10, content_type="video/mp4")
    assert err.value.platform_code == reason
    assert err.value.message.startswith(YOUTUBE_ERRORS[reason].message)
    assert err.value.retryable is YOUTUBE_ERRORS[reason].retryable


def test_unknown_token_is_an_auth_error(yt_settings: Settings) -> None:
    uploader = YouTubeUploader(yt_settings, access_token="ya29.nope")
    with pytest.raises(PlatformError) as err:
        uploader.start_session(resource=video_resource(req()), size=10, content_type="video/mp4")
    assert err.value.platform_code == "authError"


def test_expired_session_says_to_post_again(
    uploader: YouTubeUploader, yt_settings: Settings
) -> None:
    base = yt_settings.youtube_upload_base_url
    with pytest.raises(PlatformError, match="expired") as err:
        uploader.query(session_url=f"{base}/upload/youtube/v3/videos?upload_id=gone", total=10)
    assert err.value.platform_code == "session_expired"
