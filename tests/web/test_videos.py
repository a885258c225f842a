"""Videos through the API: made by a job, followed live, downloaded, edited, deleted."""

from __future__ import annotations

from pathlib import Path

import pytest

from reelforge.av.ffmpeg import probe
from reelforge.config import Settings
from reelforge.runtime import run_job
from tests.web.support import Api, assert_error, bearer

TINY = {"size": "180x320", "fps": 24, "x264_preset": "ultrafast", "voice": "none"}


def _make(
    api: Api, headers: dict[str, str], topic: str = "why bread goes stale"
) -> tuple[str, str]:
    answer = api.client.post(
        "/api/v1/videos", json={"topic": topic, "options": TINY}, headers=headers
    )
    assert answer.status_code == 202, answer.text
    body = answer.json()
    assert body["video"]["status"] == "queued" and body["job"]["state"] == "queued"
    return body["video"]["id"], body["job"]["id"]


@pytest.mark.slow
def test_with_only_an_api_key_a_user_makes_and_downloads_a_video(
    api: Api, settings: Settings, tmp_path: Path
) -> None:
    account = api.sign_up("maker@example.com")
    _, key = api.api_key(account)
    headers = bearer(key)
    video_id, job_id = _make(api, headers)

    assert run_job(settings, job_id=job_id) == "succeeded"  # what the worker does

    job = api.client.get(f"/api/v1/jobs/{job_id}", headers=headers).json()
    assert job["state"] == "succeeded" and job["progress"] == 1.0
    video = api.client.get(f"/api/v1/videos/{video_id}", headers=headers).json()
    assert video["status"] == "ready"
    assert set(video["files"]) >= {"mp4", "srt", "ass"}
    assert len(video["script"]["scenes"]) >= 4

    mp4 = api.client.get(video["files"]["mp4"], headers=headers)
    assert mp4.status_code == 200 and mp4.headers["content-type"] == "video/mp4"
    (tmp_path / "got.mp4").write_bytes(mp4.content)
    info = probe(tmp_path / "got.mp4")
    assert (info.width, info.height) == (180, 320) and info.audio_codec == "aac"

    part = api.client.get(video["files"]["mp4"], headers={**headers, "Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 100-199/{len(mp4.content)}"
    assert part.content == mp4.content[100:200]
    tail = api.client.get(video["files"]["mp4"], headers={**headers, "Range": "bytes=-10"})
    assert tail.content == mp4.content[-10:]
    beyond = api.client.get(video["files"]["mp4"], headers={**headers, "Range": f"bytes={10**9}-"})
    assert beyond.status_code == 416

    events = api.client.get(f"/api/v1/jobs/{job_id}/events", headers=headers)
    assert events.headers["content-type"].startswith("text/event-stream")
    assert "event: progress" in events.text
    assert '"stage": "write"' in events.text and '"stage": "done"' in events.text
    assert events.text.rstrip().endswith('data: {"state": "succeeded"}')

    usage = api.client.get("/api/v1/usage", headers=headers).json()
    assert "renders" in str(usage)


@pytest.mark.slow
def test_editing_the_script_re_renders_and_reuses_unchanged_scenes(
    api: Api, settings: Settings
) -> None:
    account = api.sign_up("editor@example.com")
    video_id, job_id = _make(api, account.headers)
    run_job(settings, job_id=job_id)
    script = api.client.get(f"/api/v1/videos/{video_id}", headers=account.headers).json()["script"]
    script["scenes"][1]["narration"] = "A brand new second scene, said differently."

    answer = api.client.put(
        f"/api/v1/videos/{video_id}/script", json={"script": script}, headers=account.headers
    )
    assert answer.status_code == 202, answer.text
    assert run_job(settings, job_id=answer.json()["job"]["id"]) == "succeeded"
    manifest = next((settings.home / "work").glob(f"*/{video_id}/manifest.json")).read_text()
    assert '"segment": 1' in manifest  # one scene re-encoded, the rest reused


def test_a_bad_script_edit_names_the_field(api: Api) -> None:
    account = api.sign_up("typo@example.com")
    video_id, job_id = _make(api, account.headers)
    api.client.post(f"/api/v1/jobs/{job_id}/cancel", headers=account.headers)
    bad = {"title": "t", "hook": "h", "scenes": [{"narration": "x", "search_terms": []}] * 4}
    answer = api.client.put(
        f"/api/v1/videos/{video_id}/script", json={"script": bad}, headers=account.headers
    )
    assert "scenes.0.search_terms" in assert_error(answer, 400)["message"]


def test_bad_options_and_topics_are_refused_with_what_to_do(api: Api) -> None:
    account = api.sign_up("options@example.com")
    answer = api.client.post(
        "/api/v1/videos",
        json={"topic": "bread", "options": {"preset": "imax"}},
        headers=account.headers,
    )
    assert "vertical-fast" in assert_error(answer, 400)["message"]
    answer = api.client.post("/api/v1/videos", json={"topic": "   "}, headers=account.headers)
    assert_error(answer, 400)
    answer = api.client.post(
        "/api/v1/videos", json={"topic": "x", "options": {"bogus": 1}}, headers=account.headers
    )
    assert_error(answer, 400)
    assert (
        api.client.get("/api/v1/videos", headers=account.headers).json() == []
    )  # nothing half-made


def test_cancelling_a_queued_job_means_it_never_runs(api: Api, settings: Settings) -> None:
    account = api.sign_up("cancel@example.com")
    video_id, job_id = _make(api, account.headers)
    answer = api.client.post(f"/api/v1/jobs/{job_id}/cancel", headers=account.headers)
    assert answer.json()["state"] == "cancelled"
    assert run_job(settings, job_id=job_id) == "skipped"
    video = api.client.get(f"/api/v1/videos/{video_id}", headers=account.headers).json()
    assert video["status"] == "cancelled" and video["files"] == {}


@pytest.mark.slow
def test_deleting_a_video_removes_its_rows_and_files(api: Api, settings: Settings) -> None:
    account = api.sign_up("delete@example.com")
    video_id, job_id = _make(api, account.headers)
    run_job(settings, job_id=job_id)
    assert any((settings.home / "files").rglob("video.mp4"))
    assert (
        api.client.delete(f"/api/v1/videos/{video_id}", headers=account.headers).status_code == 204
    )
    assert api.client.get(f"/api/v1/videos/{video_id}", headers=account.headers).status_code == 404
    assert api.client.get(f"/api/v1/jobs/{job_id}", headers=account.headers).status_code == 404
    assert not any((settings.home / "files").rglob("video.mp4"))
    assert not any((settings.home / "work").rglob(video_id))


def test_P19_creations_are_kept_visible_only_to_their_owner_until_deleted(api: Api) -> None:
    owner, other = api.sign_up("creator@example.com"), api.sign_up("someone@example.com")
    video_id, _ = _make(api, owner.headers, topic="my private idea")
    mine = api.client.get("/api/v1/videos", headers=owner.headers).json()
    assert [v["id"] for v in mine] == [video_id] and mine[0]["topic"] == "my private idea"
    assert api.client.get("/api/v1/videos", headers=other.headers).json() == []
    assert api.client.get(f"/api/v1/videos/{video_id}", headers=other.headers).status_code == 404
    assert api.client.delete(f"/api/v1/videos/{video_id}", headers=other.headers).status_code == 404
    assert api.client.get(f"/api/v1/videos/{video_id}", headers=owner.headers).status_code == 200
    assert api.client.delete(f"/api/v1/videos/{video_id}", headers=owner.headers).status_code == 204
    assert api.client.get("/api/v1/videos", headers=owner.headers).json() == []
