"""The outbox platform: files + metadata written atomically, once per post id."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from reelforge.config import Settings
from reelforge.errors import InputError
from reelforge.providers import registry
from reelforge.providers.platforms.memory_ledger import InMemoryLedger
from reelforge.providers.platforms.outbox import outbox_dir, user_outbox, write_outbox
from reelforge.providers.types.publishing import PostRequest


@pytest.fixture
def video(tmp_path: Path) -> Path:
    path = tmp_path / "final.mp4"
    path.write_bytes(b"\0\1\2" * 1000)
    return path


def request_for(video: Path, **update: object) -> PostRequest:
    return PostRequest(
        title="Ocean facts", description="#ocean", video_path=video, is_aigc=True
    ).model_copy(update=update)


def _no_token(force: bool) -> str:
    raise AssertionError("the outbox needs no token")


def test_default_outbox_is_under_home(settings: Settings) -> None:
    assert outbox_dir(settings) == settings.home / "outbox"


def test_video_and_metadata_land_in_the_post_folder(settings: Settings, video: Path) -> None:
    root = outbox_dir(settings)
    result = write_outbox(root=root, post_id="post-42", request=request_for(video))
    assert result.created and result.folder == root / "post-42"
    assert (result.folder / "video.mp4").read_bytes() == video.read_bytes()
    meta = json.loads(result.metadata_path.read_text())
    assert meta["title"] == "Ocean facts" and meta["is_aigc"] is True
    assert meta["files"] == [
        {
            "name": "video.mp4",
            "bytes": 3000,
            "sha256": hashlib.sha256(video.read_bytes()).hexdigest(),
        }
    ]
    assert [p.name for p in root.iterdir()] == ["post-42"]  # no temporary folder left

    published = registry.create("platform", "outbox", settings).publish(
        ledger=InMemoryLedger(),
        post_key="post-42",
        owner_id="user-1",
        request=request_for(video),
        access_token=_no_token,
    )
    folder = user_outbox(settings, "user-1") / "post-42"
    assert published.url == folder.resolve().as_uri()


def test_same_post_id_again_returns_the_first_write_untouched(
    settings: Settings, video: Path
) -> None:
    root = outbox_dir(settings)
    first = write_outbox(root=root, post_id="p1", request=request_for(video))
    before = first.metadata_path.read_text()
    again = write_outbox(root=root, post_id="p1", request=request_for(video, title="Changed"))
    assert not again.created
    assert again.files == first.files
    assert first.metadata_path.read_text() == before


def test_carousel_images_are_numbered_in_order(settings: Settings, tmp_path: Path) -> None:
    images = []
    for i in range(3):
        path = tmp_path / f"img{i}.jpg"
        path.write_bytes(bytes([i]) * 10)
        images.append(path)
    request = PostRequest(title="Three", image_urls=("https://x/1",))
    result = write_outbox(root=outbox_dir(settings), post_id="c1", request=request, media=images)
    assert [p.name for p in result.files] == ["01.jpg", "02.jpg", "03.jpg"]
    assert [p.read_bytes() for p in result.files] == [p.read_bytes() for p in images]
    assert json.loads(result.metadata_path.read_text())["kind"] == "photos"


def test_a_failed_write_leaves_nothing_behind(settings: Settings, tmp_path: Path) -> None:
    ok = tmp_path / "a.jpg"
    ok.write_bytes(b"x")
    request = PostRequest(title="t", image_urls=("https://x/1",))
    root = outbox_dir(settings)
    with pytest.raises(InputError, match="Cannot find"):
        write_outbox(root=root, post_id="c2", request=request, media=[ok, tmp_path / "gone.jpg"])
    assert not (root / "c2").exists()
    assert not root.exists() or list(root.iterdir()) == []


@pytest.mark.parametrize("post_id", ["../escape", "", ".hidden", "a/b"])
def test_unsafe_post_ids_are_refused(settings: Settings, video: Path, post_id: str) -> None:
    with pytest.raises(InputError):
        write_outbox(root=outbox_dir(settings), post_id=post_id, request=request_for(video))
