"""Bring-your-own provider keys: store encrypted, list (last four only), delete (P09, P25)."""

from __future__ import annotations

from fastapi import APIRouter, Path, Response, status

from reelforge.accounts import provider_keys
from reelforge.web.api.bodies.accounts import ProviderKeyOut, ProviderKeyPut
from reelforge.web.deps import DbDep, PrincipalDep, RuntimeDep

router = APIRouter(prefix="/provider-keys", tags=["provider keys"])

ProviderPath = Path(
    max_length=40, description="A provider that takes a key, e.g. openai, elevenlabs, pexels."
)


def _out(info: provider_keys.ProviderKeyInfo) -> ProviderKeyOut:
    return ProviderKeyOut(provider=info.provider, added_at=info.added_at, last_four=info.last_four)


@router.put("/{provider}", response_model=ProviderKeyOut, summary="Store your key for a provider")
def put_key(
    body: ProviderKeyPut,
    principal: PrincipalDep,
    db: DbDep,
    runtime: RuntimeDep,
    provider: str = ProviderPath,
) -> ProviderKeyOut:
    info = provider_keys.put_provider_key(
        db, runtime.vault, owner_id=principal.user_id, provider=provider, key=body.key
    )
    return _out(info)


@router.get("", response_model=list[ProviderKeyOut], summary="Your stored provider keys")
def list_keys(principal: PrincipalDep, db: DbDep) -> list[ProviderKeyOut]:
    return [_out(i) for i in provider_keys.list_provider_keys(db, owner_id=principal.user_id)]


@router.delete(
    "/{provider}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete your key (at once)"
)
def delete_key(principal: PrincipalDep, db: DbDep, provider: str = ProviderPath) -> Response:
    provider_keys.delete_provider_key(db, owner_id=principal.user_id, provider=provider)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
