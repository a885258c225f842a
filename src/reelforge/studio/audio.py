"""The soundtrack: scene voices joined with breaths, music ducked under the voice,
loudness normalised to a target (−16 LUFS by default, what TikTok/Shorts play at).

Loudness is measured on the mix (EBU R128, ffmpeg's ``ebur128``), then a
linear gain brings it to the target and a limiter holds the peaks under the
ceiling. ``loudnorm`` would do the same in two passes but resamples to 192 kHz
internally and costs ~10x more; one-pass (dynamic) loudnorm misses the target
by a few LU on short clips.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reelforge.av.ffmpeg import measure_loudness, run_ffmpeg

SAMPLE_RATE = 48_000
SILENCE_LUFS = -70.0  # EBU R128's absolute gate: quieter than this is silence


@dataclass(frozen=True)
class AudioPlan:
    voices: list[Path | None]  # one WAV per scene, None for a silent scene
    durations: list[float]  # the exact (frame-aligned) length of each scene
    music: Path | None = None
    music_volume_db: float = -14.0  # music level before ducking, relative to its own level
    target_lufs: float = -16.0
    true_peak_db: float = -1.5


def _mix_graph(plan: AudioPlan, voice_inputs: list[int], music_input: int | None) -> str:
    parts: list[str] = []
    labels: list[str] = []
    for scene, (duration, index) in enumerate(zip(plan.durations, voice_inputs, strict=True)):
        label = f"s{scene}"
        if index >= 0:
            parts.append(
                f"[{index}:a]aresample={SAMPLE_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo,"
                f"apad,atrim=0:{duration:.6f},asetpts=N/SR/TB[{label}]"
            )
        else:
            parts.append(
                f"anullsrc=r={SAMPLE_RATE}:cl=stereo,atrim=0:{duration:.6f},asetpts=N/SR/TB[{label}]"
            )
        labels.append(f"[{label}]")
    parts.append(f"{''.join(labels)}concat=n={len(labels)}:v=0:a=1[voice]")
    total = sum(plan.durations)
    if music_input is None:
        parts.append("[voice]anull[mix]")
    else:
        parts.append("[voice]asplit=2[vkey][vmix]")
        parts.append(
            f"[{music_input}:a]aresample={SAMPLE_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo,"
            f"atrim=0:{total:.6f},asetpts=N/SR/TB,volume={plan.music_volume_db}dB,"
            f"afade=t=out:st={max(0.0, total - 1.5):.3f}:d=1.5[music]"
        )
        # Sidechain: the voice drives a compressor on the music, so music dips while
        # someone speaks and swells back in the gaps.
        parts.append(
            "[music][vkey]sidechaincompress=threshold=0.02:ratio=10:attack=15:release=350"
            ":makeup=1[ducked]"
        )
        parts.append("[vmix][ducked]amix=inputs=2:duration=first:normalize=0[mix]")
    return ";".join(parts)


def _inputs(plan: AudioPlan) -> tuple[list[str], list[int], int | None]:
    args: list[str] = []
    voice_inputs: list[int] = []
    n = 0
    for voice in plan.voices:
        if voice is None:
            voice_inputs.append(-1)
            continue
        args += ["-i", str(voice)]
        voice_inputs.append(n)
        n += 1
    music_input = None
    if plan.music is not None:
        args += ["-stream_loop", "-1", "-i", str(plan.music)]
        music_input = n
    return args, voice_inputs, music_input


def build_soundtrack(
    plan: AudioPlan, *, out_path: Path, work_dir: Path, exe: str | None = None
) -> None:
    """Write the final AAC soundtrack (``.m4a``) for the whole video."""
    work_dir.mkdir(parents=True, exist_ok=True)
    mix_wav = work_dir / f".{out_path.stem}.mix.wav"
    args, voice_inputs, music_input = _inputs(plan)
    try:
        run_ffmpeg(
            [
                *args,
                "-filter_complex",
                _mix_graph(plan, voice_inputs, music_input),
                "-map",
                "[mix]",
                "-c:a",
                "pcm_s16le",
                "-ar",
                str(SAMPLE_RATE),
                str(mix_wav),
            ],
            exe=exe,
            what="mixing the soundtrack",
        )
        loudness = measure_loudness(mix_wav, exe=exe)
        if loudness < SILENCE_LUFS:
            norm = "anull"  # silence: nothing to normalise
        else:
            # A linear gain keeps the mix's dynamics; the limiter catches the peaks the
            # gain pushes past the ceiling.
            ceiling = 10 ** (plan.true_peak_db / 20)
            norm = (
                f"volume={plan.target_lufs - loudness:.2f}dB,"
                f"alimiter=limit={ceiling:.4f}:level=false:attack=5:release=50"
            )
        run_ffmpeg(
            [
                "-i",
                str(mix_wav),
                "-af",
                norm,
                "-c:a",
                "aac",
                "-aac_coder",
                "fast",
                "-b:a",
                "192k",
                "-ar",
                str(SAMPLE_RATE),
                "-f",
                "mp4",
                str(out_path),
            ],
            exe=exe,
            what="normalising loudness",
        )
    finally:
        mix_wav.unlink(missing_ok=True)
