"""Research as a person does it in a browser: import a yt-dlp export (the bad line named by
its number, with upload progress), see the creator and its charts, derive a Content DNA with
its evidence, edit it, compare versions, answer the wizard, get ideas, delete the creator
behind a confirmation — and another account gets 404 pages on this one's creator URLs."""

from __future__ import annotations

import re
from pathlib import Path

from tests.browser.conftest import Visit
from tests.web.dashboard.test_research_pages import ytdlp_file

CHART_PAGES_SHOWN = 7  # inline SVG charts on an analytics page


def _import(visit: Visit, tmp_path: Path, handle: str = "breadlab") -> None:
    export = tmp_path / f"{handle}.jsonl"
    export.write_text(ytdlp_file(handle, bad_line=5))
    visit.goto("/creators")
    page = visit.page
    page.evaluate(
        """() => {
          window.seenProgress = [];
          document.addEventListener("htmx:xhr:progress", (e) => window.seenProgress.push(e.detail.loaded));
          document.addEventListener("htmx:beforeSwap", () => {
            const bar = document.querySelector(".upload-progress progress");
            window.barAtSwap = bar ? [bar.value, bar.closest(".upload-progress").hidden] : null;
          });
        }"""
    )
    page.get_by_label("File (.jsonl, .json or .csv)").set_input_files(str(export))
    page.get_by_role("button", name="Import").click()
    page.locator("#import-result").wait_for()


def _charts_have_a_size(visit: Visit, width: int) -> None:
    charts = visit.page.locator(".chart-svg svg")
    assert charts.count() == CHART_PAGES_SHOWN
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 50, box
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (i, box)


def test_research_from_an_import_to_ideas_and_deleting_the_creator(
    visit: Visit, tmp_path: Path
) -> None:
    visit.sign_in("researcher@example.com")
    page = visit.page
    visit.goto("/creators")
    assert "No creators yet" in page.inner_text("main")
    visit.shoot("creators-empty")
    visit.goto("/analytics")
    assert "Add a creator or import a file first" in page.inner_text("main")
    visit.shoot("analytics-empty")

    _import(visit, tmp_path)
    result = page.inner_text("#import-result")
    assert "11 videos kept" in result and "1 line skipped" in result
    assert re.search(r"Line 5\s.*JSON", page.inner_text("ul.problems")), result
    assert page.evaluate("window.seenProgress.length") > 0  # the upload reported progress
    assert page.evaluate("window.barAtSwap") == [100, False]  # and the bar showed it
    assert page.evaluate("document.activeElement.id") == "import-result"
    row = page.locator("table.creators tbody tr", has_text="@breadlab")
    assert "11" in row.inner_text() and "TikTok" in row.inner_text()
    visit.shoot("creators-imported")

    # the swapped-in list still asks before deleting: dismissing keeps the creator
    page.once("dialog", lambda dialog: dialog.dismiss())
    row.get_by_role("button", name="Delete @breadlab").click()
    assert page.locator("table.creators", has_text="@breadlab").count() == 1

    row.get_by_role("link", name="@breadlab").click()
    page.wait_for_url("**/creators/*")
    assert page.get_by_role("heading", level=1).inner_text().startswith("@breadlab")
    _charts_have_a_size(visit, 1280)
    visit.shoot("creator")

    visit.goto("/analytics")
    _charts_have_a_size(visit, 1280)
    assert "Focaccia in one hour" in page.inner_text("main")  # the numbers beside the charts
    visit.shoot("analytics")
    page.set_viewport_size({"width": 390, "height": 844})
    _charts_have_a_size(visit, 390)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Content DNA: derive from the creator, with the evidence shown per field
    visit.goto("/dna")
    assert "No Content DNA yet" in page.inner_text("main")
    visit.shoot("dna-empty")
    visit.goto("/dna/derive")
    page.get_by_label(re.compile("@breadlab")).check()
    page.get_by_role("button", name="Show what they suggest").click()
    evidence = page.get_by_role("list", name="Evidence for Target length")
    assert "views" in evidence.inner_text()
    assert "Median length of the" in page.inner_text("main")
    visit.shoot("dna-derive")
    page.get_by_role("button", name="Save as my Content DNA").click()
    page.wait_for_url("**/dna?saved=1")
    assert "derived from @breadlab" in page.inner_text("main")
    visit.shoot("dna")

    visit.goto("/dna/edit")
    page.get_by_label("Audience").fill("home bakers with little time")
    page.get_by_label("Phrases to avoid").fill("game changer\nsmash that like button")
    visit.shoot("dna-edit")
    page.get_by_role("button", name="Save as a new version").click()
    page.wait_for_url("**/dna?saved=2")
    assert "home bakers with little time" in page.inner_text("main")

    visit.goto("/dna/versions")
    diff = page.locator("table.diff").inner_text()
    assert "Audience" in diff and "home bakers with little time" in diff
    assert "+ game changer" in diff
    visit.shoot("dna-versions")
    page.get_by_role("button", name="Restore version 1").click()
    page.wait_for_url("**/dna/versions?restored=3")
    assert "Version 3 is now your current DNA" in page.inner_text("main")

    visit.goto("/dna/wizard")
    visit.shoot("dna-wizard")
    page.get_by_label("1. What are your videos about?").fill("sourdough baking for beginners")
    page.get_by_label("2. Who watches them?").fill("busy parents")
    page.get_by_role("group", name=re.compile("How do you sound")).get_by_label("warm").check()
    hooks = page.get_by_role("group", name=re.compile("How do you like to open"))
    hooks.get_by_label("question", exact=True).check()
    page.get_by_role("button", name="Save my Content DNA").click()
    page.wait_for_url("**/dna?saved=4")
    assert "sourdough baking for beginners" in page.inner_text("main")

    visit.goto("/ideas")
    ideas = page.locator("ol.ideas > li")
    assert ideas.count() > 0
    link = ideas.first.get_by_role("link", name=re.compile("Make a video"))
    assert (link.get_attribute("href") or "").startswith("/videos/new?topic=")
    visit.shoot("ideas")

    # delete, confirming a message that says exactly what goes
    visit.goto("/creators")
    asked: list[str] = []

    def accept(dialog: object) -> None:
        asked.append(dialog.message)  # type: ignore[attr-defined]
        dialog.accept()  # type: ignore[attr-defined]

    page.once("dialog", accept)
    page.get_by_role("button", name="Delete @breadlab").click()
    page.wait_for_url("**/creators?deleted=1")
    assert asked and "@breadlab and all its 11 videos and 11 stat snapshots" in asked[0]
    assert "No creators yet" in page.inner_text("main")
    visit.shoot("creators-deleted")


