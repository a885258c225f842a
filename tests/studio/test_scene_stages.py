"""The voice stage's cache key: the chosen voice's own identity, the text, nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from reelforge.config import Settings
from reelforge.providers.base import TTS
from reelforge.providers.tts.audio import write_silence
from reelforge.providers.types.media import Speech, WordTiming
from reelforge.studio.cache import StageCache
from reelforge.studio.models import RenderSpec, Scene
from reelforge.studio.options import MakeOptions
from reelforge.studio.scene_stages import SceneStages


class DialVoice(TTS):
    """A voice no table in reelforge knows; its ``pitch`` setting changes how it sounds."""

    name: ClassVar[str] = "dial"

    def setup(self) -> None:
        self.pitch = "low"
        self.spoken = 0

    def cache_identity(self) -> dict[str, str]:
        return {"pitch": self.pitch}

    def speak(self, *, text: str, out_path: Path) -> Speech:
        self.spoken += 1
        write_silence(out_path, seconds=0.5)
        return Speech(
            path=out_path,
            duration=0.5,
            words=[WordTiming(word=w, start=0.1, end=0.4) for w in text.split()[:1]],
            timing_source="engine",
        )


class Host:
    """The parts of the pipeline the scene stages use."""

    def __init__(self, settings: Settings, root: Path) -> None:
        self.settings = settings
        self.options = MakeOptions.from_settings(settings, voice="none")
        self.cache = StageCache(root)

    def provider(self, kind: str, name: str) -> Any:
        raise AssertionError("the voice stage builds no provider")

    def emit(self, stage: str, fraction_of_stage: float, message: str = "") -> None:
        pass

    def finish_stage(self, stage: str) -> None:
        pass


def test_a_change_to_the_voices_own_settings_voices_the_scene_again(
    settings: Settings, tmp_path: Path
) -> None:
    voice = DialVoice(settings)
    stages = SceneStages(pipeline=Host(settings, tmp_path), spec=RenderSpec(), tts=voice)
    scene = Scene(narration="Hello there.", search_terms=["hello"])
    redone: dict[str, int] = {}
    first, _ = stages.voice(scene, redone)
    again, _ = stages.voice(scene, redone)
    assert again == first and voice.spoken == 1  # same identity: reused
    voice.pitch = "high"
    changed, _ = stages.voice(scene, redone)
    assert changed != first and voice.spoken == 2 and redone["voice"] == 2
