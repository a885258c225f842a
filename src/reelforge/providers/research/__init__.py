"""Research sources: official APIs that list a creator's public videos and their counts.

Each source is one module (YouTube Data API, TikTok Research API, TikTok
Display API) behind :class:`ResearchSource`, which also says what the source
can do and how it is paid for (the platform it reads, whether it reads with
the user's connected account, whether it reads any creator, its daily
quotas), so the refresh job, the quota store and the creators API read that
description and know no source by name. ``videos()`` yields *pages*, so a
refresh job can store each page as it arrives: when a daily quota runs out
half-way, what was fetched is already kept, and the job stops cleanly with a
"retry after" time instead of losing the work (see :func:`collect`).

Quotas are counted by :class:`QuotaBudget`; the service builds one from the
usage it stored for the current quota day, hands it to the source
(:meth:`ResearchSource.use_budgets`) and saves ``used`` back after the job, so
the count survives restarts and is shared by all of a key's jobs.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from functools import cached_property
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import httpx

from reelforge.config import Settings
from reelforge.errors import ConfigError, ProviderError
from reelforge.providers import registry
from reelforge.providers.base import Provider
from reelforge.providers.types.research import (
    CreatorPlatform,
    CreatorProfile,
    CreatorRef,
    VideoStats,
)

Page = list[VideoStats]


def next_reset(time_zone: str, *, now: datetime | None = None) -> datetime:
    """The next midnight in ``time_zone``, as an aware UTC time (when daily quotas reset)."""
    zone = ZoneInfo(time_zone)
    local = (now or datetime.now(UTC)).astimezone(zone)
    midnight = datetime.combine(local.date() + timedelta(days=1), time(0), zone)
    return midnight.astimezone(UTC)


def quota_error(provider: str, message: str, *, resets_at: datetime) -> ProviderError:
    """A non-retryable error that says when the quota comes back (``details.resets_at``)."""
    when = resets_at.strftime("%Y-%m-%d %H:%M UTC")
    return ProviderError(
        f"{message} Try again after {when}.",
        provider=provider,
        retryable=False,
        status=429,
        details={"quota": True, "resets_at": resets_at.isoformat()},
    )


def is_quota_error(error: BaseException) -> bool:
    return isinstance(error, ProviderError) and bool(error.details.get("quota"))


@dataclass
class QuotaBudget:
    """What a daily quota has left. Spending past ``limit`` raises :func:`quota_error`."""

    provider: str
    limit: int
    resets_at: datetime
    used: int = 0
    unit: str = "units"
    reset_rule: str = "midnight UTC"

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    def spend(self, cost: int, *, what: str) -> None:
        self.check(cost, what=what)
        self.used += cost

    def check(self, cost: int, *, what: str) -> None:
        """Raise :func:`quota_error` unless ``cost`` more (at least 1) still fits."""
        if self.used + max(cost, 1) > self.limit:
            raise quota_error(
                self.provider,
                f"{self.provider}'s daily quota of {self.limit:,} {self.unit} is used up "
                f"({self.used:,} used; {what} needs {cost}). It resets at {self.reset_rule}.",
                resets_at=self.resets_at,
            )


@dataclass(frozen=True)
class DailyQuota:
    """One daily quota a key of a source has, as the source describes it.

    ``limit`` ``unit`` a day (the API's "units", "requests", "records"), each call
    costing ``costs[call]`` (1 when it is not listed), reset at midnight in
    ``time_zone``; ``reset_rule`` is how that time is said to users.
    """

    unit: str
    limit: int
    time_zone: str = "UTC"
    reset_rule: str = "midnight UTC"
    costs: Mapping[str, int] = field(default_factory=dict)

    def cost(self, call: str) -> int:
        return self.costs.get(call, 1)

    def budget(self, provider: str, *, now: datetime | None = None) -> QuotaBudget:
        """A budget for the current quota day with nothing used yet."""
        resets_at = next_reset(self.time_zone, now=now)
        return QuotaBudget(
            provider, self.limit, resets_at, unit=self.unit, reset_rule=self.reset_rule
        )


class ResearchSource(Provider):
    """Reads one platform's creators; the class attributes say what it can do."""

    kind = "research"
    #: The platform whose creators it reads.
    platform: ClassVar[CreatorPlatform]
    #: False when it reads only the connected user's own videos, not any public creator.
    reads_any_creator: ClassVar[bool] = True
    #: Set when it reads with the user's connected account instead of an API key: the
    #: scope the user's connection to ``platform`` must grant. The refresh job then
    #: passes that connection's access token as the ``credential``.
    account_scope: ClassVar[str | None] = None

    @classmethod
    def daily_quotas(cls, settings: Settings) -> tuple[DailyQuota, ...]:
        """The daily quotas one key of this source has; none by default (a source whose
        API only rate-limits relies on the HTTP client retrying its 429s)."""
        return ()

    @cached_property
    def quotas(self) -> dict[str, DailyQuota]:
        return {quota.unit: quota for quota in self.daily_quotas(self.settings)}

    @cached_property
    def budgets(self) -> dict[str, QuotaBudget]:
        """What each daily quota (by unit) has left: a fresh count unless the refresh job
        hands in the store's (:meth:`use_budgets`)."""
        return {unit: quota.budget(self.name) for unit, quota in self.quotas.items()}

    def use_budgets(self, budgets: Mapping[str, QuotaBudget]) -> None:
        """Count against these budgets (the store's count for this key today)."""
        self.budgets.update(budgets)

    def charge(self, unit: str, call: str) -> None:
        """Spend what ``call`` costs of the ``unit`` quota; a quota error when it is used up."""
        self.budgets[unit].spend(self.quotas[unit].cost(call), what=call)

    @abstractmethod
    def profile(self, creator: CreatorRef) -> CreatorProfile:
        """The creator's public profile; InputError when no such creator exists."""

    @abstractmethod
    def videos(self, creator: CreatorRef, *, since: datetime | None = None) -> Iterator[Page]:
        """Pages of the creator's public videos (newest first), back to ``since`` if given."""

    def close(self) -> None:
        """Close the HTTP connections (a job uses a source once, then closes it)."""
        http = getattr(self, "http", None)
        if http is not None:
            http.close()

    def __enter__(self) -> ResearchSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def source_class(name: str) -> type[ResearchSource]:
    """The research source registered as ``name`` (built-in or plugin)."""
    cls = registry.provider_class("research", name)
    if not issubclass(cls, ResearchSource):
        raise ConfigError(
            f"The research provider {name!r} ({cls.__module__}.{cls.__qualname__}) is not a "
            "ResearchSource; check the plugin that registers it."
        )
    return cls


def sources() -> dict[str, type[ResearchSource]]:
    """Every research source by name: the built-ins first, then plugins."""
    return {name: source_class(name) for name in registry.available("research")}


@dataclass
class FetchOutcome:
    """All pages a fetch produced, and whether it stopped early on a quota."""

    videos: list[VideoStats] = field(default_factory=list)
    complete: bool = True
    stopped: str | None = None  # the quota message, when it stopped early
    resets_at: str | None = None


def collect(pages: Iterator[Page], *, on_page: Any = None) -> FetchOutcome:
    """Drain ``pages``; a quota error ends it cleanly, any other error propagates.

    ``on_page(page)`` is called for each page (e.g. to upsert it) before the next is fetched.
    """
    outcome = FetchOutcome()
    try:
        for page in pages:
            if on_page is not None:
                on_page(page)
            outcome.videos += page
    except ProviderError as error:
        if not is_quota_error(error):
            raise
        outcome.complete = False
        outcome.stopped = error.message
        outcome.resets_at = error.details.get("resets_at")
    return outcome


class ErrorMemo:
    """An httpx response hook that keeps the body of the last error answer.

    Why: :class:`~reelforge.providers.http.ProviderHTTP` turns error answers
    into ProviderError with a message only; YouTube's ``reason`` and TikTok's
    ``error.code`` decide what we tell the user (quota vs bad key), so the
    client reads them from here after catching the error.
    """

    def __init__(self) -> None:
        self.body: Any = None

    def __call__(self, response: httpx.Response) -> None:
        if response.status_code < 400:
            return
        response.read()
        try:
            self.body = response.json()
        except ValueError:
            self.body = None

    def install(self, client: httpx.Client) -> None:
        hooks = dict(client.event_hooks)
        hooks["response"] = [*hooks.get("response", []), self]
        client.event_hooks = hooks

    def take(self) -> Any:
        body, self.body = self.body, None
        return body
