"""The cross-tenant walker: every API route, called with one user's credentials against
another user's objects, must answer 404 or 403 and change nothing.

It reads the app's own route table, so a route added by any later issue is walked
without anyone editing this file. What a new route may need:

* a path parameter naming a new kind of object (``{video_id}``): add a *seeder* to
  ``SEEDERS`` that creates one for the victim and returns ``{"video_id": id}``;
  the walk fails and says so until there is one;
* a request body: give its model an example (``json_schema_extra={"examples": [...]}``),
  which the walker sends so the request gets past validation to the ownership check.

Path parameters in ``NAMESPACE_PARAMS`` (``{provider}``) name a slot in the caller's
*own* namespace rather than an object id; for those the walker requires that the
victim's data is unchanged and that no victim data comes back.

Dashboard pages (every path outside ``/api/``) are walked the same way, signed in
the way a browser is: the attacker's session cookie, and on writes the attacker's
own valid CSRF token — so the only thing stopping them is the owner check.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute

from reelforge.store.db import Database
from reelforge.web.dashboard import csrf
from reelforge.web.security import SESSION_COOKIE
from tests.web.support import Account, Api

Seeder = Callable[[Api, Account, Database], dict[str, str]]
NAMESPACE_PARAMS = frozenset({"provider", "name", "platform"})  # "name": a file slot ("mp4")
# Capability URLs: no sign-in at all, the unguessable path is the credential (TikTok fetches
# carousel images from it); covered by tests/publish/test_media.py instead.
CAPABILITY_PATHS = frozenset({"/api/v1/media/{token}/{file}"})
VOLATILE_PATHS = frozenset(
    {"/api/v1/usage", "/api/v1/me/export", "/", "/account", "/account/export"}
)  # counts the walk's own requests (usage on the home and account pages); stamps the export
DENIED = frozenset({403, 404})


def seed_api_key(api: Api, victim: Account, db: Database) -> dict[str, str]:
    key_id, _ = api.api_key(victim, name="victim's key")
    return {"key_id": key_id}


def seed_provider_key(api: Api, victim: Account, db: Database) -> dict[str, str]:
    answer = api.client.put(
        "/api/v1/provider-keys/openai", json={"key": "sk-victim-0001"}, headers=victim.headers
    )
    assert answer.status_code == 200, answer.text
    return {"provider": "openai"}


def seed_video(api: Api, victim: Account, db: Database) -> dict[str, str]:
    """A video with a job and a stored MP4 (no render needed: the bytes stand in for it)."""
    from reelforge.store.open_blobs import open_blob_store
    from reelforge.videos.service import file_key
    from reelforge.videos.tables import Video

    answer = api.client.post(
        "/api/v1/videos", json={"topic": "the victim's secret topic"}, headers=victim.headers
    )
    assert answer.status_code == 202, answer.text
    video_id, job_id = answer.json()["video"]["id"], answer.json()["job"]["id"]
    with db.session() as session:
        video = session.get(Video, video_id)
        assert video is not None
        video.status = "ready"
        key = file_key(video, "mp4")
    open_blob_store(api.settings).put_bytes(key, b"victim's video")
    return {"video_id": video_id, "job_id": job_id, "name": "mp4"}


def seed_creator(api: Api, victim: Account, db: Database) -> dict[str, str]:
    """A creator with imported videos (so analytics and charts have data to leak)."""
    answer = api.client.post(
        "/api/v1/creators",
        json={"platform": "youtube", "handle": "@victimbakes"},
        headers=victim.headers,
    )
    assert answer.status_code == 201, answer.text
    creator_id = answer.json()["id"]
    rows = "".join(
        f"youtube,victimvid{i},The victim's secret bread {i},{100 * (i + 1)},5,1,2024-01-0{i + 1}\n"
        for i in range(5)
    )
    csv = "platform,platform_video_id,title,views,likes,comments,published_at\n" + rows
    answer = api.client.post(
        f"/api/v1/creators/import?creator_id={creator_id}",
        files={"file": ("victim.csv", csv.encode())},
        headers=victim.headers,
    )
    assert answer.status_code == 200 and answer.json()["imported"] == 5, answer.text
    return {"creator_id": creator_id}


def seed_dna_version(api: Api, victim: Account, db: Database) -> dict[str, str]:
    """A saved DNA version, named by its id (version numbers repeat across users)."""
    answer = api.client.put(
        "/api/v1/dna", json={"niche": "the victim's secret niche"}, headers=victim.headers
    )
    assert answer.status_code == 200, answer.text
    return {"version": answer.json()["id"]}


def seed_publishing(api: Api, victim: Account, db: Database) -> dict[str, str]:
    """An outbox connection, an uploaded image, and a queued carousel post using both."""
    from tests.publish.support import png_bytes

    answer = api.client.post("/api/v1/connections/outbox", headers=victim.headers)
    assert answer.status_code == 201, answer.text
    connection_id = answer.json()["id"]
    answer = api.client.post(
        "/api/v1/uploads",
        files=[("files", ("victim.png", png_bytes(), "image/png"))],
        headers=victim.headers,
    )
    assert answer.status_code == 201, answer.text
    upload_id = answer.json()[0]["id"]
    answer = api.client.post(
        "/api/v1/posts",
        json={"connection_id": connection_id, "images": [upload_id], "title": "victim's post"},
        headers=victim.headers,
    )
    assert answer.status_code == 202, answer.text
    post_id = answer.json()["post"]["id"]
    ids = {"connection_id": connection_id, "upload_id": upload_id, "post_id": post_id}
    return {**ids, "platform": "tiktok"}


SEEDERS: list[Seeder] = [
    seed_api_key,
    seed_provider_key,
    seed_video,
    seed_creator,
    seed_dna_version,
    seed_publishing,
]


@dataclass(frozen=True)
class RouteInfo:
    path: str
    methods: frozenset[str]


def all_routes(app: FastAPI) -> list[RouteInfo]:
    """Every HTTP route in ``app.routes``, with included routers flattened (FastAPI >= 0.12x
    keeps them as lazily resolved branches; older versions list APIRoutes directly)."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI: the table is already flat
        contexts: list[Any] = [r for r in app.routes if isinstance(r, APIRoute)]
    else:
        contexts = list(iter_route_contexts(app.routes))
    found = {
        RouteInfo(str(c.path), frozenset(c.methods or ())) for c in contexts if c.path and c.methods
    }
    return sorted(found, key=lambda r: ("DELETE" in r.methods, r.path, sorted(r.methods)))


