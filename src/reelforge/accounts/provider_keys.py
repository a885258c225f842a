"""Bring-your-own provider keys (LLM, voice, media), kept in the vault (promise P09).

A user's key is used only for work done for that user: :func:`credential_for`
reads it with the user's id in both the query and the cipher's associated
data, so no code path can hand one user's key to another. When the user has
no key, the operator's key from settings is used only if the user's plan has
``server_keys`` (the self-host default plan does); otherwise the job stops
with a message telling the user to add their own.

Which providers take a key is derived, not listed: every built-in provider
name with an ``<name>_api_key`` setting (openai, anthropic, gemini,
elevenlabs, pexels, pixabay, …), so a new provider is covered by adding its
setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from reelforge.accounts import usage, vault
from reelforge.accounts.tables import User
from reelforge.accounts.vault import Vault
from reelforge.config import Settings
from reelforge.errors import ConfigError, InputError, NotFound
from reelforge.providers.registry import BUILTINS

KIND = "provider_key"
KEY_MAX = 4096


def byok_providers() -> frozenset[str]:
    """Provider names a user may store a key for."""
    names = {name for kinds in BUILTINS.values() for name in kinds}
    settable = {f[: -len("_api_key")] for f in Settings.model_fields if f.endswith("_api_key")}
    return frozenset(names & settable)


def check_provider(provider: str) -> str:
    if provider not in byok_providers():
        raise NotFound(
            f"No provider {provider!r} takes a key; choose one of: "
            f"{', '.join(sorted(byok_providers()))}.",
            details={"provider": provider},
        )
    return provider


@dataclass(frozen=True)
class ProviderKeyInfo:
    provider: str
    added_at: datetime
    last_four: str


def put_provider_key(
    db: Session, secrets: Vault, *, owner_id: str, provider: str, key: str
) -> ProviderKeyInfo:
    """Store (or replace) the owner's key for ``provider``, encrypted."""
    check_provider(provider)
    value = key.strip()
    if not value or len(value) > KEY_MAX or any(c.isspace() for c in value):
        raise InputError(
            f"Paste the {provider} key exactly as the provider shows it (no spaces, at most "
            f"{KEY_MAX} characters).",
            details={"field": "key"},
        )
    row = vault.put_secret(
        db, secrets, owner_id=owner_id, kind=KIND, name=provider, value=value, hint=value[-4:]
    )
    return ProviderKeyInfo(provider=provider, added_at=row.updated_at, last_four=row.hint or "")


def list_provider_keys(db: Session, *, owner_id: str) -> list[ProviderKeyInfo]:
    return [
        ProviderKeyInfo(provider=row.name, added_at=row.updated_at, last_four=row.hint or "")
        for row in vault.list_secrets(db, owner_id=owner_id, kind=KIND)
    ]


def delete_provider_key(db: Session, *, owner_id: str, provider: str) -> None:
    """Forget the key at once (P25)."""
    check_provider(provider)
    if not vault.delete_secret(db, owner_id=owner_id, kind=KIND, name=provider):
        raise NotFound(f"You have no {provider} key stored.", details={"provider": provider})


def credential_for(
    db: Session, secrets: Vault, settings: Settings, *, user_id: str, provider: str
) -> str | None:
    """The key to use for ``provider`` in work done for ``user_id``.

    The user's own key first; else the operator's key (``REELFORGE_<P>_API_KEY``)
    when the user's plan allows server keys — returned explicitly, or None when
    the operator has none (keyless providers then work as usual); else
    ConfigError telling the user to add their own key.
    """
    own = vault.read_secret(db, secrets, owner_id=user_id, kind=KIND, name=provider)
    if own is not None:
        return own
    user = db.get(User, user_id)
    plan = usage.plan_for(settings, user.plan if user else None)
    if not plan.server_keys:
        raise ConfigError(
            f"Your plan ({plan.name}) does not include the server's {provider} key. Add your own "
            f"with PUT /api/v1/provider-keys/{provider}, or choose an offline provider.",
            details={"provider": provider, "plan": plan.name},
        )
    server = getattr(settings, f"{provider}_api_key", None)
    return server.get_secret_value() if server is not None else None
