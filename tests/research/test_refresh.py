"""Refreshing a creator: the API queues a job, the job reads the official API (local fakes).

Each test goes the way a user does: add a creator, POST …/refresh, then the worker
runs the job (``run_job``, what ``reelforge worker`` calls), then read it back.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import inspect, select

from reelforge.config import Settings
from reelforge.jobs.tables import Job
from reelforge.research.tables import QuotaUsage, ResearchVideo
from reelforge.runtime import queue_for, run_job, runtime_for
from reelforge.store.db import Database
from reelforge.web.app import create_app
from tests.fakes.server import FakeRequest, FakeResponse, serve
from tests.fakes.tiktok_research import CLIENT_KEY, CLIENT_SECRET, FakeTikTokResearch, tt_video
from tests.fakes.youtube_data import KEY, google_error
from tests.research.support import (
    CHANNEL_ID,
    stored_snapshots,
    stored_videos,
    uploads,
    youtube_world,
)
from tests.store.support import configured
from tests.web.support import Api, assert_error


def test_a_youtube_channel_is_read_page_by_page_into_the_workspace(settings: Settings) -> None:
    with youtube_world(settings) as world:
        world.youtube.add_channel(
            "BreadLab",
            CHANNEL_ID,
            uploads(120, breakout=100),
            title="Bread Lab",
            subscribers=52_000,
        )
        account = world.api.sign_up("sam@example.com")
        creator_id = world.add_creator(account)
        job_id = world.start_refresh(account, creator_id)

        assert run_job(world.settings, job_id=job_id) == "succeeded"

        headers = account.headers
        creator = world.api.client.get(f"/api/v1/creators/{creator_id}", headers=headers).json()
        assert creator["videos"] == 120
        assert creator["display_name"] == "Bread Lab" and creator["followers"] == 52_000
        assert creator["platform_id"] == CHANNEL_ID
        assert creator["refresh"]["status"] == "complete"
        assert creator["refresh"]["message"] == "120 videos read."
        events = world.api.client.get(f"/api/v1/jobs/{job_id}/events", headers=headers).text
        assert '"stage": "fetch"' in events and "120 videos of @BreadLab" in events
        analytics = world.api.client.get(
            f"/api/v1/creators/{creator_id}/analytics", headers=headers
        ).json()
        assert analytics["report"]["summary"]["videos"] == 120
        assert [b["video_id"] for b in analytics["report"]["breakouts"]] == ["yt100"]
        keys = {r.arg("key") for r in world.server.requests}
        assert keys == {KEY}


def test_refreshing_again_updates_counts_and_keeps_a_snapshot_per_refresh(
    settings: Settings,
) -> None:
    with youtube_world(settings) as world:
        channel = world.youtube.add_channel("BreadLab", CHANNEL_ID, uploads(30))
        account = world.api.sign_up("sam@example.com")
        creator_id = world.add_creator(account)
        first = world.start_refresh(account, creator_id)
        database = runtime_for(world.settings).database
        with database.session() as db:  # as if the first refresh had run a day ago
            job = db.get(Job, first)
            assert job is not None
            yesterday = datetime.now(UTC) - timedelta(days=1)
            job.payload = {**job.payload, "captured_at": yesterday.isoformat()}
        assert run_job(world.settings, job_id=first) == "succeeded"
        channel.videos[0]["statistics"]["viewCount"] = "99999"  # the newest video took off
        second = world.start_refresh(account, creator_id)
        assert run_job(world.settings, job_id=second) == "succeeded"

        videos = stored_videos(database, owner_id=account.user_id)
        assert len(videos) == 30  # upserted, not duplicated
        assert next(v for v in videos if v.platform_video_id == "yt029").views == 99999
        assert len(stored_snapshots(database, owner_id=account.user_id)) == 60
        growth = world.api.client.get(
            f"/api/v1/creators/{creator_id}/analytics", headers=account.headers
        ).json()["growth"]
        fastest = growth["videos"][0]
        assert fastest["video_id"] == "yt029" and fastest["views_gained"] == 99999 - 1290
        assert round(fastest["views_per_day"]) == 99999 - 1290


def test_a_refresh_asked_twice_runs_once(settings: Settings) -> None:
    with youtube_world(settings) as world:
        world.youtube.add_channel("BreadLab", CHANNEL_ID, uploads(3))
        account = world.api.sign_up("sam@example.com")
        creator_id = world.add_creator(account)
        first = world.start_refresh(account, creator_id)
        assert world.start_refresh(account, creator_id) == first  # still queued: same job


def test_429_and_5xx_are_retried_and_a_retried_job_does_not_count_twice(
    settings: Settings,
) -> None:
    """Google answers 429 (Retry-After) and 503 now and then; a job that runs out of
    in-client retries half way is re-queued, and the re-run stores each video once."""
    with youtube_world(settings) as world:
        world.youtube.add_channel("BreadLab", CHANNEL_ID, uploads(120))
        calls = {"n": 0}
        serve_normally = world.youtube.handle

        def flaky(request: FakeRequest) -> FakeResponse:
            calls["n"] += 1
            if calls["n"] in (2, 3):  # the first playlist page: 429 then 503, then fine
                answer = google_error(429 if calls["n"] == 2 else 503, "backendError", "busy")
                answer.headers["Retry-After"] = "0"
                return answer
            if 6 <= calls["n"] <= 8:  # the second page fails three times: retries run out
                return google_error(503, "backendError", "Backend Error")
            return serve_normally(request)

        world.server.handler = flaky
        account = world.api.sign_up("sam@example.com")
        creator_id = world.add_creator(account)
        job_id = world.start_refresh(account, creator_id)
        queue = queue_for(world.settings)

        assert run_job(world.settings, job_id=job_id, queue=queue) == "queued"
        database = runtime_for(world.settings).database
        assert len(stored_videos(database, owner_id=account.user_id)) == 50  # page one kept
        with database.session() as db:
            job = db.get(Job, job_id)
            assert job is not None and job.state == "queued"
            assert "retrying in" in (job.error or "")
        # The queue's delay has passed: the worker runs it again.
        assert run_job(world.settings, job_id=job_id, queue=queue) == "succeeded"

        assert len(stored_videos(database, owner_id=account.user_id)) == 120
        assert len(stored_snapshots(database, owner_id=account.user_id)) == 120


def test_quota_exceeded_stops_cleanly_keeps_what_was_read_and_says_when_to_retry(
    settings: Settings,
) -> None:
    with youtube_world(settings) as world:
        world.youtube.add_channel("BreadLab", CHANNEL_ID, uploads(120))
        world.youtube.quota_units = 4  # channels, page 1, its videos, page 2 — then 403
        account = world.api.sign_up("sam@example.com")
        creator_id = world.add_creator(account)
        job_id = world.start_refresh(account, creator_id)

        assert run_job(world.settings, job_id=job_id) == "failed"

        headers = account.headers
        job = world.api.client.get(f"/api/v1/jobs/{job_id}", headers=headers).json()
        assert "quotaExceeded" in job["error"] and "Try again after" in job["error"]
        assert "50 videos read so far are kept" in job["error"]
        creator = world.api.client.get(f"/api/v1/creators/{creator_id}", headers=headers).json()
        assert creator["videos"] == 50
        assert creator["refresh"]["status"] == "partial"
        retry_after = datetime.fromisoformat(creator["refresh"]["retry_after"])
        now = datetime.now(UTC)
        assert now < retry_after <= now + timedelta(hours=25)  # next midnight Pacific


def test_the_daily_quota_is_counted_in_the_store_across_refreshes(settings: Settings) -> None:
    """Our own count stops a refresh before Google has to refuse it."""
    with youtube_world(settings, youtube_quota_units_per_day=6) as world:
        world.youtube.add_channel("BreadLab", CHANNEL_ID, uploads(60))
        account = world.api.sign_up("sam@example.com")
        creator_id = world.add_creator(account)
        assert (
            run_job(world.settings, job_id=world.start_refresh(account, creator_id)) == "succeeded"
        )
        assert len(world.server.requests) == 5  # channels + 2 playlist pages + 2 video batches
        database = runtime_for(world.settings).database
        with database.session() as db:
            row = db.scalars(select(QuotaUsage)).one()
            assert (row.scope, row.provider, row.quota, row.used) == (
                "server",
                "youtube",
                "units",
                5,
            )
            assert row.owner_id is None  # the operator's key is shared, not anyone's

        assert run_job(world.settings, job_id=world.start_refresh(account, creator_id)) == "failed"
        assert len(world.server.requests) == 6  # only the 1 unit left was spent
        creator = world.api.client.get(
            f"/api/v1/creators/{creator_id}", headers=account.headers
        ).json()
        assert "daily quota of 6 units is used up" in creator["refresh"]["message"]


def test_a_users_own_youtube_key_is_used_for_their_refresh(settings: Settings) -> None:
    with youtube_world(settings, key="operator-key-not-valid") as world:
        world.youtube.key = "users-own-key"
        world.youtube.add_channel("BreadLab", CHANNEL_ID, uploads(3))
        account = world.api.sign_up("sam@example.com")
        put = world.api.client.put(
            "/api/v1/provider-keys/youtube", json={"key": "users-own-key"}, headers=account.headers
        )
        assert put.status_code == 200, put.text
        creator_id = world.add_creator(account)
        assert (
            run_job(world.settings, job_id=world.start_refresh(account, creator_id)) == "succeeded"
        )
        assert {r.arg("key") for r in world.server.requests} == {"users-own-key"}
        with runtime_for(world.settings).database.session() as db:
            assert db.scalars(select(QuotaUsage.scope)).all() == [account.user_id]


def test_a_refused_key_fails_the_job_with_what_to_do(settings: Settings) -> None:
    with youtube_world(settings, key="wrong-key") as world:
        world.youtube.add_channel("BreadLab", CHANNEL_ID, uploads(3))
        account = world.api.sign_up("sam@example.com")
        creator_id = world.add_creator(account)
        job_id = world.start_refresh(account, creator_id)
        assert run_job(world.settings, job_id=job_id) == "failed"
        job = world.api.client.get(f"/api/v1/jobs/{job_id}", headers=account.headers).json()
        assert "REELFORGE_YOUTUBE_API_KEY" in job["error"]
        creator = world.api.client.get(
            f"/api/v1/creators/{creator_id}", headers=account.headers
        ).json()
        assert creator["refresh"]["status"] == "failed" and creator["videos"] == 0


def test_P14_stored_rows_carry_only_public_metadata(settings: Settings) -> None:
    """The API gives more than public counts (tags, location, file details); none is kept."""
    with youtube_world(settings) as world:
        videos = uploads(3)
        for video in videos:
            video["snippet"]["tags"] = ["PRIVATE-TAG"]
            video["snippet"]["channelTitle"] = "PRIVATE-CHANNEL-TITLE"
            video["recordingDetails"] = {"location": {"latitude": 52.52, "longitude": 13.40}}
            video["fileDetails"] = {"fileName": "PRIVATE-FILE.mov"}
        world.youtube.add_channel("BreadLab", CHANNEL_ID, videos)
        account = world.api.sign_up("sam@example.com")
        creator_id = world.add_creator(account)
        assert (
            run_job(world.settings, job_id=world.start_refresh(account, creator_id)) == "succeeded"
        )

        database = runtime_for(world.settings).database
        public = {
            *("platform", "platform_video_id", "title", "description", "views", "likes"),
            *("comments", "shares", "duration_s", "published_at", "hashtags", "url"),
        }
        bookkeeping = {"id", "owner_id", "creator_id", "first_seen_at", "updated_at"}
        columns = {c["name"] for c in inspect(database.engine).get_columns("research_videos")}
        assert columns == public | bookkeeping
        with database.engine.connect() as connection:
            dump = repr(connection.exec_driver_sql("SELECT * FROM research_videos").all())
            dump += repr(connection.exec_driver_sql("SELECT * FROM research_snapshots").all())
        assert "PRIVATE" not in dump and "52.52" not in dump
        assert "How to bake loaf 2" in dump  # the public title is there


def test_a_tiktok_creator_is_read_through_the_research_api_with_the_users_credentials(
    settings: Settings,
) -> None:
    now = datetime.now(UTC)
    research = FakeTikTokResearch(
        videos=[
            tt_video(
                7_000 + i,
                username="packlight",
                created=now - timedelta(days=5 * i),
                views=300 + i,
                description=f"Packing tip {i} #travel",
                hashtags=["travel"],
            )
            for i in range(20)
        ]
    )
    research.users["packlight"] = {"display_name": "Pack Light", "follower_count": 900}
    with serve(research.handle) as server:
        cfg = configured(
            settings, tiktok_api_base_url=server.base_url, tiktok_research_horizon_days=60
        )
        horizon = (now - timedelta(days=60)).date()
        expected = sum(1 for i in range(20) if (now - timedelta(days=5 * i)).date() >= horizon)
        with TestClient(create_app(cfg)) as client:
            api = Api(client, cfg)
            account = api.sign_up("sam@example.com")
            put = client.put(
                "/api/v1/provider-keys/tiktok_research",
                json={"key": f"{CLIENT_KEY}:{CLIENT_SECRET}"},
                headers=account.headers,
            )
            assert put.status_code == 200, put.text
            creator = client.post(
                "/api/v1/creators",
                json={"platform": "tiktok", "handle": "@packlight"},
                headers=account.headers,
            ).json()
            assert creator["source"] == "tiktok_research"
            job = client.post(
                f"/api/v1/creators/{creator['id']}/refresh", headers=account.headers
            ).json()["job"]
            assert run_job(cfg, job_id=job["id"]) == "succeeded"
            shown = client.get(f"/api/v1/creators/{creator['id']}", headers=account.headers)
            assert shown.json()["videos"] == expected  # 60 days back, one every 5 days
            assert shown.json()["display_name"] == "Pack Light"
            database: Database = runtime_for(cfg).database
            with database.session() as db:
                used = {q.quota: q.used for q in db.scalars(select(QuotaUsage))}
                stored = db.scalars(select(ResearchVideo.hashtags)).all()
            assert used == {"requests": research.used_requests, "records": expected}
            assert set(stored) == {"travel"}


def test_imported_creators_are_refreshed_by_importing_again(settings: Settings) -> None:
    with youtube_world(settings) as world:
        account = world.api.sign_up("sam@example.com")
        creator = world.api.client.post(
            "/api/v1/creators",
            json={"platform": "tiktok", "handle": "@packlight", "source": "import"},
            headers=account.headers,
        ).json()
        answer = world.api.client.post(
            f"/api/v1/creators/{creator['id']}/refresh", headers=account.headers
        )
        assert "import" in assert_error(answer, 400)["message"]


def test_a_removed_creator_s_refresh_job_is_cancelled(settings: Settings) -> None:
    with youtube_world(settings) as world:
        world.youtube.add_channel("BreadLab", CHANNEL_ID, uploads(3))
        account = world.api.sign_up("sam@example.com")
        creator_id = world.add_creator(account)
        job_id = world.start_refresh(account, creator_id)
        world.api.client.delete(f"/api/v1/creators/{creator_id}", headers=account.headers)
        assert run_job(world.settings, job_id=job_id) == "skipped"
        assert world.server.requests == []
