"""Posting through the API against the fake TikTok and YouTube: a rendered or uploaded video,
a 3-image carousel, drafts, the outbox; the history (P18); only the owner's posts (P13)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from reelforge.clock import utc_now
from reelforge.config import Settings
from reelforge.jobs import records
from reelforge.jobs.tables import Job
from reelforge.providers.platforms.outbox import outbox_dir
from reelforge.runtime import runtime_for
from tests.fakes.server import FakeServer
from tests.fakes.tiktok import FakeTikTok
from tests.fakes.youtube_upload import FakeYouTube
from tests.publish.support import (
    MEDIA_PREFIX,
    connect,
    get_post,
    media_path,
    post,
    run,
    tiny_mp4,
    upload_images,
    upload_video,
)
from tests.web.support import Account, Api, assert_error

TINY = {"size": "180x320", "fps": 24, "x264_preset": "ultrafast", "voice": "none"}


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_mp4(tmp_path_factory.mktemp("clip") / "short.mp4")


def _statuses(shown: dict[str, object]) -> list[str]:
    return [e["status"] for e in shown["history"]]  # type: ignore[attr-defined,index]


def _carousel(api: Api, account: Account, settings: Settings, connection_id: str) -> dict:  # type: ignore[type-arg]
    images = upload_images(api, account, 3)
    made = post(api, account, connection_id=connection_id, images=images, title="Three slides")
    assert run(settings, made["job"]["id"]) == "succeeded"
    return get_post(api, account, made["post"]["id"])


@pytest.mark.slow
def test_a_user_posts_a_rendered_video_and_a_carousel_and_sees_them_complete(
    pub_api: Api, pub_settings: Settings, tiktok: FakeTikTok
) -> None:
    account = pub_api.sign_up("journey@example.com")
    connection = connect(pub_api, account)
    made = pub_api.client.post(
        "/api/v1/videos",
        json={"topic": "why bread goes stale", "options": TINY},
        headers=account.headers,
    )
    assert run(pub_settings, made.json()["job"]["id"]) == "succeeded"
    video_id = made.json()["video"]["id"]

    sent = post(
        pub_api,
        account,
        connection_id=connection["id"],
        video_id=video_id,
        title="Why bread goes stale",
        description="#science",
        privacy_level="PUBLIC_TO_EVERYONE",
        is_aigc=True,
    )
    assert run(pub_settings, sent["job"]["id"]) == "succeeded"
    carousel = _carousel(pub_api, account, pub_settings, connection["id"])

    history = pub_api.client.get("/api/v1/posts", headers=account.headers).json()
    assert [p["platform_status"] for p in history] == ["PUBLISH_COMPLETE", "PUBLISH_COMPLETE"]
    video_post = get_post(pub_api, account, sent["post"]["id"])
    assert video_post["status"] == "published" and video_post["is_aigc"] is True
    assert video_post["url"].startswith("https://www.tiktok.com/@testcreator/video/")
    assert carousel["status"] == "published"
    assert [path for path, _ in tiktok.inits] == [
        "/v2/post/publish/video/init/",
        "/v2/post/publish/content/init/",
    ]


def test_an_uploaded_mp4_goes_to_tiktok_in_one_piece_and_the_history_shows_each_status(
    pub_api: Api, pub_settings: Settings, tiktok: FakeTikTok, clip: Path
) -> None:
    account = pub_api.sign_up("upload@example.com")
    connection = connect(pub_api, account)
    video_id = upload_video(pub_api, account, clip)
    made = post(
        pub_api,
        account,
        connection_id=connection["id"],
        video_id=video_id,
        title="Test pattern",
        description="#tests",
        privacy_level="PUBLIC_TO_EVERYONE",
    )
    assert made["post"]["status"] == "queued" and made["job"]["kind"] == "publish"

    assert run(pub_settings, made["job"]["id"]) == "succeeded"

    shown = get_post(pub_api, account, made["post"]["id"])
    assert shown["status"] == "published" and shown["platform_status"] == "PUBLISH_COMPLETE"
    assert _statuses(shown) == [
        "queued",
        "publishing",
        "PROCESSING_UPLOAD",
        "PUBLISH_COMPLETE",
        "published",
    ]
    assert shown["platform_post_ids"] and shown["url"].endswith(shown["platform_post_ids"][0])
    (publish,) = tiktok.publishes.values()
    assert bytes(publish.received) == clip.read_bytes()
    assert tiktok.inits[0][1]["post_info"]["title"] == "Test pattern\n\n#tests"
    usage = pub_api.client.get("/api/v1/usage", headers=account.headers).json()
    assert '"posts"' in json.dumps(usage)  # counted for the plan (P26)


def test_a_three_image_carousel_is_pulled_from_the_public_media_prefix(
    pub_api: Api, pub_settings: Settings, tiktok: FakeTikTok
) -> None:
    account = pub_api.sign_up("slides@example.com")
    connection = connect(pub_api, account)

    shown = _carousel(pub_api, account, pub_settings, connection["id"])

    assert shown["status"] == "published" and shown["image_count"] == 3
    assert "PUBLISH_COMPLETE" in _statuses(shown)
    urls = tiktok.inits[0][1]["source_info"]["photo_images"]
    assert len(urls) == 3 and all(u.startswith(MEDIA_PREFIX) for u in urls)
    for url in urls:  # what TikTok fetched is there, as a JPEG, without signing in
        image = pub_api.client.get(media_path(url))
        assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"
        assert image.content.startswith(b"\xff\xd8")
        assert image.headers["cache-control"] == "no-store"


def test_a_draft_lands_in_the_tiktok_inbox(
    pub_api: Api, pub_settings: Settings, tiktok: FakeTikTok, clip: Path
) -> None:
    account = pub_api.sign_up("draft@example.com")
    connection = connect(pub_api, account)
    made = post(
        pub_api,
        account,
        connection_id=connection["id"],
        video_id=upload_video(pub_api, account, clip),
        title="For later",
        mode="draft",
    )
    assert run(pub_settings, made["job"]["id"]) == "succeeded"
    shown = get_post(pub_api, account, made["post"]["id"])
    assert shown["status"] == "sent_to_inbox" and shown["platform_status"] == "SEND_TO_USER_INBOX"
    assert tiktok.inits[0][0] == "/v2/post/publish/inbox/video/init/"


def test_a_video_goes_to_youtube_as_a_short(
    pub_api: Api, pub_settings: Settings, youtube: FakeYouTube, clip: Path
) -> None:
    account = pub_api.sign_up("tube@example.com")
    connection = connect(pub_api, account, "youtube")
    made = post(
        pub_api,
        account,
        connection_id=connection["id"],
        video_id=upload_video(pub_api, account, clip),
        title="Test pattern",
        privacy_level="unlisted",
    )
    assert run(pub_settings, made["job"]["id"]) == "succeeded"
    shown = get_post(pub_api, account, made["post"]["id"])
    assert shown["status"] == "published"
    (video_id,) = youtube.videos
    assert shown["url"] == f"https://www.youtube.com/shorts/{video_id}"
    assert youtube.videos[video_id].resource["snippet"]["title"] == "Test pattern #Shorts"
    assert bytes(youtube.videos[video_id].data) == clip.read_bytes()


def test_the_outbox_writes_the_post_to_a_folder(
    pub_api: Api, pub_settings: Settings, clip: Path
) -> None:
    account = pub_api.sign_up("offline@example.com")
    outbox = pub_api.client.post("/api/v1/connections/outbox", headers=account.headers).json()
    made = post(
        pub_api,
        account,
        connection_id=outbox["id"],
        video_id=upload_video(pub_api, account, clip),
        title="Offline",
    )
    assert run(pub_settings, made["job"]["id"]) == "succeeded"
    shown = get_post(pub_api, account, made["post"]["id"])
    folder = outbox_dir(pub_settings) / account.user_id / made["post"]["id"]
    assert shown["status"] == "published" and shown["url"] == folder.resolve().as_uri()
    meta = json.loads((folder / "metadata.json").read_text())
    assert meta["title"] == "Offline" and (folder / "video.mp4").read_bytes() == clip.read_bytes()


def test_P18_post_metadata_is_kept_and_shown_after_the_video_and_account_are_gone(
    pub_api: Api, pub_settings: Settings, clip: Path
) -> None:
    account = pub_api.sign_up("history@example.com")
    connection = connect(pub_api, account)
    video_id = upload_video(pub_api, account, clip)
    made = post(
        pub_api,
        account,
        connection_id=connection["id"],
        video_id=video_id,
        title="Kept",
        description="what it said",
        privacy_level="PUBLIC_TO_EVERYONE",
    )
    run(pub_settings, made["job"]["id"])
    pub_api.client.delete(f"/api/v1/videos/{video_id}", headers=account.headers)
    pub_api.client.delete(f"/api/v1/connections/{connection['id']}", headers=account.headers)

    (listed,) = pub_api.client.get("/api/v1/posts", headers=account.headers).json()
    shown = get_post(pub_api, account, made["post"]["id"])
    for view in (listed, shown):
        assert (view["title"], view["description"]) == ("Kept", "what it said")
        assert view["platform"] == "tiktok" and view["account_name"] == "Test Creator"
        assert view["status"] == "published" and view["platform_post_ids"]
        assert view["created_at"] and view["finished_at"] and view["url"]
    assert "PUBLISH_COMPLETE" in _statuses(shown)


def test_P13_nothing_is_posted_until_the_owner_asks(
    pub_api: Api, pub_settings: Settings, tiktok: FakeTikTok, clip: Path
) -> None:
    account = pub_api.sign_up("waiting@example.com")
    connect(pub_api, account)
    upload_video(pub_api, account, clip)
    upload_images(pub_api, account, 2)
    with runtime_for(pub_settings).database.session() as db:
        assert db.scalars(select(Job).where(Job.kind == "publish")).all() == []
    assert tiktok.inits == [] and tiktok.publishes == {}


def test_P13_a_job_never_posts_another_users_post(
    pub_api: Api, pub_settings: Settings, tiktok: FakeTikTok
) -> None:
    owner = pub_api.sign_up("owner@example.com")
    intruder = pub_api.sign_up("intruder@example.com")
    connection = connect(pub_api, owner)
    images = upload_images(pub_api, owner, 1)
    scheduled = post(
        pub_api,
        owner,
        connection_id=connection["id"],
        images=images,
        title="mine",
        publish_at=(utc_now() + timedelta(days=30)).isoformat(),
    )
    with runtime_for(pub_settings).database.session() as db:  # a job forged for the intruder
        forged = records.create_job(
            db,
            owner_id=intruder.user_id,
            kind="publish",
            payload={"post_id": scheduled["post"]["id"]},
        ).id

    assert run(pub_settings, forged) == "failed"
    assert tiktok.inits == []
    assert get_post(pub_api, owner, scheduled["post"]["id"])["status"] == "scheduled"


def test_P13_one_users_connection_cannot_be_used_by_another(
    pub_api: Api, tiktok: FakeTikTok
) -> None:
    owner = pub_api.sign_up("tt-owner@example.com")
    other = pub_api.sign_up("tt-other@example.com")
    connection = connect(pub_api, owner)
    images = upload_images(pub_api, other, 1)
    answer = pub_api.client.post(
        "/api/v1/posts",
        json={"connection_id": connection["id"], "images": images, "title": "not yours"},
        headers=other.headers,
    )
    assert_error(answer, 404)
    suggestion = pub_api.client.get(
        "/api/v1/schedule/suggest",
        params={"connection_id": connection["id"]},
        headers=other.headers,
    )
    assert_error(suggestion, 404)
    assert tiktok.inits == []


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"images": [], "video_id": None}, "either video_id or images"),
        ({"video_id": "nope"}, "No such video"),
        ({"images": ["nope"]}, "not among your uploads"),
        ({"images": "IMAGES", "title": "x" * 91}, "at most 90"),
        ({"images": "IMAGES", "privacy_level": "EVERYONE"}, "privacy_level must be one of"),
        ({"images": "IMAGES", "publish_at": "2030-01-01T00:00:00"}, "publish_at"),
    ],
)
def test_a_post_tiktok_would_refuse_is_refused_before_anything_is_queued(
    pub_api: Api, body: dict[str, object], says: str
) -> None:
    account = pub_api.sign_up("picky@example.com")
    connection = connect(pub_api, account)
    if body.get("images") == "IMAGES":
        body = {**body, "images": upload_images(pub_api, account, 1)}
    answer = pub_api.client.post(
        "/api/v1/posts", json={"connection_id": connection["id"], **body}, headers=account.headers
    )
    assert answer.status_code in (400, 404, 422), answer.text
    assert says in answer.json()["error"]["message"]
    assert pub_api.client.get("/api/v1/posts", headers=account.headers).json() == []


def test_youtube_takes_no_images_and_no_drafts(pub_api: Api, clip: Path) -> None:
    account = pub_api.sign_up("yt-rules@example.com")
    connection = connect(pub_api, account, "youtube")
    images = upload_images(pub_api, account, 1)
    no_images = pub_api.client.post(
        "/api/v1/posts",
        json={"connection_id": connection["id"], "images": images, "title": "t"},
        headers=account.headers,
    )
    assert "videos only" in assert_error(no_images, 400)["message"]
    no_draft = pub_api.client.post(
        "/api/v1/posts",
        json={
            "connection_id": connection["id"],
            "video_id": upload_video(pub_api, account, clip),
            "title": "t",
            "mode": "draft",
        },
        headers=account.headers,
    )
    assert "no drafts" in assert_error(no_draft, 400)["message"]


def test_a_carousel_needs_an_https_media_prefix(
    pub_api: Api, pub_settings: Settings, tiktok_server: FakeServer
) -> None:
    from fastapi.testclient import TestClient

    from reelforge.web.app import create_app

    plain = pub_settings.model_copy(update={"publish_media_url": None})  # http://127.0.0.1
    with TestClient(create_app(plain)) as client:
        api = Api(client, plain)
        account = api.sign_up("http@example.com")
        connection = connect(api, account)
        images = upload_images(api, account, 1)
        answer = client.post(
            "/api/v1/posts",
            json={"connection_id": connection["id"], "images": images, "title": "t"},
            headers=account.headers,
        )
    assert "REELFORGE_PUBLISH_MEDIA_URL" in assert_error(answer, 400)["message"]
