from __future__ import annotations

import re
import subprocess
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pydantic import ValidationError

from reelforge.av.ffmpeg import ffmpeg_exe, run_ffmpeg
from reelforge.errors import InputError
from reelforge.providers.types.media import WordTiming
from reelforge.studio.captions import (
    Box,
    CaptionStyle,
    ass_colour,
    ass_escape,
    ass_filter_arg,
    build_captions,
    offset,
    on_screen_text_card,
    safe_zone,
)
from reelforge.studio.captions_ass import srt_time
from reelforge.studio.fonts import copy_font_dir, default_font_path

FONT = default_font_path()
STORY = (
    "Bread goes stale because its starch crystallises, not because it dries out. "
    "Scientists call this retrogradation, and it happens fastest in the fridge! "
    "So keep your loaf on the counter, wrapped in a cloth, and freeze what you will not eat."
)
HIGHLIGHT = re.compile(r"\{\\1c&H3FD2FF&\}(.*?)\{\\1c&HFFFFFF&\}")


def timed(text: str, *, start: float = 0.1, gap: float = 0.05) -> list[WordTiming]:
    """Words spoken back to back, each lasting in proportion to its length."""
    words, t = [], start
    for word in text.split():
        length = 0.06 * len(word) + 0.1
        words.append(WordTiming(word=word, start=round(t, 3), end=round(t + length, 3)))
        t += length + gap
    return words


def dialogues(ass: str, style: str = "Caption") -> list[tuple[int, int, str]]:
    """(start cs, end cs, text) of each Dialogue of a style, parsed back from the file."""
    out = []
    for line in ass.splitlines():
        if not line.startswith("Dialogue:"):
            continue
        fields = line.split(":", 1)[1].split(",", 9)
        if fields[3] != style:
            continue
        out.append((cs(fields[1]), cs(fields[2]), fields[9]))
    return out


def cs(stamp: str) -> int:
    h, m, s = stamp.strip().split(":")
    return round((int(h) * 3600 + int(m) * 60 + float(s)) * 100)


@pytest.mark.parametrize("uppercase", [False, True])
def test_pages_have_at_most_two_rows_within_a_width_scaled_char_limit(uppercase: bool) -> None:
    words = timed(STORY * 2)
    track = build_captions(
        words=words,
        width=1080,
        height=1920,
        font_path=FONT,
        style=CaptionStyle(uppercase=uppercase),
    )
    rows = [row for line in track.lines for row in line.rows]
    assert all(1 <= len(line.rows) <= 2 for line in track.lines)
    assert max(len(r) for r in rows) <= 22  # a large bold font at 1080 wide
    assert max(len(r) for r in rows) >= 12  # ...and the room is used
    assert all(r == r.upper() for r in rows) == uppercase


def test_explicit_char_limit_is_obeyed_and_narrower_frames_get_fewer_chars() -> None:
    words = timed(STORY)
    narrow = build_captions(
        words=words,
        width=720,
        height=1280,
        font_path=FONT,
        style=CaptionStyle(max_chars_per_row=12),
    )
    rows = [r for line in narrow.lines for r in line.rows]
    assert max(len(r) for r in rows if " " in r) <= 12  # a lone long word may exceed it
    wide = build_captions(words=words, width=1920, height=1080, font_path=FONT)
    assert max(len(r) for line in wide.lines for r in line.rows) > 22


def test_no_word_is_lost_duplicated_or_reordered() -> None:
    words = timed(STORY)
    track = build_captions(words=words, width=720, height=1280, font_path=FONT)
    assert [w.word for line in track.lines for w in line.words] == [w.word for w in words]
    assert " ".join(r for line in track.lines for r in line.rows).split() == STORY.split()


def test_punctuation_timed_as_its_own_word_stays_with_its_word() -> None:
    words = [
        WordTiming(word="Hello", start=0.0, end=0.4),
        WordTiming(word=",", start=0.4, end=0.45),
        WordTiming(word="world", start=0.5, end=0.9),
    ]
    track = build_captions(words=words, width=720, height=1280, font_path=FONT)
    assert track.lines[0].rows == ["Hello, world"]
    assert [w.word for w in track.lines[0].words] == ["Hello", ",", "world"]


def test_a_pause_or_a_sentence_end_starts_a_new_page() -> None:
    words = [
        WordTiming(word="One", start=0.0, end=0.3),
        WordTiming(word="two.", start=0.35, end=0.6),
        WordTiming(word="Three", start=0.65, end=0.9),
        WordTiming(word="four", start=1.5, end=1.8),  # 0.6 s of silence before it
    ]
    track = build_captions(words=words, width=1080, height=1920, font_path=FONT)
    assert [line.rows for line in track.lines] == [["One two."], ["Three"], ["four"]]


