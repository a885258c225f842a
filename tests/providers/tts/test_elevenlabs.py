"""ElevenLabs at the wire, against a local fake of /with-timestamps."""

from __future__ import annotations

import wave
from collections.abc import Iterator
from pathlib import Path

import pytest

from reelforge.config import Settings
from reelforge.errors import ConfigError, ProviderError
from reelforge.providers.registry import create
from reelforge.providers.tts.elevenlabs import ElevenLabsTTS
from tests.fakes.elevenlabs import ElevenLabsFake, detail, server_error, too_many_concurrent
from tests.fakes.server import FakeResponse, FakeServer, serve

TEXT = "Bees dance, to share maps."


@pytest.fixture
def fake() -> ElevenLabsFake:
    return ElevenLabsFake()


@pytest.fixture
def server(fake: ElevenLabsFake) -> Iterator[FakeServer]:
    with serve(fake) as srv:
        yield srv


@pytest.fixture
def tts(settings: Settings, server: FakeServer) -> ElevenLabsTTS:
    settings.elevenlabs_base_url = server.base_url
    settings.elevenlabs_api_key = "el-test-key"  # type: ignore[assignment]
    provider = create("tts", "elevenlabs", settings)
    assert isinstance(provider, ElevenLabsTTS)
    return provider


def test_word_times_come_from_the_character_alignment(
    tts: ElevenLabsTTS, fake: ElevenLabsFake, tmp_path: Path
) -> None:
    speech = tts.speak(text=TEXT, out_path=tmp_path / "v.wav")
    assert speech.timing_source == "engine"
    got = [(w.word, round(w.start, 3), round(w.end, 3)) for w in speech.words]
    # Characters are 0.05 s each after a 0.1 s lead-in: "Bees" = chars 0-3, "dance" = 5-9
    # (its comma is not part of the word's sound)...
    assert got == [
        ("Bees", 0.1, 0.3), ("dance", 0.35, 0.6), ("to", 0.7, 0.8),
        ("share", 0.85, 1.1), ("maps", 1.15, 1.35),
    ]  # fmt: skip


def test_mp3_is_decoded_to_a_wav(tts: ElevenLabsTTS, tmp_path: Path) -> None:
    speech = tts.speak(text=TEXT, out_path=tmp_path / "v.wav")
    with wave.open(str(speech.path)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 44100)
        seconds = wav.getnframes() / wav.getframerate()
    expected = 0.1 + 0.05 * len(TEXT) + 0.3
    assert seconds == pytest.approx(expected, abs=0.1)
    assert speech.duration == pytest.approx(seconds)
    assert list(tmp_path.iterdir()) == [speech.path]  # the downloaded MP3 is not left behind


def test_request_follows_the_documented_shape(
    tts: ElevenLabsTTS, server: FakeServer, tmp_path: Path
) -> None:
    tts.speak(text=TEXT, out_path=tmp_path / "v.wav")
    (request,) = server.requests
    assert request.path == "/v1/text-to-speech/21m00Tcm4TlvDq8Ikachm/with-timestamps"
    assert request.headers["xi-api-key"] == "el-test-key"
    assert request.arg("output_format") == "mp3_44100_128"
    assert request.json() == {"text": TEXT, "model_id": "eleven_multilingual_v2"}


def test_pcm_output_is_wrapped_without_decoding(
    tts: ElevenLabsTTS, fake: ElevenLabsFake, tmp_path: Path
) -> None:
    tts.settings.elevenlabs_output_format = "pcm_22050"
    speech = tts.speak(text=TEXT, out_path=tmp_path / "v.wav")
    assert fake.formats == ["pcm_22050"]
    with wave.open(str(speech.path)) as wav:
        assert wav.getframerate() == 22050
    assert speech.duration == pytest.approx(0.1 + 0.05 * len(TEXT) + 0.3, abs=0.01)


def test_the_users_own_key_is_sent(settings: Settings, server: FakeServer, tmp_path: Path) -> None:
    settings.elevenlabs_base_url = server.base_url
    tts = ElevenLabsTTS(settings, credential="el-test-key")
    tts.speak(text="Hi.", out_path=tmp_path / "v.wav")
    assert server.requests[0].headers["xi-api-key"] == "el-test-key"


