"""The resumable YouTube publish against the fake: one video however the worker dies."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reelforge.config import Settings
from reelforge.providers.platforms.memory_ledger import InMemoryLedger
from reelforge.providers.platforms.youtube_machine import publish_youtube
from reelforge.providers.platforms.youtube_upload import YouTubeUploader
from reelforge.providers.types.publishing import PlatformPost, PostRequest
from tests.fakes.youtube_upload import FakeYouTube
from tests.providers.platforms.crashing import CrashingLedger, SimulatedCrash

UNIT = 256 * 1024


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    path = tmp_path / "short.mp4"
    path.write_bytes(os.urandom(3 * UNIT + 777))
    return path


def post(settings: Settings, ledger: InMemoryLedger, clip: Path) -> PlatformPost:
    request = PostRequest(
        title="Ocean facts",
        privacy_level="unlisted",
        video_path=clip,
        width=1080,
        height=1920,
        duration_s=30,
        is_aigc=True,
    )
    uploader = YouTubeUploader(settings, access_token="ya29.test", sleep=lambda s: None)
    return publish_youtube(
        client=uploader, ledger=ledger, post_key="yt-1", request=request, chunk_size=UNIT
    )


def test_upload_publishes_a_short_with_its_url(
    yt_settings: Settings, youtube: FakeYouTube, clip: Path
) -> None:
    result = post(yt_settings, InMemoryLedger(), clip)
    (video_id,) = youtube.videos
    assert result.phase == "published" and result.post_ids == (video_id,)
    assert result.url == f"https://www.youtube.com/shorts/{video_id}"
    resource = youtube.videos[video_id].resource
    assert resource["status"]["containsSyntheticMedia"] is True
    assert resource["status"]["privacyStatus"] == "unlisted"


def test_killed_after_the_session_opened_resumes_in_the_same_session(
    yt_settings: Settings, youtube: FakeYouTube, clip: Path
) -> None:
    ledger = CrashingLedger("record_init")
    with pytest.raises(SimulatedCrash):
        post(yt_settings, ledger, clip)
    result = post(yt_settings, ledger, clip)
    assert result.phase == "published"
    assert len(youtube.sessions) == 1 and len(youtube.videos) == 1


def test_killed_mid_upload_continues_from_the_servers_range(
    yt_settings: Settings, youtube: FakeYouTube, clip: Path
) -> None:
    ledger = CrashingLedger("record_upload", nth=2)
    with pytest.raises(SimulatedCrash):
        post(yt_settings, ledger, clip)
    result = post(yt_settings, ledger, clip)
    (session,) = youtube.sessions.values()
    assert result.phase == "published" and bytes(session.data) == clip.read_bytes()


def test_lost_answer_to_the_last_chunk_finds_the_video_instead_of_uploading_again(
    yt_settings: Settings, youtube: FakeYouTube, clip: Path
) -> None:
    ledger = CrashingLedger("record_upload", complete=True, before=True)
    with pytest.raises(SimulatedCrash):
        post(yt_settings, ledger, clip)
    state = ledger.load("yt-1")
    assert state is not None and state.phase == "initialised"  # we never learned it finished
    result = post(yt_settings, ledger, clip)
    (video_id,) = youtube.videos
    assert result.phase == "published" and result.post_ids == (video_id,)
    assert len(youtube.sessions) == 1
