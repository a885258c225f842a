"""The video pages over TestClient: what New video offers, what a bad form or script edit
answers (the message next to the field, nothing lost), the scene editor's moves, the files
with Range, the list and delete — and that another account gets the 404 page for all of it.

Renders are faked here (files put in the store as a finished render leaves them); the
browser journey and tests/jobs/test_video_report.py render for real.
"""

from __future__ import annotations

import json
import math
import re
import struct
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from reelforge.config import Settings
from reelforge.jobs import records
from reelforge.runtime import Runtime
from reelforge.videos import service as videos
from reelforge.videos.report import REPORT_NAME, RenderReport, SceneReport
from reelforge.videos.tables import Video
from reelforge.web.app import create_app
from tests.web.support import Account, Api

CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


class Visitor:
    """One signed-in person in the shared TestClient: their cookie and their CSRF token."""

    def __init__(self, api: Api, account: Account) -> None:
        self.api, self.account = api, account
        self._csrf = ""

    def _cookie(self) -> TestClient:
        client = self.api.client
        client.cookies.clear()
        client.cookies.set("reelforge_session", self.account.token)
        return client

    def get(self, path: str, **kw: Any) -> Any:
        answer = self._cookie().get(path, **kw)
        if found := CSRF.search(answer.text):
            self._csrf = found[1]
        return answer

    def csrf(self) -> str:
        if not self._csrf:
            self.get("/videos")
        return self._csrf

    def post(self, path: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
        token = self.csrf()
        body = {"csrf_token": token, **(data or {})}
        return self._cookie().post(path, data=body, follow_redirects=False, **kw)


@pytest.fixture
def api(settings: Settings) -> Iterator[Api]:
    with TestClient(create_app(settings)) as client:
        yield Api(client, settings)


def _runtime(api: Api) -> Runtime:
    runtime: Runtime = api.client.app.state.reelforge.runtime  # type: ignore[attr-defined]
    return runtime


def visitor(api: Api, address: str) -> Visitor:
    return Visitor(api, api.sign_up(address))


SCRIPT = {
    "topic": "why bread goes stale",
    "title": "Why bread goes stale",
    "hook": "Your bread is not drying out.",
    "scenes": [
        {
            "narration": "Your bread is not drying out. It is crystallising.",
            "search_terms": ["bread"],
        },
        {"narration": "Starch molecules line up again as it cools.", "search_terms": ["starch"]},
        {"narration": "That is why the fridge makes it worse.", "search_terms": ["fridge"]},
        {"narration": "Freeze it instead, and toast it back.", "search_terms": ["toast"]},
    ],
    "call_to_action": "Follow for more kitchen science.",
}


def finished_video(api: Api, owner: Account, *, script: dict[str, Any] | None = None) -> str:
    """A video as a finished render leaves it: its script, its files and its report."""
    runtime = _runtime(api)
    with runtime.database.session() as db:
        video, job = videos.create_video(
            db, runtime.settings, owner_id=owner.user_id, topic=SCRIPT["topic"], options={}
        )
        video.script = script or SCRIPT
        video.title = str(video.script["title"])
        video.status = "ready"
        job.state = "succeeded"
        video_id = video.id
        prefix = videos.blob_prefix(owner.user_id, video_id)
    files = {
        "video.mp4": bytes(range(256)) * 40,
        "video.srt": b"1\n00:00:00,000 --> 00:00:01,000\nYour bread\n",
        "video.ass": b"[Script Info]\n",
        "thumbnail.jpg": b"\xff\xd8\xff\xe0fake-jpeg",
        "credits.txt": b"Photo by Someone on Pexels (pexels.com)\n",
    }
    for name, data in files.items():
        runtime.blobs.put_bytes(prefix + name, data)
    report = RenderReport(
        scenes=[
            SceneReport(duration=3.0, redone=False),
            SceneReport(duration=2.5, redone=True),
            SceneReport(duration=2.0, redone=False),
            SceneReport(duration=4.0, redone=False),
        ],
        duration=11.5,
    )
    runtime.blobs.put_bytes(prefix + REPORT_NAME, report.model_dump_json().encode())
    return video_id


def editor_form(script: dict[str, Any]) -> dict[str, str]:
    """The editor's fields for ``script``, as the page sends them."""
    form = {
        "title": script["title"],
        "hook": script["hook"],
        "call_to_action": script.get("call_to_action", ""),
        "scene_count": str(len(script["scenes"])),
    }
    for i, scene in enumerate(script["scenes"]):
        form |= {
            f"scene-{i}-origin": str(i),
            f"scene-{i}-narration": scene["narration"],
            f"scene-{i}-on_screen_text": scene.get("on_screen_text", ""),
            f"scene-{i}-search_terms": ", ".join(scene["search_terms"]),
            f"scene-{i}-visual_kind": "",
            f"scene-{i}-visual_text": "",
        }
    return form


def _text_of(html: str, element_id: str) -> str:
    found = re.search(rf'id="{re.escape(element_id)}"[^>]*>(.*?)</', html, re.S)
    assert found, f"no element #{element_id}"
    return found[1].strip()


def _narrations(html: str) -> list[str]:
    return re.findall(r'name="scene-\d+-narration"[^>]*>(.*?)</textarea>', html, re.S)


# --- New video -------------------------------------------------------------------


def test_new_video_offers_what_is_configured_and_says_how_to_enable_the_rest(api: Api) -> None:
    me = visitor(api, "maker@example.com")
    page = me.get("/videos/new")
    assert page.status_code == 200 and "<h1>New video</h1>" in page.text
    html = page.text
    assert re.search(r'id="writer-offline"[^>]*checked', html)
    assert re.search(r'id="writer-anthropic"[^>]*disabled', html)
    assert "REELFORGE_ANTHROPIC_API_KEY" in html and 'href="/keys"' in html
    assert re.search(r'<option value="pexels"[^>]*disabled', html)
    assert "REELFORGE_LIBRARY_DIR" in html  # the library needs its folder
    assert re.search(r'<option value="procedural"[^>]*selected', html)
    assert re.search(r'id="use_dna"[^>]*disabled', html)  # no DNA yet: nothing to use
    assert 'href="/dna"' in html


def test_a_users_own_key_and_a_server_key_turn_providers_on(api: Api, settings: Settings) -> None:
    me = visitor(api, "byok@example.com")
    answer = api.client.put(
        "/api/v1/provider-keys/anthropic", json={"key": "sk-ant-mine"}, headers=me.account.headers
    )
    assert answer.status_code in (200, 201), answer.text
    settings.pexels_api_key = "server-key"  # type: ignore[assignment]
    html = me.get("/videos/new").text
    assert not re.search(r'id="writer-anthropic"[^>]*disabled', html)
    assert not re.search(r'<option value="pexels"[^>]*disabled', html)
    assert re.search(r'<option value="pixabay"[^>]*disabled', html)


def test_the_dna_switch_is_on_when_the_user_has_one_and_off_is_kept(api: Api) -> None:
    me = visitor(api, "dna@example.com")
    dna = {"phrases_to_avoid": ["here's"], "target_seconds": 30}
    assert api.client.put("/api/v1/dna", json=dna, headers=me.account.headers).status_code == 200
    assert re.search(r'id="use_dna"[^>]*checked', me.get("/videos/new").text)
    made = me.post("/videos", NEW)  # the box left unticked
    video_id = made.headers["location"].rsplit("/", 1)[1]
    with _runtime(api).database.session() as db:
        assert db.get(Video, video_id).options[videos.USE_DNA] is False  # type: ignore[union-attr]


NEW = {
    "topic": "why bread goes stale",
    "writer": "offline",
    "voice": "none",
    "media_1": "procedural",
    "preset": "vertical-fast",
}


def test_making_a_video_queues_it_as_the_api_does_and_lands_on_its_page(api: Api) -> None:
    me = visitor(api, "queue@example.com")
    answer = me.post("/videos", NEW)
    assert answer.status_code == 303, answer.text
    video_id = answer.headers["location"].rsplit("/", 1)[1]
    body = api.client.get(f"/api/v1/videos/{video_id}", headers=me.account.headers).json()
    assert body["status"] == "queued"
    assert body["options"]["voice"] == "none" and body["options"]["media"] == ["procedural"]
    assert body["options"]["preset"] == "vertical-fast"
    jobs = api.client.get("/api/v1/jobs", headers=me.account.headers).json()
    assert [j["video_id"] for j in jobs] == [video_id] and jobs[0]["state"] == "queued"
    page = me.get(f"/videos/{video_id}")
    assert f'data-video-job="{jobs[0]["id"]}"' in page.text  # live progress, stage by stage
    assert 'data-stage="voice"' in page.text and "close this tab" in page.text


def test_a_bad_topic_or_choice_is_refused_next_to_its_field_and_nothing_is_made(api: Api) -> None:
    me = visitor(api, "typo@example.com")
    answer = me.post("/videos", {**NEW, "topic": "   ", "voice": "elevenlabs"})
    assert answer.status_code == 400
    assert _text_of(answer.text, "topic-error")
    assert "voice this server can use" in _text_of(answer.text, "voice-error")
    assert 'value="offline"' in answer.text  # the other choices are still there
    answer = me.post("/videos", {**NEW, "media_1": "", "media_2": ""})
    assert "at least one media source" in _text_of(answer.text, "media-error")
    assert api.client.get("/api/v1/videos", headers=me.account.headers).json() == []


def _tone(path: Path, seconds: float = 0.5, rate: int = 16000) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        frames = b"".join(
            struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate)))
            for i in range(int(seconds * rate))
        )
        out.writeframes(frames)
    return path


