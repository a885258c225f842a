"""The per-scene stages: voice, media, captions and the encoded segment.

Kept apart from :mod:`studio.pipeline` so each stage's cache key is written
next to the work it guards; a key must name every input that changes the
output, and nothing else (or edits would redo too much).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Protocol

from reelforge.config import Settings
from reelforge.providers.base import TTS, MediaRequest
from reelforge.providers.types.media import MediaAsset, Speech
from reelforge.studio.cache import StageCache, file_fingerprint, stage_key
from reelforge.studio.caption_words import written_timings
from reelforge.studio.captions import (
    CAPTIONS_VERSION,
    CaptionStyle,
    ass_filter_arg,
    build_captions,
)
from reelforge.studio.fonts import copy_font_dir
from reelforge.studio.models import RenderSpec, Scene, Script, VisualKind
from reelforge.studio.options import MakeOptions
from reelforge.studio.render import Segment, frame_aligned, render_segment
from reelforge.studio.source import source_scene
from reelforge.studio.voice import voice_scene


class StageHost(Protocol):
    """What the scene stages use of the pipeline that runs them (it satisfies this)."""

    settings: Settings
    options: MakeOptions
    cache: StageCache

    def provider(self, kind: str, name: str) -> Any: ...

    def emit(self, stage: str, fraction_of_stage: float, message: str = "") -> None: ...

    def finish_stage(self, stage: str) -> None: ...


TAIL_S = 0.6  # the last scene lingers a little after its last word


@dataclass(frozen=True)
class Voiced:
    key: str
    speech: Speech
    duration: float  # the scene's length: whole frames


@dataclass
class SceneOutput:
    speech: Speech
    voice_key: str
    media: MediaAsset
    duration: float
    segment_key: str


class SceneStages:
    def __init__(self, *, pipeline: StageHost, spec: RenderSpec, tts: TTS) -> None:
        self.p = pipeline
        self.cache = pipeline.cache
        self.spec = spec
        self.tts = tts

    def voices(
        self,
        script: Script,
        *,
        warnings: list[str],
        timings: dict[str, float],
        redone: dict[str, int],
    ) -> list[Voiced]:
        """Speak every scene; scene lengths follow the voice (frame-aligned, plus a breath)."""
        n = len(script.scenes)
        t0 = time.perf_counter()
        voiced: list[Voiced] = []
        for i, scene in enumerate(script.scenes):
            self.p.emit("voice", i / n, f"voice {i + 1}/{n}")
            key, speech = self.voice(scene, redone)
            tail = TAIL_S if i == n - 1 else 0.0
            duration = frame_aligned(
                speech.duration + self.p.options.breath_s + tail, self.spec.fps
            )
            voiced.append(Voiced(key, speech, duration))
            for line in speech.warnings:
                if line not in warnings:
                    warnings.append(line)
        self.p.finish_stage("voice")
        timings["voice"] = time.perf_counter() - t0
        return voiced

    def visuals(
        self,
        script: Script,
        voiced: list[Voiced],
        *,
        warnings: list[str],
        timings: dict[str, float],
        redone: dict[str, int],
    ) -> list[SceneOutput]:
        """Media, captions and the encoded segment of every scene."""
        n = len(script.scenes)
        t0 = time.perf_counter()
        media: list[MediaAsset] = []
        for i, scene in enumerate(script.scenes):
            self.p.emit("media", i / n, f"media {i + 1}/{n}")
            media.append(self.media(scene, i, voiced[i].duration, warnings, redone))
        self.p.finish_stage("media")
        timings["media"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        outputs: list[SceneOutput] = []
        caption_s = 0.0
        for i, scene in enumerate(script.scenes):
            v = voiced[i]
            c0 = time.perf_counter()
            ass_filter = self.captions(scene, v.speech, media[i], v.duration, redone)
            caption_s += time.perf_counter() - c0
            seg_key = self.segment(i, n, media[i], v.duration, ass_filter, redone)
            outputs.append(SceneOutput(v.speech, v.key, media[i], v.duration, seg_key))
        self.p.finish_stage("captions")
        self.p.finish_stage("segment")
        timings["captions"] = caption_s
        timings["segment"] = time.perf_counter() - t0 - caption_s
        return outputs

    def voice(self, scene: Scene, redone: dict[str, int]) -> tuple[str, Speech]:
        key = stage_key(
            "voice",
            1,
            provider=self.p.options.voice,
            identity=self.tts.cache_identity(),
            text=scene.narration,
        )
        cached = self.cache.read_model("voice", key, Speech)
        wav = self.cache.path("voice", key, "wav")
        if cached is not None and wav.exists():
            # A voice cached before captions used the script's written words holds the
            # spoken ones; map them (written words come back unchanged).
            words = written_timings(scene.narration, cached.words)
            return key, cached.model_copy(update={"path": wav, "words": words})
        redone["voice"] = redone.get("voice", 0) + 1
        with self.cache.writing("voice", key, "wav") as tmp:
            speech = voice_scene(tts=self.tts, narration=scene.narration, out_path=tmp)
        speech = speech.model_copy(update={"path": wav})
        self.cache.write_model("voice", key, speech)
        return key, speech

    def media(
        self, scene: Scene, index: int, duration: float, warnings: list[str], redone: dict[str, int]
    ) -> MediaAsset:
        visual = scene.visual
        assert visual is not None  # the storyboard fills it
        names = list(dict.fromkeys([*self.p.options.media, "procedural"]))
        if visual.kind is VisualKind.PROCEDURAL:
            names = ["procedural"]
        key = stage_key(
            "media",
            1,
            visual=visual,
            providers=names,
            w=self.spec.width,
            h=self.spec.height,
            seed=index,
            seconds=round(duration),
        )
        cached = self.cache.read_model("media", key, MediaAsset)
        if cached is not None and cached.path.exists():
            return cached
        redone["media"] = redone.get("media", 0) + 1
        providers = [self.p.provider("media", n) for n in names]
        request = MediaRequest(
            query=visual.query or " ".join(scene.search_terms),
            duration=duration,
            width=self.spec.width,
            height=self.spec.height,
            seed=index,
            style=visual.style,
        )
        asset = source_scene(
            visual=visual,
            providers=providers,
            request=request,
            cache_dir=self.p.settings.cache_dir / "media",
            warnings=warnings,
        )
        self.cache.write_model("media", key, asset)
        return asset

    def captions(
        self,
        scene: Scene,
        speech: Speech,
        media: MediaAsset,
        duration: float,
        redone: dict[str, int],
    ) -> str | None:
        if not self.p.options.captions:
            return None
        font = self.spec.font_path
        assert font is not None
        style = CaptionStyle(
            uppercase=self.p.options.uppercase_captions,
            **({"text_colour": media.text_color} if media.text_color else {}),
        )
        headline = scene.on_screen_text or None
        key = stage_key(
            "captions",
            CAPTIONS_VERSION,
            words=speech.words,
            w=self.spec.width,
            h=self.spec.height,
            font=file_fingerprint(font),
            style=style,
            headline=headline,
            until=duration,
        )
        path = self.cache.path("captions", key, "ass")
        if not path.exists():
            redone["captions"] = redone.get("captions", 0) + 1
            track = build_captions(
                words=speech.words,
                width=self.spec.width,
                height=self.spec.height,
                font_path=font,
                style=style,
                headline=headline,
                headline_until=duration,
                until=duration,
            )
            with self.cache.writing("captions", key, "ass") as tmp:
                tmp.write_text(track.ass, encoding="utf-8")
        fonts_dir = copy_font_dir(font, self.cache.root / "fonts").parent
        return ass_filter_arg(path, fonts_dir)

    def segment(
        self,
        index: int,
        n: int,
        media: MediaAsset,
        duration: float,
        ass_filter: str | None,
        redone: dict[str, int],
    ) -> str:
        key = stage_key(
            "segment",
            1,
            media=file_fingerprint(media.path),
            kind=media.kind,
            duration=duration,
            spec=self.spec.model_copy(update={"font_path": None}),
            captions=ass_filter,
            motion=index,
        )
        if self.cache.has("segment", key, "mp4"):
            return key
        redone["segment"] = redone.get("segment", 0) + 1
        seg = Segment(
            media=media, duration=duration, spec=self.spec, ass_filter=ass_filter, motion=index
        )

        def progress(seconds: float) -> None:
            self.p.emit(
                "segment", (index + min(1.0, seconds / duration)) / n, f"scene {index + 1}/{n}"
            )

        with self.cache.writing("segment", key, "mp4") as tmp:
            render_segment(seg, out_path=tmp, on_progress=progress, exe=self.p.settings.ffmpeg)
        return key
