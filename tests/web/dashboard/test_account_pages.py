"""The Keys and Account pages over TestClient: the rules that are cheaper to prove here than in
a browser — a wrong typed confirmation deletes nothing, a key revoked on the page stops at
once, a cross-site form post is refused, and every form answers a mistake next to its field."""

from __future__ import annotations

import io
import re
import zipfile

import httpx

from tests.web.support import Account, Api, bearer

TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
NEW_KEY = re.compile(r'id="new-key"[^>]*value="(rf_live_[\w-]+)"')


class Browser:
    """A signed-in dashboard visitor: the session cookie and the page's CSRF token."""

    def __init__(self, api: Api, address: str) -> None:
        self.api = api
        self.account: Account = api.sign_up(address)
        api.client.cookies.set("reelforge_session", self.account.token)
        page = api.client.get("/account")
        assert page.status_code == 200, page.text
        found = TOKEN.search(page.text)
        assert found
        self.csrf = found.group(1)

    def post(self, path: str, **data: str) -> httpx.Response:
        answer: httpx.Response = self.api.client.post(
            path, data={"csrf_token": self.csrf, **data}, follow_redirects=False
        )
        return answer

    def me(self, headers: dict[str, str] | None = None) -> int:
        answer: httpx.Response = self.api.client.get(
            "/api/v1/me", headers=headers or self.account.headers
        )
        return answer.status_code


def test_P24_a_wrong_typed_confirmation_deletes_nothing(api: Api) -> None:
    visitor = Browser(api, "keeper@example.com")
    answer = visitor.post("/account/delete", confirm_email="keeper@example.org")
    assert answer.status_code == 400
    html = answer.text
    assert "nothing was deleted" in html and 'aria-invalid="true"' in html
    assert 'value="keeper@example.org"' in html  # what was typed stays in the field
    assert visitor.me() == 200
    assert api.client.get("/account").status_code == 200  # still signed in

    done = visitor.post("/account/delete", confirm_email="  Keeper@Example.com ")
    assert done.status_code == 303 and done.headers["location"] == "/account/deleted"
    assert visitor.me() == 401  # every session of the account ended
    landing = api.client.get("/account/deleted")
    assert "Your account was deleted" in landing.text and "Email me a sign-in code" in landing.text


def test_P07_a_key_revoked_on_the_page_stops_at_once(api: Api) -> None:
    visitor = Browser(api, "scripter@example.com")
    made = visitor.post("/keys", name="laptop script")
    assert made.status_code == 200
    found = NEW_KEY.search(made.text)
    assert found, "the new key is shown in a read-only field"
    key = found.group(1)
    assert "will not be shown again" in made.text
    assert 'data-copy="new-key"' in made.text

    assert visitor.me(bearer(key)) == 200
    listed = api.client.get("/keys").text
    assert key not in listed  # P06: shown once
    assert key[:14] in listed and "laptop script" in listed
    assert re.search(r'data-label="Requests" class="num">1<', listed)  # P07: counted
    assert "never" not in listed.split("laptop script", 1)[1].split("</tr>", 1)[0]

    key_id = api.client.get("/api/v1/api-keys", headers=visitor.account.headers).json()[0]["id"]
    gone = visitor.post(f"/keys/{key_id}/revoke")
    assert gone.status_code == 303
    assert visitor.me(bearer(key)) == 401  # at once
    assert "laptop script" not in api.client.get("/keys").text


def test_a_key_needs_a_name_and_the_page_says_so(api: Api) -> None:
    visitor = Browser(api, "nameless@example.com")
    answer = visitor.post("/keys", name="   ")
    assert answer.status_code == 400
    assert 'id="key-name-problem"' in answer.text
    assert api.client.get("/api/v1/api-keys", headers=visitor.account.headers).json() == []


def test_cross_site_posts_are_refused(api: Api) -> None:
    visitor = Browser(api, "target@example.com")
    evil = {"Origin": "https://evil.example"}
    for path, data in (
        ("/keys", {"name": "hijack"}),
        ("/keys/providers", {"provider": "pexels", "key": "attacker-key"}),
        ("/account/delete", {"confirm_email": "target@example.com"}),
        ("/account/password", {"password": "taken over!", "password_again": "taken over!"}),
        ("/account/email", {"new_email": "attacker@example.com"}),
    ):
        with_token = api.client.post(
            path, data={"csrf_token": visitor.csrf, **data}, headers=evil, follow_redirects=False
        )
        assert with_token.status_code == 403, path  # a foreign Origin, even with a token
        no_token = api.client.post(path, data=data, follow_redirects=False)
        assert no_token.status_code == 403, path  # the token is required, not just the Origin
    headers = visitor.account.headers
    assert api.client.get("/api/v1/api-keys", headers=headers).json() == []
    assert api.client.get("/api/v1/provider-keys", headers=headers).json() == []
    assert visitor.me() == 200
    assert api.mails("attacker@example.com") == []


