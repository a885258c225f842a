"""The research services, called directly (SQLite and PostgreSQL): owner scoping (P16),
removal (P15), upserts and snapshots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from reelforge.accounts import users
from reelforge.clock import utc_now
from reelforge.config import Settings
from reelforge.errors import InputError, NotFound
from reelforge.providers.types.research import VideoStats
from reelforge.research import creators, ingest, quota, workspace
from reelforge.research import import_service as file_import
from reelforge.research import refresh_job as refresh
from reelforge.research import report_service as insights
from reelforge.research.dna import service as dna_service
from reelforge.research.dna import versions as dna_store
from reelforge.research.dna.profile import ContentDNA
from reelforge.research.tables import ResearchVideo, VideoSnapshot
from reelforge.runtime import Runtime, runtime_for
from tests.research.support import CSV_HEADER, csv_rows
from tests.store.support import database, db_settings  # noqa: F401

START = datetime(2024, 5, 6, 18, tzinfo=UTC)


@pytest.fixture
def services(db_settings: Settings) -> Runtime:  # noqa: F811
    return runtime_for(db_settings)


def _user(services: Runtime, email: str) -> str:
    with services.database.session() as db:
        return users.create_user(db, email=email, age_confirmed=True).id


def _videos(n: int, *, prefix: str, breakout: int | None = None) -> list[VideoStats]:
    return [
        VideoStats(
            platform="youtube",
            platform_video_id=f"{prefix}{i}",
            title=f"Secret recipe number {i}",
            views=100 * (50 if i == breakout else 1) + i,
            likes=5,
            comments=1,
            duration_s=30,
            published_at=START + timedelta(days=i),
            hashtags=["bread"],
        )
        for i in range(n)
    ]


def _creator_with_videos(services: Runtime, owner: str, handle: str, n: int = 12) -> str:
    with services.database.session() as db:
        creator, _ = creators.add_creator(
            db, services.settings, owner_id=owner, platform="youtube", handle=handle
        )
        ingest.upsert_videos(
            db, owner_id=owner, creator_id=creator.id, videos=_videos(n, prefix=handle, breakout=10)
        )
        return creator.id


def test_P16_research_data_is_never_shared_across_users(services: Runtime) -> None:
    alice, bob = _user(services, "alice@example.com"), _user(services, "bob@example.com")
    creator = _creator_with_videos(services, alice, "alicebakes")
    with services.database.session() as db:
        version = dna_store.save(
            db, services.settings, owner_id=alice, dna=ContentDNA(niche="alice"), source="manual"
        ).id

    with services.database.session() as db:
        for attempt in (
            lambda: creators.get_creator(db, owner_id=bob, creator_id=creator),
            lambda: creators.delete_creator(db, owner_id=bob, creator_id=creator),
            lambda: refresh.start_refresh(db, services.settings, owner_id=bob, creator_id=creator),
            lambda: insights.analytics(db, services, owner_id=bob, creator_id=creator),
            lambda: insights.chart(
                db, services, owner_id=bob, name="durations", creator_id=creator
            ),
            lambda: dna_service.derive(db, services, owner_id=bob, creator_ids=[creator]),
            lambda: dna_store.get_version(db, owner_id=bob, ref=version),
            lambda: dna_store.restore(db, services.settings, owner_id=bob, ref=version),
            lambda: file_import.import_text(
                db,
                services.settings,
                owner_id=bob,
                text=CSV_HEADER,
                filename="x.csv",
                creator_id=creator,
            ),
        ):
            with pytest.raises(NotFound):
                attempt()
        assert creators.list_creators(db, owner_id=bob) == []
        assert creators.labels(db, owner_id=bob) == {}
        assert dna_store.current(db, owner_id=bob) is None
        theirs = insights.analytics(db, services, owner_id=bob)
        assert theirs.report.summary.videos == 0 and theirs.creators == {}
        assert insights.ideas(db, services, owner_id=bob).ideas == []
        # The same handle in Bob's workspace is Bob's own creator, not Alice's.
        own, created = creators.add_creator(
            db, services.settings, owner_id=bob, platform="youtube", handle="alicebakes"
        )
        assert created and own.id != creator
    with services.database.session() as db:
        mine = insights.analytics(db, services, owner_id=alice)
        assert mine.report.summary.videos == 12
        assert [b.video_id for b in mine.report.breakouts] == ["alicebakes10"]
        ideas = insights.ideas(db, services, owner_id=alice)
        assert ideas.source == "heuristic" and ideas.ideas[0].based_on == ["alicebakes10"]


def test_P15_removing_a_creator_deletes_its_videos_snapshots_and_analytics_files(
    services: Runtime,
) -> None:
    owner = _user(services, "sam@example.com")
    gone = _creator_with_videos(services, owner, "gone")
    kept = _creator_with_videos(services, owner, "kept", n=4)
    frame = workspace.refresh_snapshot(services, owner_id=owner)
    assert len(frame) == 16
    before = services.blobs.list(workspace.snapshot_prefix(owner))
    assert len(before) == 1

    with services.database.session() as db:
        creators.delete_creator(db, owner_id=owner, creator_id=gone)
    workspace.drop_snapshots(services, owner_id=owner)

    with services.database.session() as db:
        for table in (ResearchVideo, VideoSnapshot):
            left = db.scalar(select(func.count()).select_from(table).where(table.owner_id == owner))
            assert left == 4, table.__tablename__  # only the kept creator's
        assert services.blobs.list(workspace.snapshot_prefix(owner)) == []
        frame = workspace.workspace_frame(db, services, owner_id=owner)
    assert set(frame.df["creator"].to_list()) == {kept}


def test_a_stale_snapshot_is_never_read_after_a_change(services: Runtime) -> None:
    """Another process's change bumps the generation; the cached frame is not reused."""
    owner = _user(services, "sam@example.com")
    creator = _creator_with_videos(services, owner, "baker", n=3)
    assert len(workspace.refresh_snapshot(services, owner_id=owner)) == 3
    with services.database.session() as db:
        more = _videos(5, prefix="baker")
        ingest.upsert_videos(db, owner_id=owner, creator_id=creator, videos=more)
    assert len(workspace.refresh_snapshot(services, owner_id=owner)) == 5
    assert len(services.blobs.list(workspace.snapshot_prefix(owner))) == 1