def test_pages_follow_the_voice_without_overlap_or_flicker() -> None:
    words = timed(STORY, gap=0.12)
    track = build_captions(words=words, width=1080, height=1920, font_path=FONT)
    for line, following in zip(track.lines, track.lines[1:], strict=False):
        assert line.start == pytest.approx(line.words[0].start, abs=0.006)
        assert line.end >= line.words[-1].end - 0.006
        assert line.end <= following.start  # never overlaps the next page
        gap = following.start - line.end
        assert gap == 0 or gap >= 0.25  # short gaps are bridged, not flashed
    lonely = build_captions(words=timed("hi"), width=1080, height=1920, font_path=FONT)
    assert lonely.lines[0].end > lonely.lines[0].words[-1].end  # lingers after the word


def test_karaoke_lights_each_word_from_its_own_start() -> None:
    words = timed(STORY)
    track = build_captions(words=words, width=1080, height=1920, font_path=FONT)
    events = dialogues(track.ass)
    lit = [HIGHLIGHT.search(text) for _, _, text in events]
    assert all(m is not None for m in lit)
    assert [m.group(1) for m in lit if m] == [w.word for w in words]
    for (start, end, _), word in zip(events, words, strict=True):
        assert start == round(word.start * 100)
        assert end > start
    for (_, end, _), (start, _, _) in pairwise(events):
        assert end <= start  # one caption event on screen at a time
    # Each event shows the whole page: only the highlight moves.
    plain = [HIGHLIGHT.sub(r"\1", text) for _, _, text in events[:3]]
    assert len(set(plain)) == 1


def test_optional_pop_enlarges_only_the_active_word() -> None:
    track = build_captions(
        words=timed("pop goes the word"),
        width=1080,
        height=1920,
        font_path=FONT,
        style=CaptionStyle(pop=1.1),
    )
    text = dialogues(track.ass)[1][2]
    assert "{\\1c&H3FD2FF&\\fscx110\\fscy110}goes{\\1c&HFFFFFF&\\fscx100\\fscy100}" in text


def test_ass_header_sizes_the_script_to_the_frame_and_names_the_real_font() -> None:
    track = build_captions(words=timed("hello there"), width=720, height=1280, font_path=FONT)
    assert "PlayResX: 720\nPlayResY: 1280\nWrapStyle: 2\nScaledBorderAndShadow: yes" in track.ass
    style = next(line for line in track.ass.splitlines() if line.startswith("Style: Caption,"))
    fields = style.removeprefix("Style: ").split(",")
    assert fields[1] == "Inter Extra Bold"
    assert float(fields[16]) > 0 and float(fields[17]) > 0  # outline and shadow
    assert fields[18] == "2"  # bottom-centred
    margin_l, margin_r, margin_v = int(fields[19]), int(fields[20]), int(fields[21])
    assert margin_r > margin_l  # clear of the right-hand icon column
    assert 0.66 <= 1 - margin_v / 1280 <= 0.70  # text bottom at ~two thirds down


def test_ass_special_characters_in_words_stay_text() -> None:
    assert ass_escape("{\\b1}bold") == "\\{\\\u200bb1\\}bold"
    assert ass_escape("C:\\New") == "C:\\\u200bNew"  # not a line break
    words = [WordTiming(word="{\\i1}tricky}", start=0.0, end=0.5)]
    track = build_captions(words=words, width=720, height=1280, font_path=FONT)
    text = dialogues(track.ass)[0][2]
    blocks = re.findall(r"(?<!\\)\{[^}]*\}", text)
    assert blocks == ["{\\1c&H3FD2FF&}", "{\\1c&HFFFFFF&}"]  # only our own overrides


def test_hex_colours_become_ass_colours() -> None:
    assert ass_colour("#FFD23F") == "&H003FD2FF"
    assert ass_colour("#ff0000") == "&H000000FF"
    assert ass_colour("#000000", alpha=0x60) == "&H60000000"
    with pytest.raises(InputError, match="#RRGGBB"):
        ass_colour("yellow")
    with pytest.raises(ValidationError):
        CaptionStyle(highlight_colour="#12345")


