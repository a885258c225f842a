"""Keys and the account, as a person uses them: an API key shown once, used, counted and revoked;
a provider key shown by its last four; name, email (with the code from the mail folder) and
password; the export archive; deleting the account and starting again from nothing."""

from __future__ import annotations

import json
import re
import zipfile

import httpx

from tests.browser.conftest import Visit


def _main(visit: Visit) -> str:
    return visit.page.inner_text("main")


def _accept_next_dialog(visit: Visit) -> None:
    visit.page.once("dialog", lambda dialog: dialog.accept())


def test_api_keys_and_provider_keys(visit: Visit) -> None:
    visit.sign_in("keys@example.com")
    visit.goto("/keys")
    assert "No API keys yet" in _main(visit)
    visit.shoot("keys-empty")

    # An empty name is refused next to the field (the browser's own check is bypassed here).
    visit.page.get_by_label("Name of a new key").fill("   ")
    visit.allow("400")
    visit.page.get_by_role("button", name="Create key").click()
    visit.page.wait_for_load_state("networkidle")
    assert "Give the key a name" in visit.page.inner_text("#key-name-problem")

    visit.page.get_by_label("Name of a new key").fill("laptop script")
    visit.page.get_by_role("button", name="Create key").click()
    visit.page.wait_for_load_state("networkidle")
    field = visit.page.get_by_label("The key", exact=True)
    key = field.input_value()
    assert key.startswith("rf_live_") and field.get_attribute("readonly") is not None
    assert "it will not be shown again" in _main(visit)
    visit.page.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=visit.server.url
    )
    visit.page.locator("button[data-copy]").click()
    visit.page.get_by_role("button", name="Copied").wait_for()
    assert visit.page.evaluate("navigator.clipboard.readText()") == key
    visit.shoot("keys-created")

    visit.page.reload()  # a GET now: the key is gone, and no second key was made
    assert key not in visit.page.content()
    rows = visit.page.locator("table.keys").first.locator("tbody tr")
    assert rows.count() == 1
    assert key[:14] in rows.first.inner_text()  # the prefix tells keys apart
    assert "never" in rows.first.inner_text()

    me = httpx.get(visit.server.url + "/api/v1/me", headers={"Authorization": f"Bearer {key}"})
    assert me.status_code == 200 and me.json()["email"] == "keys@example.com"
    visit.page.reload()
    row = visit.page.locator("table.keys").first.locator("tbody tr").first
    assert row.locator('[data-label="Requests"]').inner_text() == "1"  # P07
    assert re.search(r"\d{4}-\d\d-\d\d", row.locator('[data-label="Last used"]').inner_text())
    visit.shoot("keys-list")

    _accept_next_dialog(visit)
    visit.page.get_by_role("button", name="Revoke the key laptop script").click()
    visit.page.wait_for_url("**/keys?done=key-revoked*")
    assert "was revoked" in _main(visit) and "No API keys yet" in _main(visit)
    again = httpx.get(visit.server.url + "/api/v1/me", headers={"Authorization": f"Bearer {key}"})
    assert again.status_code == 401  # at once

    visit.page.get_by_label("Provider", exact=True).select_option("pexels")
    visit.page.get_by_label("Your key for it").fill("px-my-own-key-9z7Q")
    visit.page.get_by_role("button", name="Save key").click()
    visit.page.wait_for_url("**/keys?done=provider-saved*")
    row = visit.page.locator("table.providers tr.stored")
    assert row.count() == 1 and "pexels" in row.inner_text() and "…9z7Q" in row.inner_text()
    assert "px-my-own-key" not in visit.page.content()  # P09: only the last four, ever
    visit.shoot("keys-provider")

    _accept_next_dialog(visit)
    visit.page.get_by_role("button", name="Revoke your pexels key").click()
    visit.page.wait_for_url("**/keys?done=provider-revoked*")
    assert visit.page.locator("table.providers tr.stored").count() == 0


