"""OpenAIImageGen against a local fake of /v1/images/generations."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from pydantic import SecretStr

from reelforge.config import Settings
from reelforge.errors import ConfigError, ProviderError
from reelforge.providers import registry
from reelforge.providers.imagegen.openai_images import OpenAIImageGen, closest_size
from tests.fakes.openai_images import KEY, FakeOpenAIImages
from tests.fakes.server import FakeServer, serve


@pytest.fixture
def fake() -> Iterator[tuple[FakeOpenAIImages, FakeServer]]:
    images = FakeOpenAIImages()
    with serve(images.handle) as srv:
        images.base_url = srv.base_url
        yield images, srv


def configured(
    settings: Settings, srv: FakeServer, *, key: str | None = KEY, **extra: object
) -> Settings:
    update: dict[str, object] = {
        "openai_base_url": srv.base_url,
        "openai_api_key": SecretStr(key) if key else None,
        **extra,
    }
    return settings.model_copy(update=update)


def test_portrait_png_is_written_from_b64_json(
    settings: Settings, fake: tuple[FakeOpenAIImages, FakeServer], tmp_path: Path
) -> None:
    images, srv = fake
    gen = registry.create("imagegen", "openai", configured(settings, srv))
    out = tmp_path / "scene1.png"
    asset = gen.generate(
        prompt="a loaf of bread going stale", width=1080, height=1920, out_path=out
    )
    assert images.bodies == [
        {
            "model": "gpt-image-1",
            "prompt": "a loaf of bread going stale",
            "size": "1024x1536",
            "n": 1,
        }
    ]
    assert srv.requests[0].headers["authorization"] == f"Bearer {KEY}"
    with Image.open(out) as im:
        assert im.format == "PNG"
    assert asset.path == out and asset.kind == "image" and asset.provider == "openai"
    assert "gpt-image-1" in asset.licence
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".part")]


def test_dall_e_3_gets_its_own_portrait_size_and_asks_for_b64(
    settings: Settings, fake: tuple[FakeOpenAIImages, FakeServer], tmp_path: Path
) -> None:
    images, srv = fake
    gen = OpenAIImageGen(configured(settings, srv, openai_image_model="dall-e-3"))
    gen.generate(prompt="city at night", width=720, height=1280, out_path=tmp_path / "a.png")
    assert images.bodies[0]["size"] == "1024x1792"
    assert images.bodies[0]["response_format"] == "b64_json"


def test_an_image_url_answer_is_fetched_without_sending_the_key(
    settings: Settings, fake: tuple[FakeOpenAIImages, FakeServer], tmp_path: Path
) -> None:
    images, srv = fake
    images.answer_with_url = True
    OpenAIImageGen(configured(settings, srv)).generate(
        prompt="ocean", width=180, height=320, out_path=tmp_path / "b.png"
    )
    fetched = [r for r in srv.requests if r.path.startswith("/files/")]
    assert len(fetched) == 1 and "authorization" not in fetched[0].headers
    assert (tmp_path / "b.png").is_file()


def test_closest_supported_size_follows_the_frame_shape() -> None:
    assert closest_size("gpt-image-1", 1080, 1920) == "1024x1536"
    assert closest_size("gpt-image-1", 1080, 1080) == "1024x1024"
    assert closest_size("gpt-image-1", 1920, 1080) == "1536x1024"
    assert closest_size("dall-e-2", 1080, 1920) == "1024x1024"


def test_rate_limit_is_retried_then_succeeds(
    settings: Settings, fake: tuple[FakeOpenAIImages, FakeServer], tmp_path: Path
) -> None:
    images, srv = fake
    images.rate_limited = 1
    OpenAIImageGen(configured(settings, srv)).generate(
        prompt="bread", width=180, height=320, out_path=tmp_path / "c.png"
    )
    assert [r.path for r in srv.requests] == ["/v1/images/generations"] * 2


def test_refused_key_names_the_setting(
    settings: Settings, fake: tuple[FakeOpenAIImages, FakeServer], tmp_path: Path
) -> None:
    _, srv = fake
    with pytest.raises(ConfigError, match="REELFORGE_OPENAI_API_KEY"):
        OpenAIImageGen(configured(settings, srv, key="sk-wrong")).generate(
            prompt="bread", width=180, height=320, out_path=tmp_path / "d.png"
        )
    assert not (tmp_path / "d.png").exists()


def test_missing_key_names_the_setting(
    settings: Settings, fake: tuple[FakeOpenAIImages, FakeServer]
) -> None:
    _, srv = fake
    with pytest.raises(ConfigError, match="REELFORGE_OPENAI_API_KEY"):
        OpenAIImageGen(configured(settings, srv, key=None))


def test_a_rejected_request_is_a_non_retryable_provider_error(
    settings: Settings, fake: tuple[FakeOpenAIImages, FakeServer], tmp_path: Path
) -> None:
    _, srv = fake
    gen = OpenAIImageGen(configured(settings, srv, openai_image_size="999x999"))
    with pytest.raises(ProviderError) as caught:
        gen.generate(prompt="bread", width=180, height=320, out_path=tmp_path / "e.png")
    assert caught.value.status == 400 and not caught.value.retryable
    assert "999x999" in caught.value.message
