"""Runs the studio's stages with a content-addressed cache per stage and scene.

Each scene goes voice -> media -> captions -> segment; then the soundtrack and
the final join. Every output is keyed by its inputs (see :mod:`studio.cache`),
so re-running after an edit redoes only what the edit changed, and a run
killed at any point resumes from what was finished.
"""

from __future__ import annotations

import contextvars
import json
import shutil
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reelforge.config import Settings
from reelforge.errors import InputError
from reelforge.providers import registry
from reelforge.providers.base import LLM, TTS, MediaSource
from reelforge.providers.types.media import WordTiming
from reelforge.studio import scene_stages
from reelforge.studio.audio import AudioPlan, build_soundtrack
from reelforge.studio.cache import (
    StageCache,
    atomic_write_text,
    exclusive_lock,
    file_fingerprint,
    stage_key,
)
from reelforge.studio.captions import build_captions, offset
from reelforge.studio.fonts import default_font_path
from reelforge.studio.models import Script
from reelforge.studio.options import MakeOptions, slugify
from reelforge.studio.render import join_segments
from reelforge.studio.source import attribution_lines
from reelforge.studio.storyboard import storyboard
from reelforge.studio.write import WriteResult, write_script


@dataclass(frozen=True)
class Event:
    stage: str
    progress: float  # 0..1 for the whole run
    message: str = ""


EventCallback = Callable[[Event], None]

DEFAULT_WPM = 160.0

# Share of the run each stage takes, for one progress bar.
WEIGHTS = {
    "voice": 0.2,
    "media": 0.08,
    "captions": 0.02,
    "segment": 0.6,
    "audio": 0.06,
    "join": 0.04,
}


@dataclass
class RenderResult:
    video: Path
    srt: Path
    ass: Path
    credits: Path | None
    duration: float
    warnings: list[str] = field(default_factory=list)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    redone: dict[str, int] = field(default_factory=dict)  # outputs computed, not reused