def test_music_is_stored_beside_the_video_and_a_non_audio_file_is_refused(
    api: Api, tmp_path: Path
) -> None:
    me = visitor(api, "music@example.com")
    bad = me.post("/videos", NEW, files={"music": ("song.mp3", b"not really music", "audio/mpeg")})
    assert bad.status_code == 400
    assert "no sound" in _text_of(bad.text, "music-error")
    assert api.client.get("/api/v1/videos", headers=me.account.headers).json() == []

    tone = _tone(tmp_path / "tone.wav").read_bytes()
    good = me.post("/videos", NEW, files={"music": ("My Tune.wav", tone, "audio/wav")})
    assert good.status_code == 303, good.text
    video_id = good.headers["location"].rsplit("/", 1)[1]
    body = api.client.get(f"/api/v1/videos/{video_id}", headers=me.account.headers).json()
    key = body["options"][videos.MUSIC_BLOB]
    assert key == videos.blob_prefix(me.account.user_id, video_id) + "music.wav"
    assert _runtime(api).blobs.get_bytes(key) == tone
    assert "My Tune.wav" in me.get(f"/videos/{video_id}").text
    # The API's options cannot point a render at a stored file.
    answer = api.client.post(
        "/api/v1/videos",
        json={"topic": "x", "options": {videos.MUSIC_BLOB: key}},
        headers=me.account.headers,
    )
    assert answer.status_code == 400


