"""Captions must stay readable: ≥ 7:1 contrast on every palette colour and every drawn pixel."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from reelforge.errors import InputError
from reelforge.providers.media.palette import (
    MIN_CONTRAST,
    PALETTES,
    contrast_from_luminance,
    contrast_ratio,
    get_palette,
    luminance_of,
    relative_luminance,
)
from reelforge.providers.media.procedural import STYLES, render_background


def min_contrast_over_pixels(image: Image.Image, text_hex: str) -> float:
    pixels = np.asarray(image.convert("RGB"), dtype=np.float64).reshape(-1, 3) / 255.0
    brightest = float(luminance_of(pixels).max())
    return contrast_from_luminance(relative_luminance(text_hex), brightest)


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1.0)
    # The classic "grey on white barely fails AA" example: 4.48:1.
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#FFF", "#000") == pytest.approx(21.0)


def test_malformed_colour_is_an_input_error() -> None:
    with pytest.raises(InputError, match="#RRGGBB"):
        contrast_ratio("white", "#000000")


@pytest.mark.parametrize("name", sorted(PALETTES))
def test_every_palette_text_colour_has_7_to_1_on_every_background_colour(name: str) -> None:
    palette = PALETTES[name]
    for colour in palette.background:
        assert contrast_ratio(palette.text, colour) >= MIN_CONTRAST, (name, colour)


@pytest.mark.parametrize("style", STYLES)
def test_every_generated_pixel_keeps_7_to_1_with_the_caption_colour(style: str) -> None:
    for palette in PALETTES.values():
        for seed in (0, 7):
            image = render_background(style=style, palette=palette, seed=seed, width=45, height=80)
            assert min_contrast_over_pixels(image, palette.text) >= MIN_CONTRAST, (
                style,
                palette.name,
            )
            # The renderer scales the small image up; bicubic overshoot must not break the bound.
            big = image.resize((180, 320), Image.Resampling.BICUBIC)
            assert min_contrast_over_pixels(big, palette.text) >= MIN_CONTRAST, (
                style,
                palette.name,
            )


def test_unknown_palette_names_the_setting() -> None:
    with pytest.raises(InputError, match="REELFORGE_PROCEDURAL_PALETTE"):
        get_palette("neon-yellow")
