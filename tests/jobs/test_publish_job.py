"""The publish job, exactly once: a worker killed between init and upload, between upload and
status, or losing the answer to the create call, is resumed by the job runner from the
database ledger and never makes a second post. Platform errors reach the history as clear
messages; retryable ones go back on the queue."""

# ruff: noqa: F811  (the platform fakes' fixtures are imported by name below)
from __future__ import annotations

import os
import signal
import threading
from pathlib import Path
from typing import Any, ClassVar

import pytest
from sqlalchemy import select, update

from reelforge.clock import utc_now
from reelforge.config import Settings
from reelforge.jobs.tables import Job
from reelforge.providers.types.publishing import PostState
from reelforge.publish import publish_job
from reelforge.publish.post_ledger import DbLedger
from reelforge.runtime import forget_runtimes, runtime_for
from tests.fakes.server import FakeRequest, FakeResponse, FakeServer, serve
from tests.fakes.tiktok import FakeTikTok
from tests.fakes.youtube_upload import FakeYouTube
from tests.providers.platforms.conftest import (  # noqa: F401
    google,
    tiktok,
    tiktok_server,
    tt_settings,
    youtube,
)
from tests.providers.platforms.crashing import SimulatedCrash
from tests.publish.support import (  # noqa: F401
    connect,
    get_post,
    post,
    pub_api,
    pub_settings,
    run,
    upload_images,
    upload_video,
    wait_for_status,
    worker_process,
)
from tests.web.support import Account, Api

MB = 1_000_000


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """11 MB that TikTok must take in two chunks (the fake checks bytes, not codecs)."""
    path = tmp_path_factory.mktemp("big") / "big.mp4"
    path.write_bytes(os.urandom(11 * MB))
    return path


class CrashingDbLedger(DbLedger):
    """The database ledger of a worker that dies at one chosen write (after storing it, or
    ``before`` storing it: the platform call happened, its answer never reached the DB)."""

    plan: ClassVar[dict[str, Any]] = {}

    def _hit(self, method: str, kw: dict[str, Any]) -> bool:
        plan = CrashingDbLedger.plan
        if plan.get("method") != method or not plan.get("armed"):
            return False
        if "complete" in plan and kw.get("complete") is not plan["complete"]:
            return False
        plan["armed"] = False
        if plan.get("before"):
            raise SimulatedCrash(f"killed before storing {method}")
        return True

    def record_init(self, post_key: str, **kw: Any) -> None:
        crash = self._hit("record_init", kw)
        super().record_init(post_key, **kw)
        if crash:
            raise SimulatedCrash("killed after record_init")

    def record_upload(self, post_key: str, **kw: Any) -> None:
        crash = self._hit("record_upload", kw)
        super().record_upload(post_key, **kw)
        if crash:
            raise SimulatedCrash("killed after record_upload")

    def record_init_sent(self, post_key: str, **kw: Any) -> PostState:
        crash = self._hit("record_init_sent", kw)
        state = super().record_init_sent(post_key, **kw)
        if crash:
            raise SimulatedCrash("killed after record_init_sent")
        return state


