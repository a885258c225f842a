"""Finding and running ffmpeg, reading its progress, probing its outputs.

The default binary is the static build shipped in the ``imageio-ffmpeg`` wheel
(it has libx264, libass and freetype), so nothing needs an apt step. There is
no ffprobe in that wheel, so :func:`probe` reads ``ffmpeg -i``'s stream lines.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reelforge.errors import ConfigError, RenderError

ProgressCallback = Callable[[float], None]  # seconds of output written so far


@dataclass(frozen=True)
class Invocation:
    what: str
    seconds: float
    peak_rss_mb: float  # the ffmpeg process's own high-water mark (VmHWM)


# Each ffmpeg run, collected only inside `record_invocations()`; the benchmark
# uses it to show where render time and memory go.
_invocations: contextvars.ContextVar[list[Invocation] | None] = contextvars.ContextVar(
    "ffmpeg_invocations", default=None
)


def _watch_peak_rss(pid: int, done: threading.Event, peak: list[float]) -> None:
    """Poll /proc for the child's high-water RSS (rusage would report the forking parent's)."""
    status = Path(f"/proc/{pid}/status")
    while not done.wait(0.05):
        try:
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak[0] = max(peak[0], int(line.split()[1]) / 1024)
        except (OSError, ValueError, IndexError):
            return


@contextlib.contextmanager
def record_invocations() -> Iterator[list[Invocation]]:
    log: list[Invocation] = []
    token = _invocations.set(log)
    try:
        yield log
    finally:
        _invocations.reset(token)


@cache
def _bundled_ffmpeg() -> str | None:
    try:
        import imageio_ffmpeg

        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError):
        return None


def ffmpeg_exe(configured: str | None = None) -> str:
    """The configured binary, else the bundled one, else one on PATH.

    ``configured`` is ``settings.ffmpeg`` (``REELFORGE_FFMPEG``), the one way to choose
    another ffmpeg: every caller that runs ffmpeg passes it down from its settings."""
    for candidate in (configured, _bundled_ffmpeg()):
        if candidate:
            return candidate
    found = shutil.which("ffmpeg")
    if found:
        return found
    raise ConfigError(
        "No ffmpeg found. Run `make setup` (installs imageio-ffmpeg) or set REELFORGE_FFMPEG "
        "to an ffmpeg with libx264 and libass."
    )


def _tail(text: str, lines: int = 25) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def run_ffmpeg(
    args: Sequence[str],
    *,
    exe: str | None = None,
    on_progress: ProgressCallback | None = None,
    what: str = "ffmpeg",
) -> None:
    """Run ffmpeg with ``args`` (without the binary); raise RenderError on failure.

    Progress comes from ``-progress pipe:1`` (key=value lines), which is
    machine-readable, unlike the stderr status line.
    """
    cmd = [ffmpeg_exe(exe), "-hide_banner", "-nostdin", "-y", "-loglevel", "error"]
    if on_progress is not None:
        cmd += ["-progress", "pipe:1", "-nostats"]
    cmd += list(args)
    started = time.perf_counter()
    log = _invocations.get()
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as err:
        proc = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE if on_progress else subprocess.DEVNULL,
            stderr=err,
            text=True,
        )
        peak = [0.0]
        done = threading.Event()
        if log is not None:
            threading.Thread(
                target=_watch_peak_rss, args=(proc.pid, done, peak), daemon=True
            ).start()
        try:
            if on_progress is not None and proc.stdout is not None:
                for line in proc.stdout:
                    key, _, value = line.strip().partition("=")
                    if key == "out_time_us" and value.isdigit():
                        on_progress(int(value) / 1_000_000)
            code = proc.wait()
        finally:
            done.set()
        if code != 0:
            err.seek(0)
            raise RenderError(
                f"{what} failed (exit code {code})", stderr_tail=_tail(err.read()), command=cmd
            )
    if log is not None:
        log.append(Invocation(what, time.perf_counter() - started, peak[0]))


@dataclass(frozen=True)
class MediaInfo:
    duration: float
    width: int = 0
    height: int = 0
    fps: float = 0.0
    video_codec: str = ""
    audio_codec: str = ""
    sample_rate: int = 0

    @property
    def has_video(self) -> bool:
        return bool(self.video_codec)

    @property
    def has_audio(self) -> bool:
        return bool(self.audio_codec)


_DURATION = re.compile(r"Duration: (\d+):(\d+):(\d+(?:\.\d+)?)")
_VIDEO = re.compile(r"Stream #\S+.*?: Video: (\w+).*?, (\d{2,5})x(\d{2,5})")
_FPS = re.compile(r"(\d+(?:\.\d+)?) fps")
_AUDIO = re.compile(r"Stream #\S+.*?: Audio: (\w+).*?, (\d+) Hz")


def probe(path: Path, *, exe: str | None = None) -> MediaInfo:
    """Read duration, size, fps and codecs of a media file."""
    proc = subprocess.run(
        [ffmpeg_exe(exe), "-hide_banner", "-nostdin", "-i", str(path)],
        capture_output=True,
        text=True,
        errors="replace",
    )
    text = proc.stderr
    if "Invalid data found" in text or "No such file" in text or "Stream #" not in text:
        raise RenderError(f"Cannot read media file {path}", stderr_tail=_tail(text))
    duration = 0.0
    if m := _DURATION.search(text):
        duration = int(m[1]) * 3600 + int(m[2]) * 60 + float(m[3])
    width = height = 0
    fps = 0.0
    vcodec = acodec = ""
    rate = 0
    for line in text.splitlines():
        if not vcodec and (v := _VIDEO.search(line)):
            vcodec, width, height = v[1], int(v[2]), int(v[3])
            if f := _FPS.search(line):
                fps = float(f[1])
        if not acodec and (a := _AUDIO.search(line)):
            acodec, rate = a[1], int(a[2])
    return MediaInfo(duration, width, height, fps, vcodec, acodec, rate)


def measure_loudness(path: Path, *, exe: str | None = None) -> float:
    """Integrated loudness (LUFS) of a file's audio, measured by ffmpeg's ebur128
    (``-inf`` for silence)."""
    proc = subprocess.run(
        [
            ffmpeg_exe(exe),
            "-hide_banner",
            "-nostdin",
            "-i",
            str(path),
            "-map",
            "0:a:0",
            "-af",
            "ebur128=framelog=quiet",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
        errors="replace",
    )
    matches = re.findall(r"I:\s+(-?\d+(?:\.\d+)?|-inf) LUFS", proc.stderr)
    if proc.returncode != 0 or not matches:
        raise RenderError(f"Could not measure loudness of {path}", stderr_tail=_tail(proc.stderr))
    return float(matches[-1])
