"""WAV helpers shared by the voice providers.

Every voice provider hands back the same thing — a 16-bit mono PCM WAV — so
the soundtrack stage can join scene voices without caring which engine made
them. Engines that answer in another format (MP3 from ElevenLabs, streamed
WAV with placeholder sizes from OpenAI) are decoded here with ffmpeg.
"""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import numpy.typing as npt

from reelforge.av.ffmpeg import run_ffmpeg
from reelforge.errors import ProviderError, RenderError


def write_wav(path: Path, samples: npt.NDArray[np.int16] | bytes, *, sample_rate: int) -> None:
    """Write mono 16-bit PCM samples to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = samples if isinstance(samples, bytes) else samples.astype("<i2").tobytes()
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(data)


def write_silence(path: Path, *, seconds: float, sample_rate: int = 22050) -> None:
    write_wav(path, np.zeros(round(seconds * sample_rate), dtype=np.int16), sample_rate=sample_rate)


def wav_duration(path: Path) -> float:
    """Length of a PCM WAV in seconds, from its header."""
    try:
        with wave.open(str(path), "rb") as wav:
            return wav.getnframes() / float(wav.getframerate())
    except (wave.Error, EOFError) as exc:
        raise RenderError(f"{path} is not a readable PCM WAV file: {exc}") from exc


def decode_to_wav(
    audio: bytes, *, out_path: Path, provider: str, suffix: str, ffmpeg: str | None = None
) -> None:
    """Decode audio bytes in any format ffmpeg reads to a 16-bit mono WAV at ``out_path``.

    Raises ProviderError when the bytes are not audio: the provider sent
    something broken, which is the provider's failure, not a render bug.
    """
    out_path.parent.mkdir(parents=True, exist_ok=True)
    source = out_path.with_name(out_path.stem + ".download" + suffix)
    source.write_bytes(audio)
    try:
        run_ffmpeg(
            ["-i", str(source), "-vn", "-ac", "1", "-c:a", "pcm_s16le", "-f", "wav", str(out_path)],
            exe=ffmpeg,
            what=f"decoding {provider} audio",
        )
    except RenderError as exc:
        out_path.unlink(missing_ok=True)
        raise ProviderError(
            f"{provider} sent audio that ffmpeg cannot decode ({len(audio)} bytes): "
            f"{exc.stderr_tail or exc.message}",
            provider=provider,
            retryable=False,
        ) from exc
    finally:
        source.unlink(missing_ok=True)
