from pathlib import Path

import pytest

from reelforge.av.ffmpeg import measure_loudness, probe, run_ffmpeg
from reelforge.studio.audio import AudioPlan, build_soundtrack


def _tone(path: Path, *, freq: int, seconds: float, volume: float = 1.0) -> Path:
    """A sine tone; ffmpeg's sine source peaks at 1/8 full scale, so volume=3 is speech-like."""
    run_ffmpeg(
        [
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency={freq}:duration={seconds}",
            "-af",
            f"volume={volume}",
            "-ar",
            "22050",
            "-ac",
            "1",
            str(path),
        ]
    )
    return path


def _loudness_between(path: Path, start: float, end: float, tmp: Path) -> float:
    cut = tmp / f"cut-{start}-{end}.wav"
    run_ffmpeg(["-ss", str(start), "-t", str(end - start), "-i", str(path), str(cut)])
    return measure_loudness(cut)


@pytest.mark.slow
def test_soundtrack_is_normalised_to_minus_16_lufs(tmp_path: Path) -> None:
    voices = [
        _tone(tmp_path / "a.wav", freq=300, seconds=2.0, volume=0.05),
        _tone(tmp_path / "b.wav", freq=450, seconds=1.5, volume=0.05),
    ]
    out = tmp_path / "mix.m4a"
    build_soundtrack(
        AudioPlan(voices=voices, durations=[2.5, 2.0]), out_path=out, work_dir=tmp_path
    )
    info = probe(out)
    assert info.audio_codec == "aac"
    assert info.duration == pytest.approx(4.5, abs=0.1)
    assert measure_loudness(out) == pytest.approx(-16.0, abs=1.0)


@pytest.mark.slow
def test_music_is_ducked_while_the_voice_speaks(tmp_path: Path) -> None:
    # Voice speaks for the first 2 s of an 8 s scene; music runs throughout.
    voice = _tone(tmp_path / "v.wav", freq=2000, seconds=2.0, volume=3.0)
    music = _tone(tmp_path / "m.wav", freq=110, seconds=9.0, volume=2.0)
    with_music = tmp_path / "with.m4a"
    build_soundtrack(
        AudioPlan(voices=[voice], durations=[8.0], music=music, music_volume_db=0),
        out_path=with_music,
        work_dir=tmp_path,
    )
    # Isolate the music band: low-pass far below the voice's 2 kHz tone.
    music_only = tmp_path / "music_band.wav"
    run_ffmpeg(["-i", str(with_music), "-af", "lowpass=f=200,lowpass=f=200", str(music_only)])
    under_voice = _loudness_between(music_only, 0.8, 1.8, tmp_path)
    in_the_gap = _loudness_between(music_only, 3.5, 5.5, tmp_path)
    assert in_the_gap - under_voice > 3.0  # music swells back once the voice stops


@pytest.mark.slow
def test_silent_scenes_render_silence_without_failing(tmp_path: Path) -> None:
    out = tmp_path / "silent.m4a"
    build_soundtrack(
        AudioPlan(voices=[None, None], durations=[1.0, 1.0]), out_path=out, work_dir=tmp_path
    )
    assert probe(out).duration == pytest.approx(2.0, abs=0.1)
