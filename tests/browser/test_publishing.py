"""Publishing as a person does it, in Chromium against a real `reelforge serve --with-worker`
wired to the local fake TikTok: connect the outbox, render a video and post it, see it
published in the history and on the calendar, schedule another for tomorrow, drag it to the
day after (its time of day stays), move it again with the keyboard form, cancel it; a
carousel uploaded and reordered; and TikTok's compose page following its Direct Post rules
after the OAuth round trip lands back on Connections."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Browser, FilePayload, Page, Route, expect

from tests.browser.conftest import Server, Visit, running_server
from tests.fakes.server import FakeServer, serve
from tests.fakes.tiktok import FakeTikTok
from tests.publish.support import png_bytes, tiny_mp4

RENDER_MS = 180_000  # a render of a silent video takes 10-40 s on two cores
PUBLISH_MS = 60_000
PUBLIC_HOST = "https://reelforge.example"  # the redirect URI registered at the fake TikTok
BERLIN = "Europe/Berlin"
POST_URL = re.compile(r"/posts/[0-9a-f-]{8,}(\?.*)?$")
VIDEO_URL = re.compile(r"/videos/[0-9a-f-]{8,}$")


@pytest.fixture(scope="module")
def tiktok() -> Iterator[tuple[FakeTikTok, FakeServer]]:
    """A fake TikTok whose account offers two privacy levels and has comments turned off."""
    fake = FakeTikTok(
        privacy_level_options=("FOLLOWER_OF_CREATOR", "SELF_ONLY"), comment_disabled=True
    )
    with serve(fake) as running:
        yield fake, running


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, tiktok: tuple[FakeTikTok, FakeServer]
) -> Iterator[Server]:
    """`reelforge serve --with-worker` (as tests/browser/conftest.py starts it) with the TikTok
    app's settings pointing at the fake, the way tests/cli/test_publish_cli.py points the CLI."""
    settings = {
        "REELFORGE_TIKTOK_CLIENT_KEY": "ck_test",
        "REELFORGE_TIKTOK_CLIENT_SECRET": "cs_test",
        "REELFORGE_TIKTOK_API_BASE_URL": tiktok[1].base_url,
        "REELFORGE_TIKTOK_AUTH_BASE_URL": tiktok[1].base_url,
        "REELFORGE_TIKTOK_REDIRECT_URI": f"{PUBLIC_HOST}/api/v1/connections/tiktok/callback",
        "REELFORGE_TIKTOK_POLL_INTERVAL_S": "0.01",
    }
    home = tmp_path_factory.mktemp("server") / "home"
    with running_server(home, extra_env=settings) as running:
        yield running


