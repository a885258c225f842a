"""Creators through the API: add, list, import files (bad rows by line), analytics, charts,
and removal that leaves no trace of the creator's videos (P15)."""

from __future__ import annotations

from typing import Any

import polars as pl
from sqlalchemy import func, select

from reelforge.research.tables import Creator, ResearchVideo, VideoSnapshot
from reelforge.store.db import Database
from tests.research.support import CSV_HEADER, csv_rows, ytdlp_lines
from tests.web.support import Account, Api, assert_error


def _import(api: Api, account: Account, text: str, name: str, query: str = "") -> dict[str, Any]:
    answer = api.client.post(
        f"/api/v1/creators/import{query}",
        files={"file": (name, text.encode())},
        headers=account.headers,
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_a_tiktok_creator_is_imported_from_ytdlp_json_with_bad_lines_reported(api: Api) -> None:
    account = api.sign_up("sam@example.com")
    outcome = _import(api, account, ytdlp_lines(), "breadlab.jsonl")

    assert outcome["format"] == "yt-dlp" and outcome["imported"] == 3
    problems = {p["line"]: p["reason"] for p in outcome["problems"]}
    assert set(problems) == {3, 4, 6}
    assert "not valid JSON" in problems[3]
    assert "no upload time" in problems[4]
    assert "Vimeo" in problems[6]
    warnings = outcome["warnings"]
    assert [w["line"] for w in warnings] == [5]
    (creator,) = outcome["creators"]
    assert creator["label"] == "@breadlab" and creator["created"] and creator["new_videos"] == 3

    listed = api.client.get("/api/v1/creators", headers=account.headers).json()
    assert [(c["platform"], c["handle"], c["source"], c["videos"]) for c in listed] == [
        ("tiktok", "breadlab", "import", 3)
    ]
    again = _import(api, account, ytdlp_lines(), "breadlab.jsonl")
    assert again["new_videos"] == 0 and again["updated_videos"] == 3  # upserted, not doubled


def test_a_csv_import_keeps_good_rows_and_names_bad_lines(api: Api) -> None:
    account = api.sign_up("sam@example.com")
    csv = (
        CSV_HEADER
        + csv_rows("packlight", 4)
        + "tiktok,,no id,,1,1,1,1,1,2024-01-01,,packlight\n"  # line 6
        + "tiktok,tt9,bad count,,many,1,1,1,1,2024-01-01,,packlight\n"  # line 7
        + "tiktok,tt10,bad date,,1,1,1,1,1,yesterday,,packlight\n"  # line 8
        + "myspace,x1,nope,,1,1,1,1,1,2024-01-01,,packlight\n"  # line 9
    )
    outcome = _import(api, account, csv, "export.csv")
    assert outcome["format"] == "csv" and outcome["imported"] == 4
    assert [p["line"] for p in outcome["problems"]] == [6, 7, 8, 9]


def test_an_import_into_a_named_creator_refuses_other_creators_rows(api: Api) -> None:
    account = api.sign_up("sam@example.com")
    creator = api.client.post(
        "/api/v1/creators",
        json={"platform": "tiktok", "handle": "@packlight", "source": "import"},
        headers=account.headers,
    ).json()
    csv = CSV_HEADER + csv_rows("packlight", 2) + csv_rows("someoneelse", 1, prefix="x")
    outcome = _import(api, account, csv, "mixed.csv", f"?creator_id={creator['id']}")
    assert outcome["imported"] == 2
    (problem,) = outcome["problems"]
    assert problem["line"] == 4 and "belongs to @someoneelse" in problem["reason"]


def test_unreadable_imports_are_refused_with_what_to_do(api: Api) -> None:
    account = api.sign_up("sam@example.com")
    headers = account.headers
    latin1 = api.client.post(
        "/api/v1/creators/import", files={"file": ("x.csv", "é".encode("latin-1"))}, headers=headers
    )
    assert "UTF-8" in assert_error(latin1, 400)["message"]
    no_header = api.client.post(
        "/api/v1/creators/import", files={"file": ("x.csv", b"a,b\n1,2\n")}, headers=headers
    )
    assert "platform" in assert_error(no_header, 400)["message"]
    empty = api.client.post(
        "/api/v1/creators/import", files={"file": ("x.csv", b"")}, headers=headers
    )
    assert_error(empty, 400)
    no_file = api.client.post("/api/v1/creators/import", headers=headers)
    assert_error(no_file, 422)
    others = api.client.post(
        "/api/v1/creators/import?creator_id=nope", files={"file": ("x.csv", b"x")}, headers=headers
    )
    assert_error(others, 404)


def test_adding_a_creator_validates_and_is_idempotent(api: Api) -> None:
    account = api.sign_up("sam@example.com")
    headers = account.headers
    first = api.client.post(
        "/api/v1/creators", json={"platform": "youtube", "handle": "@BreadLab"}, headers=headers
    )
    assert first.status_code == 201
    again = api.client.post(
        "/api/v1/creators",
        json={"platform": "youtube", "handle": "https://www.youtube.com/@breadlab"},
        headers=headers,
    )
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    bad = api.client.post(
        "/api/v1/creators", json={"platform": "youtube", "handle": "two words"}, headers=headers
    )
    assert "@name" in assert_error(bad, 400)["message"]
    wrong_source = api.client.post(
        "/api/v1/creators",
        json={"platform": "youtube", "handle": "x", "source": "tiktok_research"},
        headers=headers,
    )
    assert "youtube, import" in assert_error(wrong_source, 400)["message"]
    assert_error(api.client.get("/api/v1/creators/nope", headers=headers), 404)


def _two_creators(api: Api, account: Account) -> tuple[str, str]:
    csv = CSV_HEADER + csv_rows("packlight", 12) + csv_rows("otherone", 6, prefix="oo")
    outcome = _import(api, account, csv, "two.csv")
    ids = {c["label"]: c["id"] for c in outcome["creators"]}
    return str(ids["@packlight"]), str(ids["@otherone"])


def test_analytics_and_charts_per_creator_and_for_the_workspace(api: Api) -> None:
    account = api.sign_up("sam@example.com")
    headers = account.headers
    packlight, _ = _two_creators(api, account)

    one = api.client.get(f"/api/v1/creators/{packlight}/analytics", headers=headers).json()
    assert one["scope"] == "creator" and one["report"]["summary"]["videos"] == 12
    assert one["report"]["summary"]["top_views"] == 1600
    assert one["report"]["creators"][0]["posts_per_week"] == 3.5
    assert one["creators"][packlight] == "@packlight (tiktok)"
    everyone = api.client.get(
        "/api/v1/analytics", params={"tz": "America/New_York"}, headers=headers
    ).json()
    assert everyone["report"]["summary"] == {
        **everyone["report"]["summary"],
        "videos": 18,
        "creators": 2,
    }
    assert everyone["report"]["weekday_hour"]["time_zone"] == "America/New_York"
    assert set(everyone["charts"]) == {"views-over-time", "weekday-hour", "durations"}

    for url in [*everyone["charts"].values(), *one["charts"].values()]:
        chart = api.client.get(url, headers=headers)
        assert chart.status_code == 200, url
        assert chart.headers["content-type"].startswith("image/svg+xml")
        assert chart.text.startswith("<svg") and "<title>" in chart.text
    assert_error(api.client.get("/api/v1/analytics/charts/pie.svg", headers=headers), 404)
    bad_zone = api.client.get("/api/v1/analytics", params={"tz": "Mars/Olympus"}, headers=headers)
    assert "IANA" in assert_error(bad_zone, 400)["message"]


def test_empty_workspace_analytics_and_charts_work(api: Api) -> None:
    account = api.sign_up("sam@example.com")
    summary = api.client.get("/api/v1/analytics", headers=account.headers).json()["report"]
    assert summary["summary"]["videos"] == 0 and summary["breakouts"] == []
    chart = api.client.get("/api/v1/analytics/charts/durations.svg", headers=account.headers)
    assert "No videos yet" in chart.text


def _snapshot_ids(api: Api) -> set[str]:
    """Every video id in every analytics snapshot file on disk."""
    found: set[str] = set()
    for path in (api.settings.home / "files").rglob("*.arrow"):
        found |= set(pl.read_ipc(path)["video_id"].to_list())
    return found


def test_P15_removing_a_creator_leaves_no_trace_of_its_videos(
    api: Api, sqlite_database: Database
) -> None:
    account = api.sign_up("sam@example.com")
    headers = account.headers
    packlight, other = _two_creators(api, account)
    api.client.get("/api/v1/analytics", headers=headers)  # snapshot built and cached
    assert {"tt0", "oo0"} <= _snapshot_ids(api)

    answer = api.client.delete(f"/api/v1/creators/{packlight}", headers=headers)

    assert answer.status_code == 204
    with sqlite_database.session() as db:
        for table in (ResearchVideo, VideoSnapshot):
            count = db.scalar(
                select(func.count()).select_from(table).where(table.creator_id == packlight)
            )
            assert count == 0, table.__tablename__
        assert db.get(Creator, packlight) is None
        assert db.scalar(select(func.count()).select_from(ResearchVideo)) == 6  # the other's
    assert not any(i.startswith("tt") for i in _snapshot_ids(api))
    everyone = api.client.get("/api/v1/analytics", headers=headers).json()
    assert everyone["report"]["summary"]["videos"] == 6
    assert packlight not in everyone["creators"]
    assert not any(i.startswith("tt") for i in _snapshot_ids(api))
    assert_error(api.client.get(f"/api/v1/creators/{packlight}/analytics", headers=headers), 404)
    assert_error(api.client.delete(f"/api/v1/creators/{packlight}", headers=headers), 404)
    assert api.client.get(f"/api/v1/creators/{other}", headers=headers).json()["videos"] == 6
