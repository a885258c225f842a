"""Word timings -> captions: an ASS file with the spoken word lit up, and an SRT sidecar.

How the karaoke works: a caption *page* (at most two rows) is written as one
ASS Dialogue event per word, each showing the whole page with that word wrapped
in a highlight-colour override, from that word's start to the next word's start.
libass therefore switches the colour exactly at each word's start; ``\\k`` tags
would sweep colour by durations and drift when timings have gaps.

Times are handled in whole centiseconds (ASS's resolution) so that one event's
end is exactly the next event's start: no flicker, no two events on screen at
once (which libass would stack on top of each other).

The words are shown as they come: the voice stage hands over the script's own
written words ("3", "hearts.", '"Octopuses') timed by what the voice spoke
(:mod:`reelforge.studio.caption_words`), so pages keep the script's
punctuation and casing and break at its sentence ends.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from reelforge.errors import InputError
from reelforge.providers.types.media import WordTiming
from reelforge.studio.captions_ass import (
    ass_colour,
    ass_escape,
    ass_filter_arg,
    ass_time,
    override_colour,
    srt_time,
)
from reelforge.studio.captions_layout import (
    CAPTION_BASELINE,
    Block,
    Box,
    Measurer,
    RowRules,
    fit_font_size,
    fits_page,
    prefer_soft_break,
    safe_zone,
    text_box,
    wrap,
)
from reelforge.studio.captions_page import (
    Page,
    Token,
    page_times,
    paginate,
    soft_breaks,
    tokens_of,
)
from reelforge.studio.fonts import font_family_name

__all__ = [
    "CAPTIONS_VERSION",
    "Box",
    "CaptionLine",
    "CaptionStyle",
    "CaptionTrack",
    "TextCard",
    "ass_colour",
    "ass_escape",
    "ass_filter_arg",
    "build_captions",
    "offset",
    "on_screen_text_card",
    "safe_zone",
]


#: Bumped whenever the same words and style give different caption files, so
#: caches keyed on it (the captions stage) do not reuse files made by older code.
#: 2: pages break at the script's sentence ends; rows prefer to end at commas.
CAPTIONS_VERSION = 2


class CaptionStyle(BaseModel):
    """The look of captions; sizes are fractions so one style fits every preset."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    font_size: float = Field(default=0.05, gt=0.01, le=0.2)  # of the frame height
    text_colour: str = "#FFFFFF"
    highlight_colour: str = "#FFD23F"  # warm yellow: readable on dark and light footage
    outline_colour: str = "#000000"
    outline: float = Field(default=0.09, ge=0, le=0.3)  # of the font size
    shadow: float = Field(default=0.05, ge=0, le=0.3)  # of the font size
    uppercase: bool = False
    max_chars_per_row: int | None = Field(default=None, ge=4, le=60)  # None: from the font
    max_rows: int = Field(default=2, ge=1, le=2)
    pause: float = Field(default=0.35, ge=0.05)  # a silence this long starts a new page
    pop: float = Field(default=1.0, ge=1.0, le=1.3)  # >1 enlarges the active word (reflows rows)
    headline_size: float = Field(default=0.055, gt=0.01, le=0.2)
    headline_rows: int = Field(default=3, ge=1, le=6)

    @field_validator("text_colour", "highlight_colour", "outline_colour")
    @classmethod
    def _is_colour(cls, value: str) -> str:
        try:
            ass_colour(value)
        except InputError as exc:
            raise ValueError(exc.message) from exc
        return value


class CaptionLine(BaseModel):
    """One caption page: when it shows, its words, its rows and where it lands."""

    start: float
    end: float
    words: list[WordTiming]
    rows: list[str]
    font_size: int
    box: Box


class TextCard(BaseModel):
    """A scene's on-screen text (or title card) shown top-centre for a time span."""

    events: list[str]
    block: Block


class CaptionTrack(BaseModel):
    ass: str
    srt: str
    lines: list[CaptionLine]
    headline: TextCard | None = None

    def save(self, *, ass_path: Path, srt_path: Path | None = None) -> None:
        ass_path.write_text(self.ass, encoding="utf-8")
        if srt_path is not None:
            srt_path.write_text(self.srt, encoding="utf-8")


def offset(words: list[WordTiming], seconds: float) -> list[WordTiming]:
    """Shift a scene's word timings to absolute time in the whole video."""
    return [
        WordTiming(word=w.word, start=max(0.0, w.start + seconds), end=max(0.0, w.end + seconds))
        for w in words
    ]


