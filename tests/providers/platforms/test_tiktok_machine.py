"""The resumable TikTok publish, end to end against the fake — including exactly-once
posting when the worker dies between init and upload, mid-upload, and before status."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reelforge.config import Settings
from reelforge.errors import InputError, PlatformError, PostOutcomeUnknown
from reelforge.providers.platforms.memory_ledger import InMemoryLedger
from reelforge.providers.platforms.tiktok_machine import publish_photos, publish_video
from reelforge.providers.platforms.tiktok_posting import TikTokPosting
from reelforge.providers.types.publishing import PlatformPost, PollPolicy, PostRequest
from tests.fakes.server import FakeServer
from tests.fakes.tiktok import FakeTikTok
from tests.providers.platforms.crashing import CrashingLedger, SimulatedCrash

MIB = 1024 * 1024
VERIFIED = "https://media.reelforge.example/p/"


@pytest.fixture(scope="module")
def big_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("media") / "final.mp4"
    path.write_bytes(os.urandom(11_000_000))
    return path


def request_for(path: Path, **update: object) -> PostRequest:
    base = PostRequest(
        title="My short",
        description="#reelforge",
        privacy_level="PUBLIC_TO_EVERYONE",
        video_path=path,
        duration_s=20,
        is_aigc=True,
    )
    return base.model_copy(update=update)


class Run:
    """One worker run: a fresh client (new process) over the shared fake and ledger."""

    def __init__(self, settings: Settings, token: str) -> None:
        self.settings, self.token = settings, token
        self.sleeps: list[float] = []

    def video(self, ledger: InMemoryLedger, request: PostRequest, **kw: object) -> PlatformPost:
        client = TikTokPosting(self.settings, access_token=self.token)
        return publish_video(
            client=client,
            ledger=ledger,
            post_key="post-1",
            request=request,
            chunk_size=5 * MIB,
            sleep=self.sleeps.append,
            **kw,  # type: ignore[arg-type]
        )

    def photos(self, ledger: InMemoryLedger, request: PostRequest) -> PlatformPost:
        client = TikTokPosting(self.settings, access_token=self.token)
        return publish_photos(
            client=client,
            ledger=ledger,
            post_key="post-1",
            request=request,
            sleep=self.sleeps.append,
        )


@pytest.fixture
def run(tt_settings: Settings, tiktok: FakeTikTok) -> Run:
    return Run(tt_settings, tiktok.issue_tokens()["access_token"])


def puts(server: FakeServer) -> list[str]:
    return [r.headers["content-range"] for r in server.requests if r.method == "PUT"]


def test_video_goes_up_in_exact_chunks_and_reaches_publish_complete(
    run: Run, big_video: Path, tiktok: FakeTikTok, tiktok_server: FakeServer
) -> None:
    ledger = InMemoryLedger()
    post = run.video(ledger, request_for(big_video))
    assert post.phase == "published" and post.status == "PUBLISH_COMPLETE"
    assert post.post_ids and post.history == ("PROCESSING_UPLOAD", "PUBLISH_COMPLETE")
    assert puts(tiktok_server) == ["bytes 0-5242879/11000000", "bytes 5242880-10999999/11000000"]
    chunks = [r for r in tiktok_server.requests if r.method == "PUT"]
    assert [r.headers["content-type"] for r in chunks] == ["video/mp4", "video/mp4"]
    assert [r.headers["content-length"] for r in chunks] == ["5242880", "5757120"]
    (publish,) = tiktok.publishes.values()
    assert bytes(publish.received) == big_video.read_bytes()
    body = tiktok.inits[0][1]
    assert body["source_info"] == {
        "source": "FILE_UPLOAD",
        "video_size": 11_000_000,
        "chunk_size": 5 * MIB,
        "total_chunk_count": 2,
    }
    assert body["post_info"]["title"] == "My short\n\n#reelforge"
    assert body["post_info"]["is_aigc"] is True
    paths = [r.path for r in tiktok_server.requests if r.method == "POST"]
    assert paths.index("/v2/post/publish/creator_info/query/") < paths.index(
        "/v2/post/publish/video/init/"
    )


def test_video_under_five_megabytes_is_a_single_chunk(
    run: Run, tmp_path: Path, tiktok_server: FakeServer
) -> None:
    small = tmp_path / "small.mp4"
    small.write_bytes(os.urandom(3_000_001))
    post = run.video(InMemoryLedger(), request_for(small))
    assert post.phase == "published"
    assert puts(tiktok_server) == ["bytes 0-3000000/3000001"]


def test_draft_goes_to_the_inbox_and_ends_there(
    run: Run, tmp_path: Path, tiktok: FakeTikTok, tiktok_server: FakeServer
) -> None:
    small = tmp_path / "draft.mp4"
    small.write_bytes(os.urandom(1000))
    post = run.video(InMemoryLedger(), request_for(small, mode="draft"))
    assert post.phase == "sent_to_inbox" and post.status == "SEND_TO_USER_INBOX"
    assert tiktok.inits[0][0] == "/v2/post/publish/inbox/video/init/"
    assert all("creator_info" not in r.path for r in tiktok_server.requests)


def test_failed_publish_records_the_reason_and_a_message(
    run: Run, tmp_path: Path, tiktok: FakeTikTok
) -> None:
    tiktok.fail_reason = "frame_rate_check_failed"
    small = tmp_path / "bad.mp4"
    small.write_bytes(b"x" * 1000)
    ledger = InMemoryLedger()
    post = run.video(ledger, request_for(small))
    assert post.phase == "failed" and post.status == "FAILED"
    assert post.fail_reason == "frame_rate_check_failed"
    assert "23–60 fps" in post.fail_message
    state = ledger.load("post-1")
    assert state is not None and state.history[-1].fail_reason == "frame_rate_check_failed"


def test_privacy_level_not_offered_is_refused_before_anything_is_created(
    run: Run, tmp_path: Path, tiktok: FakeTikTok
) -> None:
    tiktok.privacy_level_options = ("SELF_ONLY",)
    small = tmp_path / "v.mp4"
    small.write_bytes(b"x" * 1000)
    ledger = InMemoryLedger()
    with pytest.raises(InputError, match="choose one of: SELF_ONLY"):
        run.video(ledger, request_for(small))
    assert tiktok.inits == [] and ledger.load("post-1") is None


def test_polling_backs_off_and_a_later_run_polls_on_without_reposting(
    run: Run, tmp_path: Path, tiktok: FakeTikTok, tiktok_server: FakeServer
) -> None:
    tiktok.processing_polls = 6
    small = tmp_path / "v.mp4"
    small.write_bytes(b"x" * 1000)
    ledger = InMemoryLedger()
    policy = PollPolicy(first_s=2, factor=2, max_interval_s=10, max_wait_s=20)
    post = run.video(ledger, request_for(small), poll=policy)
    assert post.phase == "uploaded" and post.status == "PROCESSING_UPLOAD"  # still processing
    assert run.sleeps == [2, 4, 8, 10]
    post = run.video(ledger, request_for(small))
    assert post.phase == "published"
    assert len(tiktok.inits) == 1 and len(puts(tiktok_server)) == 1


# --- exactly once ---------------------------------------------------------------------


def test_killed_between_init_and_upload_resumes_with_one_init(
    run: Run, big_video: Path, tiktok: FakeTikTok, tiktok_server: FakeServer
) -> None:
    ledger = CrashingLedger("record_init")
    with pytest.raises(SimulatedCrash):
        run.video(ledger, request_for(big_video))
    assert puts(tiktok_server) == []
    post = run.video(ledger, request_for(big_video))
    assert post.phase == "published"
    assert len(tiktok.inits) == 1
    assert len(puts(tiktok_server)) == 2


def test_killed_between_upload_and_status_resumes_with_one_init_and_no_reupload(
    run: Run, big_video: Path, tiktok: FakeTikTok, tiktok_server: FakeServer
) -> None:
    ledger = CrashingLedger("record_upload", complete=True)
    with pytest.raises(SimulatedCrash):
        run.video(ledger, request_for(big_video))
    assert all("status/fetch" not in r.path for r in tiktok_server.requests)
    post = run.video(ledger, request_for(big_video))
    assert post.phase == "published"
    assert len(tiktok.inits) == 1
    assert len(puts(tiktok_server)) == 2


def test_killed_mid_upload_sends_only_the_missing_chunks(
    run: Run, big_video: Path, tiktok: FakeTikTok, tiktok_server: FakeServer
) -> None:
    ledger = CrashingLedger("record_upload", complete=False)
    with pytest.raises(SimulatedCrash):
        run.video(ledger, request_for(big_video))
    post = run.video(ledger, request_for(big_video))
    assert post.phase == "published" and len(tiktok.inits) == 1
    assert puts(tiktok_server) == ["bytes 0-5242879/11000000", "bytes 5242880-10999999/11000000"]


def test_chunk_sent_but_not_recorded_is_not_sent_twice(
    run: Run, big_video: Path, tiktok: FakeTikTok, tiktok_server: FakeServer
) -> None:
    """TikTok's own uploaded_bytes, not the ledger, decides where a resumed upload goes on."""
    ledger = CrashingLedger("record_upload", before=True)
    with pytest.raises(SimulatedCrash):
        run.video(ledger, request_for(big_video))
    state = ledger.load("post-1")
    assert state is not None and state.uploaded_bytes == 0  # the ledger never heard of chunk 1
    post = run.video(ledger, request_for(big_video))
    assert post.phase == "published" and len(tiktok.inits) == 1
    assert puts(tiktok_server) == ["bytes 0-5242879/11000000", "bytes 5242880-10999999/11000000"]


