"""Uploads through the API: images checked by content, size-limited and re-encoded to a
≤ 1080p JPEG; MP4 files become ready videos; deleting respects posts still waiting."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from PIL import Image

from reelforge.clock import utc_now
from reelforge.config import Settings
from tests.publish.support import connect, png_bytes, post, tiny_mp4, upload_images
from tests.web.support import Api, assert_error


def _send(api: Api, headers: dict[str, str], *files: tuple[str, bytes]) -> object:
    return api.client.post(
        "/api/v1/uploads",
        files=[("files", (name, data, "application/octet-stream")) for name, data in files],
        headers=headers,
    )


def test_images_are_accepted_by_content_and_stored_as_jpeg_within_1080p(
    pub_api: Api, pub_settings: Settings
) -> None:
    account = pub_api.sign_up("photos@example.com")
    big_png = png_bytes(size=(3000, 2000))
    answer = _send(pub_api, account.headers, ("holiday.jpg", big_png))  # a PNG named .jpg
    assert answer.status_code == 201, answer.text  # type: ignore[attr-defined]
    (shown,) = answer.json()  # type: ignore[attr-defined]
    assert shown["source_format"] == "PNG" and shown["name"] == "holiday.jpg"
    assert (shown["width"], shown["height"]) == (1620, 1080)
    (stored,) = (pub_settings.home / "files").rglob("*.jpg")
    with Image.open(stored) as img:
        assert img.format == "JPEG" and img.size == (1620, 1080)


def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(pub_api: Api) -> None:
    account = pub_api.sign_up("notimage@example.com")
    answer = _send(pub_api, account.headers, ("cat.png", b"#!/bin/sh\necho not a picture\n"))
    message = assert_error(answer, 400)["message"]
    assert "not a JPEG, PNG or WebP" in message and "content" in message
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, "GIF")
    assert_error(_send(pub_api, account.headers, ("anim.webp", gif.getvalue())), 400)
    assert pub_api.client.get("/api/v1/uploads", headers=account.headers).json() == []


def test_an_image_over_the_size_limit_is_refused(pub_api: Api, pub_settings: Settings) -> None:
    from fastapi.testclient import TestClient

    from reelforge.web.app import create_app

    small = pub_settings.model_copy(update={"upload_max_image_mb": 0.01})
    with TestClient(create_app(small)) as client:
        api = Api(client, small)
        account = api.sign_up("huge@example.com")
        answer = _send(
            api, account.headers, ("big.png", png_bytes(size=(400, 400)) + b"\0" * 20_000)
        )
    assert "larger than" in assert_error(answer, 400)["message"]


def test_one_bad_image_stores_none_of_the_batch(pub_api: Api, pub_settings: Settings) -> None:
    account = pub_api.sign_up("batch@example.com")
    answer = _send(pub_api, account.headers, ("a.png", png_bytes()), ("b.png", b"nope"))
    assert "image 2" in assert_error(answer, 400)["message"]
    assert not list((pub_settings.home / "files").rglob("*.jpg"))


def test_an_image_a_scheduled_post_needs_cannot_be_deleted_until_it_is_cancelled(
    pub_api: Api,
) -> None:
    account = pub_api.sign_up("keep@example.com")
    connection = connect(pub_api, account)
    (image,) = upload_images(pub_api, account, 1)
    made = post(
        pub_api,
        account,
        connection_id=connection["id"],
        images=[image],
        title="Soon",
        publish_at=(utc_now() + timedelta(days=1)).isoformat(),
    )
    refused = pub_api.client.delete(f"/api/v1/uploads/{image}", headers=account.headers)
    assert "cancel that post first" in assert_error(refused, 400)["message"]
    pub_api.client.post(f"/api/v1/posts/{made['post']['id']}/cancel", headers=account.headers)
    gone = pub_api.client.delete(f"/api/v1/uploads/{image}", headers=account.headers)
    assert gone.status_code == 204
    assert pub_api.client.get("/api/v1/uploads", headers=account.headers).json() == []


def test_an_mp4_upload_becomes_a_ready_video(pub_api: Api, tmp_path: Path) -> None:
    account = pub_api.sign_up("mp4@example.com")
    clip = tiny_mp4(tmp_path / "my clip.mp4")
    with clip.open("rb") as fh:
        answer = pub_api.client.post(
            "/api/v1/uploads/videos",
            files={"file": ("../../etc/my clip.mp4", fh, "video/mp4")},
            headers=account.headers,
        )
    assert answer.status_code == 201, answer.text
    video = answer.json()
    assert video["status"] == "ready" and video["title"] == "my clip"
    download = pub_api.client.get(video["files"]["mp4"], headers=account.headers)
    assert download.content == clip.read_bytes()


def test_a_file_that_is_not_an_mp4_is_refused(pub_api: Api) -> None:
    account = pub_api.sign_up("notmp4@example.com")
    answer = pub_api.client.post(
        "/api/v1/uploads/videos",
        files={"file": ("movie.mp4", b"\x00" * 64, "video/mp4")},
        headers=account.headers,
    )
    assert "not an MP4" in assert_error(answer, 400)["message"]
    assert pub_api.client.get("/api/v1/videos", headers=account.headers).json() == []
