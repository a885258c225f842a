from __future__ import annotations

from pathlib import Path

import pytest
from PIL import ImageFont

from reelforge.errors import ConfigError
from reelforge.studio.fonts import copy_font_dir, default_font_path, font_facts, font_family_name


def test_shipped_font_is_a_real_file_with_its_licence_beside_it() -> None:
    path = default_font_path()
    assert path.is_file()
    assert path.suffix == ".otf"
    assert (path.parent / "Inter-LICENSE.txt").read_text(encoding="utf-8").find("OFL") >= 0


def test_family_name_is_the_one_libass_matches_not_the_typographic_one() -> None:
    # libass matches Fontname against name ID 1; Pillow/FreeType report name ID 16
    # ("Inter"), which libass would not find and would silently replace.
    assert font_family_name(default_font_path()) == "Inter Extra Bold"
    pillow_family, _ = ImageFont.truetype(str(default_font_path()), 20).getname()
    assert pillow_family == "Inter"


def test_font_metrics_make_one_ass_size_unit_smaller_than_one_em() -> None:
    facts = font_facts(default_font_path())
    # Inter's win ascent + descent exceed its em, so an ASS size of 100 draws a ~83 px em.
    assert 0.7 < facts.em_per_ass_size < 0.95
    assert 0.6 < facts.ascent_share < 0.9


def test_a_file_that_is_not_a_font_is_refused_with_advice(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.ttf"
    bogus.write_text("not a font", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\.ttf or \.otf"):
        font_family_name(bogus)


def test_missing_font_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"missing\.otf"):
        font_family_name(tmp_path / "missing.otf")


def test_font_dir_for_ffmpeg_holds_only_the_font(tmp_path: Path) -> None:
    copied = copy_font_dir(default_font_path(), tmp_path / "fonts")
    assert [p.name for p in copied.parent.iterdir()] == ["Inter-ExtraBold.otf"]
    assert copied.read_bytes() == default_font_path().read_bytes()
