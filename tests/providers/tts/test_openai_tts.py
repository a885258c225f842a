"""OpenAI speech at the wire, against a local fake of /v1/audio/speech; timings by alignment."""

from __future__ import annotations

import wave
from collections.abc import Iterator
from pathlib import Path

import pytest

from reelforge.config import Settings
from reelforge.errors import ConfigError, ProviderError
from reelforge.providers.registry import create
from reelforge.providers.tts.openai_tts import OpenAITTS
from reelforge.providers.tts.piper import PiperTTS
from reelforge.speech.speakable import spoken_words
from tests.fakes.openai_speech import OpenAISpeechFake, rate_limited, server_error
from tests.fakes.server import FakeServer, serve

TEXT = "Honey never spoils, and bees dance to share maps."


@pytest.fixture
def fake() -> OpenAISpeechFake:
    return OpenAISpeechFake()


@pytest.fixture
def server(fake: OpenAISpeechFake) -> Iterator[FakeServer]:
    with serve(fake) as srv:
        yield srv


@pytest.fixture
def tts(settings: Settings, server: FakeServer) -> OpenAITTS:
    settings.openai_base_url = server.base_url
    settings.openai_api_key = "sk-test-openai"  # type: ignore[assignment]
    provider = create("tts", "openai", settings)
    assert isinstance(provider, OpenAITTS)
    return provider


@pytest.fixture
def speaking_fake(fake: OpenAISpeechFake, settings: Settings, tmp_path: Path) -> OpenAISpeechFake:
    """The fake answers with real speech (piper's), so alignment has words to find."""
    voice = PiperTTS(settings)

    def synthesize(text: str) -> bytes:
        path = tmp_path / "fake-voice.wav"
        voice.speak(text=text, out_path=path)
        return path.read_bytes()

    fake.synthesize = synthesize
    return fake


@pytest.mark.slow
def test_speech_is_timed_by_forced_alignment(
    tts: OpenAITTS, speaking_fake: OpenAISpeechFake, tmp_path: Path
) -> None:
    speech = tts.speak(text=TEXT, out_path=tmp_path / "v.wav")
    assert speech.timing_source == "alignment"
    assert [w.word for w in speech.words] == spoken_words(TEXT)
    starts = [w.start for w in speech.words]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    assert speech.words[-1].end <= speech.duration + 0.01
    # The streamed WAV's placeholder sizes did not turn into a 27-hour clip.
    with wave.open(str(speech.path)) as wav:
        assert wav.getnframes() / wav.getframerate() == pytest.approx(speech.duration)
    assert 2.0 < speech.duration < 8.0


@pytest.mark.slow
def test_request_follows_the_documented_shape(
    tts: OpenAITTS, speaking_fake: OpenAISpeechFake, server: FakeServer, tmp_path: Path
) -> None:
    tts.speak(text=TEXT, out_path=tmp_path / "v.wav")
    (request,) = server.requests
    assert request.headers["authorization"] == "Bearer sk-test-openai"
    assert request.json() == {
        "model": "gpt-4o-mini-tts", "input": TEXT, "voice": "alloy", "response_format": "wav"
    }  # fmt: skip


def test_missing_key_names_the_setting(settings: Settings) -> None:
    with pytest.raises(ConfigError, match="REELFORGE_OPENAI_API_KEY"):
        OpenAITTS(settings)


def test_wrong_key_is_not_retried(settings: Settings, server: FakeServer, tmp_path: Path) -> None:
    settings.openai_base_url = server.base_url
    with pytest.raises(ProviderError, match="Incorrect API key") as caught:
        OpenAITTS(settings, credential="sk-wrong").speak(text=TEXT, out_path=tmp_path / "v.wav")
    assert caught.value.status == 401 and not caught.value.retryable
    assert len(server.requests) == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("failure", [rate_limited, server_error])
def test_rate_limits_and_outages_are_retried_then_reported(
    tts: OpenAITTS, fake: OpenAISpeechFake, server: FakeServer, tmp_path: Path, failure: object
) -> None:
    fake.replies = [failure() for _ in range(5)]  # type: ignore[operator]
    with pytest.raises(ProviderError, match="gave up after 3 attempts") as caught:
        tts.speak(text=TEXT, out_path=tmp_path / "v.wav")
    assert caught.value.retryable
    assert len(server.requests) == 3


@pytest.mark.slow
def test_a_rate_limited_request_succeeds_on_retry(
    tts: OpenAITTS, speaking_fake: OpenAISpeechFake, server: FakeServer, tmp_path: Path
) -> None:
    speaking_fake.replies = [rate_limited()]
    speech = tts.speak(text="Bees share maps.", out_path=tmp_path / "v.wav")
    assert len(server.requests) == 2
    assert [w.word for w in speech.words] == ["Bees", "share", "maps"]


def test_audio_that_is_not_the_text_is_not_given_made_up_timings(
    tts: OpenAITTS, tmp_path: Path
) -> None:
    """The fake's default audio is a tone: alignment must fail, not invent times."""
    with pytest.raises(ProviderError, match="Forced alignment"):
        tts.speak(text=TEXT, out_path=tmp_path / "v.wav")


def test_overlong_input_is_refused_before_sending(
    tts: OpenAITTS, server: FakeServer, tmp_path: Path
) -> None:
    with pytest.raises(ProviderError, match="at most 4096 characters"):
        tts.speak(text="word " * 1000, out_path=tmp_path / "v.wav")
    assert server.requests == []
