"""Keys: the user's API keys (shown once, usage, revoke — P06, P07, P25) and their own
provider keys (BYOK: stored encrypted, shown only by their last four, revoke — P09, P25).

The same services as ``/api/v1/api-keys`` and ``/api/v1/provider-keys``. A new
API key is in the answer to the form that made it and nowhere else: nothing
keeps it, so reloading the page (a GET, see ``account.js``) shows only its
prefix. Creating keys here needs the session cookie, which is all the
dashboard accepts (a leaked API key cannot mint more).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from reelforge.accounts import api_keys, provider_keys, usage
from reelforge.config import Settings
from reelforge.errors import InputError, ReelforgeError
from reelforge.providers.registry import BUILTINS
from reelforge.web.dashboard.templating import render
from reelforge.web.dashboard.viewer import Viewer, ViewerDep
from reelforge.web.deps import DbDep, RuntimeDep

router = APIRouter()

#: What each provider kind is called on the page.
KIND_LABELS = {
    "llm": "writer",
    "tts": "voice",
    "media": "stock media",
    "imagegen": "images",
    "research": "research",
}
#: Kinds whose key is not a BYOK key (platforms post through OAuth, see Connections).
NOT_BYOK_KINDS = frozenset({"platform"})

#: (section, message) after a redirect, by a fixed word in the query (never text from the URL).
DONE = {
    "key-revoked": (
        "api-keys",
        "The API key was revoked. Anything that used it is refused from now on.",
    ),
    "provider-saved": (
        "provider-keys",
        "Your provider key was saved, encrypted. Only its last four characters are shown from "
        "now on.",
    ),
    "provider-revoked": (
        "provider-keys",
        "Your provider key was deleted; reelforge no longer has it.",
    ),
}


@dataclass(frozen=True)
class ProviderRow:
    name: str
    kinds: str
    stored: provider_keys.ProviderKeyInfo | None
    server_key: bool  # without the user's key, the operator's key is used

    @property
    def added_at(self) -> datetime | None:
        return self.stored.added_at if self.stored else None


def _kinds(provider: str) -> str:
    kinds = [
        KIND_LABELS.get(kind, kind)
        for kind, names in BUILTINS.items()
        if provider in names and kind not in NOT_BYOK_KINDS
    ]
    return ", ".join(kinds)


def _server_key(settings: Settings, plan_name: str | None, provider: str) -> bool:
    """Mirrors :func:`provider_keys.credential_for`'s fallback, for the page to explain."""
    plan = usage.plan_for(settings, plan_name)
    return plan.server_keys and getattr(settings, f"{provider}_api_key", None) is not None


def _provider_rows(db: DbDep, settings: Settings, viewer: Viewer) -> list[ProviderRow]:
    stored = {i.provider: i for i in provider_keys.list_provider_keys(db, owner_id=viewer.user_id)}
    return [
        ProviderRow(
            name=name,
            kinds=_kinds(name),
            stored=stored.get(name),
            server_key=_server_key(settings, viewer.user.plan, name),
        )
        for name in sorted(provider_keys.byok_providers())
    ]


def _page(
    request: Request,
    db: DbDep,
    runtime: RuntimeDep,
    viewer: Viewer,
    *,
    status_code: int = 200,
    **context: object,
) -> Response:
    values: dict[str, object] = {
        "new_key": None,
        "key_name": "",
        "key_problem": None,
        "provider_problem": None,
        "chosen_provider": "",
        "done": None,
    }
    values.update(context)
    return render(
        request,
        "keys/keys.html",
        status_code=status_code,
        title="Keys",
        keys=api_keys.list_api_keys(db, owner_id=viewer.user_id),
        providers=_provider_rows(db, runtime.settings, viewer),
        **values,
    )


@router.get("/keys")
def keys_page(
    request: Request, viewer: ViewerDep, db: DbDep, runtime: RuntimeDep, done: str = ""
) -> Response:
    return _page(request, db, runtime, viewer, done=DONE.get(done))


@router.post("/keys")
def create_key(
    request: Request,
    viewer: ViewerDep,
    db: DbDep,
    runtime: RuntimeDep,
    name: Annotated[str, Form()] = "",
) -> Response:
    try:
        row, key = api_keys.create_api_key(db, owner_id=viewer.user_id, name=name)
    except ReelforgeError as exc:
        db.rollback()
        return _page(
            request, db, runtime, viewer, status_code=400, key_name=name, key_problem=exc.message
        )
    db.commit()  # the key works as soon as it is on the screen
    return _page(request, db, runtime, viewer, new_key={"name": row.name, "key": key})


@router.post("/keys/{key_id}/revoke")
def revoke_key(key_id: str, viewer: ViewerDep, db: DbDep) -> Response:
    api_keys.revoke_api_key(db, owner_id=viewer.user_id, key_id=key_id[:64])
    return RedirectResponse("/keys?done=key-revoked#api-keys", status_code=303)


@router.post("/keys/providers")
def put_provider_key(
    request: Request,
    viewer: ViewerDep,
    db: DbDep,
    runtime: RuntimeDep,
    provider: Annotated[str, Form()] = "",
    key: Annotated[str, Form()] = "",
) -> Response:
    try:
        if not provider:
            raise InputError("Choose the provider this key is for.", details={"field": "provider"})
        provider_keys.put_provider_key(
            db, runtime.vault, owner_id=viewer.user_id, provider=provider, key=key
        )
    except ReelforgeError as exc:
        db.rollback()
        # The key is not put back into the page: it is a secret, and it was refused.
        return _page(
            request,
            db,
            runtime,
            viewer,
            status_code=400,
            chosen_provider=provider,
            provider_problem=exc.message,
        )
    return RedirectResponse("/keys?done=provider-saved#provider-keys", status_code=303)


@router.post("/keys/providers/{provider}/revoke")
def revoke_provider_key(provider: str, viewer: ViewerDep, db: DbDep) -> Response:
    provider_keys.delete_provider_key(db, owner_id=viewer.user_id, provider=provider[:40])
    return RedirectResponse("/keys?done=provider-revoked#provider-keys", status_code=303)
