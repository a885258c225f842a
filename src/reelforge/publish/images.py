"""Checks and re-encoding for carousel image uploads.

Why by content: a file's name says nothing about what it holds, and Pillow
will happily decode formats TikTok refuses. An upload is accepted only when its
magic bytes say JPEG, PNG or WebP *and* Pillow decodes it as that same format.
Every accepted image is re-encoded as a baseline JPEG that fits 1080p (1080 ×
1920 either way round): TikTok pulls only JPEG/WebP ≤ 1080p, and re-encoding
drops EXIF (camera GPS positions never leave the machine).
"""

from __future__ import annotations

import hashlib
import io
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError

from reelforge.errors import InputError

ACCEPTED = ("JPEG", "PNG", "WEBP")
MAX_PIXELS = 60_000_000  # refuse decompression bombs long before memory runs out


def max_image_bytes(settings: Any) -> int:
    """The upload size limit from ``REELFORGE_UPLOAD_MAX_IMAGE_MB``."""
    return int(float(settings.upload_max_image_mb) * 1_000_000)


def sniff(head: bytes) -> str | None:
    """The image format named by the file's first bytes, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


@dataclass(frozen=True)
class CheckedImage:
    format: str  # JPEG, PNG or WEBP, as found in the content
    width: int
    height: int
    size_bytes: int


@dataclass(frozen=True)
class PreparedImage:
    path: Path
    width: int
    height: int
    size_bytes: int
    sha256: str
    source_format: str


def check_image(data: bytes, *, name: str = "the image", max_bytes: int) -> CheckedImage:
    """Accept JPEG/PNG/WebP by content within the size limits, or raise a clear InputError."""
    if not data:
        raise InputError(f"{name} is empty.")
    if len(data) > max_bytes:
        raise InputError(
            f"{name} is {len(data) / 1e6:.1f} MB; images may be at most {max_bytes / 1e6:.0f} MB."
        )
    kind = sniff(data[:16])
    if kind is None:
        raise InputError(
            f"{name} is not a JPEG, PNG or WebP image (checked by its content, not its name). "
            "Export it in one of those formats."
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                found, (width, height) = img.format, img.size
                if width * height > MAX_PIXELS:
                    raise InputError(f"{name} is {width}×{height} pixels; that is too large.")
                img.verify()
    except InputError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InputError(f"{name} looks like {kind} but cannot be decoded: {exc}.") from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise InputError(f"{name} has too many pixels to process safely.") from exc
    if found != kind:
        raise InputError(f"{name} starts like {kind} but decodes as {found}; re-export it.")
    return CheckedImage(kind, width, height, len(data))


def _fit(width: int, height: int, *, long_side: int, short_side: int) -> tuple[int, int]:
    box = (long_side, short_side) if width >= height else (short_side, long_side)
    scale = min(1.0, box[0] / width, box[1] / height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def prepare_image(
    data: bytes,
    dest: Path,
    *,
    name: str = "the image",
    max_bytes: int,
    long_side: int = 1920,
    short_side: int = 1080,
    quality: int = 90,
) -> PreparedImage:
    """Check ``data`` and write it to ``dest`` as a ≤ 1080p JPEG (atomically)."""
    checked = check_image(data, name=name, max_bytes=max_bytes)
    with Image.open(io.BytesIO(data)) as opened:
        img = ImageOps.exif_transpose(opened)
        if img.mode in ("RGBA", "LA") or (img.mode == "P" and "transparency" in img.info):
            rgba = img.convert("RGBA")
            background = Image.new("RGB", rgba.size, (255, 255, 255))
            background.paste(rgba, mask=rgba.getchannel("A"))
            img = background
        img = img.convert("RGB")
        size = _fit(img.width, img.height, long_side=long_side, short_side=short_side)
        if size != img.size:
            img = img.resize(size, Image.Resampling.LANCZOS)
        out = io.BytesIO()
        img.save(out, "JPEG", quality=quality, optimize=True)
    encoded = out.getvalue()
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.tmp")
    tmp.write_bytes(encoded)
    os.replace(tmp, dest)
    return PreparedImage(
        path=dest,
        width=size[0],
        height=size[1],
        size_bytes=len(encoded),
        sha256=hashlib.sha256(encoded).hexdigest(),
        source_format=checked.format,
    )
