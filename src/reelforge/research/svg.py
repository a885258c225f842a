"""A very small SVG writer: shapes, escaped text, nice axis ticks.

Why hand-written and not a plotting library: three simple charts do not
justify a large dependency and its font cache, and writing the elements
ourselves keeps the output deterministic (same data, same bytes — cacheable)
and its text real ``<text>`` (searchable, accessible, testable).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from xml.sax.saxutils import escape, quoteattr

FONT = "Inter, 'Helvetica Neue', Arial, sans-serif"
INK = "#1f2933"
MUTED = "#616e7c"
GRID = "#e4e7eb"
ACCENT = "#2f6fdd"


def compact(value: float) -> str:
    """12,345 -> "12.3K"; 2,000,000 -> "2M"."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.3g}" if value != int(value) else str(int(value))


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering [lo, hi] (1, 2, 2.5 or 5 times a power of ten apart)."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(lo / step) * step
    ticks, value = [], start
    while value <= hi + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < hi:
        ticks.append(round(value, 10))
    return ticks


def _attrs(attrs: Mapping[str, object]) -> str:
    return "".join(
        f" {k.rstrip('_').replace('_', '-')}={quoteattr(str(v))}"
        for k, v in attrs.items()
        if v is not None
    )


class Svg:
    """Collects elements; :meth:`render` returns the document."""

    def __init__(self, width: int, height: int, *, title: str) -> None:
        self.width, self.height, self.title = width, height, title
        self.parts: list[str] = []

    def rect(
        self, x: float, y: float, w: float, h: float, *, tip: str = "", **attrs: object
    ) -> None:
        inner = f"<title>{escape(tip)}</title>" if tip else ""
        box = _attrs({"x": f"{x:.1f}", "y": f"{y:.1f}", "width": f"{w:.1f}", "height": f"{h:.1f}"})
        if inner:
            self.parts.append(f"<rect{box}{_attrs(attrs)}>{inner}</rect>")
        else:
            self.parts.append(f"<rect{box}{_attrs(attrs)}/>")

    def line(self, x1: float, y1: float, x2: float, y2: float, **attrs: object) -> None:
        pos = {"x1": f"{x1:.1f}", "y1": f"{y1:.1f}", "x2": f"{x2:.1f}", "y2": f"{y2:.1f}"}
        self.parts.append(f"<line{_attrs(pos)}{_attrs(attrs)}/>")

    def polyline(self, points: list[tuple[float, float]], **attrs: object) -> None:
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        self.parts.append(f"<polyline points={quoteattr(coords)}{_attrs(attrs)}/>")

    def circle(self, x: float, y: float, r: float, *, tip: str = "", **attrs: object) -> None:
        pos = _attrs({"cx": f"{x:.1f}", "cy": f"{y:.1f}", "r": r})
        inner = f"<title>{escape(tip)}</title>" if tip else ""
        self.parts.append(f"<circle{pos}{_attrs(attrs)}>{inner}</circle>")

    def text(self, x: float, y: float, content: str, *, size: int = 12, **attrs: object) -> None:
        base = {"x": f"{x:.1f}", "y": f"{y:.1f}", "font_size": size, "fill": attrs.pop("fill", INK)}
        self.parts.append(f"<text{_attrs(base)}{_attrs(attrs)}>{escape(content)}</text>")

    def render(self) -> str:
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" height="{self.height}" '
            f'viewBox="0 0 {self.width} {self.height}" role="img" font-family={quoteattr(FONT)}>'
        )
        return "\n".join(
            [
                head,
                f"<title>{escape(self.title)}</title>",
                f'<rect width="{self.width}" height="{self.height}" fill="#ffffff"/>',
                *self.parts,
                "</svg>",
            ]
        )


def heat(value: float, lo: float, hi: float) -> str:
    """A colour from pale to deep blue for ``value`` within [lo, hi]."""
    t = 0.0 if hi <= lo else max(0.0, min(1.0, (value - lo) / (hi - lo)))
    start, end = (232, 240, 254), (23, 64, 158)
    r, g, b = (round(s + (e - s) * t) for s, e in zip(start, end, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"
