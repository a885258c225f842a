"""The database engine: SQLite defaults, PostgreSQL URLs, cascades, concurrent writers."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from reelforge.accounts.tables import ApiKey, OtpCode, Secret, UsageCounter, User, UserSession
from reelforge.clock import utc_now
from reelforge.config import Settings
from reelforge.errors import ConfigError
from reelforge.jobs.tables import Job, JobEvent
from reelforge.store.db import Database, database_url
from reelforge.store.orm import new_id
from reelforge.videos.tables import Video
from tests.store.support import configured

OWNED_TABLES = (UserSession, OtpCode, ApiKey, Secret, UsageCounter, Video, Job, JobEvent)


def test_default_database_is_sqlite_in_home_with_wal_and_foreign_keys(settings: Settings) -> None:
    url = database_url(settings)
    assert url == f"sqlite:///{(settings.home / 'reelforge.db').resolve()}"
    db = Database(url)
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    db.dispose()
    assert (settings.home / "reelforge.db").exists()


@pytest.mark.parametrize(
    "given",
    ["postgres://u:p@db:5432/rf", "postgresql://u:p@db:5432/rf"],
)
def test_plain_postgres_urls_use_the_bundled_psycopg_driver(settings: Settings, given: str) -> None:
    assert database_url(configured(settings, database_url=given)) == (
        "postgresql+psycopg://u:p@db:5432/rf"
    )


@pytest.mark.parametrize("url", ["mysql://u@h/db", "not a url"])
def test_unsupported_database_url_names_the_setting(url: str) -> None:
    with pytest.raises(ConfigError) as info:
        Database(url)
    assert "REELFORGE_DATABASE_URL" in info.value.message


def _one_of_everything(db: Database) -> str:
    now = utc_now()
    with db.session() as s:
        user = User(email=f"{new_id()}@example.com", age_confirmed_at=now)
        s.add(user)
        s.flush()
        uid = user.id
        s.add(UserSession(user_id=uid, expires_at=now + timedelta(days=1)))
        s.add(
            OtpCode(email=user.email, purpose="signin", user_id=uid, code_hash="h", expires_at=now)
        )
        s.add(ApiKey(owner_id=uid, name="k", prefix="rf_live_x", key_hash=new_id()))
        s.add(
            Secret(
                owner_id=uid,
                kind="provider_key",
                name="openai",
                key_id="k",
                nonce=b"n",
                ciphertext=b"c",
            )
        )
        s.add(UsageCounter(owner_id=uid, metric="jobs", period_start=now, value=1))
        video = Video(owner_id=uid, topic="bread", options={"preset": "vertical"})
        s.add(video)
        s.flush()
        job = Job(owner_id=uid, kind="make", payload={"video_id": video.id}, video_id=video.id)
        s.add(job)
        s.flush()
        s.add(JobEvent(job_id=job.id, owner_id=uid, stage="write", progress=0.1))
    return uid


def _counts(db: Database, uid: str) -> dict[str, int]:
    counts = {}
    with db.session() as s:
        for table in OWNED_TABLES:
            column = getattr(table, "owner_id", None) or table.user_id  # type: ignore[attr-defined]
            counts[table.__tablename__] = s.scalar(
                select(func.count()).select_from(table).where(column == uid)
            )
    return counts


def test_deleting_a_user_cascades_to_every_owned_table(database: Database) -> None:
    uid = _one_of_everything(database)
    other = _one_of_everything(database)
    assert all(n >= 1 for n in _counts(database, uid).values())
    with database.session() as s:
        s.delete(s.get(User, uid))
    assert set(_counts(database, uid).values()) == {0}
    assert all(n >= 1 for n in _counts(database, other).values())  # nobody else's rows


def test_json_and_datetimes_round_trip_timezone_aware(database: Database) -> None:
    uid = _one_of_everything(database)
    with database.session() as s:
        video = s.scalars(select(Video).where(Video.owner_id == uid)).one()
        assert video.options == {"preset": "vertical"}
        assert video.created_at.tzinfo is not None
        assert abs(video.created_at - utc_now()) < timedelta(minutes=5)


def test_ids_are_time_ordered_uuid7() -> None:
    ids = [new_id() for _ in range(50)]
    assert all(len(i) == 36 and i[14] == "7" for i in ids)
    assert len(set(ids)) == 50


def test_sqlite_writers_wait_for_each_other_instead_of_failing(settings: Settings) -> None:
    db = Database.from_settings(settings)
    with db.engine.begin() as c:
        c.execute(text("CREATE TABLE counter (n INTEGER)"))
        c.execute(text("INSERT INTO counter VALUES (0)"))
    errors: list[BaseException] = []

    def bump() -> None:
        try:
            for _ in range(20):
                with db.session() as s:  # read, then write: the pattern that fails without
                    n = s.execute(text("SELECT n FROM counter")).scalar_one()  # BEGIN IMMEDIATE
                    s.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=bump) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db.engine.connect() as c:
        assert c.execute(text("SELECT n FROM counter")).scalar() == 60  # no lost update
    db.dispose()
