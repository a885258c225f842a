from datetime import timedelta

import pytest

from reelforge.accounts.tables import User
from reelforge.clock import utc_now
from reelforge.errors import InputError, NotFound
from reelforge.jobs import records
from reelforge.store.db import Database


@pytest.fixture
def owner(database: Database) -> str:
    with database.session() as db:
        user = User(email="owner@example.com", age_confirmed_at=utc_now())
        db.add(user)
        db.flush()
        return user.id


def _job(database: Database, owner: str) -> str:
    with database.session() as db:
        return records.create_job(db, owner_id=owner, kind="video", payload={}).id


def test_a_job_is_claimed_once_even_if_enqueued_twice(database: Database, owner: str) -> None:
    job_id = _job(database, owner)
    with database.session() as db:
        first = records.claim(db, job_id=job_id)
    with database.session() as db:
        second = records.claim(db, job_id=job_id)
    assert first is not None and first.state == "running" and first.attempts == 1
    assert second is None


def test_a_running_job_whose_worker_went_silent_is_taken_over(
    database: Database, owner: str
) -> None:
    job_id = _job(database, owner)
    with database.session() as db:
        records.claim(db, job_id=job_id)
    later = utc_now() + timedelta(seconds=91)
    with database.session() as db:
        assert records.orphaned(db, now=later) == [job_id]
        again = records.claim(db, job_id=job_id, now=later)
    assert again is not None and again.attempts == 2


def test_cancelling_a_queued_job_ends_it_and_a_running_one_is_told(
    database: Database, owner: str
) -> None:
    queued, running = _job(database, owner), _job(database, owner)
    with database.session() as db:
        records.claim(db, job_id=running)
    with database.session() as db:
        assert records.request_cancel(db, owner_id=owner, job_id=queued).state == "cancelled"
        assert records.request_cancel(db, owner_id=owner, job_id=running).state == "running"
    with database.session() as db:
        assert records.heartbeat(db, job_id=running, stage="segment", progress=0.5) is True
        assert records.claim(db, job_id=queued) is None  # a cancelled job never starts
    with database.session() as db, pytest.raises(InputError, match="already cancelled"):
        records.request_cancel(db, owner_id=owner, job_id=queued)


def test_another_owner_cannot_see_or_cancel_a_job(database: Database, owner: str) -> None:
    job_id = _job(database, owner)
    with database.session() as db:
        other = User(email="other@example.com", age_confirmed_at=utc_now())
        db.add(other)
        db.flush()
        other_id = other.id
    with database.session() as db, pytest.raises(NotFound):
        records.get_job(db, owner_id=other_id, job_id=job_id)
    with database.session() as db, pytest.raises(NotFound):
        records.request_cancel(db, owner_id=other_id, job_id=job_id)
    with database.session() as db:
        assert records.list_jobs(db, owner_id=other_id) == []


def test_progress_events_are_kept_in_order(database: Database, owner: str) -> None:
    job_id = _job(database, owner)
    with database.session() as db:
        records.claim(db, job_id=job_id)
        records.heartbeat(db, job_id=job_id, stage="voice", progress=0.1)
        records.heartbeat(db, job_id=job_id, stage="segment", progress=0.6)
        records.finish(db, job_id=job_id, state="succeeded")
    with database.session() as db:
        events = records.events_after(db, owner_id=owner, job_id=job_id)
        stages = [e.stage for e in events]
        assert stages == ["queued", "voice", "segment", "succeeded"]
        assert [
            e.stage
            for e in records.events_after(db, owner_id=owner, job_id=job_id, after_id=events[1].id)
        ] == ["segment", "succeeded"]
