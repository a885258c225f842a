"""The writer follows the user's Content DNA: banned phrases never appear, the length fits the
target, the user's own call to action ends the video — in the pipeline and in the API's
video job, which reads the owner's current DNA."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from reelforge.config import Settings
from reelforge.research.dna.profile import ContentDNA
from reelforge.runtime import run_job
from reelforge.studio.models import Script
from reelforge.studio.options import MakeOptions
from reelforge.studio.pipeline import Pipeline
from reelforge.web.app import create_app
from tests.web.support import Api

TOPICS = ("why bread goes stale", "how to keep basil fresh", "the history of the bicycle")
WRITER_WPM = 160  # the pace the pipeline budgets narration words at


@pytest.fixture
def api(settings: Settings) -> Iterator[Api]:
    with TestClient(create_app(settings)) as client:
        yield Api(client, settings)


def _narration_words(script: Script) -> int:
    return sum(len(scene.narration.split()) for scene in script.scenes)


def _all_text(script: Script) -> str:
    return script.model_dump_json().lower()


def _pipeline(settings: Settings, tmp_path: Path) -> Pipeline:
    options = MakeOptions.from_settings(settings, voice="none")
    return Pipeline(settings=settings, options=options, project_dir=tmp_path / "project")


@pytest.mark.parametrize("topic", TOPICS)
def test_the_dna_changes_the_script(settings: Settings, tmp_path: Path, topic: str) -> None:
    pipeline = _pipeline(settings, tmp_path)
    plain = pipeline.write(topic).script
    # Ban phrases the writer used without a DNA, so the test proves they are avoided.
    banned = [plain.scenes[1].narration.split(".")[0].lower(), "here's"]
    dna = ContentDNA(
        phrases_to_avoid=banned,
        calls_to_action=["Bake along with me"],
        hook_styles=["question"],
        target_seconds=30,
    )

    styled = pipeline.write(topic, dna=dna.for_writer()).script

    assert banned[0] in _all_text(plain)
    assert not any(phrase in _all_text(styled) for phrase in banned)
    assert styled.call_to_action == "Bake along with me"
    assert styled.hook.endswith("?")
    assert _narration_words(styled) <= 30 * WRITER_WPM / 60 < _narration_words(plain)


@pytest.mark.slow
def test_a_video_made_through_the_api_is_written_from_the_users_dna(
    api: Api, settings: Settings
) -> None:
    account = api.sign_up("sam@example.com")
    other = api.sign_up("other@example.com")
    dna = {
        "phrases_to_avoid": ["stale", "here's"],
        "calls_to_action": ["Bake along with me"],
        "target_seconds": 30,
    }
    assert api.client.put("/api/v1/dna", json=dna, headers=account.headers).status_code == 200
    tiny = {"size": "180x320", "fps": 24, "x264_preset": "ultrafast", "voice": "none"}
    made = {}
    for who in (account, other):
        answer = api.client.post(
            "/api/v1/videos",
            json={"topic": "why bread goes stale", "options": tiny},
            headers=who.headers,
        )
        assert answer.status_code == 202, answer.text
        assert run_job(settings, job_id=answer.json()["job"]["id"]) == "succeeded"
        video_id = answer.json()["video"]["id"]
        made[who.email] = api.client.get(f"/api/v1/videos/{video_id}", headers=who.headers).json()

    mine = Script.model_validate(made[account.email]["script"])
    theirs = Script.model_validate(made[other.email]["script"])  # no DNA: the writer's defaults
    assert mine.call_to_action == "Bake along with me"
    assert "stale" not in _all_text(mine).replace(mine.topic, "")
    assert "here's" not in _all_text(mine)
    assert _narration_words(mine) <= 30 * WRITER_WPM / 60
    assert theirs.call_to_action != "Bake along with me" and "stale" in theirs.title.lower()