class Pipeline:
    """One video's run. Providers are built lazily, only when a stage needs them."""

    def __init__(
        self,
        *,
        settings: Settings,
        options: MakeOptions,
        project_dir: Path,
        on_event: EventCallback | None = None,
        credentials: Mapping[str, str] | None = None,
    ) -> None:
        self.settings = settings
        self.options = options
        self.project_dir = project_dir
        self.cache = StageCache(project_dir / "cache")
        self.on_event = on_event or (lambda event: None)
        self.credentials = dict(credentials or {})
        self._providers: dict[tuple[str, str], Any] = {}
        self._done = 0.0

    # --- providers -----------------------------------------------------------

    def provider(self, kind: str, name: str) -> Any:
        """Build once per run, with the requesting user's own key when they have one."""
        if (kind, name) not in self._providers:
            credential = self.credentials.get(name)
            self._providers[(kind, name)] = registry.create(
                kind, name, self.settings, credential=credential
            )
        return self._providers[(kind, name)]

    def media_sources(self) -> list[MediaSource]:
        names = list(dict.fromkeys([*self.options.media, "procedural"]))
        return [self.provider("media", n) for n in names]

    # --- events --------------------------------------------------------------

    def emit(self, stage: str, fraction_of_stage: float, message: str = "") -> None:
        self.on_event(
            Event(stage, min(1.0, self._done + WEIGHTS[stage] * fraction_of_stage), message)
        )

    def finish_stage(self, stage: str) -> None:
        self._done += WEIGHTS[stage]

    # --- write ---------------------------------------------------------------

    def write(self, topic: str, *, dna: dict[str, Any] | None = None) -> WriteResult:
        llm: LLM = self.provider("llm", self.options.writer)
        # The DNA's own speaking pace sizes the script; 160 wpm is a typical narrator.
        pace = float((dna or {}).get("words_per_minute") or DEFAULT_WPM)
        result = write_script(topic=topic, llm=llm, dna=dna, words_per_minute=pace)
        self.save_script(result.script)
        return result

    def save_script(self, script: Script) -> Path:
        path = self.project_dir / "script.json"
        atomic_write_text(path, script.model_dump_json(indent=2))
        return path

    def _soundtrack(
        self, voiced: list[scene_stages.Voiced], redone: dict[str, int]
    ) -> tuple[str, float]:
        """Build (or reuse) the whole video's soundtrack; returns its key and seconds spent."""
        t0 = time.perf_counter()
        music = self.options.music
        durations = [v.duration for v in voiced]
        key = stage_key(
            "audio",
            2,
            voices=[v.key for v in voiced],
            durations=durations,
            music=file_fingerprint(music) if music else None,
            music_db=self.options.music_volume_db,
            lufs=self.options.target_lufs,
        )
        if not self.cache.has("audio", key, "m4a"):
            redone["audio"] = 1
            plan = AudioPlan(
                voices=[
                    v.speech.path if v.speech.timing_source != "none" else None for v in voiced
                ],
                durations=durations,
                music=music,
                music_volume_db=self.options.music_volume_db,
                target_lufs=self.options.target_lufs,
            )
            with self.cache.writing("audio", key, "m4a") as tmp:
                build_soundtrack(
                    plan, out_path=tmp, work_dir=self.cache.root / "audio", exe=self.settings.ffmpeg
                )
        return key, time.perf_counter() - t0

    def _write_manifest(
        self,
        scenes: list[scene_stages.SceneOutput],
        audio_key: str,
        final_key: str,
        video: Path,
        redone: dict[str, int],
        timings: dict[str, float],
    ) -> None:
        """What the last render used, for people and tools (the cache itself is the truth)."""
        manifest = {
            "options": self.options.model_dump(mode="json"),
            "scenes": [_manifest_scene(s) for s in scenes],
            "audio": audio_key,
            "final": final_key,
            "output": str(video),
            "redone": redone,
            "seconds": {k: round(v, 3) for k, v in timings.items()},
            "rendered_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        atomic_write_text(self.project_dir / "manifest.json", json.dumps(manifest, indent=2))

    # --- render --------------------------------------------------------------

    def render(self, script: Script, *, out_dir: Path, name: str | None = None) -> RenderResult:
        """Render ``script`` to ``out_dir/<name>.mp4`` (+ .srt, .ass), reusing cached work."""
        with exclusive_lock(self.project_dir / ".lock"):
            self.cache.sweep_partials()
            return self._render(script, out_dir=out_dir, name=name)

    def _render(self, script: Script, *, out_dir: Path, name: str | None) -> RenderResult:
        started = time.perf_counter()
        music = self.options.music
        if music is not None and not music.is_file():
            raise InputError(f"Music file {music} does not exist. Pass an existing audio file.")
        spec = self.options.render_spec(default_font_path())
        script = storyboard(script, media=self.options.media[0])
        self.save_script(script)
        warnings: list[str] = []
        timings: dict[str, float] = {}
        redone: dict[str, int] = {}
        tts: TTS = self.provider("tts", self.options.voice)
        stages = scene_stages.SceneStages(pipeline=self, spec=spec, tts=tts)
        voiced = stages.voices(script, warnings=warnings, timings=timings, redone=redone)
        # The soundtrack needs only the voices, so it is built on the second core
        # while the scenes encode.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="soundtrack") as pool:
            # copy_context: the thread sees the caller's context (e.g. the benchmark's recorder).
            audio_job = pool.submit(
                contextvars.copy_context().run, self._soundtrack, voiced, redone
            )
            scenes = stages.visuals(
                script, voiced, warnings=warnings, timings=timings, redone=redone
            )
            audio_key, timings["audio"] = audio_job.result()
        durations = [v.duration for v in voiced]
        self.finish_stage("audio")

        t0 = time.perf_counter()
        self.emit("join", 0.0, "joining scenes")
        total = sum(durations)
        final_key = stage_key("final", 1, segments=[s.segment_key for s in scenes], audio=audio_key)
        if not self.cache.has("final", final_key, "mp4"):
            redone["join"] = 1
            with self.cache.writing("final", final_key, "mp4") as tmp:
                join_segments(
                    [self.cache.path("segment", s.segment_key, "mp4") for s in scenes],
                    soundtrack=self.cache.path("audio", audio_key, "m4a"),
                    total_seconds=total,
                    out_path=tmp,
                    list_path=self.cache.root / "final" / f".{final_key}.txt",
                    exe=self.settings.ffmpeg,
                )
        self.finish_stage("join")
        timings["join"] = time.perf_counter() - t0

        words: list[WordTiming] = []
        start = 0.0
        for s in scenes:
            words += offset(s.speech.words, start)
            start += s.duration
        track = build_captions(
            words=words,
            width=spec.width,
            height=spec.height,
            font_path=spec.font_path or default_font_path(),
        )
        stem = name or slugify(script.topic)
        out_dir.mkdir(parents=True, exist_ok=True)
        video = out_dir / f"{stem}.mp4"
        tmp_video = out_dir / f".{stem}.mp4.part"
        shutil.copyfile(self.cache.path("final", final_key, "mp4"), tmp_video)
        tmp_video.replace(video)
        srt, ass = out_dir / f"{stem}.srt", out_dir / f"{stem}.ass"
        atomic_write_text(srt, track.srt)
        atomic_write_text(ass, track.ass)
        credits_lines = attribution_lines([s.media for s in scenes])
        credits = None
        if credits_lines:
            credits = out_dir / f"{stem}.credits.txt"
            atomic_write_text(credits, "\n".join(credits_lines) + "\n")
        timings["total"] = time.perf_counter() - started
        self._write_manifest(scenes, audio_key, final_key, video, redone, timings)
        self.on_event(Event("done", 1.0, str(video)))
        return RenderResult(
            video=video,
            srt=srt,
            ass=ass,
            credits=credits,
            duration=total,
            warnings=warnings,
            stage_seconds=timings,
            redone=redone,
        )


def _manifest_scene(scene: scene_stages.SceneOutput) -> dict[str, Any]:
    return {
        "voice": scene.voice_key,
        "segment": scene.segment_key,
        "duration": scene.duration,
        "media": scene.media.model_dump(mode="json"),
        "words": len(scene.speech.words),
        "timing_source": scene.speech.timing_source,
    }


def project_dir_for(settings: Settings, topic: str) -> Path:
    return settings.home / "projects" / slugify(topic)
