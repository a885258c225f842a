"""P17: uploaded images go 7 days after they are posted, unposted ones after the configured
time; the sweep records what it removed; the post history stays. The clock is moved."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from reelforge.clock import utc_now
from reelforge.config import Settings
from reelforge.publish import retention
from reelforge.publish.tables import RetentionSweep, Upload
from reelforge.runtime import runtime_for
from tests.publish.support import connect, get_post, post, run, upload_images
from tests.web.support import Api


def _stored(settings: Settings) -> list[str]:
    return sorted(p.name for p in (settings.home / "files").rglob("*.jpg"))


def test_P17_posted_images_are_deleted_7_days_after_posting_and_the_sweep_says_so(
    pub_api: Api, pub_settings: Settings
) -> None:
    account = pub_api.sign_up("seven@example.com")
    connection = connect(pub_api, account)
    images = upload_images(pub_api, account, 3)
    made = post(pub_api, account, connection_id=connection["id"], images=images, title="Go")
    assert run(pub_settings, made["job"]["id"]) == "succeeded"
    posted_at = utc_now()
    listed = pub_api.client.get("/api/v1/uploads", headers=account.headers).json()
    assert all(u["posted_at"] for u in listed) and len(_stored(pub_settings)) == 3
    services = runtime_for(pub_settings)

    early = retention.sweep(services, now=posted_at + timedelta(days=6, hours=23))
    assert early.upload_ids == () and len(_stored(pub_settings)) == 3

    due = retention.sweep(services, now=posted_at + timedelta(days=7, minutes=5))
    assert sorted(due.upload_ids) == sorted(images) and due.posted_removed == 3
    assert _stored(pub_settings) == []
    assert pub_api.client.get("/api/v1/uploads", headers=account.headers).json() == []
    with services.database.session() as db:
        sweeps = db.scalars(select(RetentionSweep).order_by(RetentionSweep.ran_at)).all()
        assert [s.posted_removed for s in sweeps] == [0, 3]
        assert sorted(sweeps[-1].upload_ids) == sorted(images) and sweeps[-1].bytes_freed > 0
    kept = get_post(pub_api, account, made["post"]["id"])  # the history stays (P18)
    assert kept["title"] == "Go" and kept["image_count"] == 3 and kept["images"] == []


def test_P17_unposted_images_go_after_the_configured_days_unless_a_post_waits_for_them(
    pub_api: Api, pub_settings: Settings
) -> None:
    account = pub_api.sign_up("unposted@example.com")
    connection = connect(pub_api, account)
    idle = upload_images(pub_api, account, 1)
    waiting = upload_images(pub_api, account, 1)
    later = utc_now() + timedelta(days=60)
    post(
        pub_api,
        account,
        connection_id=connection["id"],
        images=waiting,
        title="In two months",
        publish_at=later.isoformat(),
    )
    services = runtime_for(pub_settings)
    days = pub_settings.upload_retention_unposted_days
    assert days == 30

    assert retention.sweep(services, now=utc_now() + timedelta(days=29)).upload_ids == ()
    swept = retention.sweep(services, now=utc_now() + timedelta(days=30, minutes=5))

    assert swept.upload_ids == tuple(idle) and swept.unposted_removed == 1
    with services.database.session() as db:
        left = db.scalars(select(Upload.id)).all()
    assert left == waiting


def test_P17_an_operator_may_shorten_the_unposted_time_but_not_extend_the_posted_one(
    settings: Settings,
) -> None:
    import pytest
    from pydantic import ValidationError

    from reelforge.config import load_settings

    assert load_settings(home=settings.home, upload_retention_unposted_days=3)
    with pytest.raises(ValidationError):
        load_settings(home=settings.home, upload_retention_posted_days=8)


def test_uploads_show_when_they_will_be_deleted(pub_api: Api) -> None:
    account = pub_api.sign_up("deadline@example.com")
    upload_images(pub_api, account, 1)
    (shown,) = pub_api.client.get("/api/v1/uploads", headers=account.headers).json()
    assert shown["posted_at"] is None
    assert shown["deleted_after"][:10] == (utc_now() + timedelta(days=30)).date().isoformat()


def test_abandoned_authorize_links_are_swept_with_their_verifiers(
    pub_api: Api, pub_settings: Settings
) -> None:
    from reelforge.accounts.tables import Secret
    from reelforge.connections.tables import OAuthState

    account = pub_api.sign_up("abandoned@example.com")
    pub_api.client.get("/api/v1/connections/tiktok/authorize", headers=account.headers)
    services = runtime_for(pub_settings)
    retention.sweep(services)  # still valid: kept
    with services.database.session() as db:
        assert len(db.scalars(select(OAuthState)).all()) == 1
    retention.sweep(services, now=utc_now() + timedelta(hours=1))
    with services.database.session() as db:
        assert db.scalars(select(OAuthState)).all() == []
        assert db.scalars(select(Secret).where(Secret.kind == "oauth_pkce")).all() == []
