"""Daily API quotas, counted in the store so they survive restarts and are shared.

A quota belongs to a *key*: the operator's key is shared by every user's
refreshes (scope ``"server"``), a user's own key only by theirs (scope = the
user's id). Which quotas a source has, how large and when they reset, the
source says itself (:meth:`ResearchSource.daily_quotas`). A refresh builds its
:class:`QuotaBudget` from what the store says that key used in the current
quota day, and adds what it spent as it goes — as an increment, so two
refreshes running at once both count.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reelforge.config import Settings
from reelforge.providers.research import QuotaBudget, source_class
from reelforge.research.tables import QuotaUsage


@dataclass
class Budgets:
    """The budgets of one refresh, by quota name, and how much of each is already saved."""

    scope: str
    by_quota: dict[str, QuotaBudget] = field(default_factory=dict)
    saved: dict[str, int] = field(default_factory=dict)

    def get(self, quota: str) -> QuotaBudget | None:
        return self.by_quota.get(quota)


def _plans(settings: Settings, provider: str) -> list[QuotaBudget]:
    """Today's budgets of ``provider``'s daily quotas, nothing used yet."""
    return [quota.budget(provider) for quota in source_class(provider).daily_quotas(settings)]


def _where(scope: str, budget: QuotaBudget) -> tuple[object, ...]:
    return (
        QuotaUsage.scope == scope,
        QuotaUsage.provider == budget.provider,
        QuotaUsage.quota == budget.unit,
        QuotaUsage.resets_at == budget.resets_at,
    )


def load_budgets(db: Session, settings: Settings, *, provider: str, scope: str) -> Budgets:
    """Budgets for ``provider`` starting from today's stored use by this key."""
    budgets = Budgets(scope=scope)
    for budget in _plans(settings, provider):
        used = db.scalar(select(QuotaUsage.used).where(*_where(scope, budget)))  # type: ignore[arg-type]
        budget.used = int(used or 0)
        budgets.by_quota[budget.unit] = budget
        budgets.saved[budget.unit] = budget.used
    return budgets


def save_budgets(db: Session, budgets: Budgets, *, owner_id: str) -> None:
    """Add what was spent since the last save to the stored counters."""
    for unit, budget in budgets.by_quota.items():
        delta = budget.used - budgets.saved.get(unit, 0)
        if delta <= 0:
            continue
        step = (
            update(QuotaUsage)
            .where(*_where(budgets.scope, budget))  # type: ignore[arg-type]
            .values(used=QuotaUsage.used + delta)
            .execution_options(synchronize_session=False)
        )
        if not getattr(db.execute(step), "rowcount", 0):
            try:
                with db.begin_nested():
                    db.add(
                        QuotaUsage(
                            owner_id=None if budgets.scope == "server" else owner_id,
                            scope=budgets.scope,
                            provider=budget.provider,
                            quota=unit,
                            resets_at=budget.resets_at,
                            used=delta,
                        )
                    )
            except IntegrityError:  # another refresh created the row first
                db.execute(step)
        budgets.saved[unit] = budget.used


def used_today(db: Session, settings: Settings, *, provider: str, scope: str) -> dict[str, int]:
    """What a key used in the current quota day, by quota name (for status displays)."""
    return {
        unit: budget.used
        for unit, budget in load_budgets(
            db, settings, provider=provider, scope=scope
        ).by_quota.items()
    }