def test_upserts_keep_one_row_per_video_and_one_snapshot_per_capture(services: Runtime) -> None:
    owner = _user(services, "sam@example.com")
    creator = _creator_with_videos(services, owner, "baker", n=0)
    when = utc_now()
    with services.database.session() as db:
        first = ingest.upsert_videos(
            db, owner_id=owner, creator_id=creator, videos=_videos(3, prefix="v"), captured_at=when
        )
        again = ingest.upsert_videos(
            db, owner_id=owner, creator_id=creator, videos=_videos(3, prefix="v"), captured_at=when
        )
        later = ingest.upsert_videos(
            db,
            owner_id=owner,
            creator_id=creator,
            videos=_videos(4, prefix="v"),
            captured_at=when + timedelta(hours=1),
        )
    assert (first.new, first.snapshots) == (3, 3)
    assert (again.new, again.updated, again.snapshots) == (0, 3, 0)  # a retried job
    assert (later.new, later.updated, later.snapshots) == (1, 3, 4)
    with services.database.session() as db:
        assert db.scalar(select(func.count()).select_from(ResearchVideo)) == 4
        assert db.scalar(select(func.count()).select_from(VideoSnapshot)) == 7


def test_creators_are_matched_by_handle_case_and_by_channel_id(services: Runtime) -> None:
    owner = _user(services, "sam@example.com")
    with services.database.session() as db:
        channel = "UC" + "c" * 22
        first, _ = creators.add_creator(
            db, services.settings, owner_id=owner, platform="youtube", handle="@BreadLab"
        )
        first.platform_id = channel  # learnt on the first refresh
        db.flush()
        same, created = creators.add_creator(
            db, services.settings, owner_id=owner, platform="youtube", handle=channel
        )
        assert not created and same.id == first.id
        tiktok, created = creators.add_creator(
            db, services.settings, owner_id=owner, platform="tiktok", handle="breadlab"
        )
        assert created and tiktok.source == "tiktok_research"
        with pytest.raises(InputError):
            creators.add_creator(db, services.settings, owner_id=owner, platform="vine", handle="x")


def test_csv_import_without_a_creator_column_asks_for_one(services: Runtime) -> None:
    owner = _user(services, "sam@example.com")
    rows = csv_rows("", 2).replace(",\n", ",\n")
    with services.database.session() as db:
        outcome = file_import.import_text(
            db, services.settings, owner_id=owner, text=CSV_HEADER + rows, filename="x.csv"
        )
    assert outcome.imported == 0
    assert "name no creator" in outcome.notes[0]


def test_quota_use_of_one_key_adds_up_across_concurrent_refreshes(services: Runtime) -> None:
    """Two refreshes with the operator's key each add what they spent; neither overwrites."""
    owner = _user(services, "sam@example.com")
    settings = services.settings
    with services.database.session() as db:
        first = quota.load_budgets(db, settings, provider="youtube", scope="server")
        second = quota.load_budgets(db, settings, provider="youtube", scope="server")
    for budgets, spent in ((first, 30), (second, 12)):
        units = budgets.get("units")
        assert units is not None
        units.spend(spent, what="videos.list")
        with services.database.session() as db:
            quota.save_budgets(db, budgets, owner_id=owner)
            quota.save_budgets(db, budgets, owner_id=owner)  # saving twice adds nothing
    with services.database.session() as db:
        assert quota.used_today(db, settings, provider="youtube", scope="server") == {"units": 42}
        assert quota.used_today(db, settings, provider="youtube", scope=owner) == {"units": 0}
        research = quota.load_budgets(db, settings, provider="tiktok_research", scope="server")
    assert set(research.by_quota) == {"requests", "records"}


def test_dna_versions_are_numbered_per_user_and_only_the_last_are_kept(
    services: Runtime,
) -> None:
    alice, bob = _user(services, "alice@example.com"), _user(services, "bob@example.com")
    newcomer = _user(services, "new@example.com")
    kept = services.settings.research_dna_versions_kept
    with services.database.session() as db:
        for i in range(kept + 2):
            dna_store.save(
                db,
                services.settings,
                owner_id=alice,
                dna=ContentDNA(niche=f"n{i}"),
                source="manual",
            )
        dna_store.save(db, services.settings, owner_id=bob, dna=ContentDNA(), source="wizard")
    with services.database.session() as db:
        versions = [v.version for v in dna_store.list_versions(db, owner_id=alice)]
        assert versions == list(range(kept + 2, 2, -1))
        assert [v.version for v in dna_store.list_versions(db, owner_id=bob)] == [1]
        assert dna_store.writer_dna(db, owner_id=alice) == {
            "niche": f"n{kept + 1}",
            "target_seconds": 45,
            "words_per_minute": 150,
        }
        assert dna_store.writer_dna(db, owner_id=newcomer) is None
