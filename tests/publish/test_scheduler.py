"""Scheduled posts go out at their time, once — also after the worker was down — and the
suggested slots come from research data when there is some, labelled defaults otherwise."""

from __future__ import annotations

import signal
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from reelforge.clock import utc_now
from reelforge.config import Settings
from reelforge.jobs.tables import Job
from reelforge.publish.scheduler import run_due
from reelforge.publish.tables import Post
from reelforge.runtime import queue_for, runtime_for
from tests.fakes.server import FakeServer
from tests.fakes.tiktok import FakeTikTok
from tests.publish.support import (
    connect,
    get_post,
    post,
    queue_of,
    run,
    upload_images,
    wait_for_status,
    worker_process,
)
from tests.web.support import Account, Api


def _scheduled(api: Api, account: Account, at: datetime) -> str:
    connection = connect(api, account)
    made = post(
        api,
        account,
        connection_id=connection["id"],
        images=upload_images(api, account, 2),
        title="Later",
        publish_at=at.isoformat(),
    )
    assert made["job"] is None and made["post"]["status"] == "scheduled"
    return str(made["post"]["id"])


def _publish_jobs(settings: Settings) -> list[str]:
    with runtime_for(settings).database.session() as db:
        return list(db.scalars(select(Job.id).where(Job.kind == "publish")))


def test_a_scheduled_post_goes_out_at_its_time_and_only_once(
    pub_api: Api, pub_settings: Settings, tiktok: FakeTikTok
) -> None:
    account = pub_api.sign_up("planner@example.com")
    at = utc_now() + timedelta(hours=1)
    post_id = _scheduled(pub_api, account, at)
    services, queue = runtime_for(pub_settings), queue_of(pub_settings)

    assert run_due(services, queue=queue) == []  # not yet
    assert _publish_jobs(pub_settings) == []
    assert run_due(services, queue=queue, now=at + timedelta(seconds=30)) == [post_id]
    assert run_due(services, queue=queue, now=at + timedelta(minutes=1)) == []  # next tick

    (job_id,) = _publish_jobs(pub_settings)
    assert run(pub_settings, job_id) == "succeeded"
    shown = get_post(pub_api, account, post_id)
    assert shown["status"] == "published" and shown["platform_status"] == "PUBLISH_COMPLETE"
    assert [e["status"] for e in shown["history"]][:2] == ["scheduled", "queued"]
    assert len(tiktok.inits) == 1


