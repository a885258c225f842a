"""Usage counters and plan limits (promise P26).

Counted per user and per plan period (calendar month or UTC day): API
requests, jobs, renders, render seconds and posts. Plans come from settings
(``REELFORGE_PLANS``, JSON, or the JSON/TOML file ``REELFORGE_PLANS_FILE``
names); the self-hosted default is one plan with no limits. :func:`check_limit`
raises :class:`QuotaExceeded` naming the limit and when the period resets — the
API answers 429 with that — and, when billing is on, the plan to upgrade to and
how. Totals (creators tracked, storage bytes) are limits on what an account
holds rather than per period: :func:`check_total` is given the current count by
the domain that owns it.

A plan also says whether the operator's provider keys may be used
(``server_keys``; false means bring your own keys, see ``provider_keys``) and
which Stripe price buys it (``price_id``; the billing domain maps paid
subscriptions back to plans with :func:`plan_for_price`).
"""

from __future__ import annotations

import json
import math
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reelforge.accounts.tables import UsageCounter, User
from reelforge.clock import utc_now
from reelforge.config import Settings
from reelforge.errors import ConfigError, QuotaExceeded
from reelforge.store.blobs import BlobStore, owner_prefix

METRICS = ("api_requests", "jobs", "renders", "render_seconds", "posts")  # per period
TOTALS = ("creators", "storage_bytes")  # what an account holds now
PERIODS = ("month", "day")
INTERVALS = ("day", "week", "month", "year")
PRICE_KEYS = ("price_id", "amount", "currency", "interval", "description")
PLAN_KEYS = frozenset({*METRICS, *TOTALS, "period", "server_keys", *PRICE_KEYS})
CHECKOUT_PATH = "/api/v1/billing/checkout"


@dataclass(frozen=True)
class Plan:
    name: str
    period: str = "month"
    limits: dict[str, float | None] = field(default_factory=dict)
    server_keys: bool = True
    price_id: str | None = None  # the Stripe price that buys this plan; None: not for sale
    amount: int | None = None  # the price in the currency's smallest unit, as shown
    currency: str | None = None
    interval: str | None = None  # per day, week, month or year
    description: str = ""

    def limit(self, metric: str) -> float | None:
        return self.limits.get(metric)


def _setting(settings: Settings) -> str:
    return "REELFORGE_PLANS_FILE" if settings.plans_file else "REELFORGE_PLANS"


_file_cache: dict[Path, tuple[tuple[int, int], dict[str, dict[str, Any]]]] = {}


def _read_plans_file(path: Path) -> dict[str, dict[str, Any]]:
    """The plans in a JSON or TOML file (top level, or under ``plans``); re-read when it
    changes."""
    details = {"setting": "REELFORGE_PLANS_FILE"}
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        cached = _file_cache.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"REELFORGE_PLANS_FILE names {path}, which cannot be read ({exc}).", details=details
        ) from exc
    try:
        data: Any = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(
            f"REELFORGE_PLANS_FILE {path} is not valid {path.suffix.lstrip('.') or 'JSON'}: {exc}.",
            details=details,
        ) from exc
    if isinstance(data, dict) and isinstance(data.get("plans"), dict):
        data = data["plans"]
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise ConfigError(
            f"REELFORGE_PLANS_FILE {path} must map plan names to tables of limits, e.g. "
            '{"free": {"renders": 10}, "pro": {"price_id": "price_…"}}.',
            details=details,
        )
    _file_cache[path] = (stamp, data)
    return data


def plan_definitions(settings: Settings) -> dict[str, dict[str, Any]]:
    """Every plan as the operator wrote it, in the order written."""
    if settings.plans_file:
        return _read_plans_file(Path(settings.plans_file).expanduser())
    return dict(settings.plans)


def _optional_str(raw: dict[str, Any], key: str, problems: list[str]) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{key} must be text")
        return None
    return value.strip()


def _parse_plan(name: str, raw: dict[str, Any], settings: Settings) -> Plan:
    unknown = set(raw) - PLAN_KEYS
    period = str(raw.get("period") or "month")
    problems: list[str] = []
    if unknown:
        problems.append(f"unknown entries {sorted(unknown)}")
    if period not in PERIODS:
        problems.append(f"period {period!r}")
    limits: dict[str, float | None] = {}
    for metric in (*METRICS, *TOTALS):
        value = raw.get(metric)
        if value is None:
            limits[metric] = None
        elif isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            problems.append(f"{metric} must be a number >= 0 (or null for no limit)")
        else:
            limits[metric] = float(value)
    amount = raw.get("amount")
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int)):
        problems.append("amount must be a whole number in the currency's smallest unit")
        amount = None
    interval = _optional_str(raw, "interval", problems)
    if interval is not None and interval not in INTERVALS:
        problems.append(f"interval {interval!r}")
    price_id = _optional_str(raw, "price_id", problems)
    currency = _optional_str(raw, "currency", problems)
    description = _optional_str(raw, "description", problems) or ""
    if problems:
        raise ConfigError(
            f"Plan {name!r} in {_setting(settings)} has {'; '.join(problems)}. Use period "
            f"(month/day), server_keys, {', '.join((*METRICS, *TOTALS))}, "
            f"{', '.join(PRICE_KEYS)} (interval: {'/'.join(INTERVALS)}).",
            details={"setting": _setting(settings), "plan": name},
        )
    return Plan(
        name=name,
        period=period,
        limits=limits,
        server_keys=bool(raw.get("server_keys", True)),
        price_id=price_id,
        amount=amount,
        currency=currency.lower() if currency else None,
        interval=interval,
        description=description,
    )