def test_missing_key_names_the_setting(settings: Settings) -> None:
    with pytest.raises(ConfigError, match="REELFORGE_ELEVENLABS_API_KEY"):
        ElevenLabsTTS(settings)


def test_invalid_key_is_not_retried(settings: Settings, server: FakeServer, tmp_path: Path) -> None:
    settings.elevenlabs_base_url = server.base_url
    tts = ElevenLabsTTS(settings, credential="wrong")
    with pytest.raises(ProviderError) as caught:
        tts.speak(text=TEXT, out_path=tmp_path / "v.wav")
    assert caught.value.status == 401 and not caught.value.retryable
    assert "invalid_api_key" in caught.value.message
    assert "REELFORGE_ELEVENLABS_API_KEY" in caught.value.message
    assert len(server.requests) == 1
    assert not (tmp_path / "v.wav").exists()


def test_quota_exceeded_says_credits_are_used_up(
    tts: ElevenLabsTTS, fake: ElevenLabsFake, server: FakeServer, tmp_path: Path
) -> None:
    fake.credits = 5
    with pytest.raises(ProviderError, match="credits are used up") as caught:
        tts.speak(text=TEXT, out_path=tmp_path / "v.wav")
    assert caught.value.status == 401 and not caught.value.retryable
    assert len(server.requests) == 1


@pytest.mark.parametrize("busy", [too_many_concurrent, server_error])
def test_busy_or_failing_service_is_retried(
    tts: ElevenLabsTTS, fake: ElevenLabsFake, server: FakeServer, tmp_path: Path, busy: object
) -> None:
    fake.replies = [busy(), busy()]  # type: ignore[operator]
    speech = tts.speak(text=TEXT, out_path=tmp_path / "v.wav")
    assert len(server.requests) == 3
    assert len(speech.words) == 5


def test_persistent_rate_limit_gives_up_with_a_retryable_error(
    tts: ElevenLabsTTS, fake: ElevenLabsFake, server: FakeServer, tmp_path: Path
) -> None:
    fake.replies = [too_many_concurrent() for _ in range(5)]
    with pytest.raises(ProviderError, match="too_many_concurrent_requests") as caught:
        tts.speak(text=TEXT, out_path=tmp_path / "v.wav")
    assert caught.value.status == 429 and caught.value.retryable
    assert len(server.requests) == 3  # http_max_retries=2 in tests


def test_unknown_voice_is_reported(
    tts: ElevenLabsTTS, fake: ElevenLabsFake, tmp_path: Path
) -> None:
    fake.voices = {"someone-else"}
    with pytest.raises(ProviderError, match="REELFORGE_ELEVENLABS_VOICE_ID"):
        tts.speak(text=TEXT, out_path=tmp_path / "v.wav")


def test_an_answer_without_alignment_is_an_error(
    tts: ElevenLabsTTS, fake: ElevenLabsFake, tmp_path: Path
) -> None:
    fake.replies = [FakeResponse(200, {"audio_base64": "AAAA"})]
    with pytest.raises(ProviderError, match="without audio_base64 and alignment"):
        tts.speak(text=TEXT, out_path=tmp_path / "v.wav")


def test_undecodable_audio_is_a_provider_error(
    tts: ElevenLabsTTS, fake: ElevenLabsFake, tmp_path: Path
) -> None:
    body = fake.answer(TEXT, "mp3_44100_128")
    body["audio_base64"] = "bm90IGF1ZGlv"  # "not audio"
    fake.replies = [FakeResponse(200, body)]
    with pytest.raises(ProviderError, match="cannot decode"):
        tts.speak(text=TEXT, out_path=tmp_path / "v.wav")
    assert list(tmp_path.iterdir()) == []


def test_detail_errors_are_shown_as_sent(
    tts: ElevenLabsTTS, fake: ElevenLabsFake, tmp_path: Path
) -> None:
    fake.replies = [detail(400, "max_character_limit_exceeded", "Text is too long.")]
    with pytest.raises(ProviderError, match="Text is too long") as caught:
        tts.speak(text=TEXT, out_path=tmp_path / "v.wav")
    assert caught.value.status == 400 and not caught.value.retryable
