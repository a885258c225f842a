"""The dashboard's colours are readable: every text colour against the background it is
drawn on reaches WCAG AA (4.5:1), checked on the stylesheet's own variables."""

from __future__ import annotations

import re

import pytest

from reelforge.web.dashboard import STATIC_DIR

# (text variable, background variable) pairs the stylesheet draws.
PAIRS = [
    ("text", "bg"),
    ("text", "surface"),
    ("muted", "surface"),
    ("muted", "bg"),
    ("accent", "surface"),
    ("accent", "bg"),
    ("accent-text", "accent"),
    ("danger-text", "danger"),
    ("notice-text", "notice-bg"),
    ("badge-text", "badge-bg"),
    ("muted", "badge-bg"),
    ("ok", "surface"),
    ("danger", "problem-bg"),
]


def _variables() -> dict[str, str]:
    css = (STATIC_DIR / "app.css").read_text()
    root = re.search(r":root\s*\{(.*?)\}", css, re.S)
    assert root, "app.css has no :root block"
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;", root.group(1)))


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_maths_matches_known_values() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize(("fg", "bg"), PAIRS)
def test_text_colours_reach_4_5_to_1(fg: str, bg: str) -> None:
    colours = _variables()
    assert contrast(colours[fg], colours[bg]) >= 4.5, f"--{fg} on --{bg}"


def test_every_page_stylesheet_uses_only_the_checked_variables_for_text() -> None:
    """Area stylesheets reuse the checked palette instead of new text colours."""
    for sheet in STATIC_DIR.glob("*.css"):
        colours = re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})", sheet.read_text())
        assert colours == [], f"{sheet.name} sets text colours outside the palette: {colours}"
