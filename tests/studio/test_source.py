"""The source-media stage: providers in order, procedural as the floor, reasons recorded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from pydantic import SecretStr

from reelforge.config import Settings
from reelforge.errors import ConfigError
from reelforge.providers.base import MediaRequest
from reelforge.providers.imagegen.openai_images import OpenAIImageGen
from reelforge.providers.media.library import LibraryMedia
from reelforge.providers.media.pexels import PexelsMedia
from reelforge.providers.media.procedural import ProceduralMedia
from reelforge.providers.types.media import MediaAsset
from reelforge.studio.models import Visual, VisualKind
from reelforge.studio.source import attribution_lines, source_scene
from tests.fakes import openai_images
from tests.fakes.openai_images import FakeOpenAIImages
from tests.fakes.pexels import KEY, FakePexels
from tests.fakes.server import FakeResponse, FakeServer, serve


@pytest.fixture
def pexels(settings: Settings) -> Iterator[tuple[FakePexels, FakeServer, PexelsMedia]]:
    fake = FakePexels()
    with serve(fake.handle) as srv:
        fake.base_url = srv.base_url
        cfg = settings.model_copy(
            update={"pexels_base_url": srv.base_url, "pexels_api_key": SecretStr(KEY)}
        )
        yield fake, srv, PexelsMedia(cfg)


def scene_request(query: str = "stale bread", seed: int = 2) -> MediaRequest:
    return MediaRequest(query=query, duration=3.0, width=180, height=320, seed=seed)


def test_stock_visual_uses_the_first_provider_that_finds_something(
    pexels: tuple[FakePexels, FakeServer, PexelsMedia], tmp_path: Path, settings: Settings
) -> None:
    _, _, provider = pexels
    warnings: list[str] = []
    asset = source_scene(
        visual=Visual(kind=VisualKind.STOCK, query="stale bread"),
        providers=[provider, ProceduralMedia(settings)],
        request=scene_request(query="ignored when the visual has one"),
        cache_dir=tmp_path,
        warnings=warnings,
    )
    assert asset.provider == "pexels" and warnings == []


def test_nothing_found_falls_back_to_procedural_and_says_why(
    pexels: tuple[FakePexels, FakeServer, PexelsMedia], tmp_path: Path
) -> None:
    fake, _, provider = pexels
    fake.empty.add("zxqv")
    warnings: list[str] = []
    asset = source_scene(
        visual=Visual(kind=VisualKind.STOCK, query="zxqv"),
        providers=[provider],
        request=scene_request(seed=2),
        cache_dir=tmp_path,
        warnings=warnings,
    )
    assert asset.provider == "procedural" and asset.text_color
    assert warnings == ["Scene 3: pexels found nothing for 'zxqv'; trying the next media source."]


def test_a_failing_provider_is_passed_over_with_its_error(
    settings: Settings, tmp_path: Path
) -> None:
    with serve(lambda _: FakeResponse(503, {"error": "down for maintenance"})) as srv:
        cfg = settings.model_copy(
            update={"pexels_base_url": srv.base_url, "pexels_api_key": SecretStr(KEY)}
        )
        warnings: list[str] = []
        asset = source_scene(
            visual=Visual(kind=VisualKind.STOCK, query="bread"),
            providers=[PexelsMedia(cfg), ProceduralMedia(settings)],
            request=scene_request(),
            cache_dir=tmp_path,
            warnings=warnings,
        )
    assert asset.provider == "procedural"
    assert len(warnings) == 1 and "pexels failed" in warnings[0] and "503" in warnings[0]


def test_a_refused_key_is_not_hidden_by_the_fallback(settings: Settings, tmp_path: Path) -> None:
    fake = FakePexels()
    with serve(fake.handle) as srv:
        cfg = settings.model_copy(
            update={"pexels_base_url": srv.base_url, "pexels_api_key": SecretStr("wrong")}
        )
        with pytest.raises(ConfigError, match="REELFORGE_PEXELS_API_KEY"):
            source_scene(
                visual=Visual(kind=VisualKind.STOCK, query="bread"),
                providers=[PexelsMedia(cfg), ProceduralMedia(settings)],
                request=scene_request(),
                cache_dir=tmp_path,
            )


def test_procedural_visual_never_calls_stock_and_keeps_its_style(
    pexels: tuple[FakePexels, FakeServer, PexelsMedia], tmp_path: Path, settings: Settings
) -> None:
    _, srv, provider = pexels
    asset = source_scene(
        visual=Visual(kind=VisualKind.PROCEDURAL, style="aurora"),
        providers=[provider, ProceduralMedia(settings)],
        request=scene_request(),
        cache_dir=tmp_path,
    )
    assert asset.provider == "procedural" and asset.path.name.startswith("aurora-")
    assert srv.requests == []


def test_library_skips_reach_the_warnings(settings: Settings, tmp_path: Path) -> None:
    root = tmp_path / "lib"
    root.mkdir()
    Image.new("RGB", (60, 100), "#a0522d").save(root / "bread_loaf.jpg")
    (root / "broken.mp4").write_bytes(b"garbage")
    warnings: list[str] = []
    asset = source_scene(
        visual=Visual(kind=VisualKind.STOCK, query="stale bread"),
        providers=[LibraryMedia(settings.model_copy(update={"library_dir": root}))],
        request=scene_request(),
        cache_dir=tmp_path / "cache",
        warnings=warnings,
    )
    assert asset.path.name == "bread_loaf.jpg"
    assert len(warnings) == 1 and "broken.mp4" in warnings[0]


def test_generated_visual_is_made_once_and_reused(settings: Settings, tmp_path: Path) -> None:
    fake = FakeOpenAIImages()
    with serve(fake.handle) as srv:
        cfg = settings.model_copy(
            update={"openai_base_url": srv.base_url, "openai_api_key": SecretStr(openai_images.KEY)}
        )
        visual = Visual(kind=VisualKind.GENERATED, prompt="a loaf of bread, studio light")
        kwargs = dict(
            visual=visual,
            providers=[ProceduralMedia(settings)],
            request=scene_request(),
            cache_dir=tmp_path,
        )
        first = source_scene(**kwargs, imagegen=OpenAIImageGen(cfg))  # type: ignore[arg-type]
        second = source_scene(**kwargs, imagegen=OpenAIImageGen(cfg))  # type: ignore[arg-type]
    assert first.provider == "openai" and second == first
    assert len(fake.bodies) == 1


def test_generated_visual_without_a_generator_falls_back_and_says_so(
    tmp_path: Path, settings: Settings
) -> None:
    warnings: list[str] = []
    asset = source_scene(
        visual=Visual(kind=VisualKind.GENERATED, prompt="bread"),
        providers=[ProceduralMedia(settings)],
        request=scene_request(),
        cache_dir=tmp_path,
        warnings=warnings,
    )
    assert asset.provider == "procedural"
    assert "no image generator" in warnings[0]


def test_attribution_credits_each_stock_item_once_and_skips_local_media(tmp_path: Path) -> None:
    photo = MediaAsset(
        path=tmp_path / "a.jpg", kind="image", provider="pexels", author="Ann Lee",
        author_url="https://www.pexels.com/@ann", source_url="https://www.pexels.com/photo/1/",
        licence="Pexels License",
    )  # fmt: skip
    clip = MediaAsset(
        path=tmp_path / "b.mp4", kind="video", provider="pixabay", author="filmer",
        source_url="https://pixabay.com/videos/id-2/", licence="Pixabay Content License",
    )  # fmt: skip
    local = [
        MediaAsset(
            path=tmp_path / "c.png",
            kind="image",
            provider="procedural",
            licence="generated locally",
        ),
        MediaAsset(
            path=tmp_path / "d.jpg", kind="image", provider="library", licence="your own media"
        ),
    ]
    generated = MediaAsset(
        path=tmp_path / "e.png", kind="image", provider="openai", licence="generated by gpt-image-1"
    )
    assert attribution_lines([photo, *local, clip, photo, generated]) == [
        "Photo by Ann Lee (https://www.pexels.com/@ann) on Pexels — "
        "https://www.pexels.com/photo/1/ — Pexels License",
        "Video by filmer on Pixabay — https://pixabay.com/videos/id-2/ — Pixabay Content License",
        "Image — generated by gpt-image-1",
    ]
    assert attribution_lines(local) == []


def test_a_stock_scene_without_search_text_says_so(
    pexels: tuple[FakePexels, FakeServer, PexelsMedia], tmp_path: Path
) -> None:
    _, srv, provider = pexels
    warnings: list[str] = []
    asset = source_scene(
        visual=Visual(kind=VisualKind.STOCK),
        providers=[provider],
        request=scene_request(query="  "),
        cache_dir=tmp_path,
        warnings=warnings,
    )
    assert asset.provider == "procedural" and srv.requests == []
    assert warnings == ["Scene 3: no search text for stock media; using a procedural background."]
