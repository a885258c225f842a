"""Signing in as a person does, onboarding, the home page, and what a stranger cannot do."""

from __future__ import annotations

import httpx

from tests.browser.conftest import Visit


def test_new_user_signs_in_by_code_onboards_and_reaches_home(visit: Visit) -> None:
    visit.goto("/")
    assert visit.page.url.endswith("/signin?next=/")  # signed out: the sign-in page
    visit.shoot("signin")
    visit.page.get_by_label("Email address").first.fill("maker@example.com")
    visit.page.get_by_role("button", name="Email me a sign-in code").click()
    assert "newest .eml file" in visit.page.inner_text("main")  # where the code is, self-hosted
    visit.shoot("signin-code")
    visit.page.get_by_label("Sign-in code").fill(visit.server.latest_code("maker@example.com"))
    visit.page.get_by_label("I am 13 or older").check()
    visit.page.get_by_role("button", name="Sign in").click()
    visit.page.wait_for_url("**/onboarding")
    visit.shoot("onboarding")
    visit.page.get_by_label("Your name (optional)").fill("Maker")
    visit.page.get_by_role("button", name="Save and go to my home page").click()
    visit.page.wait_for_url(visit.server.url + "/")
    text = visit.page.inner_text("main")
    assert "No videos yet" in text and "Usage" in text
    assert "Take the first steps" not in text  # onboarding is asked once
    visit.shoot("home-empty")
    cookies = visit.page.context.cookies()
    assert [c["name"] for c in cookies] == ["reelforge_session"]  # P28: the only cookie
    assert cookies[0]["httpOnly"] and cookies[0]["sameSite"] == "Lax"  # P04


def test_signing_up_needs_the_age_confirmation(visit: Visit) -> None:
    visit.goto("/signin")
    visit.page.get_by_label("Email address").first.fill("young@example.com")
    visit.page.get_by_role("button", name="Email me a sign-in code").click()
    visit.page.get_by_label("Sign-in code").fill(visit.server.latest_code("young@example.com"))
    visit.allow("400")  # the refused sign-up answers 400
    visit.page.get_by_role("button", name="Sign in").click()
    assert "13" in visit.page.inner_text(".problem")  # P05: refused, and it says why
    visit.page.get_by_label("I am 13 or older").check()
    visit.page.get_by_role("button", name="Sign in").click()  # the same code still works
    visit.page.wait_for_url("**/onboarding")


def test_a_cross_site_form_post_is_refused(visit: Visit) -> None:
    visit.sign_in("target@example.com")
    session = next(c for c in visit.page.context.cookies() if c["name"] == "reelforge_session")
    # What a page on another site could make the browser send: the cookie, its own Origin,
    # and no CSRF token.
    answer = httpx.post(
        visit.server.url + "/onboarding",
        data={"name": "hijacked"},
        cookies={"reelforge_session": session["value"]},
        headers={"Origin": "https://evil.example"},
    )
    assert answer.status_code == 403
    same_origin_no_token = httpx.post(
        visit.server.url + "/onboarding",
        data={"name": "hijacked"},
        cookies={"reelforge_session": session["value"]},
    )
    assert same_origin_no_token.status_code == 403  # the token is required, not just the Origin
    visit.goto("/onboarding")
    assert visit.page.get_by_label("Your name (optional)").input_value() != "hijacked"


def test_signing_out_ends_the_session(visit: Visit) -> None:
    visit.sign_in("leaver@example.com")
    visit.page.get_by_role("button", name="Sign out").click()
    visit.page.wait_for_url("**/signin")
    visit.goto("/")
    assert "/signin" in visit.page.url


def test_unknown_pages_have_a_page_of_their_own(visit: Visit) -> None:
    visit.sign_in("lost@example.com")
    visit.allow("404")
    visit.goto("/no-such-page")
    assert "There is no page at this address" in visit.page.inner_text("main")
    visit.shoot("not-found")
