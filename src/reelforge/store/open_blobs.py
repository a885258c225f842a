"""Which blob store the settings name: a local directory (default) or an S3-compatible bucket.

Apart from ``blobs.py`` (the contract and the local store) so that the S3 store can build
on that contract, and boto3 is imported only when an ``s3://`` URL is configured."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from reelforge.config import Settings
from reelforge.errors import ConfigError
from reelforge.store.blobs import BlobStore, LocalBlobStore


def open_blob_store(settings: Settings) -> BlobStore:
    """The store ``REELFORGE_STORAGE_URL`` names (default: ``$REELFORGE_HOME/files``)."""
    url = settings.storage_url
    if not url:
        return LocalBlobStore(settings.home / "files")
    parts = urlsplit(url)
    if parts.scheme == "file":
        return LocalBlobStore(Path(parts.path))
    if parts.scheme == "s3" and parts.netloc:
        from reelforge.store.s3 import S3BlobStore

        return S3BlobStore.from_settings(settings, bucket=parts.netloc, prefix=parts.path)
    raise ConfigError(
        f"REELFORGE_STORAGE_URL={url!r} is not understood: use file:///absolute/dir or "
        "s3://bucket/prefix (with REELFORGE_S3_ENDPOINT_URL for R2/MinIO).",
        details={"setting": "REELFORGE_STORAGE_URL"},
    )
