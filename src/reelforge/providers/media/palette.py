"""Named colour palettes for procedural backgrounds, and WCAG 2 contrast maths.

Why a module of its own: captions are burned on top of whatever the
background is, so "is the caption readable?" must be a property we can check
with numbers, not taste. Every palette carries the text colour to use on it,
and :func:`max_background_luminance` says how bright any pixel of a
background may get before that text colour falls below the 7:1 contrast
ratio (WCAG 2 level AAA). The procedural generator clamps its pixels to that
bound, so the guarantee holds for every pixel it draws, not only for the
palette's key colours.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from reelforge.errors import InputError

#: Captions need at least this contrast against every background pixel (WCAG AAA).
MIN_CONTRAST = 7.0
#: The generator aims a little higher, leaving room for video encoding and scaling.
TARGET_CONTRAST = 7.5


def _hex_to_rgb(value: str) -> tuple[int, int, int]:
    text = value.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    if len(text) != 6:
        raise InputError(f"{value!r} is not a colour; write it as #RRGGBB.")
    try:
        return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)
    except ValueError as exc:
        raise InputError(f"{value!r} is not a colour; write it as #RRGGBB.") from exc


def hex_to_rgb(value: str) -> tuple[int, int, int]:
    """``"#1A2B3C"`` → ``(26, 43, 60)``."""
    return _hex_to_rgb(value)


def srgb_to_linear(channel: NDArray[np.float64]) -> NDArray[np.float64]:
    """sRGB channel values in 0..1 → linear light, per WCAG 2's definition."""
    return np.where(channel <= 0.04045, channel / 12.92, ((channel + 0.055) / 1.055) ** 2.4)


def linear_to_srgb(channel: NDArray[np.float64]) -> NDArray[np.float64]:
    """Inverse of :func:`srgb_to_linear`."""
    channel = np.clip(channel, 0.0, 1.0)
    return np.where(
        channel <= 0.0031308, channel * 12.92, 1.055 * np.power(channel, 1 / 2.4) - 0.055
    )


def luminance_of(rgb: NDArray[np.float64]) -> NDArray[np.float64]:
    """Relative luminance of sRGB colours in 0..1 (last axis = R, G, B)."""
    lin = srgb_to_linear(rgb)
    result: NDArray[np.float64] = lin @ np.array([0.2126, 0.7152, 0.0722])
    return result


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of a ``#RRGGBB`` colour (0 = black, 1 = white)."""
    rgb = np.array(_hex_to_rgb(hex_colour), dtype=np.float64) / 255.0
    return float(luminance_of(rgb))


def contrast_from_luminance(a: float, b: float) -> float:
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def contrast_ratio(fg_hex: str, bg_hex: str) -> float:
    """WCAG 2 contrast ratio between two colours, from 1.0 (same) to 21.0 (black/white)."""
    return contrast_from_luminance(relative_luminance(fg_hex), relative_luminance(bg_hex))


@dataclass(frozen=True)
class Palette:
    """Background colours (darkest first) and the caption colour that reads on all of them."""

    name: str
    background: tuple[str, ...]
    text: str = "#FFFFFF"

    def background_rgb(self) -> NDArray[np.float64]:
        """The background colours as an (n, 3) array of sRGB values in 0..1."""
        return np.array([_hex_to_rgb(c) for c in self.background], dtype=np.float64) / 255.0

    def max_background_luminance(self, contrast: float = TARGET_CONTRAST) -> float:
        """The brightest a background pixel may be for the text to keep ``contrast``.

        Only meaningful for light text on dark backgrounds, which is what every
        built-in palette is: ``(L_text + 0.05) / (L_bg + 0.05) >= contrast``.
        """
        return (relative_luminance(self.text) + 0.05) / contrast - 0.05


# Dark, saturated backgrounds with white captions: the simple way to keep 7:1
# everywhere while still looking like something. Colours are deliberately deep
# (relative luminance below ~0.09) so mixing them never gets bright.
PALETTES: dict[str, Palette] = {
    p.name: p
    for p in (
        Palette("midnight", ("#0B1026", "#1B2A5A", "#3A2E6E", "#10405A")),
        Palette("ember", ("#1A0A0A", "#5A1A12", "#7A2E0E", "#3D0F2B")),
        Palette("forest", ("#07140E", "#0F3B2A", "#1F4D2B", "#23402F")),
        Palette("ocean", ("#041A24", "#08384F", "#0B4A5E", "#153050")),
        Palette("grape", ("#150822", "#3C1458", "#5A1D5E", "#24164A")),
        Palette("slate", ("#0E1116", "#232B36", "#2F3A48", "#3A3F4B")),
        Palette("rose", ("#1C0711", "#4F1030", "#6A1B3A", "#3A0E36")),
        Palette("teal", ("#031614", "#0A3D3A", "#0E4F4A", "#1B3B4F")),
    )
}


def get_palette(name: str) -> Palette:
    try:
        return PALETTES[name]
    except KeyError:
        raise InputError(
            f"Unknown palette {name!r}. Choose one of: {', '.join(PALETTES)} "
            "(setting REELFORGE_PROCEDURAL_PALETTE)."
        ) from None


def palette_for_seed(seed: int) -> Palette:
    """A palette chosen from the seed, stable across runs."""
    names = list(PALETTES)
    return PALETTES[names[seed % len(names)]]


def clamp_luminance(rgb: NDArray[np.float64], max_luminance: float) -> NDArray[np.float64]:
    """Darken any pixel brighter than ``max_luminance``, keeping its hue.

    Scaling linear RGB by a factor scales luminance by the same factor, so the
    result is exactly at the bound where it was above it, and untouched below.
    """
    lin = srgb_to_linear(np.clip(rgb, 0.0, 1.0))
    lum = lin @ np.array([0.2126, 0.7152, 0.0722])
    scale = np.minimum(1.0, max_luminance / np.maximum(lum, 1e-9))
    return linear_to_srgb(lin * scale[..., None])
