"""The local media library: indexed once, matched by meaning, broken files skipped and said."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Literal

import pytest
from PIL import Image

from reelforge.av.ffmpeg import run_ffmpeg
from reelforge.config import Settings
from reelforge.errors import ConfigError
from reelforge.providers.base import MediaRequest
from reelforge.providers.media.library import LibraryMedia, describe


def make_clip(path: Path, seconds: float) -> None:
    run_ffmpeg(
        ["-f", "lavfi", "-i", f"color=c=navy:s=64x112:d={seconds}", "-c:v", "libx264",
         "-pix_fmt", "yuv420p", str(path)]
    )  # fmt: skip


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[float, Path]:
    folder = tmp_path_factory.mktemp("clips")
    made = {}
    for seconds in (1.0, 3.0):
        made[seconds] = folder / f"{seconds}.mp4"
        make_clip(made[seconds], seconds)
    return made


@pytest.fixture
def library(tmp_path: Path, clips: dict[float, Path]) -> Path:
    root = tmp_path / "library"
    (root / "holiday").mkdir(parents=True)
    Image.new("RGB", (90, 160), "#a0522d").save(root / "bread_loaf_kitchen.jpg")
    Image.new("RGB", (90, 160), "#1e90ff").save(root / "holiday" / "ocean-waves.png")
    shutil.copy(clips[3.0], root / "CityNightTraffic.mp4")
    return root


def provider(settings: Settings, root: Path) -> LibraryMedia:
    return LibraryMedia(settings.model_copy(update={"library_dir": root}))


Kinds = tuple[Literal["image", "video"], ...]


def ask(
    query: str, *, seed: int = 0, duration: float = 2.0, kinds: Kinds = ("video", "image")
) -> MediaRequest:
    return MediaRequest(
        query=query, duration=duration, width=180, height=320, seed=seed, kinds=kinds
    )


def test_descriptions_split_snake_camel_and_kebab_case_and_drop_camera_noise() -> None:
    assert describe(Path("Kitchen/breadLoaf-fresh_01.JPG")) == "kitchen bread loaf fresh"
    assert describe(Path("CityNightTraffic 4K.mp4")) == "city night traffic"
    assert describe(Path("IMG_0042.jpg")) == ""


def test_scene_text_is_matched_by_meaning(
    settings: Settings, library: Path, tmp_path: Path
) -> None:
    media = provider(settings, library)
    bread = media.fetch(ask("stale bread"), cache_dir=tmp_path / "cache")
    assert bread is not None and bread.path.name == "bread_loaf_kitchen.jpg"
    assert bread.kind == "image" and (bread.width, bread.height) == (90, 160)
    street = media.fetch(ask("busy street at night", seed=3), cache_dir=tmp_path / "cache")
    assert street is not None and street.path.name == "CityNightTraffic.mp4"
    assert street.kind == "video" and street.duration == pytest.approx(3.0, abs=0.1)
    sea = media.fetch(ask("waves crashing on the beach", seed=5), cache_dir=tmp_path / "cache")
    assert sea is not None and sea.path.name == "ocean-waves.png"


def test_nothing_relevant_returns_none(settings: Settings, library: Path, tmp_path: Path) -> None:
    assert provider(settings, library).fetch(ask("tax law"), cache_dir=tmp_path / "cache") is None


def test_requested_kinds_are_respected(settings: Settings, library: Path, tmp_path: Path) -> None:
    media = provider(settings, library)
    assert (
        media.fetch(ask("busy street at night", kinds=("image",)), cache_dir=tmp_path / "c") is None
    )


def test_reindexing_reads_only_new_changed_and_removed_files(
    settings: Settings, library: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first = provider(settings, library).refresh(cache_dir=cache)
    assert (first.added, first.unchanged) == (3, 0)
    again = provider(settings, library).refresh(cache_dir=cache)
    assert (again.added, again.updated, again.removed, again.unchanged) == (0, 0, 0, 3)

    Image.new("RGB", (100, 100), "#8b4513").save(library / "sourdough_bread.jpg")
    Image.new("RGB", (120, 200), "#a0522d").save(library / "bread_loaf_kitchen.jpg")
    os.utime(library / "bread_loaf_kitchen.jpg", ns=(1, 1))
    (library / "holiday" / "ocean-waves.png").unlink()
    changed = provider(settings, library).refresh(cache_dir=cache)
    assert (changed.added, changed.updated, changed.removed, changed.unchanged) == (1, 1, 1, 1)
    bread = provider(settings, library).fetch(
        ask("loaf of bread", kinds=("image",)), cache_dir=cache
    )
    assert bread is not None and bread.path.name in {
        "bread_loaf_kitchen.jpg",
        "sourdough_bread.jpg",
    }


def test_corrupt_files_are_skipped_reported_and_never_crash(
    settings: Settings, library: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (library / "broken_clip.mp4").write_bytes(b"not a video at all" * 50)
    (library / "bad_bread_photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 truncated")
    media = provider(settings, library)
    report = media.refresh(cache_dir=tmp_path / "cache")
    skipped = {s.path.name: s.reason for s in report.skipped}
    assert set(skipped) == {"broken_clip.mp4", "bad_bread_photo.jpg"}
    assert "video" in skipped["broken_clip.mp4"] and "image" in skipped["bad_bread_photo.jpg"]
    assert "broken_clip.mp4" in caplog.text
    warnings = media.take_warnings()
    assert any("bad_bread_photo.jpg" in w for w in warnings)
    assert media.take_warnings() == []  # said once
    found = media.fetch(ask("stale bread"), cache_dir=tmp_path / "cache")
    assert found is not None and found.path.name == "bread_loaf_kitchen.jpg"
    # Still reported on a later run, without being read again.
    later = provider(settings, library).refresh(cache_dir=tmp_path / "cache")
    assert {s.path.name for s in later.skipped} == set(skipped) and later.added == 0


def test_a_clip_long_enough_for_the_scene_is_preferred(
    settings: Settings, tmp_path: Path, clips: dict[float, Path]
) -> None:
    root = tmp_path / "lib"
    for folder, seconds in (("clips1", 1.0), ("clips2", 3.0)):
        (root / folder).mkdir(parents=True)
        shutil.copy(clips[seconds], root / folder / "city_traffic.mp4")
    found = provider(settings, root).fetch(
        ask("city traffic", duration=2.5), cache_dir=tmp_path / "c"
    )
    assert found is not None and found.path.parent.name == "clips2"


def test_neighbouring_scenes_do_not_reuse_the_same_file(
    settings: Settings, library: Path, tmp_path: Path
) -> None:
    Image.new("RGB", (90, 160), "#8b4513").save(library / "sourdough_bread.jpg")
    media = provider(settings, library)
    first = media.fetch(ask("bread", seed=0), cache_dir=tmp_path / "c")
    second = media.fetch(ask("bread", seed=1), cache_dir=tmp_path / "c")
    assert first is not None and second is not None
    assert first.path != second.path


def test_missing_or_wrong_library_folder_names_the_setting(
    settings: Settings, tmp_path: Path
) -> None:
    with pytest.raises(ConfigError, match="REELFORGE_LIBRARY_DIR"):
        LibraryMedia(settings)
    with pytest.raises(ConfigError, match="REELFORGE_LIBRARY_DIR"):
        provider(settings, tmp_path / "does-not-exist")


def test_a_dangling_link_is_skipped_not_fatal(
    settings: Settings, library: Path, tmp_path: Path
) -> None:
    (library / "gone_bread.jpg").symlink_to(tmp_path / "nowhere.jpg")
    report = provider(settings, library).refresh(cache_dir=tmp_path / "cache")
    assert [s.path.name for s in report.skipped] == ["gone_bread.jpg"]
    assert report.added == 3
