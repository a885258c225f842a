"""Cross-tenant: every route, user B's credentials, user A's objects -> 404/403, no change."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from reelforge.accounts.tables import ApiKey
from reelforge.store.db import Database
from reelforge.web.dashboard.viewer import ViewerDep
from reelforge.web.deps import DbDep, PrincipalDep
from tests.web.support import Api, bearer
from tests.web.tenancy import SEEDERS, Walk


def test_no_route_lets_one_user_reach_anothers_objects(api: Api, sqlite_database: Database) -> None:
    victim = api.sign_up("victim@example.com")
    attacker = api.sign_up("attacker@example.com")
    _, attacker_key = api.api_key(attacker)
    walk = Walk(api, sqlite_database, victim)
    walk.seed(SEEDERS)
    assert len(walk.routes()) >= 15  # the walk sees the whole route table

    for credentials, browser in ((attacker.headers, attacker), (bearer(attacker_key), None)):
        findings = walk.run(credentials, browser)
        assert not findings, "\n".join(map(str, findings))


def test_the_walker_catches_a_route_that_forgets_the_owner(
    api: Api, sqlite_database: Database
) -> None:
    """Guard the guard: a deliberately unscoped route must be reported."""
    leaky = APIRouter()

    @leaky.get("/api/v1/leaky-keys/{key_id}")
    def leaky_key(key_id: str, principal: PrincipalDep, db: DbDep) -> dict[str, str]:
        row = db.scalars(select(ApiKey).where(ApiKey.id == key_id)).one()  # no owner filter!
        return {"id": row.id, "owner": row.owner_id}

    api.client.app.include_router(leaky)  # type: ignore[attr-defined]
    victim = api.sign_up("victim@example.com")
    attacker = api.sign_up("attacker@example.com")
    walk = Walk(api, sqlite_database, victim)
    walk.seed(SEEDERS)
    problems = {f.problem for f in walk.run(attacker.headers) if "leaky" in f.path}
    assert "expected 404 or 403" in problems
    assert any(p.startswith("returned") for p in problems)


def test_the_walker_catches_a_page_that_forgets_the_owner(
    api: Api, sqlite_database: Database
) -> None:
    """Dashboard pages are walked too, signed in with the attacker's own cookie and CSRF."""
    leaky = APIRouter(include_in_schema=False)

    @leaky.post("/leaky-page/{key_id}/rename")
    def leaky_page(key_id: str, viewer: ViewerDep, db: DbDep) -> HTMLResponse:
        row = db.scalars(select(ApiKey).where(ApiKey.id == key_id)).one()  # no owner filter!
        row.name = "renamed by someone else"
        return HTMLResponse(f"<p>{row.id} of {row.owner_id}</p>")

    api.client.app.include_router(leaky)  # type: ignore[attr-defined]
    victim = api.sign_up("victim@example.com")
    attacker = api.sign_up("attacker@example.com")
    walk = Walk(api, sqlite_database, victim)
    walk.seed(SEEDERS)
    problems = {f.problem for f in walk.run(attacker.headers, attacker) if "leaky" in f.path}
    assert "expected 404 or 403" in problems
    assert any(p.startswith("returned") for p in problems)
