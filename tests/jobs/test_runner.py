"""How a job's outcome is decided: retries with backoff, failures with the user's message."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest

from reelforge.accounts.tables import User
from reelforge.clock import utc_now
from reelforge.config import Settings
from reelforge.errors import ProviderError
from reelforge.jobs.runner import backoff_seconds
from reelforge.jobs.tables import Job
from reelforge.providers import registry
from reelforge.providers.types.media import Speech
from reelforge.runtime import queue_for, run_job, runtime_for
from reelforge.videos import service as videos
from tests.fakes.providers import FakeTTS


class FlakyTTS(FakeTTS):
    """Answers 503 the first ``failures`` times, like a provider having a bad minute."""

    name: ClassVar[str] = "flaky"
    failures: ClassVar[int] = 1

    def speak(self, *, text: str, out_path: Path) -> Speech:
        if FlakyTTS.failures > 0:
            FlakyTTS.failures -= 1
            raise ProviderError(
                "flaky answered HTTP 503", provider="flaky", retryable=True, status=503
            )
        return super().speak(text=text, out_path=out_path)


class BrokenTTS(FakeTTS):
    name: ClassVar[str] = "broken"

    def speak(self, *, text: str, out_path: Path) -> Speech:
        raise ProviderError(
            "broken refused the key", provider="broken", retryable=False, status=401
        )


def _video_job(settings: Settings, voice: str) -> str:
    registry.register("tts", voice, f"tests.jobs.test_runner:{voice.capitalize()}TTS")
    services = runtime_for(settings)
    with services.database.session() as db:
        user = User(email=f"{voice}@example.com", age_confirmed_at=utc_now())
        db.add(user)
        db.flush()
        options: dict[str, Any] = {
            "voice": voice,
            "size": "180x320",
            "fps": 24,
            "x264_preset": "ultrafast",
        }
        _, job = videos.create_video(
            db, settings, owner_id=user.id, topic="why ice floats", options=options
        )
        return job.id


def _job(settings: Settings, job_id: str) -> Job:
    with runtime_for(settings).database.session() as db:
        job = db.get(Job, job_id)
        assert job is not None
        return job


@pytest.mark.slow
def test_a_retryable_provider_failure_is_retried_then_succeeds(settings: Settings) -> None:
    FlakyTTS.failures = 1
    job_id = _video_job(settings, "flaky")
    queue = queue_for(settings, immediate=True)
    assert run_job(settings, job_id=job_id, queue=queue) == "queued"
    job = _job(settings, job_id)
    assert job.state == "queued" and "retrying" in (job.error or "")
    assert run_job(settings, job_id=job_id, queue=queue) == "succeeded"
    assert _job(settings, job_id).attempts == 2


def test_a_permanent_provider_failure_fails_the_job_with_its_message(settings: Settings) -> None:
    job_id = _video_job(settings, "broken")
    assert run_job(settings, job_id=job_id, queue=queue_for(settings, immediate=True)) == "failed"
    job = _job(settings, job_id)
    assert job.state == "failed" and job.error == "broken refused the key"


def test_retries_stop_after_the_configured_attempts(settings: Settings) -> None:
    FlakyTTS.failures = 99
    settings.job_max_attempts = 2
    job_id = _video_job(settings, "flaky")
    queue = queue_for(settings, immediate=True)
    assert run_job(settings, job_id=job_id, queue=queue) == "queued"
    assert run_job(settings, job_id=job_id, queue=queue) == "failed"
    FlakyTTS.failures = 0


def test_backoff_doubles_and_is_capped(settings: Settings) -> None:
    assert [backoff_seconds(n, settings) for n in (1, 2, 3)] == [10, 20, 40]
    assert backoff_seconds(20, settings) == 600
