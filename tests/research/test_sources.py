"""Research sources describe themselves; creators, quotas and refreshes read that, not names.

``OwnChannel`` stands for a source a plugin could add: it reads a YouTube user's own
videos with their connected account and has a daily quota of its own. Nothing in
reelforge names it, yet it is offered for YouTube creators, its quota is counted as
it describes, and a refresh asks for the connected account it needs.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import ClassVar

import pytest

from reelforge.accounts import users
from reelforge.config import Settings
from reelforge.errors import ConfigError, InputError
from reelforge.providers import registry
from reelforge.providers.research import (
    DailyQuota,
    Page,
    ResearchSource,
    next_reset,
    source_class,
    sources,
)
from reelforge.providers.types.research import CreatorPlatform, CreatorProfile, CreatorRef
from reelforge.research import creators, quota
from reelforge.research import refresh_job as refresh
from reelforge.runtime import Runtime, runtime_for


class OwnChannel(ResearchSource):
    name = "own_channel"
    platform: ClassVar[CreatorPlatform] = "youtube"
    reads_any_creator = False
    account_scope = "youtube.readonly"
    needs_key = True

    @classmethod
    def daily_quotas(cls, settings: Settings) -> tuple[DailyQuota, ...]:
        return (
            DailyQuota(
                "calls",
                50,
                time_zone="Europe/Berlin",
                reset_rule="midnight Berlin time",
                costs={"videos": 5},
            ),
        )

    def profile(self, creator: CreatorRef) -> CreatorProfile:
        return CreatorProfile(platform="youtube", handle=creator.handle)

    def videos(self, creator: CreatorRef, *, since: datetime | None = None) -> Iterator[Page]:
        self.charge("calls", "videos")
        yield []


@pytest.fixture
def own_channel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(registry.BUILTINS["research"], "own_channel", f"{__name__}:OwnChannel")


@pytest.fixture
def services(settings: Settings) -> Runtime:
    return runtime_for(settings)


@pytest.fixture
def owner(services: Runtime) -> str:
    with services.database.session() as db:
        return users.create_user(db, email="sam@example.com", age_confirmed=True).id


def test_the_built_in_sources_say_what_they_read_and_what_they_cost(settings: Settings) -> None:
    youtube, research, display = (
        source_class(n) for n in ("youtube", "tiktok_research", "tiktok_display")
    )
    assert (youtube.platform, youtube.reads_any_creator, youtube.account_scope) == (
        "youtube",
        True,
        None,
    )
    assert (research.platform, research.reads_any_creator, research.account_scope) == (
        "tiktok",
        True,
        None,
    )
    assert (display.platform, display.reads_any_creator, display.account_scope) == (
        "tiktok",
        False,
        "video.list",
    )
    (units,) = youtube.daily_quotas(settings)
    assert (units.unit, units.limit, units.time_zone) == ("units", 10_000, "America/Los_Angeles")
    assert units.cost("search.list") == 100 and units.cost("videos.list") == 1
    assert [(q.unit, q.limit, q.time_zone) for q in research.daily_quotas(settings)] == [
        ("requests", 1_000, "UTC"),
        ("records", 100_000, "UTC"),
    ]
    assert display.daily_quotas(settings) == ()


def test_a_new_source_is_offered_for_its_platform_after_those_that_read_anyone(
    own_channel: None,
) -> None:
    assert "own_channel" in sources()
    assert creators.sources_for("youtube") == ("youtube", "own_channel", "import")
    assert creators.sources_for("tiktok") == ("tiktok_research", "tiktok_display", "import")
    assert creators.check_source("youtube", None) == "youtube"
    assert creators.check_source("youtube", "own_channel") == "own_channel"
    with pytest.raises(InputError, match="tiktok_research, tiktok_display, import"):
        creators.check_source("tiktok", "own_channel")


def test_its_quota_is_stored_and_charged_as_it_describes(
    settings: Settings, services: Runtime, owner: str, own_channel: None
) -> None:
    with services.database.session() as db:
        budgets = quota.load_budgets(db, settings, provider="own_channel", scope=owner)
    calls = budgets.get("calls")
    assert calls is not None and calls.limit == 50
    assert calls.resets_at == next_reset("Europe/Berlin") and calls.provider == "own_channel"
    source = registry.create("research", "own_channel", settings, credential="user-token")
    source.use_budgets(budgets.by_quota)
    list(source.videos(CreatorRef(platform="youtube", handle="me")))
    assert calls.used == 5
    with services.database.session() as db:
        quota.save_budgets(db, budgets, owner_id=owner)
    with services.database.session() as db:
        assert quota.used_today(db, settings, provider="own_channel", scope=owner) == {"calls": 5}


def test_a_refresh_asks_for_the_connected_account_a_source_reads_with(
    services: Runtime, owner: str, own_channel: None
) -> None:
    with pytest.raises(ConfigError) as refused:
        refresh._prepare(services, owner_id=owner, source="own_channel")
    assert refused.value.message.startswith("Your YouTube account is not connected.")
    assert "allow the youtube.readonly permission" in refused.value.message
    # A keyed source without the user's own key reads the operator's settings itself.
    credential, budgets = refresh._prepare(services, owner_id=owner, source="youtube")
    assert credential is None and budgets.scope == "server" and set(budgets.by_quota) == {"units"}
