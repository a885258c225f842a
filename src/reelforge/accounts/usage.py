"""Usage counters and plan limits (promise P26).

Counted per user and per plan period (calendar month or UTC day): API
requests, jobs, renders and render seconds. Plans come from settings
(``REELFORGE_PLANS``, JSON); the self-hosted default is one plan with no
limits. :func:`check_limit` raises :class:`QuotaExceeded` naming the limit
and when the period resets — the API answers 429 with that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reelforge.accounts.tables import UsageCounter, User
from reelforge.clock import utc_now
from reelforge.config import Settings
from reelforge.errors import ConfigError, QuotaExceeded

METRICS = ("api_requests", "jobs", "renders", "render_seconds", "posts")
PERIODS = ("month", "day")


@dataclass(frozen=True)
class Plan:
    name: str
    period: str = "month"
    limits: dict[str, float | None] = field(default_factory=dict)
    server_keys: bool = True

    def limit(self, metric: str) -> float | None:
        return self.limits.get(metric)


def plan_for(settings: Settings, name: str | None) -> Plan:
    """The named plan (or the default one), validated."""
    chosen = name or settings.default_plan
    raw = settings.plans.get(chosen)
    if raw is None:
        raise ConfigError(
            f"Plan {chosen!r} is not defined in REELFORGE_PLANS (defined: "
            f"{', '.join(sorted(settings.plans)) or 'none'}).",
            details={"setting": "REELFORGE_PLANS"},
        )
    unknown = set(raw) - {*METRICS, "period", "server_keys"}
    period = str(raw.get("period") or "month")
    if unknown or period not in PERIODS:
        raise ConfigError(
            f"Plan {chosen!r} in REELFORGE_PLANS has unknown entries {sorted(unknown)} or period "
            f"{period!r}; use period (month/day), server_keys and {', '.join(METRICS)}.",
            details={"setting": "REELFORGE_PLANS"},
        )
    limits: dict[str, float | None] = {}
    for metric in METRICS:
        value = raw.get(metric)
        limits[metric] = None if value is None else float(value)
    return Plan(chosen, period, limits, bool(raw.get("server_keys", True)))


def period_bounds(period: str, now: datetime | None = None) -> tuple[datetime, datetime]:
    moment = (now or utc_now()).astimezone(UTC)
    if period == "day":
        start = moment.replace(hour=0, minute=0, second=0, microsecond=0)
        return start, start + timedelta(days=1)
    start = moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (start + timedelta(days=32)).replace(day=1)
    return start, end


def _plan_of(db: Session, settings: Settings, owner_id: str) -> Plan:
    user = db.get(User, owner_id)
    return plan_for(settings, user.plan if user else None)


def _used(db: Session, *, owner_id: str, metric: str, period_start: datetime) -> float:
    value = db.scalars(
        select(UsageCounter.value).where(
            UsageCounter.owner_id == owner_id,
            UsageCounter.metric == metric,
            UsageCounter.period_start == period_start,
        )
    ).first()
    return float(value or 0.0)


def record(
    db: Session, settings: Settings, *, owner_id: str, metric: str, amount: float = 1.0
) -> None:
    """Add ``amount`` to the owner's counter for this period (atomic on both backends)."""
    if metric not in METRICS:
        raise ValueError(f"unknown usage metric {metric!r}")
    start, _ = period_bounds(_plan_of(db, settings, owner_id).period)
    where = (
        UsageCounter.owner_id == owner_id,
        UsageCounter.metric == metric,
        UsageCounter.period_start == start,
    )
    bump = update(UsageCounter).where(*where).values(value=UsageCounter.value + amount)
    bump = bump.execution_options(synchronize_session=False)
    if getattr(db.execute(bump), "rowcount", 0):
        return
    try:
        with db.begin_nested():
            db.add(UsageCounter(owner_id=owner_id, metric=metric, period_start=start, value=amount))
    except IntegrityError:  # another request inserted it first
        db.execute(bump)


def check_limit(
    db: Session, settings: Settings, *, owner_id: str, metric: str, amount: float = 1.0
) -> None:
    """Raise QuotaExceeded when adding ``amount`` would pass the plan's limit."""
    plan = _plan_of(db, settings, owner_id)
    allowed = plan.limit(metric)
    if allowed is None:
        return
    start, end = period_bounds(plan.period)
    used = _used(db, owner_id=owner_id, metric=metric, period_start=start)
    if used + amount > allowed:
        raise QuotaExceeded(
            f"Your {plan.name} plan allows {allowed:g} {metric.replace('_', ' ')} per "
            f"{plan.period}; you have used {used:g}. It resets at {end.isoformat()}.",
            limit=metric,
            resets_at=end.isoformat(),
            details={"allowed": allowed, "used": used, "plan": plan.name},
        )


@dataclass(frozen=True)
class MetricUsage:
    used: float
    limit: float | None


@dataclass(frozen=True)
class UsageSummary:
    plan: str
    period: str
    period_start: datetime
    resets_at: datetime
    metrics: dict[str, MetricUsage]


def summary(db: Session, settings: Settings, *, owner_id: str) -> UsageSummary:
    """This period's counters next to the plan's limits, for the user to see."""
    plan = _plan_of(db, settings, owner_id)
    start, end = period_bounds(plan.period)
    rows = db.scalars(
        select(UsageCounter).where(
            UsageCounter.owner_id == owner_id, UsageCounter.period_start == start
        )
    )
    used = {row.metric: row.value for row in rows}
    metrics = {m: MetricUsage(used=float(used.get(m, 0.0)), limit=plan.limit(m)) for m in METRICS}
    return UsageSummary(plan.name, plan.period, start, end, metrics)