def test_palette_colour_is_used_for_the_text() -> None:
    style = CaptionStyle(text_colour="#A0E7E5", highlight_colour="#FF006E")
    track = build_captions(words=timed("a b"), width=720, height=1280, font_path=FONT, style=style)
    assert "Style: Caption,Inter Extra Bold,64,&H00E5E7A0," in track.ass
    assert "{\\1c&H6E00FF&}a{\\1c&HE5E7A0&}" in track.ass


def test_srt_has_numbered_plain_cues_in_order() -> None:
    words = timed(STORY, start=3595.0)  # crosses the hour
    track = build_captions(
        words=words, width=1080, height=1920, font_path=FONT, style=CaptionStyle(uppercase=True)
    )
    cues = track.srt.strip().split("\n\n")
    assert len(cues) == len(track.lines)
    stamp = r"(\d{2}):(\d{2}):(\d{2}),(\d{3})"
    previous_end = 0
    for number, cue in enumerate(cues, start=1):
        head, times, *text = cue.split("\n")
        assert head == str(number)
        m = re.fullmatch(f"{stamp} --> {stamp}", times)
        assert m is not None
        g = [int(x) for x in m.groups()]
        start = ((g[0] * 60 + g[1]) * 60 + g[2]) * 1000 + g[3]
        end = ((g[4] * 60 + g[5]) * 60 + g[6]) * 1000 + g[7]
        assert previous_end <= start < end
        previous_end = end
        assert 1 <= len(text) <= 2 and "{" not in cue
    assert "Bread goes" in track.srt  # the sidecar keeps the words' own case
    assert srt_time(366_123) == "01:01:01,230"


def test_offset_moves_a_scenes_words_to_video_time() -> None:
    moved = offset(timed("one two"), 12.5)
    assert [(w.start, w.end) for w in moved] == [(12.6, 12.88), (12.93, 13.21)]
    track = build_captions(words=moved, width=720, height=1280, font_path=FONT)
    assert track.srt.startswith("1\n00:00:12,600 --> ")


def test_until_keeps_a_scenes_captions_inside_the_scene() -> None:
    track = build_captions(
        words=timed("one two three"), width=720, height=1280, font_path=FONT, until=0.9
    )
    assert dialogues(track.ass)[-1][1] == 90


def test_safe_zone_clears_platform_ui() -> None:
    zone = safe_zone(1080, 1920)
    assert zone.top >= 0.10 * 1920
    assert zone.bottom <= 0.80 * 1920
    assert zone.right <= 0.87 * 1080
    assert zone.left > 0


@pytest.mark.parametrize(("width", "height"), [(1080, 1920), (720, 1280), (180, 320)])
def test_every_caption_and_card_lies_inside_the_safe_zone(width: int, height: int) -> None:
    long_word = "Pneumonoultramicroscopicsilicovolcanoconiosis-antidisestablishmentarianism"
    words = timed(f"{STORY} {long_word} is a word.")
    track = build_captions(
        words=words,
        width=width,
        height=height,
        font_path=FONT,
        style=CaptionStyle(uppercase=True),
        headline="Why your bread goes stale so fast (and the fix)",
        headline_until=3.0,
    )
    zone = safe_zone(width, height)
    assert all(zone.contains(line.box) for line in track.lines)
    assert track.headline is not None and zone.contains(track.headline.block.box)
    shrunk = next(line for line in track.lines if long_word.upper() in line.rows)
    assert shrunk.rows == [long_word.upper()]  # alone on its page, font shrunk to fit
    assert shrunk.font_size < round(0.05 * height)
    assert "{\\fs%d}" % shrunk.font_size in track.ass  # noqa: UP031
    normal = [line.font_size for line in track.lines if line is not shrunk]
    assert set(normal) == {round(0.05 * height)}  # one long word does not shrink the rest


def test_text_card_without_voice_shows_for_the_whole_scene() -> None:
    track = build_captions(
        words=[],
        width=720,
        height=1280,
        font_path=FONT,
        headline="Silent but clear",
        headline_until=4.2,
    )
    assert track.lines == [] and track.srt == ""
    [(start, end, text)] = dialogues(track.ass, style="Headline")
    assert (start, end) == (0, 420) and "Silent" in text
    card = on_screen_text_card(
        text="A {tricky} title", width=720, height=1280, font_path=FONT, start=1.0, end=2.0
    )
    assert card.events[0].startswith("Dialogue: 1,0:00:01.00,0:00:02.00,Headline,")
    assert "\\{tricky\\}" in card.events[0]
    with pytest.raises(InputError):
        on_screen_text_card(text="  ", width=720, height=1280, font_path=FONT, end=1.0)