def plan_for(settings: Settings, name: str | None) -> Plan:
    """The named plan (or the default one), validated."""
    chosen = name or settings.default_plan
    definitions = plan_definitions(settings)
    raw = definitions.get(chosen)
    if raw is None:
        raise ConfigError(
            f"Plan {chosen!r} is not defined in {_setting(settings)} (defined: "
            f"{', '.join(sorted(definitions)) or 'none'}).",
            details={"setting": _setting(settings)},
        )
    return _parse_plan(chosen, raw, settings)


def all_plans(settings: Settings) -> list[Plan]:
    """Every defined plan, validated, in the operator's order; a price buys one plan only."""
    plans = [_parse_plan(n, raw, settings) for n, raw in plan_definitions(settings).items()]
    seen: dict[str, str] = {}
    for plan in plans:
        if plan.price_id is None:
            continue
        if plan.price_id in seen:
            raise ConfigError(
                f"Plans {seen[plan.price_id]!r} and {plan.name!r} in {_setting(settings)} "
                f"share the price {plan.price_id}; give each paid plan its own Stripe price.",
                details={"setting": _setting(settings)},
            )
        seen[plan.price_id] = plan.name
    return plans


def plan_for_price(settings: Settings, price_id: str | None) -> Plan | None:
    """The plan a Stripe price buys, or None when no plan names it."""
    if not price_id:
        return None
    return next((p for p in all_plans(settings) if p.price_id == price_id), None)


def upgrade_for(settings: Settings, current: Plan, metric: str) -> Plan | None:
    """The first plan for sale (in the operator's order) that allows more of ``metric``;
    None when billing is off or nothing allows more."""
    if not settings.billing_enabled:
        return None
    now = current.limit(metric)
    for plan in all_plans(settings):
        if plan.price_id is None or plan.name == current.name:
            continue
        better = plan.limit(metric)
        if better is None or (now is not None and better > now):
            return plan
    return None


def _upgrade_hint(settings: Settings, plan: Plan, metric: str) -> tuple[str, dict[str, Any]]:
    better = upgrade_for(settings, plan, metric)
    if better is None:
        return "", {}
    body = {"plan": better.name}
    text = (
        f" Upgrade to the {better.name} plan for more: POST {CHECKOUT_PATH} "
        f"{json.dumps(body)} (or `reelforge plans` to compare)."
    )
    return text, {
        "upgrade": {"plan": better.name, "method": "POST", "path": CHECKOUT_PATH, "body": body}
    }


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
    now = utc_now()
    start, end = period_bounds(plan.period, now)
    used = _used(db, owner_id=owner_id, metric=metric, period_start=start)
    if used + amount > allowed:
        hint, upgrade = _upgrade_hint(settings, plan, metric)
        raise QuotaExceeded(
            f"Your {plan.name} plan allows {allowed:g} {metric.replace('_', ' ')} per "
            f"{plan.period}; you have used {used:g}. It resets at {end.isoformat()}.{hint}",
            limit=metric,
            resets_at=end.isoformat(),
            details={
                "allowed": allowed,
                "used": used,
                "plan": plan.name,
                "retry_after": math.ceil((end - now).total_seconds()),
                **upgrade,
            },
        )


def _amount(metric: str, value: float) -> str:
    return f"{value / 1e6:g} MB" if metric == "storage_bytes" else f"{value:g}"


def check_total(
    db: Session,
    settings: Settings,
    *,
    owner_id: str,
    metric: str,
    current: float,
    amount: float = 1.0,
) -> None:
    """Raise QuotaExceeded when holding ``current + amount`` would pass the plan's total
    (``creators``, ``storage_bytes``); the domain that owns the rows counts ``current``."""
    if metric not in TOTALS:
        raise ValueError(f"unknown total {metric!r}")
    plan = _plan_of(db, settings, owner_id)
    allowed = plan.limit(metric)
    if allowed is None or current + amount <= allowed:
        return
    hint, upgrade = _upgrade_hint(settings, plan, metric)
    raise QuotaExceeded(
        f"Your {plan.name} plan allows {_amount(metric, allowed)} of {metric.replace('_', ' ')}; "
        f"you have {_amount(metric, current)}. Remove some first.{hint}",
        limit=metric,
        resets_at=None,
        details={"allowed": allowed, "used": current, "plan": plan.name, **upgrade},
    )


def stored_bytes(blobs: BlobStore, *, owner_id: str) -> int:
    """Every byte the user keeps in the blob store (videos, captions, uploads, music)."""
    return sum(blobs.size(key) for key in blobs.list(owner_prefix(owner_id)))


def check_storage(
    db: Session, settings: Settings, blobs: BlobStore, *, owner_id: str, adding: int
) -> None:
    """Refuse to store ``adding`` more bytes past the plan's ``storage_bytes`` total (a
    render is checked with ``adding=0``: refused once the account is already over)."""
    if _plan_of(db, settings, owner_id).limit("storage_bytes") is None:
        return  # unlimited: no need to list the user's files
    stored = stored_bytes(blobs, owner_id=owner_id)
    check_total(
        db, settings, owner_id=owner_id, metric="storage_bytes", current=stored, amount=adding
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