def _zone(page: Page) -> ZoneInfo:
    return ZoneInfo(page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") or "UTC")


def _post_id(page: Page) -> str:
    return urlsplit(page.url).path.rsplit("/", 1)[1]


def _make_video(visit: Visit, topic: str) -> str:
    """A real render from the New video page (silent voice: this is about posting)."""
    page = visit.page
    visit.goto("/videos/new")
    page.get_by_label("Topic").fill(topic)
    page.locator("#voice-none").check()
    page.get_by_role("button", name="Make the video").click()
    page.wait_for_url(VIDEO_URL)
    expect(page.locator("video")).to_be_visible(timeout=RENDER_MS)
    page.wait_for_load_state("networkidle")
    return _post_id(page)


def _wait_published(visit: Visit) -> None:
    """The post page follows the job live and reloads when it ends."""
    expect(visit.page.locator("#post-status")).to_have_text("Published", timeout=PUBLISH_MS)
    visit.page.wait_for_load_state("networkidle")


def test_a_video_goes_out_is_on_the_calendar_and_a_scheduled_one_moves_then_is_cancelled(
    visit: Visit,
) -> None:
    page = visit.page
    main = page.locator("main")
    visit.sign_in("poster@example.com")

    # Nothing yet: both pages say what to do first.
    visit.goto("/posts")
    expect(main).to_contain_text("No posts yet")
    expect(main).to_contain_text("Connect the outbox")
    visit.shoot("posts-empty")
    visit.goto("/posts/new")
    expect(main).to_contain_text("You have no connected account yet")
    visit.shoot("post-new-no-connection")
    visit.goto("/connections")
    expect(main).to_contain_text("Nothing is connected yet")
    visit.shoot("connections-empty")

    page.get_by_role("button", name="Connect the outbox").first.click()
    page.wait_for_url("**/connections?connected=outbox")
    expect(main).to_contain_text("Outbox is connected as Outbox folder")
    expect(page.get_by_role("button", name="Disconnect Outbox folder (Outbox)")).to_be_visible()
    visit.shoot("connections-outbox")

    # A real video, then "Post this" from its page.
    video_id = _make_video(visit, "why bread goes stale")
    page.get_by_role("link", name="Post this").click()
    page.wait_for_url(f"**/posts/new?video={video_id}*")
    expect(main).to_contain_text("3. Details for Outbox")  # the only account is chosen
    expect(page.locator(".preview video")).to_be_visible()
    visit.shoot("post-new-video")
    page.get_by_label("Title").fill("Why bread goes stale")
    page.get_by_role("button", name="Post now").click()
    page.wait_for_url(POST_URL)
    _wait_published(visit)
    expect(main).to_contain_text("Written to")
    visit.shoot("post-published")

    visit.goto("/posts")
    row = page.locator("tr", has_text="Why bread goes stale")
    expect(row.locator(".badge")).to_have_text("Published")
    visit.shoot("posts-history")

    visit.goto("/posts/calendar")
    today = page.locator(".cal-day.today")
    expect(today).to_contain_text("Why bread goes stale")
    visit.shoot("calendar-month")
    page.get_by_role("link", name="Week", exact=True).click()
    expect(page.locator(".cal-day.today")).to_contain_text("Why bread goes stale")
    visit.shoot("calendar-week")

    # Another one for tomorrow at 14:30 on this browser's clock.
    zone = _zone(page)
    tomorrow = datetime.now(zone).date() + timedelta(days=1)
    visit.goto(f"/posts/new?video={video_id}")
    page.get_by_label("Title").fill("Tomorrow's post")
    page.get_by_label("Schedule for later").check()
    expect(page.locator(".suggest")).to_contain_text("Default slots")
    page.get_by_label("Date and time").fill(f"{tomorrow.isoformat()}T14:30")
    visit.shoot("post-new-schedule")
    page.get_by_role("button", name="Schedule post").click()
    page.wait_for_url(POST_URL)
    expect(main).to_contain_text("Scheduled: it goes out")
    expect(main).to_contain_text("14:30")
    scheduled_id = _post_id(page)
    visit.shoot("post-scheduled")

    # Drag it to the day after on the calendar (the keyboard form stands in when that day
    # is not in tomorrow's month view).
    day_after = tomorrow + timedelta(days=1)
    visit.goto(f"/posts/calendar?date={tomorrow.isoformat()}")
    chip = page.locator(f"li.chip[data-post='{scheduled_id}']")
    expect(chip).to_contain_text("14:30")
    target = page.locator(f"li.cal-day[data-day='{day_after.isoformat()}']")
    if target.count():
        chip.drag_to(target)
    else:
        page.get_by_label("New day").fill(day_after.isoformat())
        page.get_by_role("button", name="Move").click()
    expect(page.locator("#moved")).to_contain_text("(the same time of day)")
    expect(page.locator("#moved")).to_contain_text("14:30")
    _check_time(visit, scheduled_id, day_after, zone)
    visit.shoot("calendar-moved")

    # And once more with the keyboard: the move form under the calendar.
    two_after = day_after + timedelta(days=1)
    form = page.locator(f"form[data-move-form='{scheduled_id}']")
    form.get_by_label("New day").fill(two_after.isoformat())
    form.get_by_role("button", name="Move").press("Enter")
    expect(page.locator("#moved")).to_contain_text("14:30")
    _check_time(visit, scheduled_id, two_after, zone)

    # Cancel it from the history.
    visit.goto("/posts")
    row = page.locator("tr", has_text="Tomorrow's post")
    expect(row.locator(".badge")).to_have_text("Scheduled")
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Cancel Tomorrow's post").click()
    page.wait_for_url(POST_URL)
    expect(page.locator("#post-status")).to_have_text("Cancelled")
    visit.goto("/posts?status=cancelled")
    expect(page.locator("tr", has_text="Tomorrow's post")).to_be_visible()


def _check_time(visit: Visit, post_id: str, day: date, zone: ZoneInfo) -> None:
    answer = visit.page.request.get(f"{visit.server.url}/api/v1/posts/{post_id}")
    assert answer.ok, answer.text()
    at = datetime.fromisoformat(answer.json()["publish_at"]).astimezone(zone)
    assert (at.date(), at.hour, at.minute) == (day, 14, 30)


def _image(name: str, color: tuple[int, int, int]) -> FilePayload:
    return {"name": name, "mimeType": "image/png", "buffer": png_bytes((90, 160), color)}


def test_a_carousel_is_uploaded_reordered_by_keyboard_and_posted(visit: Visit) -> None:
    page = visit.page
    visit.sign_in("slides@example.com")
    visit.goto("/connections")
    page.get_by_role("button", name="Connect the outbox").first.click()
    page.wait_for_url("**/connections?connected=outbox")

    visit.goto("/posts/new")
    page.get_by_role("link", name="Make a carousel").click()
    page.wait_for_url("**/posts/new?*kind=photos*")
    expect(page.locator("[data-carousel-empty]")).to_be_visible()
    page.get_by_label("Add images (JPEG, PNG or WebP)").set_input_files(
        [_image("red.png", (200, 40, 40)), _image("green.png", (40, 160, 40))]
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("[data-slide]")).to_have_count(2)
    page.get_by_label("Add images (JPEG, PNG or WebP)").set_input_files(
        [_image("blue.png", (40, 40, 200))]
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("[data-slide]")).to_have_count(3)
    names = page.locator("[data-slide] .slide-name")
    expect(names).to_have_text(["red.png", "green.png", "blue.png"])

    # Keyboard: blue goes first; the focus stays on its buttons (at the front "Earlier" is
    # disabled, so "Later" takes it), and the change is announced.
    earlier = page.get_by_role("button", name="Move blue.png earlier")
    earlier.focus()
    page.keyboard.press("Enter")
    expect(earlier).to_be_focused()
    page.keyboard.press("Enter")
    expect(names).to_have_text(["blue.png", "red.png", "green.png"])
    expect(earlier).to_be_disabled()
    expect(page.get_by_role("button", name="Move blue.png later")).to_be_focused()
    expect(page.locator("[data-carousel-status]")).to_have_text("blue.png is now number 1 of 3.")
    expect(page.locator("[data-slide] .slide-pos")).to_have_text(["1", "2", "3"])
    # Drag: green before red.
    page.locator("[data-slide]", has_text="green.png").drag_to(
        page.locator("[data-slide]", has_text="red.png")
    )
    expect(names).to_have_text(["blue.png", "green.png", "red.png"])
    visit.shoot("post-new-carousel")

    page.get_by_label("Title").fill("Three colours")
    page.get_by_role("button", name="Post now").click()
    page.wait_for_url(POST_URL)
    _wait_published(visit)
    expect(page.locator("ol.thumbs-row img")).to_have_count(3)
    post = visit.page.request.get(f"{visit.server.url}/api/v1/posts/{_post_id(page)}").json()
    uploads = visit.page.request.get(f"{visit.server.url}/api/v1/uploads").json()
    named = {u["id"]: u["name"] for u in uploads}
    assert [named[i] for i in post["images"]] == ["blue.png", "green.png", "red.png"]
    visit.shoot("post-carousel-published")


def _approve_at_tiktok(visit: Visit, tiktok_url: str) -> None:
    """Play the trip through TikTok when the person clicks Connect TikTok: the start link's
    answer (a redirect to TikTok's authorize page, state bound to this browser's session) is
    followed to the fake TikTok, which approves and redirects to the registered https address;
    that address is this server (a proxy's job in production), so the browser is sent to the
    same callback path here, with its session cookie, like any redirect."""

    def through_tiktok(route: Route) -> None:
        started = route.fetch(max_redirects=0)
        authorize = started.headers["location"]
        assert authorize.startswith(tiktok_url), authorize
        approved = httpx.get(authorize, follow_redirects=False)
        assert approved.status_code == 302, approved.text
        back = urlsplit(approved.headers["location"])
        assert f"{back.scheme}://{back.netloc}" == PUBLIC_HOST
        route.fulfill(
            status=302, headers={"Location": f"{visit.server.url}{back.path}?{back.query}"}
        )

    visit.page.route(f"{visit.server.url}/connections/tiktok/start", through_tiktok)


def test_tiktok_is_connected_and_its_compose_page_follows_the_direct_post_rules(
    visit: Visit, tiktok: tuple[FakeTikTok, FakeServer], tmp_path: Path
) -> None:
    fake = tiktok[0]
    page = visit.page
    main = page.locator("main")
    _approve_at_tiktok(visit, tiktok[1].base_url)
    visit.sign_in("tiktoker@example.com")

    visit.goto("/connections")
    expect(page.locator("#platform-youtube")).to_contain_text("REELFORGE_GOOGLE_CLIENT_ID")
    visit.shoot("connections-platforms")
    page.get_by_role("link", name="Connect TikTok").click()  # → TikTok → callback → here
    page.wait_for_url("**/connections?connected=tiktok")
    expect(main).to_contain_text("TikTok is connected as Test Creator")
    avatar = page.locator(".account img.avatar")
    expect(avatar).to_be_visible()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.account img.avatar')]"
        ".every(i => i.complete && i.naturalWidth > 0)"
    )
    visit.shoot("connections-tiktok")

    clip = tiny_mp4(tmp_path / "clip.mp4", seconds=2)
    made = page.request.post(
        f"{visit.server.url}/api/v1/uploads/videos",
        multipart={
            "file": {"name": "clip.mp4", "mimeType": "video/mp4", "buffer": clip.read_bytes()}
        },
    )
    assert made.ok, made.text()
    video_id = made.json()["id"]

    visit.goto(f"/posts/new?video={video_id}")
    expect(page.locator("#creator-nickname")).to_have_text("Test Creator")
    privacy = page.get_by_label("Who can see this post")
    expect(privacy).to_have_value("")  # no default
    assert privacy.locator("option").all_inner_texts() == [
        "Choose who can see it",
        "Followers",
        "Only me",
    ]
    expect(page.get_by_label("Allow comment")).to_be_disabled()  # off in the account
    for name in ("Allow Duet", "Allow Stitch"):
        expect(page.get_by_label(name)).to_be_enabled()
        expect(page.get_by_label(name)).not_to_be_checked()
    plain, branded = page.locator("[data-consent-plain]"), page.locator("[data-consent-branded]")
    expect(plain).to_be_visible()
    expect(plain).to_have_text("By posting, you agree to TikTok's Music Usage Confirmation.")
    expect(branded).to_be_hidden()
    expect(page.locator("[data-label-prompt]")).to_be_hidden()
    visit.shoot("tiktok-compose")

    # Commercial content: a kind must be chosen; branded content cannot be private.
    page.get_by_label("Disclose commercial content").check()
    submit = page.get_by_role("button", name="Post now")
    expect(submit).to_be_disabled()
    expect(page.locator("[data-needs-kind]")).to_be_visible()
    page.get_by_label("Your brand").check()
    expect(page.locator("[data-label-prompt]")).to_have_text(
        "Your video will be labeled as ‘Promotional content’."
    )
    page.get_by_label("Branded content").check()
    expect(page.locator("[data-label-prompt]")).to_have_text(
        "Your video will be labeled as ‘Paid partnership’."
    )
    expect(privacy.locator("option[value='SELF_ONLY']")).to_be_disabled()
    expect(main).to_contain_text("Branded content visibility cannot be set to private.")
    expect(plain).to_be_hidden()
    expect(branded).to_have_text(
        "By posting, you agree to TikTok's Branded Content Policy and Music Usage Confirmation."
    )
    expect(page.locator("[data-not-sent]")).to_be_visible()
    visit.shoot("tiktok-disclosure")
    page.get_by_label("Disclose commercial content").uncheck()
    expect(submit).to_be_enabled()
    expect(privacy.locator("option[value='SELF_ONLY']")).to_be_enabled()

    privacy.select_option("SELF_ONLY")
    page.get_by_label("Allow Duet").check()
    page.get_by_label("Title").fill("Test pattern")
    submit.click()
    page.wait_for_url(POST_URL)
    _wait_published(visit)
    (publish,) = fake.publishes.values()
    info = publish.body["post_info"]
    assert info["privacy_level"] == "SELF_ONLY"
    assert (info["disable_comment"], info["disable_duet"], info["disable_stitch"]) == (
        True,
        False,
        True,
    )
    visit.shoot("tiktok-published")

    # A video longer than the account may post: said before submitting, and not submittable.
    fake.max_video_post_duration_sec = 1
    try:
        visit.goto(f"/posts/new?video={video_id}")
        expect(page.locator("#too-long")).to_contain_text("at most 1 s")
        expect(page.get_by_role("button", name="Post now")).to_be_disabled()
        visit.shoot("tiktok-too-long")
    finally:
        fake.max_video_post_duration_sec = 600

    # Disconnect: the confirmation says what happens, and it happens.
    visit.goto("/connections")
    said: list[str] = []

    def answer(dialog: Any) -> None:
        said.append(dialog.message)
        dialog.accept()

    page.once("dialog", answer)
    page.get_by_role("button", name="Disconnect Test Creator (TikTok)").click()
    page.wait_for_url("**/connections?disconnected=tiktok*")
    assert "tokens are deleted at once" in said[0] and "No post is waiting" in said[0]
    expect(main).to_contain_text("TikTok is disconnected: its tokens are deleted")
    assert not any(g.alive for g in fake.access.values())
    visit.shoot("connections-disconnected")


def test_pages_switch_to_the_browsers_own_clock(
    browser: Browser, server: Server, tmp_path: Path
) -> None:
    """Drawn in UTC until the browser says its zone: then the calendar and the compose form
    use it (the URL carries it, so a reload or a shared link keeps it)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id=BERLIN)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    visit = Visit(page=page, server=server, shots=tmp_path)
    try:
        visit.sign_in("berliner@example.com")
        visit.goto("/posts/calendar")
        page.wait_for_url("**/posts/calendar?tz=Europe%2FBerlin")
        expect(page.locator("#cal-title")).to_contain_text("(Europe/Berlin)")
        visit.goto("/connections")
        page.get_by_role("button", name="Connect the outbox").first.click()
        visit.goto("/posts/new?kind=photos")
        page.wait_for_url("**tz=Europe%2FBerlin*")
        expect(page.locator("#compose input[name='tz']")).to_have_value(BERLIN)
        expect(page.locator("#compose")).to_contain_text("(Europe/Berlin time)")
    finally:
        context.close()
    assert errors == []
