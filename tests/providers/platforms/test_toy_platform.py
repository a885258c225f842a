"""The worked example: a platform added from outside — one module (tests/fakes/toy_platform.py)
and one registration line — is connected, posted to (an uploaded MP4, a carousel, a rendered
video) and shown in the history through the real REST API and the real publish job, with no
other file changed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from reelforge.config import Settings
from reelforge.providers import registry
from reelforge.web.app import create_app
from tests.publish.support import (
    get_post,
    post,
    run,
    tiny_mp4,
    upload_images,
    upload_video,
)
from tests.web.support import Account, Api, assert_error


@pytest.fixture
def toy_registered(monkeypatch: pytest.MonkeyPatch) -> None:
    """Register Toy Reels for this test only (the registry's table is restored after)."""
    monkeypatch.setitem(registry.BUILTINS, "platform", dict(registry.BUILTINS["platform"]))
    registry.register("platform", "toyreels", "tests.fakes.toy_platform:ToyReels")


@pytest.fixture
def api(settings: Settings, toy_registered: None) -> Iterator[Api]:
    with TestClient(create_app(settings)) as client:
        yield Api(client, settings)


def _connect(api: Api, account: Account) -> dict[str, object]:
    described = api.client.get("/api/v1/connections/toyreels", headers=account.headers)
    assert described.status_code == 200, described.text
    assert described.json() == {
        "name": "toyreels",
        "display_name": "Toy Reels",
        "needs_oauth": False,
    }
    made = api.client.post("/api/v1/connections/toyreels", headers=account.headers)
    again = api.client.post("/api/v1/connections/toyreels", headers=account.headers)
    assert made.status_code == 201 and again.json()["id"] == made.json()["id"]
    listed = api.client.get("/api/v1/connections", headers=account.headers).json()
    assert [(c["platform"], c["display_name"]) for c in listed] == [("toyreels", "My toy shelf")]
    return dict(made.json())


def test_a_registered_toy_platform_is_connected_posted_to_and_shown_in_the_history(
    api: Api, settings: Settings, tmp_path: Path
) -> None:
    account = api.sign_up("toymaker@example.com")
    connection = _connect(api, account)

    clip = tiny_mp4(tmp_path / "clip.mp4")
    video = post(
        api,
        account,
        connection_id=connection["id"],
        video_id=upload_video(api, account, clip),
        title="An uploaded clip",
    )
    assert run(settings, video["job"]["id"]) == "succeeded"
    slides = post(
        api,
        account,
        connection_id=connection["id"],
        images=upload_images(api, account, 2),
        title="Two slides",
    )
    assert run(settings, slides["job"]["id"]) == "succeeded"

    shown = get_post(api, account, video["post"]["id"])
    assert shown["platform"] == "toyreels" and shown["status"] == "published"
    assert shown["platform_status"] == "SHELVED"
    assert shown["url"] == f"https://toyreels.example/shelf/{shown['id']}"
    assert [e["status"] for e in shown["history"]] == [
        "queued",
        "publishing",
        "SHELVED",
        "published",
    ]
    history = api.client.get("/api/v1/posts", headers=account.headers).json()
    assert [(p["title"], p["status"]) for p in history] == [
        ("Two slides", "published"),
        ("An uploaded clip", "published"),
    ]
    shelf = settings.home / "toyreels" / account.user_id
    assert (shelf / shown["id"] / "01.mp4").read_bytes() == clip.read_bytes()
    assert sorted(p.name for p in (shelf / slides["post"]["id"]).iterdir()) == [
        "01.jpg",
        "02.jpg",
        "title.txt",
    ]


def test_the_toy_platforms_own_rules_are_checked_before_anything_is_queued(
    api: Api, tmp_path: Path
) -> None:
    account = api.sign_up("toolong@example.com")
    connection = _connect(api, account)
    refused = api.client.post(
        "/api/v1/posts",
        json={
            "connection_id": connection["id"],
            "video_id": upload_video(api, account, tiny_mp4(tmp_path / "c.mp4")),
            "title": "A title far longer than Toy Reels would ever take",
        },
        headers=account.headers,
    )
    assert "at most 40 characters" in assert_error(refused, 400)["message"]
    assert api.client.get("/api/v1/posts", headers=account.headers).json() == []
    oauth = api.client.get("/api/v1/connections/toyreels/authorize", headers=account.headers)
    assert "POST /api/v1/connections/toyreels" in assert_error(oauth, 404)["message"]


def test_unregistered_platforms_are_refused_with_the_registered_ones_listed(api: Api) -> None:
    account = api.sign_up("nowhere@example.com")
    answer = api.client.post("/api/v1/connections/myspace", headers=account.headers)
    message = assert_error(answer, 404)["message"]
    assert "'myspace'" in message
    assert all(name in message for name in ("outbox", "tiktok", "toyreels", "youtube"))


@pytest.mark.slow
def test_a_rendered_video_goes_to_the_toy_platform(api: Api, settings: Settings) -> None:
    account = api.sign_up("renders@example.com")
    connection = _connect(api, account)
    made = api.client.post(
        "/api/v1/videos",
        json={
            "topic": "why toys break",
            "options": {"size": "180x320", "fps": 24, "x264_preset": "ultrafast", "voice": "none"},
        },
        headers=account.headers,
    )
    assert run(settings, made.json()["job"]["id"]) == "succeeded"
    sent = post(
        api,
        account,
        connection_id=connection["id"],
        video_id=made.json()["video"]["id"],
        title="Why toys break",
    )
    assert run(settings, sent["job"]["id"]) == "succeeded"
    shown = get_post(api, account, sent["post"]["id"])
    assert (shown["status"], shown["platform_status"]) == ("published", "SHELVED")
    assert (settings.home / "toyreels" / account.user_id / shown["id"] / "01.mp4").is_file()