# --- the video page ------------------------------------------------------------------


def test_the_video_page_has_the_player_files_credits_report_and_post_link(api: Api) -> None:
    me = visitor(api, "watch@example.com")
    video_id = finished_video(api, me.account)
    page = me.get(f"/videos/{video_id}")
    html = page.text
    assert page.status_code == 200 and "<h1>Why bread goes stale</h1>" in html
    assert f'src="/videos/{video_id}/file/mp4"' in html and "<video" in html
    assert f'poster="/videos/{video_id}/thumbnail"' in html
    for name in ("mp4", "srt", "ass", "credits"):
        assert f'href="/videos/{video_id}/file/{name}" download=' in html
    assert "Photo by Someone on Pexels" in html
    assert "Last render: 1 scene redone, 3 reused from the cache." in html
    assert f'href="/posts/new?video={video_id}"' in html
    assert html.count("redone in the last render") == 1
    assert html.count("reused from the cache</span>") == 3
    assert 'max="4.0" value="2.5"' in html  # scene 2's bar, against the longest scene


def test_files_are_served_with_range_and_the_thumbnail_as_an_image(api: Api) -> None:
    me = visitor(api, "range@example.com")
    video_id = finished_video(api, me.account)
    whole = me.get(f"/videos/{video_id}/file/mp4")
    assert whole.status_code == 200 and whole.headers["content-type"] == "video/mp4"
    part = me.get(f"/videos/{video_id}/file/mp4", headers={"Range": "bytes=10-19"})
    assert part.status_code == 206 and part.content == whole.content[10:20]
    assert part.headers["content-range"] == f"bytes 10-19/{len(whole.content)}"
    thumb = me.get(f"/videos/{video_id}/thumbnail")
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"
    assert me.get(f"/videos/{video_id}/file/secrets").status_code == 404


