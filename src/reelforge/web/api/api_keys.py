"""API keys: create (shown once), list with usage, revoke at once (P06, P07, P25)."""

from __future__ import annotations

from fastapi import APIRouter, Path, Response, status

from reelforge.accounts import api_keys
from reelforge.accounts.tables import ApiKey
from reelforge.web.api.bodies.accounts import ApiKeyCreate, ApiKeyCreated, ApiKeyOut
from reelforge.web.deps import DbDep, PrincipalDep, SignedInDep

router = APIRouter(prefix="/api-keys", tags=["api keys"])


def _out(row: ApiKey) -> ApiKeyOut:
    return ApiKeyOut(
        id=row.id,
        name=row.name,
        prefix=row.prefix,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        request_count=row.request_count,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ApiKeyCreated,
    summary="Create an API key (the key is in this answer only)",
)
def create_key(body: ApiKeyCreate, principal: SignedInDep, db: DbDep) -> ApiKeyCreated:
    row, key = api_keys.create_api_key(db, owner_id=principal.user_id, name=body.name)
    return ApiKeyCreated(**_out(row).model_dump(), key=key)


@router.get("", response_model=list[ApiKeyOut], summary="Your API keys, with their usage")
def list_keys(principal: PrincipalDep, db: DbDep) -> list[ApiKeyOut]:
    return [_out(row) for row in api_keys.list_api_keys(db, owner_id=principal.user_id)]


@router.delete(
    "/{key_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Revoke a key (at once)"
)
def revoke_key(principal: PrincipalDep, db: DbDep, key_id: str = Path(max_length=64)) -> Response:
    api_keys.revoke_api_key(db, owner_id=principal.user_id, key_id=key_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
