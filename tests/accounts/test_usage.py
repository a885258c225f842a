"""Usage and plans (P26): counted per user and period, limits with reset times."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from reelforge.accounts import usage, users
from reelforge.config import Settings
from reelforge.errors import ConfigError, QuotaExceeded
from reelforge.store.db import Database
from tests.store.support import configured


def _user(db: Database) -> str:
    with db.session() as s:
        return users.create_user(s, email="a@example.com", age_confirmed=True).id


def test_the_self_host_default_plan_is_unlimited(settings: Settings) -> None:
    plan = usage.plan_for(settings, None)
    assert plan.name == "selfhost" and plan.server_keys
    assert all(plan.limit(m) is None for m in usage.METRICS)


def test_P26_usage_is_counted_per_user_and_shown(database: Database, db_settings: Settings) -> None:
    owner = _user(database)
    with database.session() as s:
        usage.record(s, db_settings, owner_id=owner, metric="jobs")
        usage.record(s, db_settings, owner_id=owner, metric="jobs")
        usage.record(s, db_settings, owner_id=owner, metric="render_seconds", amount=12.5)
    with database.session() as s:
        summary = usage.summary(s, db_settings, owner_id=owner)
    assert summary.metrics["jobs"].used == 2
    assert summary.metrics["render_seconds"].used == 12.5
    assert summary.metrics["api_requests"].used == 0
    assert summary.period == "month" and summary.resets_at.day == 1


def test_P26_a_plan_limit_answers_which_limit_and_when_it_resets(
    sqlite_database: Database, settings: Settings
) -> None:
    limited = configured(
        settings, plans={"free": {"jobs": 2, "period": "day"}}, default_plan="free"
    )
    owner = _user(sqlite_database)
    for _ in range(2):
        with sqlite_database.session() as s:
            usage.check_limit(s, limited, owner_id=owner, metric="jobs")
            usage.record(s, limited, owner_id=owner, metric="jobs")
    with sqlite_database.session() as s, pytest.raises(QuotaExceeded) as info:
        usage.check_limit(s, limited, owner_id=owner, metric="jobs")
    error = info.value
    assert error.limit == "jobs"
    resets = datetime.fromisoformat(error.resets_at or "")
    assert resets > datetime.now(UTC) and (resets.hour, resets.minute) == (0, 0)
    assert "free" in error.message


@pytest.mark.parametrize(
    "plans",
    [{"x": {"jobz": 1}}, {"x": {"period": "fortnight"}}, {"other": {}}],
)
def test_a_misconfigured_plan_is_reported_with_the_setting(
    settings: Settings, plans: dict[str, dict[str, object]]
) -> None:
    with pytest.raises(ConfigError) as info:
        usage.plan_for(configured(settings, plans=plans, default_plan="x"), None)
    assert "REELFORGE_PLANS" in info.value.message


def test_month_periods_roll_over_at_year_end() -> None:
    start, end = usage.period_bounds("month", datetime(2026, 12, 31, 23, 59, tzinfo=UTC))
    assert (start, end) == (datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
