"""Rate limits per email, per IP address, per API key and per user (promise P30).

Fixed windows: a rule "5/15m" lets 5 hits through per 15-minute window
aligned to the clock, and the 6th gets :class:`QuotaExceeded` naming the rule
and when its window resets (the web turns it into 429 + ``Retry-After``).

Where the counts live (``REELFORGE_RATE_LIMIT_BACKEND``):

* ``db`` (default) — rows in ``rate_limit_hits``, updated with one atomic
  upsert in a short transaction of its own. Every worker of every process on
  every machine sharing the database sees the same counts.
* ``memory`` — a dict behind a lock: shared by the threads of one process only
  (one uvicorn worker). Use it for tests or a single-process install.

Buckets are HMACs of (rule, subject) keyed by the server secret, so the table
holds no email addresses, IPs or key ids in readable form.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import re
import threading
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from reelforge.accounts.keyfiles import derived_key
from reelforge.accounts.tables import RateLimitHit
from reelforge.config import Settings
from reelforge.errors import ConfigError, QuotaExceeded

RULES = (
    "code_per_email",
    "code_per_ip",
    "signin_per_email",
    "signin_per_ip",
    "api_per_key",
    "api_per_user",
    "api_per_ip",
)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


@dataclass(frozen=True)
class Rule:
    name: str
    limit: int
    window_s: int

    @classmethod
    def parse(cls, name: str, spec: str) -> Rule:
        match = _SPEC.match(spec)
        if not match:
            raise ConfigError(
                f"REELFORGE_RATE_LIMIT_{name.upper()}={spec!r} is not a rate: write COUNT/WINDOW, "
                "e.g. 5/15m, 600/1m, 100/1h.",
                details={"setting": f"REELFORGE_RATE_LIMIT_{name.upper()}"},
            )
        count, amount, unit = match.groups()
        return cls(name=name, limit=int(count), window_s=int(amount or 1) * _UNITS[unit])


def rule(settings: Settings, name: str) -> Rule:
    return Rule.parse(name, str(getattr(settings, f"rate_limit_{name}")))


class Backend(ABC):
    @abstractmethod
    def hit(self, bucket: str, *, window_start: int, window_s: int) -> int:
        """Count one hit in the window; return the window's count including it."""


class MemoryBackend(Backend):
    def __init__(self) -> None:
        self._counts: dict[tuple[str, int], tuple[int, int]] = {}
        self._lock = threading.Lock()

    def hit(self, bucket: str, *, window_start: int, window_s: int) -> int:
        now = int(time.time())
        with self._lock:
            if len(self._counts) > 10_000:
                self._counts = {k: v for k, v in self._counts.items() if v[1] > now}
            count, expires = self._counts.get((bucket, window_start), (0, window_start + window_s))
            self._counts[(bucket, window_start)] = (count + 1, expires)
            return count + 1


class DbBackend(Backend):
    """Counts in the database. Runs its own short transaction: call it while the caller's
    session has no transaction open (SQLite takes one write lock per transaction)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def hit(self, bucket: str, *, window_start: int, window_s: int) -> int:
        insert = pg_insert if self.engine.dialect.name == "postgresql" else sqlite_insert
        statement = insert(RateLimitHit).values(
            bucket=bucket, window_start=window_start, count=1, expires_at=window_start + window_s
        )
        upsert = statement.on_conflict_do_update(
            index_elements=["bucket", "window_start"],
            set_={"count": RateLimitHit.count + 1},
        ).returning(RateLimitHit.count)
        with self.engine.begin() as connection:
            count = int(connection.execute(upsert).scalar_one())
            if random.random() < 1 / 64:  # keep the table small without a sweeper
                now = int(time.time())
                connection.execute(delete(RateLimitHit).where(RateLimitHit.expires_at < now))
        return count


def bucket_for(settings: Settings, rule_name: str, subject: str) -> str:
    message = f"{rule_name}\x1f{subject}".encode()
    return hmac.new(derived_key(settings, "ratelimit"), message, hashlib.sha256).hexdigest()


class RateLimiter:
    """Applies the configured rules; one per process (the web app holds it)."""

    def __init__(self, settings: Settings, backend: Backend) -> None:
        self.settings = settings
        self.backend = backend
        self.rules = {name: rule(settings, name) for name in RULES}

    @classmethod
    def from_settings(cls, settings: Settings, *, engine: Engine) -> RateLimiter:
        if settings.rate_limit_backend == "memory":
            return cls(settings, MemoryBackend())
        return cls(settings, DbBackend(engine))

    def check(self, rule_name: str, subject: str) -> None:
        """Count a hit for ``subject`` under the rule; raise QuotaExceeded past the limit."""
        current = self.rules[rule_name]
        now = int(time.time())
        window_start = now - now % current.window_s
        bucket = bucket_for(self.settings, rule_name, subject.lower())
        count = self.backend.hit(bucket, window_start=window_start, window_s=current.window_s)
        if count > current.limit:
            resets = window_start + current.window_s
            raise QuotaExceeded(
                f"Too many requests ({_describe(rule_name)}): at most {current.limit} per "
                f"{_window_text(current.window_s)}. Try again in {resets - now} s.",
                limit=f"rate:{rule_name}",
                resets_at=datetime.fromtimestamp(resets, UTC).isoformat(),
                details={"retry_after": max(1, resets - now), "allowed": current.limit},
            )


def forget(db: Session, *, settings: Settings, subjects: list[str]) -> None:
    """Delete the stored counts of these subjects (part of deleting an account)."""
    buckets = [bucket_for(settings, name, s.lower()) for name in RULES for s in subjects]
    db.execute(delete(RateLimitHit).where(RateLimitHit.bucket.in_(buckets)))


def _describe(rule_name: str) -> str:
    action, _, subject = rule_name.partition("_per_")
    what = {"code": "sign-in codes", "signin": "sign-in attempts", "api": "API calls"}[action]
    return f"{what} per {'IP address' if subject == 'ip' else subject}"


def _window_text(seconds: int) -> str:
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds % size == 0:
            n = seconds // size
            return unit if n == 1 else f"{n} {unit}s"
    return f"{seconds} seconds"