def test_another_account_gets_the_404_page_for_every_url_of_a_video(api: Api) -> None:
    owner, stranger = visitor(api, "owner@example.com"), visitor(api, "stranger@example.com")
    video_id = finished_video(api, owner.account)
    for path in (
        f"/videos/{video_id}",
        f"/videos/{video_id}/file/mp4",
        f"/videos/{video_id}/file/credits",
        f"/videos/{video_id}/thumbnail",
    ):
        answer = stranger.get(path)
        assert answer.status_code == 404, path
        assert "<h1>Not found</h1>" in answer.text and "another account" in answer.text
    form = editor_form(SCRIPT)
    for path, data in (
        (f"/videos/{video_id}/script", form),
        (f"/videos/{video_id}/editor", {**form, "action": "up:1"}),
        (f"/videos/{video_id}/render", {}),
        (f"/videos/{video_id}/delete", {}),
    ):
        assert stranger.post(path, data).status_code == 404, path
    assert "Why bread goes stale" not in stranger.get("/videos").text
    assert owner.get(f"/videos/{video_id}").status_code == 200  # still there, unchanged
    with _runtime(api).database.session() as db:
        assert db.get(Video, video_id).script == SCRIPT  # type: ignore[union-attr]


def test_signed_out_the_video_pages_ask_to_sign_in(api: Api) -> None:
    api.client.cookies.clear()
    answer = api.client.get("/videos/abc", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/signin?next=/videos/abc"


# --- the scene editor -------------------------------------------------------------------


def test_scenes_move_add_and_delete_in_the_draft_without_saving(api: Api) -> None:
    me = visitor(api, "order@example.com")
    video_id = finished_video(api, me.account)
    form = editor_form(SCRIPT)
    moved = me.post(f"/videos/{video_id}/editor", {**form, "action": "up:2"})
    assert moved.status_code == 200
    narrations = _narrations(moved.text)
    assert narrations[1].startswith("That is why the fridge") and narrations[2].startswith("Starch")
    assert 'data-focus="scene-1-up"' in moved.text  # the keyboard stays on the moved scene
    assert "Not saved yet" in moved.text
    # the moved scene keeps its own last-render facts
    assert 'name="scene-1-origin" value="2"' in moved.text

    added = me.post(f"/videos/{video_id}/editor", {**form, "action": "add:0"})
    assert len(_narrations(added.text)) == 5 and _narrations(added.text)[1] == ""
    assert 'data-focus="scene-1-narration"' in added.text
    deleted = me.post(f"/videos/{video_id}/editor", {**form, "action": "delete:0"})
    assert len(_narrations(deleted.text)) == 3
    with _runtime(api).database.session() as db:
        assert db.get(Video, video_id).script == SCRIPT  # type: ignore[union-attr]


def test_a_bad_edit_is_refused_next_to_the_field_and_nothing_typed_is_lost(api: Api) -> None:
    me = visitor(api, "careful@example.com")
    video_id = finished_video(api, me.account)
    form = editor_form(SCRIPT) | {
        "scene-1-narration": "   ",
        "scene-2-narration": "Kept exactly as I typed it.",
        "scene-3-search_terms": "",
    }
    answer = me.post(f"/videos/{video_id}/script", form)
    assert answer.status_code == 400
    assert "Nothing was saved" in answer.text
    assert "Write what the narrator says" in _text_of(answer.text, "scene-1-narration-error")
    assert "at least one search term" in _text_of(answer.text, "scene-3-search_terms-error")
    assert "Kept exactly as I typed it." in answer.text
    assert re.search(r'id="scene-1-narration"[^>]*aria-invalid="true"', answer.text)

    many = editor_form({**SCRIPT, "scenes": SCRIPT["scenes"] * 3})  # 12 scenes
    answer = me.post(f"/videos/{video_id}/script", many)
    assert answer.status_code == 400
    assert "at most 8 scenes; this one has 12: delete 4" in _text_of(answer.text, "scenes-error")
    assert len(_narrations(answer.text)) == 12
    with _runtime(api).database.session() as db:
        assert db.get(Video, video_id).script == SCRIPT  # type: ignore[union-attr]
        assert len(records.list_jobs(db, owner_id=me.account.user_id)) == 1  # no new render


def test_saving_an_edit_stores_the_script_and_queues_a_re_render(api: Api) -> None:
    me = visitor(api, "saver@example.com")
    video_id = finished_video(api, me.account)
    form = editor_form(SCRIPT) | {
        "scene-1-narration": "Starch lines up again, slowly, as the loaf cools.",
        "scene-1-visual_kind": "procedural",
        "scene-1-visual_text": "aurora",
    }
    answer = me.post(f"/videos/{video_id}/script", form)
    assert answer.status_code == 303 and answer.headers["location"] == f"/videos/{video_id}"
    body = api.client.get(f"/api/v1/videos/{video_id}", headers=me.account.headers).json()
    scene = body["script"]["scenes"][1]
    assert scene["narration"] == "Starch lines up again, slowly, as the loaf cools."
    assert scene["visual"] == {"kind": "procedural", "query": "", "prompt": "", "style": "aurora"}
    assert body["script"]["scenes"][0]["visual"] is None  # the storyboard still decides
    assert body["status"] == "queued"
    page = me.get(f"/videos/{video_id}")
    assert "data-video-job=" in page.text and "once this render finishes" in page.text
    again = me.post(f"/videos/{video_id}/script", form)  # while it renders: refused, kept
    assert again.status_code == 400 and "still rendering" in again.text


def test_the_editors_warnings_sit_next_to_the_scene_they_name(api: Api) -> None:
    me = visitor(api, "warned@example.com")
    script = json.loads(json.dumps(SCRIPT))
    script["scenes"][2]["narration"] = "It goes stale 50% faster in the fridge."
    script["scenes"][3]["search_terms"] = ["bread"]  # the same term as scene 1
    video_id = finished_video(api, me.account, script=script)
    html = me.get(f"/videos/{video_id}").text
    assert '"50%"' in _text_of(html, "scene-2-warnings").replace("&#34;", '"')
    assert "scenes 1 and 4" in _text_of(html, "scene-3-warnings")
    assert 'aria-describedby="scene-2-warnings"' in html


# --- the list ------------------------------------------------------------------------


def test_the_list_teaches_when_empty_then_lists_and_deletes(api: Api, settings: Settings) -> None:
    me = visitor(api, "lister@example.com")
    empty = me.get("/videos")
    assert "No videos yet" in empty.text and 'href="/videos/new"' in empty.text
    video_id = finished_video(api, me.account)
    listed = me.get("/videos").text
    assert f'src="/videos/{video_id}/thumbnail"' in listed and "Why bread goes stale" in listed
    assert "data-confirm=" in listed
    gone = me.post(f"/videos/{video_id}/delete")
    assert gone.status_code == 303 and gone.headers["location"].startswith("/videos?deleted=")
    after = me.get(gone.headers["location"])
    assert "Deleted “Why bread goes stale”" in after.text and "No videos yet" in after.text
    assert me.get(f"/videos/{video_id}").status_code == 404
    assert not _runtime(api).blobs.list(videos.blob_prefix(me.account.user_id, video_id))


def test_a_cancelled_render_says_so_and_offers_to_render_again(api: Api) -> None:
    me = visitor(api, "retry@example.com")
    made = me.post("/videos", NEW)
    video_id = made.headers["location"].rsplit("/", 1)[1]
    job = api.client.get("/api/v1/jobs", headers=me.account.headers).json()[0]
    api.client.post(f"/api/v1/jobs/{job['id']}/cancel", headers=me.account.headers)
    page = me.get(f"/videos/{video_id}").text
    assert "The render was cancelled" in page and "data-video-job" not in page
    # no script was written yet: start again from the topic
    assert 'href="/videos/new?topic=why%20bread%20goes%20stale"' in page

    finished = finished_video(api, me.account)
    with _runtime(api).database.session() as db:
        db.get(Video, finished).status = "failed"  # type: ignore[union-attr]
    again = me.post(f"/videos/{finished}/render")
    assert again.status_code == 303
    assert "data-video-job=" in me.get(f"/videos/{finished}").text  # queued again, same script