class _Frame:
    """Geometry shared by every event of one ASS file."""

    def __init__(self, width: int, height: int, font_path: Path, style: CaptionStyle) -> None:
        if width < 16 or height < 16:
            raise InputError(f"A {width}x{height} frame is too small for captions.")
        self.width, self.height, self.style = width, height, style
        self.measure = Measurer(font_path)
        self.safe = safe_zone(width, height)
        self.margin_l = int(self.safe.left)
        self.margin_r = int(width - self.safe.right)
        self.centre_x = (self.margin_l + width - self.margin_r) / 2
        self.size = max(6, round(style.font_size * height))
        self.headline_size = max(6, round(style.headline_size * height))
        self.caption_margin_v = round(height * (1 - CAPTION_BASELINE))
        self.headline_margin_v = round(self.safe.top + 0.02 * height)

    def border(self, size: float) -> float:
        return self.style.outline * size

    def shadow(self, size: float) -> float:
        return self.style.shadow * size

    def rules(self, size: int, max_rows: int, *, pop: float = 1.0) -> RowRules:
        room = self.safe.width - 2 * self.border(size) - self.shadow(size)
        chars = self.style.max_chars_per_row or max(
            6, int(room / self.measure.average_char(size, uppercase=self.style.uppercase))
        )
        return RowRules(max_chars=chars, max_rows=max_rows, max_width=room, font_size=size, pop=pop)

    def header(self, family: str) -> str:
        s = self.style
        primary, outline = ass_colour(s.text_colour), ass_colour(s.outline_colour)
        back = ass_colour(s.outline_colour, alpha=0x60)
        cap_b, cap_s = self.border(self.size), self.shadow(self.size)
        head_b, head_s = self.border(self.headline_size), self.shadow(self.headline_size)
        ml, mr = self.margin_l, self.margin_r
        return (
            "[Script Info]\n; Script generated by reelforge\nScriptType: v4.00+\n"
            f"PlayResX: {self.width}\nPlayResY: {self.height}\nWrapStyle: 2\n"
            "ScaledBorderAndShadow: yes\nYCbCr Matrix: None\n\n[V4+ Styles]\n"
            "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, "
            "BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, "
            "BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\n"
            f"Style: Caption,{family},{self.size},{primary},{primary},{outline},{back},"
            f"0,0,0,0,100,100,0,0,1,{cap_b:.1f},{cap_s:.1f},2,{ml},{mr},{self.caption_margin_v},1\n"
            f"Style: Headline,{family},{self.headline_size},{primary},{primary},{outline},{back},"
            f"0,0,0,0,100,100,0,0,1,{head_b:.1f},{head_s:.1f},8,{ml},{mr},"
            f"{self.headline_margin_v},1\n\n[Events]\n"
            "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
        )

    def caption_box(self, rows: list[list[str]], size: int) -> Box:
        return text_box(
            rows,
            size=size,
            measure=self.measure,
            centre_x=self.centre_x,
            bottom=self.height - self.caption_margin_v,
            border=self.border(size),
            shadow=self.shadow(size),
            pop=self.style.pop,
        )


def _page_text(page: Page, active: int, frame: _Frame, size: int) -> str:
    s = frame.style
    on, off = override_colour(s.highlight_colour), override_colour(s.text_colour)
    grow = round(s.pop * 100)
    pop_on = f"\\fscx{grow}\\fscy{grow}" if grow != 100 else ""
    pop_off = "\\fscx100\\fscy100" if grow != 100 else ""
    rows_out: list[str] = []
    index = 0
    for row in page.rows:
        parts = []
        for token in row:
            text = ass_escape(token.shown)
            if index == active:
                text = f"{{\\1c{on}{pop_on}}}{text}{{\\1c{off}{pop_off}}}"
            parts.append(text)
            index += 1
        rows_out.append(" ".join(parts))
    prefix = f"{{\\fs{size}}}" if size != frame.size else ""
    return prefix + "\\N".join(rows_out)


def _karaoke_events(page: Page, start: int, end: int, frame: _Frame, size: int) -> list[str]:
    """One event per word: the page with that word highlighted, until the next word starts."""
    tokens = page.tokens
    starts = [start]
    for token in tokens[1:]:
        starts.append(min(end, max(starts[-1], round(token.start * 100))))
    events = []
    for i, begin in enumerate(starts):
        finish = starts[i + 1] if i + 1 < len(starts) else end
        if finish > begin:
            text = _page_text(page, i, frame, size)
            events.append(
                f"Dialogue: 0,{ass_time(begin)},{ass_time(finish)},Caption,,0,0,0,,{text}"
            )
    return events


