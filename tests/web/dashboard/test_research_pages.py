"""Research pages through the app, without a browser: creators (add, import with bad lines by
number, refresh, delete with counts), analytics with inline SVG charts, the Content DNA
(edit, versions and diff, restore, wizard, derive with evidence), ideas — and nothing of
one account reachable from another (404 pages)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from reelforge.config import Settings
from reelforge.research.dna.diff import LABELS, diff_profiles
from reelforge.research.dna.profile import ContentDNA
from reelforge.research.report_charts import DASHBOARD_CHARTS
from reelforge.research.tables import Creator, ResearchVideo
from reelforge.web.app import create_app
from reelforge.web.security import SESSION_COOKIE
from tests.web.support import Api

TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
START = datetime(2024, 3, 4, 17, 0, tzinfo=UTC)
TITLES = [
    "How to shape a sourdough loaf",
    "Why your bread is flat?",
    "3 sourdough mistakes beginners make",
    "My starter routine",
    "Baking bread at home",
    "Sourdough scoring patterns",
    "How to feed a starter",
    "The perfect crumb",
    "Focaccia in one hour",
    "Why sourdough needs time?",
    "Rye bread for beginners",
]


def ytdlp_file(handle: str = "breadlab", *, bad_line: int = 5) -> str:
    """A dozen yt-dlp --dump-json lines for one TikTok creator; line ``bad_line`` is broken."""
    lines = []
    for i, title in enumerate(TITLES):
        views = 1000 + 50 * i if i != 8 else 40_000  # the focaccia broke out
        lines.append(
            json.dumps(
                {
                    "id": f"73{i:017d}",
                    "title": f"{title} #bread",
                    "description": f"{title} #bread #sourdough",
                    "timestamp": int((START + timedelta(days=i, hours=i % 5)).timestamp()),
                    "duration": 20 + 7 * i,
                    "view_count": views,
                    "like_count": views // 12,
                    "comment_count": 5 + i,
                    "repost_count": i,
                    "uploader": handle,
                    "extractor_key": "TikTok",
                    "webpage_url": f"https://www.tiktok.com/@{handle}/video/73{i:017d}",
                }
            )
        )
    lines.insert(bad_line - 1, '{"id": "broken", "title": oops')
    return "\n".join(lines) + "\n"


@dataclass
class Dash:
    """A signed-in browser-like client: the session cookie and the page's CSRF token."""

    client: TestClient
    user_id: str
    token: str = ""

    def get(self, path: str, **kw: Any) -> Any:
        answer = self.client.get(path, **kw)
        if found := TOKEN.search(answer.text):
            self.token = found.group(1)
        return answer

    def post(self, path: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
        if not self.token:
            self.get("/creators")
        return self.client.post(
            path, data={"csrf_token": self.token, **(data or {})}, follow_redirects=False, **kw
        )

    def upload(self, text: str, name: str = "breadlab.jsonl", **data: str) -> Any:
        return self.post("/creators/import", data=data, files={"file": (name, text.encode())})


@pytest.fixture
def app_client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client


def dash(app_client: TestClient, settings: Settings, address: str) -> Dash:
    account = Api(app_client, settings).sign_up(address)
    # every account its own client: the cookie jar is the session
    client = TestClient(app_client.app)
    client.cookies.set(SESSION_COOKIE, account.token)
    return Dash(client=client, user_id=account.user_id)


@pytest.fixture
def alice(app_client: TestClient, settings: Settings) -> Dash:
    return dash(app_client, settings, "alice@example.com")


def imported(alice: Dash) -> str:
    answer = alice.upload(ytdlp_file())
    assert answer.status_code == 200, answer.text
    with runtime_for_settings(alice).database.session() as db:
        return str(db.scalar(select(Creator.id).where(Creator.owner_id == alice.user_id)))


def runtime_for_settings(who: Dash) -> Any:
    return who.client.app.state.reelforge.runtime  # type: ignore[attr-defined]


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_research_pages_need_a_signed_in_session(app_client: TestClient) -> None:
    for path in ("/creators", "/analytics", "/dna", "/dna/wizard", "/ideas"):
        answer = app_client.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == f"/signin?next={path}"


def test_empty_pages_say_what_to_do_first(alice: Dash) -> None:
    assert "No creators yet" in alice.get("/creators").text
    analytics = text_of(alice.get("/analytics").text)
    assert "Add a creator or import a file first" in analytics
    assert "<svg" not in analytics
    assert "No Content DNA yet" in alice.get("/dna").text
    assert "Add a creator or import a file first" in text_of(alice.get("/dna/derive").text)
    ideas = text_of(alice.get("/ideas").text)
    assert "No ideas yet" in ideas and "Add a creator or import a file first" in ideas


def test_an_import_lists_the_bad_line_by_number_and_keeps_the_rest(alice: Dash) -> None:
    answer = alice.upload(ytdlp_file(bad_line=5))
    assert answer.status_code == 200
    page = text_of(answer.text)
    assert "Import finished: 11 videos kept" in page
    assert "1 line skipped" in page
    assert re.search(r"Line 5 .*JSON", page), page
    assert "@breadlab" in page and "TikTok" in page
    listed = text_of(alice.get("/creators").text)
    assert "@breadlab" in listed and "11" in listed


def test_files_that_cannot_be_read_are_refused_with_a_message(alice: Dash) -> None:
    latin = alice.post("/creators/import", files={"file": ("x.csv", "caf\xe9".encode("latin-1"))})
    assert latin.status_code == 400 and "not UTF-8" in latin.text
    empty = alice.post("/creators/import", files={"file": ("x.csv", b"")})
    assert empty.status_code == 400 and "The file is empty" in empty.text
    none = alice.post("/creators/import", data={})
    assert none.status_code == 400 and "Choose a file to import first" in none.text
    assert 'role="alert"' in none.text and "Traceback" not in none.text


def test_import_into_a_creator_that_is_not_yours_is_a_404(
    alice: Dash, app_client: TestClient, settings: Settings
) -> None:
    creator = imported(alice)
    bob = dash(app_client, settings, "bob@example.com")
    answer = bob.upload(ytdlp_file("someone"), creator_id=creator)
    assert answer.status_code == 404


def test_a_creator_is_added_by_handle_or_url(alice: Dash) -> None:
    answer = alice.post(
        "/creators", {"handle": "https://www.tiktok.com/@packlight", "platform": "youtube"}
    )
    assert answer.status_code == 303
    page = text_of(alice.get(answer.headers["location"]).text)
    assert "Added @packlight" in page and "TikTok" in page  # the URL chose the platform
    again = alice.post("/creators", {"handle": "@packlight", "platform": "tiktok"})
    assert "already in your workspace" in alice.get(again.headers["location"]).text
    bad = alice.post("/creators", {"handle": "not a handle", "platform": "youtube"})
    assert bad.status_code == 400 and "is not a handle" in bad.text
    assert 'value="not a handle"' in bad.text  # the form keeps what was typed
    wrong = alice.post(
        "/creators", {"handle": "@x", "platform": "youtube", "source": "tiktok_display"}
    )
    assert wrong.status_code == 400 and "cannot be read from" in wrong.text


def test_refresh_queues_a_job_the_page_follows(alice: Dash) -> None:
    alice.post("/creators", {"handle": "@breadlab", "platform": "youtube"})
    page = alice.get("/creators").text
    creator = re.search(r'action="/creators/([0-9a-f-]+)/refresh"', page)
    assert creator, page
    answer = alice.post(f"/creators/{creator.group(1)}/refresh")
    assert answer.status_code == 303
    after = alice.get(answer.headers["location"]).text
    assert "Reading @breadlab" in after
    job = re.search(r'data-job="([0-9a-f-]+)" data-reload-on-end', after)
    assert job, after  # the row follows the job live and reloads when it ends
    assert f'action="/creators/{creator.group(1)}/refresh"' not in after  # no second refresh
    again = alice.post(f"/creators/{creator.group(1)}/refresh", {"back": "detail"})
    assert again.headers["location"] == f"/creators/{creator.group(1)}"
    detail = alice.get(again.headers["location"]).text
    assert f'data-job="{job.group(1)}"' in detail  # the same job, not a second one


def test_analytics_pages_inline_every_chart_with_its_numbers(alice: Dash) -> None:
    creator = imported(alice)
    for path in ("/analytics", f"/creators/{creator}"):
        page = alice.get(path)
        assert page.status_code == 200
        assert page.text.count("<svg") == len(DASHBOARD_CHARTS), path
        assert "<script" not in page.text.split("</head>")[1]  # no inline or third-party script
        words = text_of(page.text)
        for heading in (
            "Top videos",
            "Engagement",
            "Breakouts",
            "Best time to post",
            "Video length",
            "Words and hashtags",
            "Growth",
        ):
            assert heading in words
        assert "Focaccia in one hour" in words  # the numbers are on the page too
    chart = alice.get("/analytics/charts/weekday-hour.svg?tz=Europe/Berlin")
    assert chart.status_code == 200 and chart.headers["content-type"] == "image/svg+xml"
    assert "Europe/Berlin" in chart.text
    own = alice.get(f"/creators/{creator}/charts/top-videos.svg")
    assert own.status_code == 200 and "Focaccia" in own.text
    assert alice.get("/analytics/charts/nope.svg").status_code == 404
    assert alice.get("/analytics?tz=Mars/Olympus").status_code == 400


def test_deleting_a_creator_says_what_goes_and_removes_it(alice: Dash) -> None:
    creator = imported(alice)
    page = alice.get("/creators").text
    assert "Delete @breadlab and all its 11 videos and 11 stat snapshots?" in page
    answer = alice.post(f"/creators/{creator}/delete")
    assert answer.status_code == 303
    assert "Deleted the creator" in alice.get(answer.headers["location"]).text
    assert alice.get(f"/creators/{creator}").status_code == 404
    with runtime_for_settings(alice).database.session() as db:
        left = db.scalar(select(func.count()).select_from(ResearchVideo))
    assert left == 0


def test_another_account_gets_404_pages_for_a_creator_it_does_not_own(
    alice: Dash, app_client: TestClient, settings: Settings
) -> None:
    creator = imported(alice)
    bob = dash(app_client, settings, "bob@example.com")
    for path in (f"/creators/{creator}", f"/creators/{creator}/charts/top-videos.svg"):
        answer = bob.get(path)
        assert answer.status_code == 404, path
        assert "It may belong to another account" in answer.text
        assert "breadlab" not in answer.text
    assert bob.get(f"/dna/derive?creator={creator}").status_code == 200  # not listed, nothing leaks
    assert "breadlab" not in bob.get(f"/dna/derive?creator={creator}").text
    for path in (f"/creators/{creator}/refresh", f"/creators/{creator}/delete"):
        assert bob.post(path).status_code == 404, path
    assert bob.post("/dna/derive", {"creator_ids": creator}).status_code == 404
    assert "breadlab" not in bob.get("/analytics").text
    assert alice.get(f"/creators/{creator}").status_code == 200  # still there for its owner


def test_writes_without_the_csrf_token_are_refused(alice: Dash) -> None:
    creator = imported(alice)
    answer = alice.client.post(f"/creators/{creator}/delete", follow_redirects=False)
    assert answer.status_code == 403
    assert alice.get(f"/creators/{creator}").status_code == 200


def test_the_dna_is_edited_versioned_compared_and_restored(alice: Dash) -> None:
    form = {name: "" for name in LABELS} | {
        "niche": "sourdough",
        "words_per_minute": "150",
        "target_seconds": "40",
        "hook_styles": "question",
    }
    assert alice.post("/dna/edit", form).headers["location"] == "/dna?saved=1"
    bad = alice.post("/dna/edit", form | {"target_seconds": "900"})
    assert bad.status_code == 400 and 'id="e-target_seconds"' in bad.text
    assert 'value="900"' in bad.text  # what was typed stays
    changed = form | {"niche": "rye bread", "hook_styles": "question\nnumber"}
    assert alice.post("/dna/edit", changed).headers["location"] == "/dna?saved=2"
    view = text_of(alice.get("/dna?saved=2").text)
    assert "Saved as version 2" in view and "rye bread" in view
    versions = text_of(alice.get("/dna/versions").text)
    assert "From version 1 to version 2" in versions
    assert "sourdough" in versions and "rye bread" in versions and "+ number" in versions
    restored = alice.post("/dna/versions/1/restore")
    assert restored.headers["location"] == "/dna/versions?restored=3"
    assert "sourdough" in text_of(alice.get("/dna").text)
    assert alice.get("/dna/versions?a=1&b=3").text.count("These two versions are the same") == 1
    assert alice.post("/dna/versions/99/restore").status_code == 404


def test_the_wizard_asks_the_questions_and_marks_what_to_fix(alice: Dash) -> None:
    page = alice.get("/dna/wizard").text
    assert "What are your videos about?" in page and 'name="voice_and_tone"' in page
    missing = alice.post("/dna/wizard", {"niche": "bread"})
    assert missing.status_code == 400
    assert 'id="e-audience"' in missing.text and 'value="bread"' in missing.text
    answers = {
        "niche": "bread",
        "audience": "home bakers",
        "voice_and_tone": ["warm", "expert"],
        "hook_styles": ["question"],
        "target_seconds": "40",
    }
    done = alice.post("/dna/wizard", answers)
    assert done.status_code == 303 and done.headers["location"] == "/dna?saved=1"
    refined = alice.post("/dna/wizard", answers | {"refine": "1"})
    assert refined.status_code == 200 and "offline template writer" in refined.text
    assert "warm, expert" in text_of(alice.get("/dna").text)


def test_a_derived_dna_shows_its_evidence_before_it_is_saved(alice: Dash) -> None:
    creator = imported(alice)
    form = alice.get(f"/dna/derive?creator={creator}").text
    assert f'value="{creator}" checked' in form
    preview = alice.post("/dna/derive", {"creator_ids": creator})
    assert preview.status_code == 200
    words = text_of(preview.text)
    assert "Median length of the" in words  # the basis in numbers
    assert "Evidence for Target length" in preview.text and "views" in words
    assert "What saving changes in your DNA" in words
    assert alice.get("/dna").text.count("No Content DNA yet") == 1  # not saved yet
    saved = alice.post("/dna/derive", {"creator_ids": creator, "save": "1"})
    assert saved.headers["location"] == "/dna?saved=1"
    assert "derived from @breadlab" in alice.get("/dna").text
    nothing = alice.post("/dna/derive", {})
    assert nothing.status_code == 400 and "at least one creator" in nothing.text


def test_ideas_link_to_a_new_video_with_the_topic(alice: Dash) -> None:
    imported(alice)
    page = alice.get("/ideas").text
    assert "Offline heuristic" in page
    links = re.findall(r'href="(/videos/new\?topic=[^"]+)"', page)
    assert links and all("topic=" in link for link in links)


def test_a_diff_names_every_field_and_only_the_changed_ones() -> None:
    assert set(LABELS) == set(ContentDNA.model_fields)
    changes = diff_profiles(
        ContentDNA(niche="a", hook_styles=["x", "y"]), ContentDNA(niche="a", hook_styles=["y", "z"])
    )
    assert [(c.field, c.added, c.removed) for c in changes] == [("hook_styles", ["z"], ["x"])]