def test_another_account_gets_404_pages_on_this_accounts_creator(
    visit: Visit, tmp_path: Path
) -> None:
    visit.sign_in("owner@example.com")
    _import(visit, tmp_path, handle="ownerchannel")
    visit.page.get_by_role("link", name="@ownerchannel").first.click()
    visit.page.wait_for_url("**/creators/*")
    creator_url = visit.page.url.removeprefix(visit.server.url)
    visit.page.get_by_role("button", name="Sign out").click()
    visit.page.wait_for_url("**/signin")

    visit.sign_in("stranger@example.com")
    for path in (creator_url, f"{creator_url}/charts/top-videos.svg"):
        visit.allow("404")
        answer = visit.goto(path)
        assert answer.status == 404, path
        if not path.endswith(".svg"):
            text = visit.page.inner_text("main")
            assert "It may belong to another account" in text and "ownerchannel" not in text
            visit.shoot("creator-not-found")
    visit.goto("/creators")
    assert "ownerchannel" not in visit.page.inner_text("main")


def test_a_creator_added_by_url_is_refreshed_with_live_progress(visit: Visit) -> None:
    visit.sign_in("refresher@example.com")
    visit.goto("/creators")
    page = visit.page
    page.get_by_label("Handle or profile URL").fill("https://www.youtube.com/@bakingdaily")
    page.get_by_role("button", name="Add creator").click()
    assert "Added @bakingdaily. Refresh it" in page.inner_text("[role=status]")
    row = page.locator("table.creators tbody tr", has_text="@bakingdaily")
    assert "YouTube" in row.inner_text()
    row.get_by_role("button", name="Refresh @bakingdaily").click()
    page.wait_for_url("**/creators?queued=*")
    # the row follows the job over SSE and reloads when it ends: without a YouTube key
    # here it fails, and the row says why
    page.locator("table.creators .badge.status-failed").wait_for(timeout=30_000)
    assert "YOUTUBE" in row.inner_text().upper()  # the message names the key to set
    visit.shoot("creators-refresh-failed")