def _layout_page(tokens: list[Token], frame: _Frame) -> tuple[list[list[Token]], int]:
    rules = frame.rules(frame.size, frame.style.max_rows, pop=frame.style.pop)
    shown = [t.shown for t in tokens]
    rows = wrap(shown, rules, frame.measure) or [[t] for t in shown]
    rows = prefer_soft_break(rows, soft_breaks(tokens), rules, frame.measure)
    size = fit_font_size(rows, rules, frame.measure)
    grouped: list[list[Token]] = []
    i = 0
    for row in rows:
        grouped.append(tokens[i : i + len(row)])
        i += len(row)
    return grouped, size


def on_screen_text_card(
    *,
    text: str,
    width: int,
    height: int,
    font_path: Path,
    start: float = 0.0,
    end: float,
    style: CaptionStyle | None = None,
) -> TextCard:
    """A scene's short on-screen text as ASS events, top-centred inside the safe zone."""
    frame = _Frame(width, height, font_path, style or CaptionStyle())
    return _text_card(frame, text, start, end)


def _text_card(frame: _Frame, text: str, start: float, end: float) -> TextCard:
    words = (text.upper() if frame.style.uppercase else text).split()
    if not words:
        raise InputError("The on-screen text is empty; write a few words or leave it out.")
    size = frame.headline_size
    rows: list[list[str]] | None = None
    while rows is None:
        rules = frame.rules(size, frame.style.headline_rows)
        rows = wrap(words, rules, frame.measure)
        if rows is None and size <= frame.headline_size // 2:
            rules = frame.rules(size, len(words))  # very long text: more rows, not tinier
            rows = wrap(words, rules, frame.measure) or [[w] for w in words]
        if rows is None:
            size = max(frame.headline_size // 2, int(size * 0.9))
    size = fit_font_size(rows, rules, frame.measure)
    box = text_box(
        rows,
        size=size,
        measure=frame.measure,
        centre_x=frame.centre_x,
        top=frame.headline_margin_v,
        border=frame.border(size),
        shadow=frame.shadow(size),
    )
    body = "\\N".join(" ".join(ass_escape(w) for w in row) for row in rows)
    if size != frame.headline_size:
        body = f"{{\\fs{size}}}{body}"
    first, last = round(start * 100), max(round(end * 100), round(start * 100) + 1)
    event = f"Dialogue: 1,{ass_time(first)},{ass_time(last)},Headline,,0,0,0,,{body}"
    return TextCard(events=[event], block=Block(rows=rows, font_size=size, box=box))


def build_captions(
    *,
    words: list[WordTiming],
    width: int,
    height: int,
    font_path: Path,
    style: CaptionStyle | None = None,
    headline: str | None = None,
    headline_until: float = 0.0,
    until: float | None = None,
) -> CaptionTrack:
    """Caption pages with karaoke highlighting (ASS) and plain cues (SRT).

    ``until`` (seconds) caps the last page, e.g. at the scene's length;
    ``headline`` adds a top-centred text card from 0 to ``headline_until``.
    """
    style = style or CaptionStyle()
    frame = _Frame(width, height, font_path, style)
    tokens = tokens_of(words, uppercase=style.uppercase)
    rules = frame.rules(frame.size, style.max_rows, pop=style.pop)
    pages = paginate(
        tokens,
        fits=lambda shown: fits_page(shown, rules, frame.measure),
        pause=style.pause,
        capacity=rules.max_chars * style.max_rows,
    )
    events: list[str] = []
    lines: list[CaptionLine] = []
    cues: list[str] = []
    for page, (start, end) in zip(pages, page_times(pages, until=until), strict=True):
        if end <= start:
            continue
        page.rows, size = _layout_page(page.tokens, frame)
        events += _karaoke_events(page, start, end, frame, size)
        shown_rows = [[t.shown for t in row] for row in page.rows]
        lines.append(
            CaptionLine(
                start=start / 100,
                end=end / 100,
                words=[w for t in page.tokens for w in t.words],
                rows=[" ".join(r) for r in shown_rows],
                font_size=size,
                box=frame.caption_box(shown_rows, size),
            )
        )
        plain = "\n".join(" ".join(t.text for t in row) for row in page.rows)
        cues.append(f"{len(cues) + 1}\n{srt_time(start)} --> {srt_time(end)}\n{plain}\n")
    card = None
    if headline and headline.strip():
        card = _text_card(frame, headline, 0.0, headline_until)
        events = card.events + events
    ass = frame.header(font_family_name(font_path)) + "".join(e + "\n" for e in events)
    return CaptionTrack(ass=ass, srt="\n".join(cues), lines=lines, headline=card)