def test_P09_provider_keys_show_only_their_last_four_and_can_be_revoked(api: Api) -> None:
    visitor = Browser(api, "byok@example.com")
    page = api.client.get("/keys").text
    for provider in ("openai", "pexels", "elevenlabs"):
        assert f'<option value="{provider}"' in page  # from the registry and the settings
    spaced = visitor.post("/keys/providers", provider="pexels", key="has a space")
    assert spaced.status_code == 400 and 'id="provider-key-problem"' in spaced.text
    assert '<option value="pexels" selected>' in spaced.text

    saved = visitor.post("/keys/providers", provider="pexels", key="px-secret-value-9z7Q")
    assert saved.status_code == 303
    listed = api.client.get("/keys?done=provider-saved").text
    assert "px-secret-value" not in listed and "…9z7Q" in listed
    revoked = visitor.post("/keys/providers/pexels/revoke")
    assert revoked.status_code == 303
    assert api.client.get("/api/v1/provider-keys", headers=visitor.account.headers).json() == []


def test_P23_email_change_on_the_page_needs_the_code_sent_to_the_new_address(api: Api) -> None:
    visitor = Browser(api, "old@example.com")
    same = visitor.post("/account/email", new_email="OLD@example.com")
    assert same.status_code == 400 and "already your address" in same.text
    bad = visitor.post("/account/email", new_email="not an address")
    assert bad.status_code == 400 and 'value="not an address"' in bad.text

    sent = visitor.post("/account/email", new_email="New@Example.com")
    assert sent.status_code == 303
    page = api.client.get(sent.headers["location"]).text
    assert "Code from the mail to new@example.com" in page
    code = api.latest_code("new@example.com")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    refused = visitor.post("/account/email/confirm", code=wrong, new_email="new@example.com")
    assert refused.status_code == 400
    assert "tries left" in refused.text and f'value="{wrong}"' in refused.text
    assert api.client.get("/api/v1/me", headers=visitor.account.headers).json()["email"] == (
        "old@example.com"
    )
    ok = visitor.post("/account/email/confirm", code=code, new_email="new@example.com")
    assert ok.status_code == 303
    assert "new@example.com" in api.client.get("/account").text
    assert "changed" in str(api.mails("old@example.com")[-1]["Subject"])


def test_an_address_in_use_gets_the_same_answer_on_the_page(api: Api) -> None:
    api.sign_up("taken@example.com")
    visitor = Browser(api, "sam@example.com")
    before = len(api.mails("taken@example.com"))
    taken = visitor.post("/account/email", new_email="taken@example.com")
    free = visitor.post("/account/email", new_email="free@example.com")
    assert taken.status_code == free.status_code == 303
    assert len(api.mails("taken@example.com")) == before


def test_P03_password_form_explains_each_mistake(api: Api) -> None:
    visitor = Browser(api, "pw@example.com")
    short = visitor.post("/account/password", password="short", password_again="short")
    assert short.status_code == 400 and 'id="new-password-problem"' in short.text
    differ = visitor.post(
        "/account/password", password="a long password", password_again="a long passw0rd"
    )
    assert differ.status_code == 400 and 'id="password-again-problem"' in differ.text
    assert "a long passw" not in differ.text  # never written back
    ok = visitor.post(
        "/account/password", password="a long password", password_again="a long password"
    )
    assert ok.status_code == 303
    page = api.client.get("/account").text
    assert 'id="current-password"' in page  # now the current one is asked
    wrong = visitor.post(
        "/account/password",
        current_password="not it at all",
        password="another long one",
        password_again="another long one",
    )
    assert wrong.status_code == 403 and 'id="current-password-problem"' in wrong.text
    login = api.client.post(
        "/api/v1/auth/login", json={"email": "pw@example.com", "password": "a long password"}
    )
    assert login.status_code == 200


def test_P22_the_page_downloads_the_same_archive_as_the_api(api: Api) -> None:
    visitor = Browser(api, "exporter@example.com")
    visitor.post("/account/name", name="Ex Porter")
    answer = api.client.get("/account/export")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/zip"
    assert answer.headers["content-disposition"].startswith("attachment;")
    page_names = set(zipfile.ZipFile(io.BytesIO(answer.content)).namelist())
    api_answer = api.client.get("/api/v1/me/export", headers=visitor.account.headers)
    assert page_names == set(zipfile.ZipFile(io.BytesIO(api_answer.content)).namelist())
    account = zipfile.ZipFile(io.BytesIO(answer.content)).read("account.json").decode()
    assert "Ex Porter" in account and "exporter@example.com" in account


def test_P23_a_too_long_name_is_refused_next_to_the_field_and_kept(api: Api) -> None:
    visitor = Browser(api, "long@example.com")
    answer = visitor.post("/account/name", name="x" * 201)
    assert answer.status_code == 400
    assert 'id="name-problem"' in answer.text and "x" * 201 in answer.text
    assert visitor.post("/account/name", name="  Kim  Lee ").status_code == 303
    assert api.client.get("/api/v1/me", headers=visitor.account.headers).json()["name"] == "Kim Lee"


def test_signed_out_visitors_are_sent_to_sign_in(api: Api) -> None:
    for path in ("/keys", "/account", "/account/export"):
        answer = api.client.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/signin")