def test_lost_init_answer_inits_again_but_only_one_post_gets_media(
    run: Run, tmp_path: Path, tiktok: FakeTikTok
) -> None:
    small = tmp_path / "v.mp4"
    small.write_bytes(b"x" * 1000)
    ledger = CrashingLedger("record_init", before=True)  # TikTok made it, we never stored it
    with pytest.raises(SimulatedCrash):
        run.video(ledger, request_for(small))
    post = run.video(ledger, request_for(small))
    assert post.phase == "published"
    with_media = [p for p in tiktok.publishes.values() if p.received]
    assert len(with_media) == 1  # the orphan init never gets bytes, so it never posts
    state = ledger.load("post-1")
    assert state is not None and state.init_attempts == 2


def test_finished_post_is_not_touched_again(
    run: Run, tmp_path: Path, tiktok_server: FakeServer
) -> None:
    small = tmp_path / "v.mp4"
    small.write_bytes(b"x" * 1000)
    ledger = InMemoryLedger()
    first = run.video(ledger, request_for(small))
    count = len(tiktok_server.requests)
    again = run.video(ledger, request_for(small))
    assert again.phase == first.phase == "published"
    assert len(tiktok_server.requests) == count


def test_rate_limited_init_is_rejected_then_created_once_on_retry(
    run: Run, tmp_path: Path, tiktok: FakeTikTok
) -> None:
    small = tmp_path / "v.mp4"
    small.write_bytes(b"x" * 1000)
    ledger = InMemoryLedger()
    tiktok.fail_next("video_init", "rate_limit_exceeded")
    with pytest.raises(PlatformError) as err:
        run.video(ledger, request_for(small))
    assert err.value.retryable
    state = ledger.load("post-1")
    assert state is not None and state.phase == "rejected"
    assert run.video(ledger, request_for(small)).phase == "published"
    assert len(tiktok.inits) == 1


