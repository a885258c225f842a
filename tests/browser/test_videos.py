"""Videos as a person makes them: a topic on New video, the render's stages live, the player
and thumbnail, a scene edited and re-rendered (only that scene redone), downloads; the
editor's keyboard moves and refusals; and another account meeting only 404 pages."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import SHOTS, Visit

RENDER_S = 180_000  # ms: a render with the piper voice takes 10-40 s on two cores
VIDEO_URL = re.compile(r"/videos/[0-9a-f-]{8,}$")
DURATION = (
    "v => new Promise(r => v.duration ? r(v.duration) "
    ": v.addEventListener('loadedmetadata', () => r(v.duration)))"
)
IMAGE_LOADED = "img => img.complete && img.naturalWidth > 0"


def _shoot_busy(visit: Visit, name: str) -> None:
    """A screenshot while a render streams its progress (the page never goes network-idle)."""
    for width in (1280, 390):
        visit.page.set_viewport_size({"width": width, "height": 900})
        shot = visit.shots / f"{name}-{width}.png"
        visit.page.screenshot(path=str(shot), full_page=True)
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            (Path(SHOTS) / shot.name).write_bytes(shot.read_bytes())
    visit.page.set_viewport_size({"width": 1280, "height": 900})


def _wait_until_rendered(visit: Visit) -> None:
    expect(visit.page.locator("video")).to_be_visible(timeout=RENDER_S)
    visit.page.wait_for_load_state("networkidle")


def test_a_video_from_a_topic_to_an_edited_re_render(visit: Visit) -> None:
    page = visit.page
    visit.sign_in("director@example.com")
    visit.goto("/videos")
    expect(page.locator("main")).to_contain_text("No videos yet")
    visit.shoot("videos-empty")

    page.get_by_role("link", name="Make your first video").click()
    page.wait_for_url("**/videos/new")
    # The defaults: offline writer, piper voice, procedural media, the server's preset.
    expect(page.locator("#writer-offline")).to_be_checked()
    expect(page.locator("#voice-piper")).to_be_checked()
    expect(page.get_by_label("First choice")).to_have_value("procedural")
    expect(page.locator("#preset-vertical-fast")).to_be_checked()
    expect(page.locator("#writer-anthropic")).to_be_disabled()  # no key on this server
    expect(page.locator("main")).to_contain_text("REELFORGE_ANTHROPIC_API_KEY")
    visit.shoot("video-new")
    page.get_by_label("Topic").fill("why bread goes stale")
    page.get_by_role("button", name="Make the video").click()

    page.wait_for_url(VIDEO_URL)
    video_url = page.url
    expect(page.locator("#progress")).to_be_visible()
    page.wait_for_selector("#progress .stages li.done, video", timeout=RENDER_S)
    if page.locator("#progress").is_visible():
        expect(page.locator("#progress .stage")).not_to_be_empty()
        _shoot_busy(visit, "video-progress")
    page.reload()  # the render goes on in the worker; the page picks it up again
    _wait_until_rendered(visit)
    assert page.url == video_url

    assert page.eval_on_selector("video", DURATION) > 0
    thumbnail = page.locator("#thumbnail")
    expect(thumbnail).to_be_visible()
    page.wait_for_function(
        "() => { const i = document.getElementById('thumbnail'); "
        "return i.complete && i.naturalWidth > 0; }"
    )
    assert page.eval_on_selector("#thumbnail", IMAGE_LOADED)
    expect(page.locator("#render-summary")).to_contain_text("scenes rendered")
    expect(page.get_by_role("link", name="Post this")).to_have_attribute(
        "href", "/posts/new?video=" + video_url.rsplit("/", 1)[1]
    )
    visit.shoot("video-page")

    # Edit one scene's narration and re-render: only that scene is made again.
    page.get_by_label("Narration").nth(1).fill("A brand new second scene, said differently.")
    page.get_by_role("button", name="Save and re-render").first.click()
    page.wait_for_url(video_url)
    _wait_until_rendered(visit)
    summary = page.locator("#render-summary")
    expect(summary).to_contain_text("1 scene redone")
    expect(summary).to_contain_text("reused from the cache")
    scene_2 = page.locator("#scene-1")
    expect(scene_2).to_contain_text("redone in the last render")
    expect(page.locator("#scene-0")).to_contain_text("reused from the cache")
    expect(page.get_by_label("Narration").nth(1)).to_have_value(
        "A brand new second scene, said differently."
    )
    visit.shoot("video-rerendered")

    # Downloads are offered, the MP4 among them.
    for label in ("MP4 video", "SRT subtitles", "ASS subtitles (styled)"):
        expect(page.get_by_role("link", name=label)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="SRT subtitles").click()
    assert download.value.suggested_filename.endswith(".srt")


def test_the_scene_editor_moves_by_keyboard_and_refuses_a_bad_edit(visit: Visit) -> None:
    page = visit.page
    visit.sign_in("editor@example.com")
    visit.goto("/videos/new")
    page.get_by_label("Topic").fill("how to keep basil fresh")
    page.locator("#voice-none").check()  # silent: this test is about the editor
    page.get_by_role("button", name="Make the video").click()
    page.wait_for_url(VIDEO_URL)
    _wait_until_rendered(visit)

    first = page.get_by_label("Narration").nth(0).input_value()
    second = page.get_by_label("Narration").nth(1).input_value()
    page.get_by_role("button", name="Move scene 1 down").focus()
    page.keyboard.press("Enter")  # htmx swaps in the edited list; the focus follows the scene
    expect(page.get_by_label("Narration").nth(1)).to_have_value(first)
    expect(page.get_by_label("Narration").nth(0)).to_have_value(second)
    expect(page.get_by_role("button", name="Move scene 2 down")).to_be_focused()
    expect(page.locator("#editor")).to_contain_text("Not saved yet")
    page.get_by_role("button", name="Add a scene at the end").click()
    expect(page.locator("#editor")).to_contain_text("new")
    expect(page.locator("textarea:focus")).to_have_value("")
    visit.shoot("video-editor-draft")

    page.get_by_label("Narration").nth(2).fill("")
    visit.allow("400")  # the refused save answers 400
    page.get_by_role("button", name="Save and re-render").first.click()
    expect(page.locator("#scene-2-narration-error")).to_contain_text("Write what the narrator says")
    expect(page.locator("#page-problem")).to_contain_text("Nothing was saved")
    expect(page.locator("#scene-2-narration")).to_be_focused()  # where the fix is needed
    expect(page.get_by_label("Narration").nth(0)).to_have_value(second)  # nothing lost
    visit.shoot("video-editor-refused")


def test_another_account_meets_only_404_pages(visit: Visit) -> None:
    page = visit.page
    visit.sign_in("alice@example.com")
    visit.goto("/videos/new")
    page.get_by_label("Topic").fill("the history of the bicycle")
    page.locator("#voice-none").check()
    page.get_by_role("button", name="Make the video").click()
    page.wait_for_url(VIDEO_URL)
    video_url = page.url.removeprefix(visit.server.url)
    _wait_until_rendered(visit)
    visit.goto("/videos")
    expect(page.locator(".video-item img")).to_be_visible()
    visit.shoot("videos-list")

    page.get_by_role("button", name="Sign out").click()
    visit.sign_in("bob@example.com")
    for path in (video_url, video_url + "/file/mp4", video_url + "/thumbnail"):
        visit.allow("404")
        answer = visit.goto(path)
        assert answer.status == 404, path
        expect(page.locator("h1")).to_have_text("Not found")
    visit.shoot("video-not-yours")
    visit.goto("/videos")
    expect(page.locator("main")).to_contain_text("No videos yet")

    page.get_by_role("button", name="Sign out").click()
    visit.sign_in("alice@example.com", new=False)
    visit.goto("/videos")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(".video-item").get_by_role("button").click()
    page.wait_for_url("**/videos?deleted=*")
    expect(page.locator("main")).to_contain_text("Deleted")
    expect(page.locator("main")).to_contain_text("No videos yet")
