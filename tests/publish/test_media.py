"""The public media route TikTok pulls carousel images from: no sign-in, an unguessable
per-post path, and only while the post needs it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from reelforge.clock import utc_now
from reelforge.config import Settings
from reelforge.publish.tables import Post
from reelforge.runtime import runtime_for
from tests.fakes.tiktok import FakeTikTok
from tests.publish.support import connect, media_path, post, run, upload_images
from tests.web.support import Api


def _published_carousel(api: Api, settings: Settings, tiktok: FakeTikTok) -> tuple[str, list[str]]:
    account = api.sign_up("media@example.com")
    connection = connect(api, account)
    made = post(
        api,
        account,
        connection_id=connection["id"],
        images=upload_images(api, account, 2),
        title="Pulled",
    )
    assert run(settings, made["job"]["id"]) == "succeeded"
    urls = tiktok.inits[0][1]["source_info"]["photo_images"]
    return made["post"]["id"], [media_path(u) for u in urls]


def test_images_are_served_without_sign_in_while_recent_then_gone(
    pub_api: Api, pub_settings: Settings, tiktok: FakeTikTok
) -> None:
    post_id, paths = _published_carousel(pub_api, pub_settings, tiktok)
    first = pub_api.client.get(paths[0])
    assert first.status_code == 200 and first.headers["x-robots-tag"] == "noindex"
    assert first.content != pub_api.client.get(paths[1]).content  # each slide is its own image

    hours = pub_settings.publish_media_serve_hours
    with runtime_for(pub_settings).database.session() as db:
        db.execute(
            update(Post)
            .where(Post.id == post_id)
            .values(finished_at=utc_now() - timedelta(hours=hours, minutes=1))
        )
    assert pub_api.client.get(paths[0]).status_code == 404


def test_wrong_tokens_and_names_find_nothing(
    pub_api: Api, pub_settings: Settings, tiktok: FakeTikTok
) -> None:
    _, paths = _published_carousel(pub_api, pub_settings, tiktok)
    token = paths[0].split("/")[-2]
    for path in (
        f"/api/v1/media/{'A' * len(token)}/1.jpg",
        f"/api/v1/media/{token}/3.jpg",
        f"/api/v1/media/{token}/1.png",
        f"/api/v1/media/{token}/../1.jpg",
        f"/api/v1/media/{token[:-1]}/1.jpg",
    ):
        assert pub_api.client.get(path).status_code in (404, 422), path


def test_a_scheduled_posts_images_are_not_public_before_it_goes_out(
    pub_api: Api, pub_settings: Settings
) -> None:
    account = pub_api.sign_up("notyet@example.com")
    connection = connect(pub_api, account)
    made = post(
        pub_api,
        account,
        connection_id=connection["id"],
        images=upload_images(pub_api, account, 1),
        title="Tomorrow",
        publish_at=(utc_now() + timedelta(days=1)).isoformat(),
    )
    with runtime_for(pub_settings).database.session() as db:
        row = db.get(Post, made["post"]["id"])
        assert row is not None
        token = row.media_token
    assert pub_api.client.get(f"/api/v1/media/{token}/1.jpg").status_code == 404