# --- photo carousels -----------------------------------------------------------------


def carousel(*urls: str) -> PostRequest:
    return PostRequest(
        title="Three looks", description="swipe", privacy_level="SELF_ONLY", image_urls=urls
    )


def test_carousel_of_three_verified_images_is_published(run: Run, tiktok: FakeTikTok) -> None:
    post = run.photos(InMemoryLedger(), carousel(*(f"{VERIFIED}{i}.jpg" for i in range(3))))
    assert post.phase == "published"
    assert post.history == ("PROCESSING_DOWNLOAD", "PUBLISH_COMPLETE")
    assert len(tiktok.inits[0][1]["source_info"]["photo_images"]) == 3


def test_carousel_from_unverified_prefix_fails_with_the_fix_in_the_message(
    run: Run, tiktok: FakeTikTok
) -> None:
    ledger = InMemoryLedger()
    with pytest.raises(PlatformError) as err:
        run.photos(ledger, carousel("https://cdn.elsewhere.example/1.jpg"))
    assert err.value.platform_code == "url_ownership_unverified"
    state = ledger.load("post-1")
    assert state is not None and state.phase == "failed"
    assert state.fail_reason == "url_ownership_unverified"
    again = run.photos(ledger, carousel("https://cdn.elsewhere.example/1.jpg"))
    assert again.phase == "failed" and "verified" in again.fail_message
    assert tiktok.inits == []


def test_carousel_whose_create_answer_was_lost_is_never_sent_again(
    run: Run, tiktok: FakeTikTok
) -> None:
    ledger = CrashingLedger("record_init", before=True)
    request = carousel(f"{VERIFIED}a.jpg", f"{VERIFIED}b.jpg")
    with pytest.raises(SimulatedCrash):
        run.photos(ledger, request)
    with pytest.raises(PostOutcomeUnknown, match="Check the TikTok profile"):
        run.photos(ledger, request)
    assert len(tiktok.inits) == 1


def test_carousel_draft_ends_in_the_inbox(run: Run, tiktok: FakeTikTok) -> None:
    request = carousel(f"{VERIFIED}a.jpg").model_copy(update={"mode": "draft"})
    post = run.photos(InMemoryLedger(), request)
    assert post.phase == "sent_to_inbox"
    assert tiktok.inits[0][1]["post_mode"] == "MEDIA_UPLOAD"


def test_duration_is_probed_from_the_file_when_not_given(
    run: Run, tmp_path: Path, tiktok: FakeTikTok
) -> None:
    from reelforge.av.ffmpeg import run_ffmpeg

    clip = tmp_path / "two_seconds.mp4"
    run_ffmpeg(
        ["-f", "lavfi", "-i", "color=c=blue:s=180x320:d=2:r=24", "-c:v", "libx264", str(clip)]
    )
    tiktok.max_video_post_duration_sec = 1
    with pytest.raises(InputError, match="at most 1 s"):
        run.video(InMemoryLedger(), request_for(clip, duration_s=None))
    assert tiktok.inits == []
