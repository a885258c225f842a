"""Blob stores: the local directory and S3 (against moto's real HTTP server)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from reelforge.config import Settings
from reelforge.errors import ConfigError, InputError, NotFound
from reelforge.store.blobs import BlobStore, LocalBlobStore, owner_prefix
from reelforge.store.open_blobs import open_blob_store
from reelforge.store.s3 import S3BlobStore
from tests.store.support import configured


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def _s3_settings(settings: Settings, endpoint: str, bucket: str) -> Settings:
    return configured(
        settings,
        storage_url=f"s3://{bucket}/reelforge",
        s3_endpoint_url=endpoint,
        s3_access_key_id="test",
        s3_secret_access_key="test",
    )


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, settings: Settings, tmp_path: Path) -> BlobStore:
    if request.param == "local":
        return open_blob_store(settings)
    endpoint = request.getfixturevalue("moto_endpoint")
    bucket = f"b-{tmp_path.name.lower().replace('_', '-')[-40:]}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    ).create_bucket(Bucket=bucket)
    return open_blob_store(_s3_settings(settings, endpoint, bucket))


def test_default_store_is_the_files_directory_in_home(settings: Settings) -> None:
    store = open_blob_store(settings)
    assert isinstance(store, LocalBlobStore)
    assert store.root == (settings.home / "files").resolve()


def test_s3_url_selects_the_s3_store(settings: Settings) -> None:
    store = open_blob_store(_s3_settings(settings, "http://127.0.0.1:9", "bucket"))
    assert isinstance(store, S3BlobStore)
    assert (store.bucket, store.prefix) == ("bucket", "reelforge/")


def test_unknown_storage_url_names_the_setting(settings: Settings) -> None:
    with pytest.raises(ConfigError) as info:
        open_blob_store(configured(settings, storage_url="ftp://x/y"))
    assert "REELFORGE_STORAGE_URL" in info.value.message


def test_put_read_ranges_list_and_delete(store: BlobStore, tmp_path: Path) -> None:
    data = bytes(range(256)) * 10
    store.put_bytes("users/u1/videos/v1/final.mp4", data, content_type="video/mp4")
    source = tmp_path / "captions.srt"
    source.write_text("1\n00:00:00,000 --> 00:00:01,000\nhi\n")
    store.put_file("users/u1/videos/v1/captions.srt", source)

    assert store.size("users/u1/videos/v1/final.mp4") == len(data)
    assert store.get_bytes("users/u1/videos/v1/final.mp4") == data
    assert (
        b"".join(store.iter_range("users/u1/videos/v1/final.mp4", start=10, end=19)) == data[10:20]
    )
    assert b"".join(store.iter_range("users/u1/videos/v1/final.mp4", start=2550)) == data[2550:]
    assert store.download("users/u1/videos/v1/captions.srt", tmp_path / "d.srt").read_text() == (
        source.read_text()
    )
    assert store.list("users/u1/") == [
        "users/u1/videos/v1/captions.srt",
        "users/u1/videos/v1/final.mp4",
    ]
    store.delete("users/u1/videos/v1/captions.srt")
    assert not store.exists("users/u1/videos/v1/captions.srt")
    store.delete("users/u1/videos/v1/captions.srt")  # deleting twice is fine


def test_missing_file_is_not_found(store: BlobStore) -> None:
    with pytest.raises(NotFound):
        store.size("users/nobody/nothing.mp4")
    assert store.exists("users/nobody/nothing.mp4") is False


def test_delete_prefix_removes_one_owner_only(store: BlobStore) -> None:
    for owner in ("alice", "bob"):
        for name in ("a.mp4", "sub/b.srt"):
            store.put_bytes(f"{owner_prefix(owner)}{name}", b"x")
    assert store.delete_prefix(owner_prefix("alice")) == 2
    assert store.list(owner_prefix("alice")) == []
    assert len(store.list(owner_prefix("bob"))) == 2


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs/path", "a//b", "a/./b", "a b", "", "a\\b"])
def test_keys_that_could_escape_the_store_are_refused(store: BlobStore, key: str) -> None:
    with pytest.raises(InputError):
        store.put_bytes(key, b"x")