def test_a_time_missed_during_downtime_posts_once_when_workers_start(
    pub_api: Api, pub_settings: Settings, tiktok: FakeTikTok
) -> None:
    account = pub_api.sign_up("downtime@example.com")
    at = utc_now() + timedelta(minutes=10)
    post_id = _scheduled(pub_api, account, at)
    back = at + timedelta(hours=5)  # the server was down when the time came
    services = runtime_for(pub_settings)
    found: list[list[str]] = []

    def worker_starts() -> None:  # each worker checks at start; two start together
        found.append(run_due(services, queue=queue_for(pub_settings), now=back))

    threads = [threading.Thread(target=worker_starts) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(found, key=len) == [[], [], [post_id]]
    (job_id,) = _publish_jobs(pub_settings)
    assert run(pub_settings, job_id) == "succeeded"
    assert run_due(services, queue=queue_of(pub_settings), now=back + timedelta(minutes=1)) == []
    assert len(tiktok.inits) == 1
    shown = get_post(pub_api, account, post_id)
    assert "late" in shown["history"][1]["message"]


def test_the_worker_checks_for_due_posts_every_minute_and_sweeps_every_hour(
    pub_settings: Settings,
) -> None:
    huey = queue_for(pub_settings).huey
    every_minute = datetime(2030, 1, 1, 12, 34)
    at_seven = every_minute.replace(minute=7)
    due = {task.name for task in huey.read_periodic(every_minute)}
    assert "publish_due" in due and "retention_sweep" not in due
    assert "retention_sweep" in {task.name for task in huey.read_periodic(at_seven)}


def test_a_scheduled_post_can_be_cancelled_and_never_goes_out(
    pub_api: Api, pub_settings: Settings, tiktok: FakeTikTok
) -> None:
    account = pub_api.sign_up("changed-mind@example.com")
    at = utc_now() + timedelta(hours=2)
    post_id = _scheduled(pub_api, account, at)
    answer = pub_api.client.post(f"/api/v1/posts/{post_id}/cancel", headers=account.headers)
    assert answer.status_code == 200 and answer.json()["status"] == "cancelled"
    services = runtime_for(pub_settings)
    assert run_due(services, queue=queue_of(pub_settings), now=at + timedelta(hours=1)) == []
    assert tiktok.inits == []
    again = pub_api.client.post(f"/api/v1/posts/{post_id}/cancel", headers=account.headers)
    assert again.status_code == 400


def test_suggestions_without_research_data_are_labelled_defaults(pub_api: Api) -> None:
    account = pub_api.sign_up("nodata@example.com")
    connection = connect(pub_api, account)
    answer = pub_api.client.get(
        "/api/v1/schedule/suggest",
        params={"connection_id": connection["id"], "tz": "Europe/Berlin"},
        headers=account.headers,
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["source"] == "default" and "not based on any data" in body["label"]
    times = [datetime.fromisoformat(s["at"]) for s in body["slots"]]
    assert times == sorted(times) and all(t > datetime.now(UTC) for t in times)
    assert {t.utcoffset() for t in times} <= {timedelta(hours=1), timedelta(hours=2)}


def test_suggestions_come_from_the_research_videos_when_there_are_enough(
    pub_api: Api, pub_settings: Settings
) -> None:
    from reelforge.research.tables import Creator, ResearchVideo

    account = pub_api.sign_up("data@example.com")
    connection = connect(pub_api, account)
    with runtime_for(pub_settings).database.session() as db:
        creator = Creator(
            owner_id=account.user_id,
            platform="tiktok",
            handle="baker",
            lookup="baker",
            source="import",
        )
        db.add(creator)
        db.flush()
        first_wednesday = datetime(2024, 1, 3, 17, 0, tzinfo=UTC)  # Wednesdays 17:00 did best
        for week in range(6):
            for hour, views in ((17, 90_000), (9, 1_000)):
                db.add(
                    ResearchVideo(
                        owner_id=account.user_id,
                        creator_id=creator.id,
                        platform="tiktok",
                        platform_video_id=f"v{week}-{hour}",
                        views=views,
                        published_at=first_wednesday.replace(hour=hour) + timedelta(weeks=week),
                    )
                )
    body = pub_api.client.get(
        "/api/v1/schedule/suggest",
        params={"connection_id": connection["id"]},
        headers=account.headers,
    ).json()
    assert body["source"] == "research"
    best = max(body["slots"], key=lambda s: s["median_views"])
    assert (best["weekday"], best["hour"], best["median_views"]) == ("Wednesday", 17, 90_000)
    assert datetime.fromisoformat(best["at"]).weekday() == 2


def test_an_unknown_time_zone_is_refused_with_an_example(pub_api: Api) -> None:
    account = pub_api.sign_up("tz@example.com")
    connection = connect(pub_api, account)
    answer = pub_api.client.get(
        "/api/v1/schedule/suggest",
        params={"connection_id": connection["id"], "tz": "Mars/Olympus"},
        headers=account.headers,
    )
    assert answer.status_code == 400 and "Europe/Berlin" in answer.json()["error"]["message"]


def test_scheduled_rows_are_the_truth(pub_api: Api, pub_settings: Settings) -> None:
    """No queue message carries the schedule: a new queue (another machine) still finds it."""
    account = pub_api.sign_up("truth@example.com")
    at = utc_now() + timedelta(minutes=5)
    post_id = _scheduled(pub_api, account, at)
    with runtime_for(pub_settings).database.session() as db:
        row = db.get(Post, post_id)
        assert row is not None and row.status == "scheduled" and row.job_id is None
    fresh_queue = queue_for(pub_settings.model_copy(update={"queue_name": "elsewhere"}))
    assert run_due(runtime_for(pub_settings), queue=fresh_queue, now=at) == [post_id]


@pytest.mark.slow
def test_a_worker_started_after_downtime_posts_the_missed_post_once(
    pub_api: Api, pub_settings: Settings, tiktok: FakeTikTok, tiktok_server: FakeServer
) -> None:
    account = pub_api.sign_up("restart@example.com")
    post_id = _scheduled(pub_api, account, utc_now() + timedelta(minutes=30))
    with runtime_for(pub_settings).database.session() as db:  # ... and the server was down
        db.execute(
            update(Post).where(Post.id == post_id).values(publish_at=utc_now() - timedelta(hours=3))
        )
    for _ in range(2):  # started, stopped, started again
        worker = worker_process(pub_settings, tiktok_server.base_url)
        try:
            wait_for_status(pub_api, account, post_id, "published", timeout=90)
            time.sleep(1.5)  # the restarted worker's own start-up check has run by now
        finally:
            worker.send_signal(signal.SIGINT)
            worker.wait(30)
    assert len(tiktok.inits) == 1
    assert len(_publish_jobs(pub_settings)) == 1
