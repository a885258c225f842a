"""Procedural backgrounds: the offline default that always has something to show.

Why small: every style is a smooth field of colour (gradients, soft glows,
blurred discs, sine stripes), so it is drawn at a quarter of the output size
and the renderer scales it up (bicubic) while panning and zooming. Drawing
1080×1920 pixels per scene would cost time and look no different.

Why readable: each palette names a caption colour, and every drawn pixel is
clamped to the brightness at which that colour still has at least 7.5:1
contrast (see :mod:`reelforge.providers.media.palette`). The caption colour travels on
the asset as ``text_color``.

Output is deterministic for (style, palette, seed, size) and stored under a
name derived from those inputs, so a second request reuses the file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from reelforge.errors import InputError
from reelforge.providers.base import MediaRequest, MediaSource
from reelforge.providers.media.palette import (
    Palette,
    clamp_luminance,
    get_palette,
    palette_for_seed,
)
from reelforge.providers.types.media import MediaAsset

STYLES = ("gradient", "aurora", "bokeh", "stripes", "grain")
#: Drawn at 1/SCALE of the requested size; the renderer scales up.
SCALE = 4
#: Bump when a style's drawing changes, so cached files are not reused.
VERSION = 1

Field = NDArray[np.float64]
Draw = Callable[[np.random.Generator, int, int, Field], Field]


def _grid(w: int, h: int) -> tuple[Field, Field]:
    """Pixel-centre coordinates scaled so the longer side spans 0..1."""
    side = float(max(w, h))
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float64)
    return (xs + 0.5) / side, (ys + 0.5) / side


def _ramp(t: Field, colours: Field) -> Field:
    """Map t in 0..1 through the colours as evenly spaced stops."""
    stops = np.linspace(0.0, 1.0, len(colours))
    out = np.empty((*t.shape, 3))
    for c in range(3):
        out[..., c] = np.interp(t, stops, colours[:, c])
    return out


def _linear_gradient(rng: np.random.Generator, w: int, h: int, colours: Field) -> Field:
    x, y = _grid(w, h)
    angle = rng.uniform(0, 2 * np.pi)
    proj = x * np.cos(angle) + y * np.sin(angle)
    t = (proj - proj.min()) / max(float(np.ptp(proj)), 1e-9)
    order = rng.permutation(len(colours))[: min(3, len(colours))]
    return _ramp(t, colours[order])


def _vignette(w: int, h: int, strength: float = 0.35) -> Field:
    x, y = _grid(w, h)
    cx, cy = x.max() / 2, y.max() / 2
    d = np.hypot(x - cx, y - cy) / np.hypot(cx, cy)
    result: Field = 1.0 - strength * np.clip(d, 0, 1) ** 2
    return result


def _mix(base: Field, colour: Field, alpha: Field) -> Field:
    """Blend towards ``colour`` by ``alpha`` (a convex mix: never brighter than both)."""
    a = np.clip(alpha, 0.0, 1.0)[..., None]
    result: Field = base * (1 - a) + colour * a
    return result


def draw_gradient(rng: np.random.Generator, w: int, h: int, colours: Field) -> Field:
    result: Field = _linear_gradient(rng, w, h, colours) * _vignette(w, h)[..., None]
    return result


def draw_aurora(rng: np.random.Generator, w: int, h: int, colours: Field) -> Field:
    x, y = _grid(w, h)
    img = np.broadcast_to(colours[0], (h, w, 3)).copy()
    for _ in range(3):
        colour = colours[rng.integers(1, len(colours))]
        centre = rng.uniform(0.2, 0.8) * y.max()
        wave = 0.08 * np.sin(2 * np.pi * rng.uniform(0.6, 1.8) * x + rng.uniform(0, 2 * np.pi))
        width = rng.uniform(0.06, 0.14)
        glow = np.exp(-(((y - centre - wave) / width) ** 2))
        img = _mix(img, colour, glow * rng.uniform(0.6, 0.9))
    result: Field = img * _vignette(w, h, 0.25)[..., None]
    return result


def draw_bokeh(rng: np.random.Generator, w: int, h: int, colours: Field) -> Field:
    x, y = _grid(w, h)
    img = _linear_gradient(rng, w, h, colours[:2]) * 0.8
    for _ in range(int(rng.integers(10, 20))):
        cx, cy = rng.uniform(0, x.max()), rng.uniform(0, y.max())
        radius = rng.uniform(0.03, 0.11)
        d = np.hypot(x - cx, y - cy)
        disc = np.clip((radius - d) / (radius * 0.45), 0.0, 1.0)
        disc = disc * disc * (3 - 2 * disc)  # smoothstep: soft edge
        img = _mix(img, colours[rng.integers(1, len(colours))], disc * rng.uniform(0.35, 0.8))
    return img


def draw_stripes(rng: np.random.Generator, w: int, h: int, colours: Field) -> Field:
    x, y = _grid(w, h)
    angle = rng.uniform(np.pi / 6, np.pi / 3) * rng.choice([-1.0, 1.0])
    s = (x * np.cos(angle) + y * np.sin(angle)) * rng.uniform(3.0, 6.0)
    band = 0.5 + 0.5 * np.sin(2 * np.pi * s)
    band = band * band * (3 - 2 * band)
    a, b = rng.choice(len(colours), size=2, replace=False)
    img = _mix(np.broadcast_to(colours[a], (h, w, 3)), colours[b], band * 0.85)
    result: Field = img * _vignette(w, h)[..., None]
    return result


def draw_grain(rng: np.random.Generator, w: int, h: int, colours: Field) -> Field:
    base = _linear_gradient(rng, w, h, colours)
    noise = rng.normal(0.0, 0.025, size=(h, w, 1))
    result: Field = (base + noise) * _vignette(w, h, 0.3)[..., None]
    return result


DRAW: dict[str, Draw] = {
    "gradient": draw_gradient,
    "aurora": draw_aurora,
    "bokeh": draw_bokeh,
    "stripes": draw_stripes,
    "grain": draw_grain,
}


def small_size(width: int, height: int) -> tuple[int, int]:
    """The drawn size: a quarter of the output, even, at least 16 px a side."""

    def shrink(v: int) -> int:
        return max(16, (v // SCALE) // 2 * 2)

    return shrink(width), shrink(height)


def render_background(
    *, style: str, palette: Palette, seed: int, width: int, height: int
) -> Image.Image:
    """Draw one background at exactly ``width``×``height`` (already small)."""
    if style not in DRAW:
        raise InputError(f"Unknown background style {style!r}. Choose one of: {', '.join(STYLES)}.")
    key = f"{VERSION}:{style}:{palette.name}:{seed}".encode()
    rng = np.random.default_rng(int.from_bytes(hashlib.sha256(key).digest()[:8], "big"))
    field = DRAW[style](rng, width, height, palette.background_rgb())
    field = clamp_luminance(field, palette.max_background_luminance())
    pixels = np.round(np.clip(field, 0.0, 1.0) * 255.0).astype(np.uint8)
    return Image.fromarray(pixels, mode="RGB")


class ProceduralMedia(MediaSource):
    """Locally drawn backgrounds; needs no key, sends nothing anywhere."""

    name = "procedural"

    def setup(self) -> None:
        palette_name = self.settings.procedural_palette
        self.palette: Palette | None = get_palette(palette_name) if palette_name else None

    def choose(self, request: MediaRequest) -> tuple[str, Palette]:
        """Style and palette for a request: as asked, else derived from the seed."""
        style = request.style or STYLES[request.seed % len(STYLES)]
        if style not in STYLES:
            raise InputError(
                f"Unknown background style {style!r}. Choose one of: {', '.join(STYLES)}."
            )
        return style, self.palette or palette_for_seed(request.seed)

    def fetch(self, request: MediaRequest, *, cache_dir: Path) -> MediaAsset:
        style, palette = self.choose(request)
        w, h = small_size(request.width, request.height)
        ident = json.dumps([VERSION, style, palette.name, palette.background, request.seed, w, h])
        digest = hashlib.sha256(ident.encode()).hexdigest()[:20]
        out_dir = cache_dir / "procedural"
        path = out_dir / f"{style}-{palette.name}-{digest}.png"
        if not path.exists():
            out_dir.mkdir(parents=True, exist_ok=True)
            image = render_background(
                style=style, palette=palette, seed=request.seed, width=w, height=h
            )
            fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=".part-", suffix=".png")
            try:
                with os.fdopen(fd, "wb") as fh:
                    image.save(fh, format="PNG")
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        return MediaAsset(
            path=path,
            kind="image",
            provider=self.name,
            width=w,
            height=h,
            licence="generated locally",
            text_color=palette.text,
        )
