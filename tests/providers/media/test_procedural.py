"""Procedural backgrounds: offline, small, deterministic, reused from the cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from reelforge.config import Settings
from reelforge.errors import InputError
from reelforge.providers import registry
from reelforge.providers.base import MediaRequest
from reelforge.providers.media.procedural import STYLES, ProceduralMedia


def request(seed: int = 0, style: str = "", width: int = 1080, height: int = 1920) -> MediaRequest:
    return MediaRequest(query="", duration=3.0, width=width, height=height, seed=seed, style=style)


def test_is_the_registered_default_and_needs_no_key(settings: Settings) -> None:
    provider = registry.create("media", settings.media, settings)
    assert isinstance(provider, ProceduralMedia)
    assert not provider.needs_key and not provider.remote


def test_background_is_drawn_at_a_quarter_size_for_the_renderer_to_scale(
    tmp_path: Path, settings: Settings
) -> None:
    asset = ProceduralMedia(settings).fetch(request(), cache_dir=tmp_path)
    with Image.open(asset.path) as im:
        assert im.size == (270, 480)
    assert (asset.width, asset.height) == (270, 480)
    assert asset.kind == "image" and asset.provider == "procedural"
    assert asset.licence == "generated locally"
    assert asset.text_color == "#FFFFFF"


@pytest.mark.parametrize("style", STYLES)
def test_same_style_seed_and_palette_give_identical_pixels(
    tmp_path: Path, style: str, settings: Settings
) -> None:
    a = ProceduralMedia(settings).fetch(
        request(seed=3, style=style, width=180, height=320), cache_dir=tmp_path / "a"
    )
    b = ProceduralMedia(settings).fetch(
        request(seed=3, style=style, width=180, height=320), cache_dir=tmp_path / "b"
    )
    assert a.path.name == b.path.name
    assert a.path.read_bytes() == b.path.read_bytes()


def test_different_seeds_give_different_backgrounds(tmp_path: Path, settings: Settings) -> None:
    a = ProceduralMedia(settings).fetch(request(seed=1, style="bokeh"), cache_dir=tmp_path)
    b = ProceduralMedia(settings).fetch(request(seed=2, style="bokeh"), cache_dir=tmp_path)
    assert a.path != b.path
    assert a.path.read_bytes() != b.path.read_bytes()


def test_second_request_reuses_the_cached_file(tmp_path: Path, settings: Settings) -> None:
    first = ProceduralMedia(settings).fetch(request(seed=4), cache_dir=tmp_path)
    stamp = first.path.stat().st_mtime_ns
    second = ProceduralMedia(settings).fetch(request(seed=4), cache_dir=tmp_path)
    assert second.path == first.path
    assert second.path.stat().st_mtime_ns == stamp
    assert [p.name for p in (tmp_path / "procedural").iterdir()] == [first.path.name]


def test_empty_style_cycles_through_every_style_by_scene(settings: Settings) -> None:
    chosen = {ProceduralMedia(settings).choose(request(seed=i))[0] for i in range(len(STYLES))}
    assert chosen == set(STYLES)


def test_palette_setting_fixes_the_palette_for_all_scenes(settings: Settings) -> None:
    provider = ProceduralMedia(settings.model_copy(update={"procedural_palette": "ember"}))
    assert {provider.choose(request(seed=i))[1].name for i in range(6)} == {"ember"}


def test_unknown_style_is_an_input_error(tmp_path: Path, settings: Settings) -> None:
    with pytest.raises(InputError, match="gradient"):
        ProceduralMedia(settings).fetch(request(style="plaid"), cache_dir=tmp_path)
