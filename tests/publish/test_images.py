"""Carousel image checks: format by content, size limits, ≤ 1080p JPEG re-encode."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from reelforge.errors import InputError
from reelforge.publish.images import check_image, prepare_image

LIMIT = 20_000_000


def encode(img: Image.Image, fmt: str, **kw: object) -> bytes:
    out = io.BytesIO()
    img.save(out, fmt, **kw)
    return out.getvalue()


def test_png_named_jpg_is_accepted_as_png_and_becomes_a_jpeg(tmp_path: Path) -> None:
    named_jpg = tmp_path / "photo.jpg"
    named_jpg.write_bytes(encode(Image.new("RGB", (300, 200), "red"), "PNG"))
    data = named_jpg.read_bytes()
    assert check_image(data, name=named_jpg.name, max_bytes=LIMIT).format == "PNG"
    prepared = prepare_image(data, tmp_path / "out.jpg", max_bytes=LIMIT)
    assert prepared.source_format == "PNG"
    with Image.open(prepared.path) as out:
        assert out.format == "JPEG" and out.size == (300, 200)


def test_text_file_named_jpg_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="checked by its content"):
        check_image(b"hello, I am text\n", name="cat.jpg", max_bytes=LIMIT)


def test_gif_is_refused_even_though_pillow_reads_it() -> None:
    with pytest.raises(InputError, match="not a JPEG, PNG or WebP"):
        check_image(encode(Image.new("P", (10, 10)), "GIF"), max_bytes=LIMIT)


def test_jpeg_header_with_garbage_after_it_is_refused() -> None:
    with pytest.raises(InputError, match="cannot be decoded"):
        check_image(b"\xff\xd8\xff\xe0" + b"\x00" * 200, max_bytes=LIMIT)


def test_files_over_the_size_limit_are_refused() -> None:
    data = encode(Image.new("RGB", (64, 64)), "PNG")
    with pytest.raises(InputError, match="at most"):
        check_image(data, max_bytes=len(data) - 1)


def test_webp_is_accepted() -> None:
    data = encode(Image.new("RGB", (40, 30), "blue"), "WEBP")
    assert check_image(data, max_bytes=LIMIT).format == "WEBP"


@pytest.mark.parametrize(
    ("size", "expected"),
    [((2400, 1600), (1620, 1080)), ((1200, 2400), (960, 1920)), ((2000, 2000), (1080, 1080))],
)
def test_large_images_are_fitted_into_1080p(
    tmp_path: Path, size: tuple[int, int], expected: tuple[int, int]
) -> None:
    data = encode(Image.new("RGB", size, "green"), "JPEG")
    prepared = prepare_image(data, tmp_path / "o.jpg", max_bytes=LIMIT)
    assert (prepared.width, prepared.height) == expected
    with Image.open(prepared.path) as out:
        assert out.size == expected


def test_transparency_is_flattened_on_white_and_exif_is_dropped(tmp_path: Path) -> None:
    rgba = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    prepared = prepare_image(encode(rgba, "PNG"), tmp_path / "t.jpg", max_bytes=LIMIT)
    with Image.open(prepared.path) as out:
        assert out.getpixel((10, 10)) == (255, 255, 255)
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    with_exif = encode(Image.new("RGB", (20, 20)), "JPEG", exif=exif.tobytes())
    prepared = prepare_image(with_exif, tmp_path / "e.jpg", max_bytes=LIMIT)
    with Image.open(prepared.path) as out:
        assert not out.getexif()