@pytest.fixture
def crash_at(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Arm a crash; the job handler builds its ledger from this class."""
    monkeypatch.setattr(publish_job, "DbLedger", CrashingDbLedger)

    def arm(method: str, **plan: Any) -> None:
        CrashingDbLedger.plan = {"method": method, "armed": True, **plan}

    return arm


def _video_post(api: Api, settings: Settings, path: Path) -> tuple[Account, str, str]:
    """Upload a file as a video without probing it (11 MB of noise is not an MP4)."""
    from reelforge.videos import service as videos
    from reelforge.videos.tables import Video

    account = api.sign_up("once@example.com")
    connection = connect(api, account)
    services = runtime_for(settings)
    with services.database.session() as db:
        video = Video(owner_id=account.user_id, topic="noise", status="ready", options={})
        db.add(video)
        db.flush()
        services.blobs.put_file(videos.file_key(video, "mp4"), path)
        video_id = video.id
    made = post(
        api,
        account,
        connection_id=connection["id"],
        video_id=video_id,
        title="Once",
        privacy_level="PUBLIC_TO_EVERYONE",
    )
    return account, made["post"]["id"], made["job"]["id"]


@pytest.fixture
def no_probe(monkeypatch: pytest.MonkeyPatch) -> None:
    """Noise files have no duration to read; the studio knows a render's duration anyway."""
    from reelforge.av.ffmpeg import MediaInfo

    monkeypatch.setattr(
        publish_job,
        "probe",
        lambda path, exe=None: MediaInfo(20.0, 1080, 1920, 30.0, "h264", "aac", 48000),
    )


def _restart(settings: Settings, job_id: str) -> str:
    """A new worker finds the dead one's job (its heartbeat went stale) and runs it again."""
    services = runtime_for(settings)
    with services.database.session() as db:
        job = db.get(Job, job_id)
        assert job is not None and job.state == "running"  # what a killed worker leaves
        db.execute(
            update(Job).where(Job.id == job_id).values(heartbeat_at=utc_now().replace(year=2000))
        )
    return run(settings, job_id)


def _puts(server: FakeServer) -> list[str]:
    return [r.headers["content-range"] for r in server.requests if r.method == "PUT"]


@pytest.mark.usefixtures("no_probe")
def test_killed_between_init_and_upload_the_resumed_job_uploads_to_the_same_post(
    pub_api: Api,
    pub_settings: Settings,
    tiktok: FakeTikTok,
    tiktok_server: FakeServer,
    big_file: Path,
    crash_at: Any,
) -> None:
    account, post_id, job_id = _video_post(pub_api, pub_settings, big_file)
    crash_at("record_init")
    with pytest.raises(SimulatedCrash):
        run(pub_settings, job_id)
    assert len(tiktok.inits) == 1 and _puts(tiktok_server) == []

    assert _restart(pub_settings, job_id) == "succeeded"

    assert len(tiktok.inits) == 1  # no second post was created
    (publish,) = tiktok.publishes.values()
    assert bytes(publish.received) == big_file.read_bytes()
    assert len(_puts(tiktok_server)) == 2
    shown = get_post(pub_api, account, post_id)
    assert shown["status"] == "published" and shown["platform_status"] == "PUBLISH_COMPLETE"


@pytest.mark.usefixtures("no_probe")
def test_killed_between_upload_and_status_the_resumed_job_only_asks_for_the_status(
    pub_api: Api,
    pub_settings: Settings,
    tiktok: FakeTikTok,
    tiktok_server: FakeServer,
    big_file: Path,
    crash_at: Any,
) -> None:
    account, post_id, job_id = _video_post(pub_api, pub_settings, big_file)
    crash_at("record_upload", complete=True)
    with pytest.raises(SimulatedCrash):
        run(pub_settings, job_id)
    puts = _puts(tiktok_server)
    assert len(puts) == 2

    assert _restart(pub_settings, job_id) == "succeeded"

    assert len(tiktok.inits) == 1 and _puts(tiktok_server) == puts  # nothing sent twice
    assert get_post(pub_api, account, post_id)["status"] == "published"


@pytest.mark.usefixtures("no_probe")
def test_killed_mid_upload_the_resumed_job_sends_only_the_missing_chunk(
    pub_api: Api,
    pub_settings: Settings,
    tiktok: FakeTikTok,
    tiktok_server: FakeServer,
    big_file: Path,
    crash_at: Any,
) -> None:
    account, post_id, job_id = _video_post(pub_api, pub_settings, big_file)
    crash_at("record_upload", complete=False)
    with pytest.raises(SimulatedCrash):
        run(pub_settings, job_id)
    assert _puts(tiktok_server) == ["bytes 0-5242879/11000000"]

    assert _restart(pub_settings, job_id) == "succeeded"

    assert _puts(tiktok_server) == ["bytes 0-5242879/11000000", "bytes 5242880-10999999/11000000"]
    assert len(tiktok.inits) == 1
    assert get_post(pub_api, account, post_id)["status"] == "published"


@pytest.mark.usefixtures("no_probe")
def test_a_lost_answer_to_a_video_init_makes_an_orphan_that_never_gets_bytes(
    pub_api: Api, pub_settings: Settings, tiktok: FakeTikTok, big_file: Path, crash_at: Any
) -> None:
    account, post_id, job_id = _video_post(pub_api, pub_settings, big_file)
    crash_at("record_init", before=True)  # TikTok made a publish; we never heard its id
    with pytest.raises(SimulatedCrash):
        run(pub_settings, job_id)

    assert _restart(pub_settings, job_id) == "succeeded"

    first, second = tiktok.publishes.values()
    assert not first.received and first.polls == 0  # dropped by TikTok: never a post
    assert bytes(second.received) == big_file.read_bytes()
    assert get_post(pub_api, account, post_id)["status"] == "published"


def test_a_lost_answer_to_a_carousel_init_is_never_sent_again(
    pub_api: Api, pub_settings: Settings, tiktok: FakeTikTok, crash_at: Any
) -> None:
    account = pub_api.sign_up("carousel-once@example.com")
    connection = connect(pub_api, account)
    made = post(
        pub_api,
        account,
        connection_id=connection["id"],
        images=upload_images(pub_api, account, 3),
        title="Slides",
    )
    crash_at("record_init", before=True)
    with pytest.raises(SimulatedCrash):
        run(pub_settings, made["job"]["id"])

    assert _restart(pub_settings, made["job"]["id"]) == "failed"

    assert len(tiktok.inits) == 1  # TikTok pulls by itself: a second init could post twice
    shown = get_post(pub_api, account, made["post"]["id"])
    assert shown["status"] == "failed" and "Check the TikTok profile" in shown["message"]


@pytest.mark.usefixtures("no_probe")
def test_a_failed_chunk_goes_back_on_the_queue_and_resumes_the_same_upload(
    pub_api: Api, pub_settings: Settings, tiktok: FakeTikTok, big_file: Path
) -> None:
    account, post_id, job_id = _video_post(pub_api, pub_settings, big_file)
    tiktok.fail_next("upload", "internal_error", status=500)

    assert run(pub_settings, job_id) == "queued"  # retryable: back on the queue with backoff
    shown = get_post(pub_api, account, post_id)
    assert shown["status"] == "retrying" and "try again" in shown["message"]

    assert run(pub_settings, job_id) == "succeeded"
    assert len(tiktok.inits) == 1
    assert bytes(next(iter(tiktok.publishes.values())).received) == big_file.read_bytes()


def test_a_finished_post_is_never_sent_again(
    pub_api: Api, pub_settings: Settings, tiktok: FakeTikTok
) -> None:
    from reelforge.jobs import records

    account = pub_api.sign_up("done@example.com")
    connection = connect(pub_api, account)
    made = post(
        pub_api,
        account,
        connection_id=connection["id"],
        images=upload_images(pub_api, account, 1),
        title="One",
    )
    assert run(pub_settings, made["job"]["id"]) == "succeeded"
    assert run(pub_settings, made["job"]["id"]) == "skipped"  # the same job id again
    with runtime_for(pub_settings).database.session() as db:  # a stray second job
        stray = records.create_job(
            db, owner_id=account.user_id, kind="publish", payload={"post_id": made["post"]["id"]}
        ).id
    assert run(pub_settings, stray) == "succeeded"
    assert len(tiktok.inits) == 1


@pytest.mark.parametrize(
    ("setup", "says"),
    [
        (lambda t: setattr(t, "privacy_level_options", ("SELF_ONLY",)), "does not offer privacy"),
        (lambda t: t.fail_next("content_init", "spam_risk_too_many_posts"), "daily posting limit"),
        (lambda t: setattr(t, "verified_prefixes", ("https://elsewhere/",)), "not verified"),
        (lambda t: setattr(t, "fail_reason", "photo_pull_failed"), "could not download the images"),
        (
            lambda t: t.fail_next("content_init", "scope_not_authorized"),
            "lacks a permission",
        ),
    ],
)
def test_platform_refusals_end_the_post_with_a_message_the_user_can_act_on(
    pub_api: Api, pub_settings: Settings, tiktok: FakeTikTok, setup: Any, says: str
) -> None:
    account = pub_api.sign_up("refused@example.com")
    connection = connect(pub_api, account)
    setup(tiktok)
    made = post(
        pub_api,
        account,
        connection_id=connection["id"],
        images=upload_images(pub_api, account, 1),
        title="Refused",
        privacy_level="PUBLIC_TO_EVERYONE",
    )
    assert run(pub_settings, made["job"]["id"]) in ("failed", "succeeded")
    shown = get_post(pub_api, account, made["post"]["id"])
    assert shown["status"] == "failed"
    assert says in shown["message"], shown["message"]


def test_a_rate_limit_is_retried_and_then_posts_once(
    pub_api: Api, pub_settings: Settings, tiktok: FakeTikTok
) -> None:
    account = pub_api.sign_up("limited@example.com")
    connection = connect(pub_api, account)
    tiktok.fail_next("content_init", "rate_limit_exceeded")
    made = post(
        pub_api,
        account,
        connection_id=connection["id"],
        images=upload_images(pub_api, account, 1),
        title="Later",
    )
    assert run(pub_settings, made["job"]["id"]) == "queued"
    shown = get_post(pub_api, account, made["post"]["id"])
    assert shown["status"] == "retrying" and "rate limit" in shown["message"]
    assert run(pub_settings, made["job"]["id"]) == "succeeded"
    assert get_post(pub_api, account, made["post"]["id"])["status"] == "published"
    assert len(tiktok.inits) == 1


def test_a_rejected_access_token_is_refreshed_once_and_the_post_goes_out(
    pub_api: Api, pub_settings: Settings, tiktok: FakeTikTok
) -> None:
    account = pub_api.sign_up("stale@example.com")
    connection = connect(pub_api, account)
    made = post(
        pub_api,
        account,
        connection_id=connection["id"],
        images=upload_images(pub_api, account, 1),
        title="Fresh token",
    )
    tiktok.access.clear()  # TikTok stopped accepting the access token before its expiry
    assert run(pub_settings, made["job"]["id"]) == "succeeded"
    assert get_post(pub_api, account, made["post"]["id"])["status"] == "published"
    assert len(tiktok.access) == 1  # a refreshed one


def test_youtube_quota_is_retried_after_the_reset_with_a_clear_message(
    pub_api: Api, pub_settings: Settings, youtube: FakeYouTube, tmp_path: Path
) -> None:
    from tests.publish.support import tiny_mp4

    account = pub_api.sign_up("quota@example.com")
    connection = connect(pub_api, account, "youtube")
    video_id = upload_video(pub_api, account, tiny_mp4(tmp_path / "q.mp4"))
    youtube.fail_next("quotaExceeded", status=403)
    made = post(pub_api, account, connection_id=connection["id"], video_id=video_id, title="Quota")
    assert run(pub_settings, made["job"]["id"]) == "queued"
    shown = get_post(pub_api, account, made["post"]["id"])
    assert shown["status"] == "retrying" and "quota" in shown["message"]
    with runtime_for(pub_settings).database.session() as db:
        job = db.scalars(select(Job).where(Job.id == made["job"]["id"])).one()
        assert "retrying in" in (job.error or "")


class Gate:
    """Wraps the fake TikTok: the first call to ``path`` after ``armed`` waits until released,
    then fails as a dropped connection would (TikTok never got it)."""

    def __init__(self, fake: FakeTikTok, path: str) -> None:
        self.fake, self.path = fake, path
        self.hit, self.release = threading.Event(), threading.Event()
        self.armed = True

    def __call__(self, req: FakeRequest) -> FakeResponse:
        if self.armed and req.path == self.path and self._ready():
            self.armed = False
            self.hit.set()
            self.release.wait(60)
            return FakeResponse(500, b"connection dropped")
        return self.fake(req)

    def _ready(self) -> bool:
        if self.path != "/v2/post/publish/status/fetch/":
            return True
        return any(p.uploaded for p in self.fake.publishes.values())


@pytest.mark.slow
@pytest.mark.parametrize(
    "where", ["/upload/", "/v2/post/publish/status/fetch/"], ids=["before-upload", "before-status"]
)
def test_a_worker_process_killed_mid_post_is_replaced_and_the_video_is_posted_once(
    pub_api: Api, pub_settings: Settings, tiktok: FakeTikTok, tmp_path: Path, where: str
) -> None:
    from tests.publish.support import tiny_mp4

    account = pub_api.sign_up("sigkill@example.com")
    connection = connect(pub_api, account)
    clip = tiny_mp4(tmp_path / "clip.mp4")
    made = post(
        pub_api,
        account,
        connection_id=connection["id"],
        video_id=upload_video(pub_api, account, clip),
        title="Survives",
        privacy_level="PUBLIC_TO_EVERYONE",
    )
    gate = Gate(tiktok, where)
    with serve(gate) as server:
        first = worker_process(pub_settings, server.base_url)
        try:
            assert gate.hit.wait(90), "the worker never got there"
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait(30)
            gate.release.set()
        assert len(tiktok.inits) == 1
        second = worker_process(pub_settings, server.base_url)
        try:
            shown = wait_for_status(pub_api, account, made["post"]["id"], "published")
        finally:
            second.send_signal(signal.SIGINT)
            second.wait(30)
    assert shown["platform_status"] == "PUBLISH_COMPLETE"
    assert len(tiktok.inits) == 1 and len(tiktok.publishes) == 1
    assert bytes(next(iter(tiktok.publishes.values())).received) == clip.read_bytes()


def test_a_post_still_processing_is_checked_again_later_without_holding_a_worker(
    pub_api: Api, pub_settings: Settings, tiktok: FakeTikTok
) -> None:
    from reelforge.runtime import run_job

    settings = pub_settings.model_copy(update={"tiktok_poll_max_wait_s": 0.0})
    forget_runtimes()  # the worker's services are built from these settings
    account = pub_api.sign_up("patient@example.com")
    connection = connect(pub_api, account)
    made = post(
        pub_api,
        account,
        connection_id=connection["id"],
        images=upload_images(pub_api, account, 1),
        title="Slow",
    )
    queue = runtime_for(settings).queue
    assert run_job(settings, job_id=made["job"]["id"], queue=queue) == "succeeded"
    shown = get_post(pub_api, account, made["post"]["id"])
    assert shown["status"] == "processing" and shown["platform_status"] == "PROCESSING_DOWNLOAD"
    assert shown["job_id"] != made["job"]["id"]  # a fresh check, queued for a minute later

    assert run_job(settings, job_id=shown["job_id"], queue=queue) == "succeeded"
    shown = get_post(pub_api, account, made["post"]["id"])
    assert shown["status"] == "published" and len(tiktok.inits) == 1


def test_a_post_that_never_finishes_processing_ends_with_advice_not_a_repost(
    pub_api: Api, pub_settings: Settings, tiktok: FakeTikTok
) -> None:
    from reelforge.runtime import run_job

    settings = pub_settings.model_copy(
        update={"tiktok_poll_max_wait_s": 0.0, "publish_status_checks_max": 1}
    )
    forget_runtimes()
    tiktok.processing_polls = 50
    account = pub_api.sign_up("stuck@example.com")
    connection = connect(pub_api, account)
    made = post(
        pub_api,
        account,
        connection_id=connection["id"],
        images=upload_images(pub_api, account, 1),
        title="Stuck",
    )
    assert run_job(settings, job_id=made["job"]["id"], queue=runtime_for(settings).queue)
    shown = get_post(pub_api, account, made["post"]["id"])
    assert shown["status"] == "failed" and "post again only if it is not there" in shown["message"]
    assert len(tiktok.inits) == 1
