"""S3-compatible blob store (AWS S3, Cloudflare R2, MinIO, …) over boto3.

Kept apart from ``blobs.py`` (and opened by ``open_blobs.py``) so boto3 is imported only when an ``s3://``
storage URL is configured. Errors from the store become :class:`NotFound` (a
missing key) or :class:`ProviderError` (anything else; 5xx and throttling are
retryable), so callers never see botocore exceptions.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from reelforge.config import Settings
from reelforge.errors import NotFound, ProviderError
from reelforge.store.blobs import CHUNK, BlobStore, check_key

_MISSING = {"404", "NoSuchKey", "NotFound"}
_RETRYABLE = {"500", "502", "503", "504", "SlowDown", "Throttling", "RequestTimeout"}


def _error(exc: Exception, key: str) -> Exception:
    if isinstance(exc, ClientError):
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code in _MISSING:
            return NotFound(f"No file {key!r}.", details={"key": key})
        return ProviderError(
            f"The S3 store refused {key!r}: {code} {exc}. Check the bucket, credentials and "
            "REELFORGE_S3_ENDPOINT_URL.",
            provider="s3",
            retryable=code in _RETRYABLE,
        )
    return ProviderError(
        f"Could not reach the S3 store: {exc}. Check REELFORGE_S3_ENDPOINT_URL and the network.",
        provider="s3",
        retryable=True,
    )


class S3BlobStore(BlobStore):
    def __init__(self, client: Any, *, bucket: str, prefix: str = "") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""

    @classmethod
    def from_settings(cls, settings: Settings, *, bucket: str, prefix: str = "") -> S3BlobStore:
        kwargs: dict[str, Any] = {
            "region_name": settings.s3_region,
            "config": Config(
                signature_version="s3v4",
                s3={"addressing_style": "path" if settings.s3_endpoint_url else "auto"},
                retries={"max_attempts": settings.http_max_retries + 1, "mode": "standard"},
            ),
        }
        if settings.s3_endpoint_url:
            kwargs["endpoint_url"] = settings.s3_endpoint_url
        if settings.s3_access_key_id and settings.s3_secret_access_key:
            kwargs["aws_access_key_id"] = settings.s3_access_key_id.get_secret_value()
            kwargs["aws_secret_access_key"] = settings.s3_secret_access_key.get_secret_value()
        return cls(boto3.client("s3", **kwargs), bucket=bucket, prefix=prefix)

    def _k(self, key: str) -> str:
        return self.prefix + check_key(key)

    def put_bytes(self, key: str, data: bytes, *, content_type: str | None = None) -> None:
        extra = {"ContentType": content_type} if content_type else {}
        try:
            self.client.put_object(Bucket=self.bucket, Key=self._k(key), Body=data, **extra)
        except (ClientError, BotoCoreError) as exc:
            raise _error(exc, key) from exc

    def put_file(self, key: str, path: Path, *, content_type: str | None = None) -> None:
        extra = {"ContentType": content_type} if content_type else {}
        try:
            self.client.upload_file(str(path), self.bucket, self._k(key), ExtraArgs=extra or None)
        except (ClientError, BotoCoreError) as exc:
            raise _error(exc, key) from exc

    def size(self, key: str) -> int:
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self._k(key))
        except (ClientError, BotoCoreError) as exc:
            raise _error(exc, key) from exc
        return int(head["ContentLength"])

    def iter_range(self, key: str, *, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        if start == 0 and end is None:
            extra: dict[str, str] = {}
        else:
            extra = {"Range": f"bytes={start}-{'' if end is None else end}"}
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self._k(key), **extra)["Body"]
        except (ClientError, BotoCoreError) as exc:
            raise _error(exc, key) from exc
        try:
            yield from body.iter_chunks(CHUNK)
        finally:
            body.close()

    def list(self, prefix: str = "") -> list[str]:
        full = self.prefix + (check_key(prefix, prefix=True) if prefix else "")
        keys: list[str] = []
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=full
            )
            for page in pages:
                keys.extend(item["Key"][len(self.prefix) :] for item in page.get("Contents", []))
        except (ClientError, BotoCoreError) as exc:
            raise _error(exc, prefix) from exc
        return sorted(keys)

    def delete(self, key: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self._k(key))
        except (ClientError, BotoCoreError) as exc:
            raise _error(exc, key) from exc

    def delete_prefix(self, prefix: str) -> int:
        keys = self.list(prefix)
        for start in range(0, len(keys), 1000):  # DeleteObjects takes at most 1000 keys
            batch = [{"Key": self.prefix + k} for k in keys[start : start + 1000]]
            try:
                self.client.delete_objects(
                    Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True}
                )
            except (ClientError, BotoCoreError) as exc:
                raise _error(exc, prefix) from exc
        return len(keys)
