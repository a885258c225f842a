from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from reelforge.av.ffmpeg import probe, run_ffmpeg
from reelforge.errors import InputError, RenderError
from reelforge.providers.types.media import MediaAsset
from reelforge.studio.models import RenderSpec
from reelforge.studio.render import Segment, frame_aligned, join_segments, render_segment

SPEC = RenderSpec(width=180, height=320, fps=24, crf=28, x264_preset="ultrafast")


def _still(path: Path, size: tuple[int, int] = (90, 160)) -> MediaAsset:
    w, h = size
    pixels = np.zeros((h, w, 3), np.uint8)
    pixels[..., 0] = np.linspace(0, 255, w)[None, :]
    Image.fromarray(pixels).save(path)
    return MediaAsset(path=path, kind="image", provider="test", width=w, height=h)


def _frame(video: Path, at: float, out: Path) -> np.ndarray:
    run_ffmpeg(["-ss", str(at), "-i", str(video), "-frames:v", "1", str(out)])
    return np.asarray(Image.open(out).convert("RGB")).astype(int)


def test_scene_lengths_are_whole_frames() -> None:
    assert frame_aligned(1.01, 30) == pytest.approx(1.0)
    assert frame_aligned(2.5, 24) * 24 == pytest.approx(60)


@pytest.mark.slow
def test_a_still_fills_the_frame_and_pans(tmp_path: Path) -> None:
    out = tmp_path / "seg.mp4"
    render_segment(
        Segment(media=_still(tmp_path / "s.png"), duration=2.0, spec=SPEC, ass_filter=None),
        out_path=out,
    )
    info = probe(out)
    assert (info.width, info.height, info.fps) == (180, 320, 24)
    assert info.duration == pytest.approx(2.0, abs=0.05)
    first, last = _frame(out, 0, tmp_path / "a.png"), _frame(out, 1.9, tmp_path / "b.png")
    assert np.abs(first - last).mean() > 1.0  # the picture moved


@pytest.mark.slow
def test_a_short_landscape_clip_is_looped_and_cropped_to_portrait(tmp_path: Path) -> None:
    clip = tmp_path / "clip.mp4"
    run_ffmpeg(
        [
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=320x180:rate=25:duration=0.8",
            "-pix_fmt",
            "yuv420p",
            str(clip),
        ]
    )
    out = tmp_path / "seg.mp4"
    asset = MediaAsset(path=clip, kind="video", provider="test", duration=0.8)
    render_segment(Segment(media=asset, duration=2.5, spec=SPEC, ass_filter=None), out_path=out)
    info = probe(out)
    assert (info.width, info.height) == (180, 320)
    assert info.duration == pytest.approx(2.5, abs=0.05)


@pytest.mark.slow
def test_segments_join_with_the_soundtrack_into_a_web_ready_mp4(tmp_path: Path) -> None:
    segs = []
    for i in range(2):
        seg = tmp_path / f"s{i}.mp4"
        render_segment(
            Segment(
                media=_still(tmp_path / f"i{i}.png"),
                duration=1.0,
                spec=SPEC,
                ass_filter=None,
                motion=i,
            ),
            out_path=seg,
        )
        segs.append(seg)
    audio = tmp_path / "a.m4a"
    run_ffmpeg(["-f", "lavfi", "-i", "sine=duration=2", "-c:a", "aac", "-f", "mp4", str(audio)])
    out = tmp_path / "final.mp4"
    join_segments(
        segs, soundtrack=audio, total_seconds=2.0, out_path=out, list_path=tmp_path / "l.txt"
    )
    info = probe(out)
    assert info.video_codec == "h264" and info.audio_codec == "aac"
    assert info.duration == pytest.approx(2.0, abs=0.1)
    head = out.read_bytes()[:4096]
    assert head.find(b"moov") != -1 and head.find(b"moov") < max(
        head.find(b"mdat"), 4096
    )  # +faststart


def test_missing_media_is_reported_before_ffmpeg_runs(tmp_path: Path) -> None:
    asset = MediaAsset(path=tmp_path / "gone.png", kind="image", provider="test")
    with pytest.raises(RenderError, match="missing"):
        render_segment(
            Segment(media=asset, duration=1, spec=SPEC, ass_filter=None),
            out_path=tmp_path / "o.mp4",
        )


def test_ffmpeg_failure_carries_its_stderr_tail(tmp_path: Path) -> None:
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not an image")
    asset = MediaAsset(path=bad, kind="image", provider="test")
    with pytest.raises(RenderError) as info:
        render_segment(
            Segment(media=asset, duration=1, spec=SPEC, ass_filter=None),
            out_path=tmp_path / "o.mp4",
        )
    assert info.value.stderr_tail  # what ffmpeg said is shown to the user


def test_videos_over_ten_minutes_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="10 minutes"):
        join_segments(
            [],
            soundtrack=tmp_path / "a",
            total_seconds=601,
            out_path=tmp_path / "o.mp4",
            list_path=tmp_path / "l.txt",
        )
