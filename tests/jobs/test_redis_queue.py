"""The scale-out queue: Huey on this machine's Redis, same job code."""

from __future__ import annotations

import os
import time
import uuid

import pytest

from reelforge.accounts.tables import User
from reelforge.clock import utc_now
from reelforge.config import Settings
from reelforge.jobs.tables import Job
from reelforge.jobs.worker import start_embedded_worker
from reelforge.runtime import runtime_for
from reelforge.videos import service as videos

REDIS_URL = os.environ.get("REELFORGE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _redis_or_skip() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis is not reachable at {REDIS_URL} ({exc}); set REELFORGE_TEST_REDIS_URL")


@pytest.mark.redis
@pytest.mark.slow
def test_a_job_enqueued_on_redis_is_run_by_a_worker(settings: Settings) -> None:
    _redis_or_skip()
    settings.redis_url = REDIS_URL
    settings.queue_name = f"reelforge-test-{uuid.uuid4().hex[:8]}"
    services = runtime_for(settings)
    assert type(services.queue.huey).__name__ == "RedisHuey"
    with services.database.session() as db:
        user = User(email="redis@example.com", age_confirmed_at=utc_now())
        db.add(user)
        db.flush()
        options = {"voice": "none", "size": "180x320", "fps": 24, "x264_preset": "ultrafast"}
        _, job = videos.create_video(
            db, settings, owner_id=user.id, topic="why ice floats", options=options
        )
        job_id = job.id
    services.queue.enqueue(job_id)
    runtime = runtime_for(settings)
    consumer = start_embedded_worker(runtime, runtime.queue)
    try:
        deadline = time.monotonic() + 120
        state = "queued"
        while time.monotonic() < deadline and state not in ("succeeded", "failed"):
            time.sleep(0.1)
            with services.database.session() as db:
                row = db.get(Job, job_id)
                assert row is not None
                state = row.state
    finally:
        consumer.stop(graceful=True)
        services.queue.huey.storage.flush_all()
    assert state == "succeeded"
