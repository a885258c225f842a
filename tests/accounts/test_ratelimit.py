"""Rate limits (P30): per email, IP, key and user; shared through the database.

Windows here are a day long so that a window boundary cannot fall inside a test."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from reelforge.accounts.ratelimit import DbBackend, MemoryBackend, RateLimiter, Rule
from reelforge.accounts.tables import RateLimitHit
from reelforge.config import Settings
from reelforge.errors import ConfigError, QuotaExceeded
from reelforge.store.db import Database
from tests.store.support import configured


@pytest.mark.parametrize(
    ("spec", "limit", "window"),
    [("5/15m", 5, 900), ("600/1m", 600, 60), ("100/h", 100, 3600), ("3 / 2d", 3, 172800)],
)
def test_rules_read_count_per_window(spec: str, limit: int, window: int) -> None:
    assert Rule.parse("code_per_email", spec) == Rule("code_per_email", limit, window)


def test_a_bad_rule_names_its_setting() -> None:
    with pytest.raises(ConfigError) as info:
        Rule.parse("code_per_email", "five a minute")
    assert "REELFORGE_RATE_LIMIT_CODE_PER_EMAIL" in info.value.message


def test_P30_past_the_limit_the_answer_says_which_limit_and_when(
    database: Database, db_settings: Settings
) -> None:
    settings = configured(db_settings, rate_limit_code_per_email="3/1d")
    limiter = RateLimiter(settings, DbBackend(database.engine))
    for _ in range(3):
        limiter.check("code_per_email", "sam@example.com")
    with pytest.raises(QuotaExceeded) as info:
        limiter.check("code_per_email", "Sam@Example.com")  # same address, any case
    error = info.value
    assert error.limit == "rate:code_per_email"
    assert 0 < error.details["retry_after"] <= 86400
    assert datetime.fromisoformat(error.resets_at or "") > datetime.now(UTC)
    limiter.check("code_per_email", "kim@example.com")  # other addresses are not affected


def test_P30_counts_in_the_database_are_shared_by_every_process(
    database: Database, db_settings: Settings
) -> None:
    settings = configured(db_settings, rate_limit_api_per_key="4/1d")
    worker_a = RateLimiter(settings, DbBackend(database.engine))
    worker_b = RateLimiter(settings, DbBackend(Database(database.url).engine))
    for limiter in (worker_a, worker_b, worker_a, worker_b):
        limiter.check("api_per_key", "key-1")
    with pytest.raises(QuotaExceeded):
        worker_b.check("api_per_key", "key-1")


def test_P30_memory_counts_work_across_threads_of_one_process(settings: Settings) -> None:
    limiter = RateLimiter(configured(settings, rate_limit_signin_per_ip="2/1d"), MemoryBackend())
    limiter.check("signin_per_ip", "10.0.0.1")
    limiter.check("signin_per_ip", "10.0.0.1")
    with pytest.raises(QuotaExceeded):
        limiter.check("signin_per_ip", "10.0.0.1")


def test_stored_buckets_do_not_reveal_the_address(
    sqlite_database: Database, settings: Settings
) -> None:
    RateLimiter(settings, DbBackend(sqlite_database.engine)).check(
        "code_per_email", "sam@example.com"
    )
    with sqlite_database.session() as s:
        (row,) = s.scalars(select(RateLimitHit))
    assert "sam" not in row.bucket and len(row.bucket) == 64
