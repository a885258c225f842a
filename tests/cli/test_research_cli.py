"""`reelforge creators …` and `reelforge dna …` in local mode (the API in-process, an embedded
worker for refresh jobs), the way a user on one machine runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from reelforge.cli.main import app
from reelforge.config import Settings
from tests.fakes.server import serve
from tests.fakes.youtube_data import KEY, PREFIX, FakeYouTubeData
from tests.research.support import CHANNEL_ID, uploads, ytdlp_lines

runner = CliRunner()


class Cli:
    def __init__(self, settings: Settings, **env: str) -> None:
        self.env = {"REELFORGE_HOME": str(settings.home), **env}

    def __call__(self, *args: str, input: str | None = None, ok: bool = True) -> Result:
        result = runner.invoke(app, list(args), env=self.env, input=input)
        if ok:
            assert result.exit_code == 0, (result.output, result.exception)
        return result


@pytest.fixture
def cli(settings: Settings) -> Cli:
    local = Cli(settings)
    local("login", "--local")
    return local


def test_import_list_report_and_remove_a_creator(cli: Cli, tmp_path: Path) -> None:
    export = tmp_path / "breadlab.jsonl"
    export.write_text(ytdlp_lines())

    imported = cli("creators", "import", str(export))
    assert "added @breadlab: 3 new" in imported.output
    assert "line 3:" in imported.output and "not valid JSON" in imported.output
    assert "3 videos imported, 3 rows skipped." in imported.output

    listed = cli("creators", "list")
    assert "@breadlab" in listed.stdout and "import" in listed.stdout

    html = tmp_path / "report.html"
    report = cli("creators", "report", "@breadlab", "--html", str(html), "--tz", "Europe/Berlin")
    assert "3 videos, 1 creator(s)" in report.stdout and "Length vs views" in report.stdout
    page = html.read_text()
    assert page.count("<svg") == 3 and "reelforge report: @breadlab on tiktok" in page
    assert "Europe/Berlin" in page and "<script" not in page

    shown = cli("creators", "show", "tiktok:@BreadLab")
    assert "videos stored: 3" in shown.stdout

    removed = cli("creators", "remove", "@breadlab", "--yes")
    assert "removed @breadlab" in removed.output
    missing = cli("creators", "show", "@breadlab", ok=False)
    assert missing.exit_code != 0 and "No creator '@breadlab'" in str(missing.exception)


def test_add_and_refresh_a_youtube_channel_from_the_cli(settings: Settings) -> None:
    youtube = FakeYouTubeData()
    youtube.add_channel("BreadLab", CHANNEL_ID, uploads(60, breakout=50), title="Bread Lab")
    with serve(youtube.handle) as server:
        cli = Cli(
            settings,
            REELFORGE_YOUTUBE_BASE_URL=server.base_url + PREFIX,
            REELFORGE_YOUTUBE_API_KEY=KEY,
        )
        cli("login", "--local")
        added = cli("creators", "add", "youtube", "@BreadLab")
        assert "@BreadLab (youtube, from youtube)" in added.output
        refreshed = cli("creators", "refresh", "@breadlab")
        assert "@BreadLab: 60 videos stored." in refreshed.output
        report = cli("creators", "report")
        assert "Breakouts" in report.stdout and "How to bake loaf 50" in report.stdout


def test_the_dna_wizard_asks_each_question_and_saves_the_answers(cli: Cli, tmp_path: Path) -> None:
    answers = "\n".join(
        [
            "sourdough for beginners",  # niche
            "busy parents",  # audience
            "1,7",  # tones: friendly, warm
            "1",  # hook style: the first choice
            "",  # phrases to use: none
            "game changer",
            "",  # phrases to avoid, then the end of the list
            "Bake along with me",
            "",  # calls to action
            "",  # words per minute: the default
            "30",  # target seconds
            "",  # visual style
            "",  # posting goals
        ]
    )
    done = cli("dna", "wizard", input=answers + "\n")
    assert "saved as version 1" in done.output
    shown = cli("dna", "show", "--json")
    profile = json.loads(shown.stdout)
    assert profile["niche"] == "sourdough for beginners"
    assert profile["voice_and_tone"] == "friendly, warm"
    assert profile["phrases_to_avoid"] == ["game changer"]
    assert profile["calls_to_action"] == ["Bake along with me"]
    assert (profile["words_per_minute"], profile["target_seconds"]) == (150, 30)


def test_dna_set_from_a_file_and_derive_from_a_creator(cli: Cli, tmp_path: Path) -> None:
    profile = tmp_path / "dna.json"
    profile.write_text(json.dumps({"niche": "bread", "phrases_to_avoid": ["game changer"]}))
    assert "saved as version 1" in cli("dna", "set", str(profile)).output
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"words_per_minute": 999}))
    refused = cli("dna", "set", str(bad), ok=False)
    assert "words_per_minute" in str(refused.exception)

    export = tmp_path / "breadlab.jsonl"
    export.write_text(ytdlp_lines())
    cli("creators", "import", str(export))
    derived = cli("dna", "derive", "@breadlab", "--save")
    assert "From 3 videos" in derived.stdout and "target seconds" in derived.stdout
    assert "Median length of the" in derived.stdout
    assert "saved as version 2" in derived.output
