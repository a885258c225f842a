"""The billing domain's periodic task: every hour, accounts whose grace period ended unpaid
move to the default plan (and old webhook event ids are pruned)."""

from __future__ import annotations

from reelforge.billing import grace
from reelforge.deps import Deps
from reelforge.jobs.context import Enqueuer
from reelforge.jobs.registry import JobRegistry


def _grace_sweep(deps: Deps, queue: Enqueuer) -> None:
    grace.sweep(deps)


def register(jobs: JobRegistry) -> None:
    jobs.add_periodic("billing_grace_sweep", minute="23", run=_grace_sweep)
