"""Text formats around captions: ASS colours, escapes and times, SRT times, ffmpeg's filter syntax.

Kept apart from the layout so the renderer can build an ``ass=`` filter
argument without pulling in font measuring.
"""

from __future__ import annotations

import re
from pathlib import Path

from reelforge.errors import InputError

_HEX = re.compile(r"^#?([0-9a-fA-F]{6})$")


def ass_colour(hex_colour: str, *, alpha: int = 0) -> str:
    """'#RRGGBB' -> '&HAABBGGRR' (ASS order; alpha 0 is opaque, 255 invisible)."""
    match = _HEX.match(hex_colour.strip())
    if match is None or not 0 <= alpha <= 255:
        raise InputError(f"{hex_colour!r} is not a colour; write it as #RRGGBB, e.g. #FFD23F.")
    rgb = match[1].upper()
    return f"&H{alpha:02X}{rgb[4:6]}{rgb[2:4]}{rgb[0:2]}"


def override_colour(hex_colour: str) -> str:
    """The '&HBBGGRR&' form used inside ``{\\1c...}`` override tags."""
    return f"&H{ass_colour(hex_colour)[4:]}&"


def ass_escape(text: str) -> str:
    """Make a word safe inside an ASS Dialogue: braces and backslashes stay literal.

    ``{``/``}`` would open/close an override block; libass draws ``\\{``/``\\}``
    as braces. A backslash is followed by a zero-width space so that words such
    as ``C:\\New`` do not turn into a line break (``\\N``).
    """
    text = " ".join(text.split())
    return text.replace("\\", "\\\u200b").replace("{", "\\{").replace("}", "\\}")


def ass_time(cs: int) -> str:
    return f"{cs // 360000}:{cs // 6000 % 60:02d}:{cs // 100 % 60:02d}.{cs % 100:02d}"


def srt_time(cs: int) -> str:
    ms = cs * 10
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


def _filter_value(value: str) -> str:
    """Escape a value for an ffmpeg filter option, then for the filtergraph around it."""
    level1 = re.sub(r"([\\':=])", r"\\\1", value)
    return re.sub(r"([\\'\[\],;])", r"\\\1", level1)


def ass_filter_arg(ass_path: Path, fonts_dir: Path) -> str:
    """``ass=...`` for a filtergraph, with paths escaped; fonts come from ``fonts_dir`` only."""
    return f"ass=filename={_filter_value(str(ass_path))}:fontsdir={_filter_value(str(fonts_dir))}"
