"""The video job's own outputs besides the studio's: a thumbnail frame, the render report
(which scenes were redone and which reused from the cache, also the job's last word), an
uploaded music file mixed in, and writing without the owner's Content DNA when asked."""

from __future__ import annotations

import math
import struct
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from reelforge.av.ffmpeg import probe
from reelforge.config import Settings
from reelforge.jobs import records
from reelforge.runtime import Runtime, run_job
from reelforge.videos import service as videos
from reelforge.videos.report import RenderReport
from reelforge.videos.tables import Video
from reelforge.web.app import create_app
from tests.web.support import Api

TINY = {"size": "180x320", "fps": 24, "x264_preset": "ultrafast", "voice": "none"}


@pytest.fixture
def api(settings: Settings) -> Iterator[Api]:
    with TestClient(create_app(settings)) as client:
        yield Api(client, settings)


def _runtime(api: Api) -> Runtime:
    runtime: Runtime = api.client.app.state.reelforge.runtime  # type: ignore[attr-defined]
    return runtime


def _report(runtime: Runtime, owner_id: str, video_id: str) -> RenderReport:
    with runtime.database.session() as db:
        video = videos.get_video(db, owner_id=owner_id, video_id=video_id)
        report = videos.render_report(runtime.blobs, video)
    assert report is not None
    return report


def _last_message(runtime: Runtime, owner_id: str, job_id: str) -> str:
    """The job's last progress message before it ended (the end event says its state)."""
    with runtime.database.session() as db:
        events = records.events_after(db, owner_id=owner_id, job_id=job_id)
        assert events[-1].stage == "succeeded"
        return events[-2].message or ""


@pytest.mark.slow
def test_a_render_leaves_a_thumbnail_and_says_which_scenes_an_edit_redid(
    api: Api, settings: Settings, tmp_path: Path
) -> None:
    account = api.sign_up("report@example.com")
    runtime = _runtime(api)
    made = api.client.post(
        "/api/v1/videos", json={"topic": "why bread goes stale", "options": TINY},
        headers=account.headers,
    ).json()  # fmt: skip
    video_id, job_id = made["video"]["id"], made["job"]["id"]
    assert run_job(settings, job_id=job_id) == "succeeded"

    key = videos.blob_prefix(account.user_id, video_id) + "thumbnail.jpg"
    thumb = runtime.blobs.download(key, tmp_path / "thumb.jpg")
    info = probe(thumb)
    assert (info.width, info.height) == (180, 320) and info.video_codec == "mjpeg"
    first = _report(runtime, account.user_id, video_id)
    assert first.first and first.redone_scenes == len(first.scenes) >= 4
    assert all(s.duration > 0 for s in first.scenes)
    assert first.summary() == f"All {len(first.scenes)} scenes rendered."
    assert _last_message(runtime, account.user_id, job_id) == first.summary()
    listed = api.client.get(f"/api/v1/videos/{video_id}", headers=account.headers).json()
    assert set(listed["files"]) >= {"mp4", "srt", "ass"}  # the thumbnail is served, not listed
    shown = api.client.get(f"/api/v1/videos/{video_id}/files/thumbnail", headers=account.headers)
    assert shown.status_code == 200 and shown.headers["content-type"] == "image/jpeg"

    script = listed["script"]
    script["scenes"][1]["narration"] = "A brand new second scene, said differently."
    answer = api.client.put(
        f"/api/v1/videos/{video_id}/script", json={"script": script}, headers=account.headers
    )
    rerender = answer.json()["job"]["id"]
    assert run_job(settings, job_id=rerender) == "succeeded"
    second = _report(runtime, account.user_id, video_id)
    n = len(second.scenes)
    assert [s.redone for s in second.scenes] == [i == 1 for i in range(n)]
    assert second.redone["segment"] == 1 and not second.first
    assert second.summary() == f"1 scene redone, {n - 1} reused from the cache."
    assert _last_message(runtime, account.user_id, rerender) == second.summary()


def _tone(path: Path, seconds: float = 3.0, rate: int = 22050) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(
            b"".join(
                struct.pack("<h", int(9000 * math.sin(2 * math.pi * 330 * i / rate)))
                for i in range(int(seconds * rate))
            )
        )
    return path


@pytest.mark.slow
def test_uploaded_music_is_mixed_in_and_the_dna_can_be_left_out(
    api: Api, settings: Settings, tmp_path: Path
) -> None:
    account = api.sign_up("tunes@example.com")
    dna = {"calls_to_action": ["Bake along with me"], "target_seconds": 30}
    assert api.client.put("/api/v1/dna", json=dna, headers=account.headers).status_code == 200
    runtime = _runtime(api)
    music = videos.MusicFile(path=_tone(tmp_path / "tune.wav"), filename="tune.wav")
    with runtime.database.session() as db:
        video, job = videos.create_video(
            db, settings, owner_id=account.user_id, topic="why bread goes stale",
            options=TINY, use_dna=False, music=music, blobs=runtime.blobs,
        )  # fmt: skip
        video_id, job_id = video.id, job.id
    assert run_job(settings, job_id=job_id) == "succeeded"
    work = videos.work_dir(settings, account.user_id, video_id)
    assert (work / "music" / "music.wav").read_bytes() == music.path.read_bytes()
    with runtime.database.session() as db:
        row = db.get(Video, video_id)
        assert row is not None and row.status == "ready"
        assert row.script is not None and row.script["call_to_action"] != "Bake along with me"
    mp4 = runtime.blobs.download(
        videos.blob_prefix(account.user_id, video_id) + "video.mp4", tmp_path / "v.mp4"
    )
    assert probe(mp4).audio_codec == "aac"  # a silent voice, yet a soundtrack: the music