def test_profile_email_password_export_and_deletion(visit: Visit) -> None:
    old, new = "sam@example.com", "sam.rivera@example.com"
    visit.sign_in(old)
    visit.goto("/account")
    visit.shoot("account")

    visit.page.get_by_label("Your name (optional)").fill("Sam Rivera")
    visit.page.get_by_role("button", name="Save name").click()
    visit.page.wait_for_url("**/account?done=name-saved*")
    assert "Your name was saved" in _main(visit)
    assert visit.page.get_by_label("Your name (optional)").input_value() == "Sam Rivera"

    # Email: a code goes to the new address; a wrong one is refused next to its field.
    visit.page.get_by_label("New email address").fill(new)
    visit.page.get_by_role("button", name="Send a code to this address").click()
    visit.page.wait_for_url("**/account?email_sent=*")
    code = visit.server.latest_code(new)
    code_field = visit.page.get_by_label(f"Code from the mail to {new}")
    code_field.fill(f"{(int(code) + 1) % 1_000_000:06d}")
    visit.allow("400")
    visit.page.get_by_role("button", name="Change my email").click()
    visit.page.wait_for_load_state("networkidle")
    assert "wrong" in visit.page.inner_text("#email-code-problem")
    visit.shoot("account-email-code")
    visit.page.get_by_label(f"Code from the mail to {new}").fill(code)
    visit.page.get_by_role("button", name="Change my email").click()
    visit.page.wait_for_url("**/account?done=email-changed*")
    assert f"You sign in with {new}" in _main(visit)

    # Password: too short is refused next to the field, then set; it then signs in.
    visit.page.get_by_role("textbox", name="Password", exact=True).fill("short")
    visit.page.get_by_label("The same password again").fill("short")
    visit.page.locator("#new-password").evaluate("el => el.removeAttribute('minlength')")
    visit.allow("400")
    visit.page.get_by_role("button", name="Set password").click()
    visit.page.wait_for_load_state("networkidle")
    assert "at least 8" in visit.page.inner_text("#new-password-problem")
    visit.page.get_by_role("textbox", name="Password", exact=True).fill("correct horse battery")
    visit.page.get_by_label("The same password again").fill("correct horse battery")
    visit.page.get_by_role("button", name="Set password").click()
    visit.page.wait_for_url("**/account?done=password-saved*")
    assert visit.page.get_by_label("Current password").is_visible()
    visit.page.get_by_role("button", name="Sign out").click()
    visit.page.wait_for_url("**/signin")
    visit.page.get_by_text("Sign in with a password instead").click()
    visit.page.locator("#pw-email").fill(new)
    visit.page.get_by_role("textbox", name="Password", exact=True).fill("correct horse battery")
    visit.page.get_by_role("button", name="Sign in", exact=True).click()
    visit.page.wait_for_url(visit.server.url + "/")

    # Something to be deleted later: a key that works until the account goes.
    visit.goto("/keys")
    visit.page.get_by_label("Name of a new key").fill("soon gone")
    visit.page.get_by_role("button", name="Create key").click()
    key = visit.page.get_by_label("The key", exact=True).input_value()

    visit.goto("/account")
    with visit.page.expect_download() as download:
        visit.page.get_by_role("link", name="Download my data (ZIP)").click()
    path = download.value.path()
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        account = json.loads(archive.read("account.json"))
        keys = json.loads(archive.read("data/api_keys.json"))
    assert "README.txt" in names and account["email"] == new and account["name"] == "Sam Rivera"
    assert [k["name"] for k in keys] == ["soon gone"] and all("key_hash" not in k for k in keys)

    # Deleting needs the address typed; a wrong one deletes nothing and says so.
    visit.page.get_by_label("To confirm, type your email address").fill(old)
    visit.allow("400")
    visit.page.get_by_role("button", name="Delete my account and all its data").click()
    visit.page.wait_for_load_state("networkidle")
    assert "nothing was deleted" in visit.page.inner_text("#confirm-email-problem")
    assert visit.page.get_by_label("To confirm, type your email address").input_value() == old
    visit.shoot("account-delete-refused")
    visit.page.get_by_label("To confirm, type your email address").fill(new)
    visit.page.get_by_role("button", name="Delete my account and all its data").click()
    visit.page.wait_for_url("**/account/deleted")
    assert "Your account was deleted" in _main(visit)
    assert visit.page.get_by_role("heading", name="Sign in to reelforge").is_visible()
    assert [c["name"] for c in visit.page.context.cookies()] == []  # the session ended
    visit.shoot("account-deleted")
    gone = httpx.get(visit.server.url + "/api/v1/me", headers={"Authorization": f"Bearer {key}"})
    assert gone.status_code == 401

    # Signing in again with a code (from the landing page itself) makes a new, empty account.
    visit.page.get_by_label("Email address").first.fill(new)
    visit.page.get_by_role("button", name="Email me a sign-in code").click()
    visit.page.get_by_label("Sign-in code").wait_for()  # the new mail is written by now
    visit.page.get_by_label("Sign-in code").fill(visit.server.latest_code(new))
    visit.page.get_by_label("I am 13 or older").check()
    visit.page.get_by_role("button", name="Sign in").click()
    visit.page.wait_for_url("**/onboarding")  # a new account is onboarded
    visit.goto("/account")
    assert visit.page.get_by_label("Your name (optional)").input_value() == ""
    assert visit.page.get_by_role(
        "textbox", name="Password", exact=True
    ).is_visible()  # no password set
    visit.goto("/keys")
    assert "No API keys yet" in _main(visit)
