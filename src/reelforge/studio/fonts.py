"""The font that captions are drawn with, and the facts about it that libass needs.

Why a parser of our own: libass (inside ffmpeg) finds a font by the *legacy*
family name (name ID 1) among the files in ``fontsdir``, while Pillow/FreeType
report the *typographic* family (name ID 16, e.g. "Inter" for "Inter Extra
Bold"). An ASS ``Fontname`` that libass cannot match is silently replaced by
some system font — or by nothing at all on a bare server — so we read the name
libass will look for straight from the file's ``name`` table. The same tables
give the vertical metrics libass sizes text by (``OS/2`` win ascent/descent),
which the caption layout needs to predict where text lands.
"""

from __future__ import annotations

import shutil
import struct
import tempfile
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

from reelforge.errors import ConfigError

DEFAULT_FONT = "Inter-ExtraBold.otf"
_MS_PLATFORM = 3
_UNICODE_PLATFORM = 0
_MAC_PLATFORM = 1
_ENGLISH_US = 0x0409


def default_font_path() -> Path:
    """The OFL font shipped in the package (Inter Extra Bold), as a real file path.

    ffmpeg needs a file on disk; an installed wheel is a directory, but a zipped
    install is not, so then the font is copied once into a temporary directory.
    """
    resource = files("reelforge") / "assets" / "fonts" / DEFAULT_FONT
    if isinstance(resource, Path):
        if not resource.is_file():
            raise ConfigError(
                f"The bundled font {resource} is missing; reinstall reelforge "
                "or set a font file with REELFORGE_FONT."
            )
        return resource
    return _extracted_font(resource.read_bytes())


@cache
def _extracted_font(data: bytes) -> Path:
    target = Path(tempfile.mkdtemp(prefix="reelforge-fonts-")) / DEFAULT_FONT
    target.write_bytes(data)
    return target


@dataclass(frozen=True)
class FontFacts:
    """What the caption layout needs from a font file."""

    family: str  # legacy family (name ID 1): what libass matches `Fontname` against
    units_per_em: int
    win_ascent: int
    win_descent: int

    @property
    def em_per_ass_size(self) -> float:
        """Pixels of em per unit of ASS font size: libass makes win ascent+descent = size."""
        total = self.win_ascent + self.win_descent
        return self.units_per_em / total if total > 0 else 1.0

    @property
    def ascent_share(self) -> float:
        total = self.win_ascent + self.win_descent
        return self.win_ascent / total if total > 0 else 0.8


def font_family_name(path: Path) -> str:
    """The family name libass will match for this font file."""
    return font_facts(path).family


@cache
def font_facts(path: Path) -> FontFacts:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"Cannot read the caption font {path}: {exc.strerror}.") from exc
    try:
        tables = _table_directory(data)
        family = _family_name(data, tables["name"]) if "name" in tables else ""
        units_per_em = struct.unpack_from(">H", data, tables["head"][0] + 18)[0]
        win_ascent, win_descent = (0, 0)
        if "OS/2" in tables:
            win_ascent, win_descent = struct.unpack_from(">HH", data, tables["OS/2"][0] + 74)
    except (KeyError, struct.error) as exc:
        raise ConfigError(
            f"{path} is not a TrueType/OpenType font reelforge can read; use a .ttf or .otf file."
        ) from exc
    if not family:
        family = _pillow_family(path)
    return FontFacts(family, units_per_em, win_ascent, win_descent)


def _table_directory(data: bytes) -> dict[str, tuple[int, int]]:
    """Offsets and lengths of the tables of a single-font .ttf/.otf file."""
    if data[:4] not in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        raise KeyError("sfnt")
    (count,) = struct.unpack_from(">H", data, 4)
    tables: dict[str, tuple[int, int]] = {}
    for i in range(count):
        tag, _checksum, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        tables[tag.decode("latin-1")] = (offset, length)
    return tables


def _family_name(data: bytes, table: tuple[int, int]) -> str:
    """Name ID 1, preferring Windows/US-English (what libass reads), else any Unicode/Mac entry."""
    base = table[0]
    _fmt, count, strings = struct.unpack_from(">HHH", data, base)
    found: list[tuple[int, str]] = []
    for i in range(count):
        platform, _encoding, language, name_id, length, offset = struct.unpack_from(
            ">HHHHHH", data, base + 6 + 12 * i
        )
        if name_id != 1:
            continue
        raw = data[base + strings + offset : base + strings + offset + length]
        if platform in (_MS_PLATFORM, _UNICODE_PLATFORM):
            text = raw.decode("utf-16-be", errors="replace")
        elif platform == _MAC_PLATFORM:
            text = raw.decode("mac-roman", errors="replace")
        else:
            continue
        rank = 0 if (platform, language) == (_MS_PLATFORM, _ENGLISH_US) else 1 + platform
        found.append((rank, text.strip()))
    return min(found)[1] if found else ""


def _pillow_family(path: Path) -> str:
    from PIL import ImageFont

    family, _style = ImageFont.truetype(str(path), 12).getname()
    if not family:
        raise ConfigError(f"The font {path} has no family name; choose another font file.")
    return family


def copy_font_dir(font_path: Path, target: Path) -> Path:
    """Copy just the font file into ``target`` (a directory) for ffmpeg's ``fontsdir``.

    libass loads every file in ``fontsdir``; giving it a directory holding only
    the caption font keeps it from parsing unrelated files.
    """
    target.mkdir(parents=True, exist_ok=True)
    copied = target / font_path.name
    if not copied.exists() or copied.stat().st_size != font_path.stat().st_size:
        shutil.copyfile(font_path, copied)
    return copied