def test_ass_filter_arg_escapes_filtergraph_specials() -> None:
    arg = ass_filter_arg(Path("/tmp/a:b,c/it's [x].ass"), Path("/f;d"))
    assert arg == ("ass=filename=/tmp/a\\\\:b\\,c/it\\\\\\'s \\[x\\].ass:fontsdir=/f\\;d")


# --- a real render ----------------------------------------------------------

W, H = 360, 640
YELLOW = np.array([0xFF, 0xD2, 0x3F])


def frame_at(video: Path, seconds: float, out: Path) -> np.ndarray:
    run_ffmpeg(["-ss", f"{seconds}", "-i", str(video), "-frames:v", "1", str(out)])
    return np.asarray(Image.open(out).convert("RGB")).astype(int)


def inside(box: Box, ys: np.ndarray, xs: np.ndarray, pad: float = 2) -> np.ndarray:
    return (
        (xs >= box.left - pad)
        & (xs < box.right + pad)
        & (ys >= box.top - pad)
        & (ys < box.bottom + pad)
    )


@pytest.mark.slow
def test_captions_really_burn_in_inside_the_safe_zone_with_the_spoken_word_lit(
    tmp_path: Path,
) -> None:
    odd = tmp_path / "it's, a [dir]; x=1:y"  # every character ffmpeg's syntax cares about
    font = copy_font_dir(FONT, odd / "fonts")
    words = [
        WordTiming(word="Bread", start=0.1, end=0.4),
        WordTiming(word="goes", start=0.45, end=0.7),
        WordTiming(word="stale", start=0.75, end=1.0),
        WordTiming(word="because", start=1.05, end=1.5),
    ]
    track = build_captions(
        words=words,
        width=W,
        height=H,
        font_path=font,
        headline="Why bread goes stale",
        headline_until=2.0,
    )
    [line] = track.lines
    assert line.rows == ["Bread goes", "stale because"]
    track.save(ass_path=odd / "captions.ass", srt_path=odd / "captions.srt")
    plain, burned = tmp_path / "plain.mkv", tmp_path / "burned.mkv"
    run_ffmpeg(
        [
            "-f",
            "lavfi",
            "-i",
            f"color=c=0x336699:s={W}x{H}:d=2:r=25",
            "-vf",
            "format=rgb24",
            "-c:v",
            "ffv1",
            str(plain),
        ]
    )
    graph = f"[0:v]format=rgb24,{ass_filter_arg(odd / 'captions.ass', font.parent)}[v]"
    proc = subprocess.run(
        [
            ffmpeg_exe(),
            "-hide_banner",
            "-nostdin",
            "-y",
            "-loglevel",
            "verbose",
            "-i",
            str(plain),
            "-filter_complex",
            graph,
            "-map",
            "[v]",
            "-c:v",
            "ffv1",
            str(burned),
        ],
        capture_output=True,
        text=True,
        errors="replace",
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "fontselect: (Inter Extra Bold" in proc.stderr and "-> Inter-ExtraBold" in proc.stderr

    base = frame_at(plain, 0.3, tmp_path / "base.png")
    first = frame_at(burned, 0.3, tmp_path / "first.png")  # "Bread" being spoken
    last = frame_at(burned, 1.3, tmp_path / "last.png")  # "because" being spoken
    ys, xs = np.nonzero(np.abs(first - base).sum(axis=2) > 24)
    assert len(ys) > 500  # the captions are really there
    zone = safe_zone(W, H)
    assert inside(zone, ys, xs, pad=0).all()  # nothing drawn outside the safe zone
    assert track.headline is not None
    in_caption = inside(line.box, ys, xs)
    in_card = inside(track.headline.block.box, ys, xs)
    assert in_caption.sum() > 200 and in_card.sum() > 200
    assert (in_caption | in_card).all()  # drawn where the layout said it would be

    def lit(frame: np.ndarray) -> tuple[float, float]:
        yy, xx = np.nonzero(np.abs(frame - YELLOW).sum(axis=2) < 40)
        assert len(yy) > 30, "the highlight colour is not on screen"
        assert inside(line.box, yy, xx).all()
        return float(yy.mean()), float(xx.mean())

    (y1, x1), (y2, x2) = lit(first), lit(last)
    assert y1 < line.box.top + line.box.height / 2 < y2  # row 1 lit, then row 2
    assert x1 < x2  # "Bread" is left of centre, "because" right of it