@dataclass
class Finding:
    method: str
    path: str
    status: int
    problem: str

    def __str__(self) -> str:
        return f"{self.method} {self.path} -> {self.status}: {self.problem}"


@dataclass
class Walk:
    api: Api
    db: Database
    victim: Account
    ids: dict[str, str] = field(default_factory=dict)
    markers: set[str] = field(default_factory=set)

    def seed(self, seeders: list[Seeder]) -> None:
        for seeder in seeders:
            self.ids.update(seeder(self.api, self.victim, self.db))
        self.markers = {self.victim.email, self.victim.user_id, *self.ids.values()}
        self.markers -= {v for k, v in self.ids.items() if k in NAMESPACE_PARAMS}

    def routes(self) -> list[RouteInfo]:
        # Destructive calls come last, so a wrongly allowed DELETE cannot hide another finding.
        return all_routes(self.api.client.app)  # type: ignore[arg-type]

    def example_body(self, route: RouteInfo, method: str) -> Any:
        spec = self.api.client.get("/openapi.json").json()
        operation = spec["paths"].get(route.path, {}).get(method.lower(), {})
        body = operation.get("requestBody")
        if body is None:
            return None
        schema = body["content"]["application/json"]["schema"]
        if "$ref" in schema:
            schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
        examples = schema.get("examples")
        if not examples:
            raise AssertionError(
                f"{method} {route.path}: give its request model an example "
                "(json_schema_extra={'examples': [...]}) so the cross-tenant walk can call it."
            )
        return examples[0]

    def snapshot(self) -> dict[str, str]:
        """What the victim sees through every parameter-free GET route."""
        seen = {}
        for route in self.routes():
            if (
                "GET" in route.methods
                and "{" not in route.path
                and route.path not in VOLATILE_PATHS
            ):
                headers = (
                    self.page_credentials(self.victim, write=False)
                    if self.is_page(route.path)
                    else self.victim.headers
                )
                answer = self.api.client.get(route.path, headers=headers, follow_redirects=False)
                seen[route.path] = re.sub(r'"(last_used_at|request_count)":[^,}]*', "", answer.text)
        return seen

    @staticmethod
    def is_page(path: str) -> bool:
        return not path.startswith(("/api/", "/docs", "/openapi.json", "/static"))

    def page_credentials(self, account: Account, *, write: bool) -> dict[str, str]:
        """A browser's credentials: the session cookie, and the session's CSRF token."""
        import jwt

        headers = {"Cookie": f"{SESSION_COOKIE}={account.token}"}
        if write:
            session_id = jwt.decode(account.token, options={"verify_signature": False})["sid"]
            headers[csrf.HEADER] = csrf.token_for(self.api.settings, session_id)
        return headers

    def leaks(self, text: str) -> list[str]:
        return sorted(m for m in self.markers if m and m in text)

    def run(
        self, attacker_headers: dict[str, str], attacker: Account | None = None
    ) -> list[Finding]:
        """Walk every route with ``attacker_headers``; pages too when ``attacker`` (whose
        session signs the browser in) is given, otherwise pages are left out."""
        before = self.snapshot()
        findings: list[Finding] = []
        for route in self.routes():
            if route.path in CAPABILITY_PATHS or route.path.startswith("/static"):
                continue
            page = self.is_page(route.path)
            if page and attacker is None:
                continue
            params = re.findall(r"{(\w+)(?::[^}]*)?}", route.path)
            missing = [p for p in params if p not in self.ids]
            if missing:
                findings.append(
                    Finding("*", route.path, 0, f"no victim object for {missing}: add a seeder")
                )
                continue
            path = route.path
            for name in params:
                path = re.sub(r"\{" + name + r"(?::[^}]*)?\}", self.ids[name], path)
            for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
                if not params and method != "GET":
                    continue  # acts on the caller's own account by definition
                if page:
                    assert attacker is not None
                    answer = self.api.client.request(
                        method,
                        path,
                        headers=self.page_credentials(attacker, write=method != "GET"),
                        follow_redirects=False,
                    )
                else:
                    body = self.example_body(route, method)
                    answer = self.api.client.request(
                        method,
                        path,
                        content=None if body is None else json.dumps(body),
                        headers={**attacker_headers, "Content-Type": "application/json"},
                    )
                leaked = self.leaks(answer.text)
                if leaked:
                    findings.append(Finding(method, path, answer.status_code, f"returned {leaked}"))
                object_ids = [p for p in params if p not in NAMESPACE_PARAMS]
                if object_ids and answer.status_code not in DENIED:
                    findings.append(
                        Finding(method, path, answer.status_code, "expected 404 or 403")
                    )
        after = self.snapshot()
        for route_path in before:
            if before[route_path] != after.get(route_path):
                findings.append(Finding("GET", route_path, 0, "the victim's data changed"))
        return findings
