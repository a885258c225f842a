"""Content DNA through the API: versions and restore, the wizard (offline and refined by the
user's model), derivation with evidence, and ideas (heuristic, labelled, or the user's model)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi.testclient import TestClient

from reelforge.config import Settings
from reelforge.web.app import create_app
from tests.fakes.openai import OpenAIFake
from tests.fakes.server import serve
from tests.research.support import CSV_HEADER
from tests.store.support import configured
from tests.web.support import Account, Api, assert_error

ANSWERS = {
    "niche": "sourdough for beginners",
    "audience": "busy parents",
    "voice_and_tone": ["warm", "expert"],
    "hook_styles": ["question"],
    "phrases_to_avoid": "game changer\nsmash that like button",
    "target_seconds": 30,
}


def _put(api: Api, account: Account, **profile: object) -> dict[str, object]:
    answer = api.client.put("/api/v1/dna", json=profile, headers=account.headers)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_dna_is_versioned_and_any_kept_version_can_be_restored(settings: Settings) -> None:
    with TestClient(create_app(configured(settings, research_dna_versions_kept=3))) as client:
        api = Api(client, settings)
        account = api.sign_up("sam@example.com")
        empty = client.get("/api/v1/dna", headers=account.headers).json()
        assert empty["version"] is None and empty["profile"]["niche"] == ""

        for niche in ("bread", "coffee", "travel", "gardening"):
            saved = _put(api, account, niche=niche, phrases_to_avoid=["game changer"])
        assert saved["version"] == 4 and saved["source"] == "manual"
        versions = client.get("/api/v1/dna/versions", headers=account.headers).json()
        assert [v["version"] for v in versions] == [4, 3, 2]  # the last 3 kept
        assert [v["profile"]["niche"] for v in versions] == ["gardening", "travel", "coffee"]

        restored = client.post("/api/v1/dna/versions/2/restore", headers=account.headers).json()
        assert restored["version"] == 5 and restored["profile"]["niche"] == "coffee"
        assert restored["source"] == "restore" and restored["note"] == "restored version 2"
        by_id = client.post(
            f"/api/v1/dna/versions/{versions[0]['id']}/restore", headers=account.headers
        ).json()
        assert by_id["profile"]["niche"] == "gardening"
        current = client.get("/api/v1/dna", headers=account.headers).json()
        assert current["version"] == 6 and current["profile"]["niche"] == "gardening"
        gone = client.post("/api/v1/dna/versions/1/restore", headers=account.headers)
        assert_error(gone, 404)


def test_a_bad_profile_names_the_field(api: Api) -> None:
    account = api.sign_up("sam@example.com")
    fast = api.client.put("/api/v1/dna", json={"words_per_minute": 900}, headers=account.headers)
    assert "words_per_minute" in assert_error(fast, 422)["message"]
    extra = api.client.put("/api/v1/dna", json={"favourite_colour": "red"}, headers=account.headers)
    assert_error(extra, 422)


def test_the_wizard_asks_the_same_questions_and_works_offline(api: Api) -> None:
    account = api.sign_up("sam@example.com")
    questions = api.client.get("/api/v1/dna/wizard", headers=account.headers).json()["questions"]
    assert [q["id"] for q in questions][:4] == [
        "niche",
        "audience",
        "voice_and_tone",
        "hook_styles",
    ]
    assert "question" in next(q for q in questions if q["id"] == "hook_styles")["choices"]

    answer = api.client.post(
        "/api/v1/dna/wizard", json={"answers": ANSWERS, "refine": True}, headers=account.headers
    )
    assert answer.status_code == 200, answer.text
    outcome = answer.json()
    assert outcome["version"] == 1 and outcome["refined_by"] is None
    assert "offline" in outcome["notes"][0]
    profile = outcome["profile"]
    assert profile["voice_and_tone"] == "warm, expert" and profile["target_seconds"] == 30
    assert profile["phrases_to_avoid"] == ["game changer", "smash that like button"]
    assert profile["calls_to_action"] == ["Follow for more"]  # the question's default
    current = api.client.get("/api/v1/dna", headers=account.headers).json()
    assert current["source"] == "wizard" and current["profile"] == profile

    bad = api.client.post(
        "/api/v1/dna/wizard",
        json={"answers": {"niche": "x", "hook_styles": ["interpretive dance"]}},
        headers=account.headers,
    )
    error = assert_error(bad, 400)
    assert set(error["details"]["errors"]) == {"audience", "voice_and_tone", "hook_styles"}


@contextmanager
def _with_model(settings: Settings, fake: OpenAIFake) -> Iterator[Api]:
    with serve(fake) as server:
        cfg = configured(
            settings, writer="openai", openai_base_url=server.base_url, openai_api_key=None
        )
        with TestClient(create_app(cfg)) as client:
            yield Api(client, cfg)


def test_the_wizard_is_refined_by_the_users_model_and_their_choices_win(
    settings: Settings,
) -> None:
    tidy = {
        "niche": "Sourdough baking for complete beginners",
        "audience": "Busy parents who bake at weekends",
        "phrases_to_avoid": [],  # a model must not drop the user's banned phrases
        "target_seconds": 90,  # nor change their length
    }
    fake = OpenAIFake(api_key="sk-users-own", replies=[json.dumps(tidy)])
    with _with_model(settings, fake) as api:
        account = api.sign_up("sam@example.com")
        api.client.put(
            "/api/v1/provider-keys/openai", json={"key": "sk-users-own"}, headers=account.headers
        )
        outcome = api.client.post(
            "/api/v1/dna/wizard", json={"answers": ANSWERS, "refine": True}, headers=account.headers
        ).json()
    assert outcome["refined_by"] == "openai" and outcome["notes"] == []
    profile = outcome["profile"]
    assert profile["niche"] == "Sourdough baking for complete beginners"
    assert profile["phrases_to_avoid"] == ["game changer", "smash that like button"]
    assert profile["target_seconds"] == 30
    assert "sourdough for beginners" in fake.chats[0]["messages"][-1]["content"]


def test_a_failing_model_leaves_the_wizard_answers_as_given(settings: Settings) -> None:
    fake = OpenAIFake(api_key="sk-users-own", replies=["I cannot do JSON today."] * 3)
    with _with_model(settings, fake) as api:
        account = api.sign_up("sam@example.com")
        no_key = api.client.post(
            "/api/v1/dna/wizard", json={"answers": ANSWERS, "refine": True}, headers=account.headers
        ).json()
        assert no_key["refined_by"] is None and "openai" in no_key["notes"][0]
        api.client.put(
            "/api/v1/provider-keys/openai", json={"key": "sk-users-own"}, headers=account.headers
        )
        nonsense = api.client.post(
            "/api/v1/dna/wizard", json={"answers": ANSWERS, "refine": True}, headers=account.headers
        ).json()
    assert nonsense["refined_by"] is None and "no JSON object" in nonsense["notes"][0]
    assert nonsense["profile"]["niche"] == "sourdough for beginners"


def _creator_with_videos(api: Api, account: Account) -> str:
    rows = []
    for i in range(12):
        tops = {9: "Why does bread rise?", 10: "Why is crust crunchy?", 11: "Why does dough stick?"}
        title = tops.get(i, f"Crumb notes {'abcdefghi'[i % 9]}")
        views = 10_000 + i if i >= 9 else 100 + i
        rows.append(
            f"tiktok,d{i},{title},,{views},10,1,1,{20 + i},2024-02-{i + 1:02d}T18:00:00Z,"
            f"{'sourdough' if i >= 9 else 'misc'},breadlab\n"
        )
    answer = api.client.post(
        "/api/v1/creators/import",
        files={"file": ("b.csv", (CSV_HEADER + "".join(rows)).encode())},
        headers=account.headers,
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["creators"][0]["id"])


def test_derive_shows_the_evidence_for_every_field_and_can_save(api: Api) -> None:
    account = api.sign_up("sam@example.com")
    creator = _creator_with_videos(api, account)
    _put(api, account, niche="my own niche")

    answer = api.client.post(
        "/api/v1/dna/derive", json={"creator_ids": [creator]}, headers=account.headers
    )
    assert answer.status_code == 200, answer.text
    derived = answer.json()
    proposal = derived["proposal"]
    assert proposal["videos"] == 12 and proposal["top_videos"] == 3
    assert proposal["hook_styles"]["value"] == ["question"]
    assert "3 of 3 top titles" in proposal["hook_styles"]["basis"]
    assert {e["video_id"] for e in proposal["hook_styles"]["evidence"]} == {"d9", "d10", "d11"}
    assert proposal["target_seconds"]["value"] == 30
    assert proposal["target_seconds"]["evidence"] and proposal["target_seconds"]["basis"]
    assert "sourdough" in proposal["hashtags"]["value"]
    assert derived["profile"]["niche"] == "my own niche"  # the user's own field kept
    assert derived["version"] is None  # a proposal until saved

    saved = api.client.post(
        "/api/v1/dna/derive", json={"creator_ids": [creator], "save": True}, headers=account.headers
    ).json()
    assert saved["version"] == 2
    current = api.client.get("/api/v1/dna", headers=account.headers).json()
    assert current["source"] == "derived" and "@breadlab" in current["note"]
    unknown = api.client.post(
        "/api/v1/dna/derive", json={"creator_ids": ["nope"]}, headers=account.headers
    )
    assert_error(unknown, 404)


def test_ideas_are_an_offline_heuristic_that_says_so(api: Api) -> None:
    account = api.sign_up("sam@example.com")
    _creator_with_videos(api, account)
    _put(api, account, niche="sourdough baking", hook_styles=["question"])
    ideas = api.client.get("/api/v1/ideas", headers=account.headers).json()
    assert ideas["source"] == "heuristic"
    assert "heuristic" in ideas["note"].lower() and "No AI model was used" in ideas["note"]
    assert ideas["ideas"] and ideas["ideas"][0]["based_on"] == ["d9"]
    assert ideas["ideas"][0]["hook_style"] == "question"
    assert_error(api.client.get("/api/v1/ideas?writer=hal9000", headers=account.headers), 400)


def test_ideas_come_from_the_users_model_when_their_writer_is_one(settings: Settings) -> None:
    reply = {
        "ideas": [
            {
                "topic": "overnight rise",
                "angle": "Why your dough needs the fridge",
                "hook_style": "question",
                "based_on": ["d9", "not-a-video"],
                "why": "Question titles broke out.",
            }
        ]
    }
    fake = OpenAIFake(api_key="sk-users-own", replies=[json.dumps(reply)], model="gpt-fake")
    with _with_model(settings, fake) as api:
        account = api.sign_up("sam@example.com")
        api.client.put(
            "/api/v1/provider-keys/openai", json={"key": "sk-users-own"}, headers=account.headers
        )
        _creator_with_videos(api, account)
        ideas = api.client.get("/api/v1/ideas?limit=5", headers=account.headers).json()
        offline = api.client.get("/api/v1/ideas?writer=offline", headers=account.headers).json()
    assert ideas["source"] == "llm" and "gpt-fake" in ideas["note"]
    assert ideas["ideas"][0]["based_on"] == ["d9"]  # ids it made up are dropped
    assert "d9 | 10009 | Why does bread rise?" in fake.chats[0]["messages"][-1]["content"]
    assert offline["source"] == "heuristic" and len(fake.chats) == 1
