"""Small pieces every network LLM client shares.

Why: the three clients speak different wire formats, but turn order and the
"your key was refused" message must read the same for all of them, so the user
learns which setting to fix whichever provider they chose.
"""

from __future__ import annotations

from reelforge.errors import ProviderError
from reelforge.providers.base import CompletionRequest


def turns(request: CompletionRequest) -> list[tuple[str, str]]:
    """The conversation after the system prompt: earlier turns, then this request's user turn."""
    return [*request.history, ("user", request.user)]


def key_refused(error: ProviderError, *, provider: str, setting: str, byok: bool) -> ProviderError:
    """Re-word an auth failure so it names the key to fix (BYOK entry or server setting)."""
    env = f"REELFORGE_{setting.upper()}"
    where = (
        f"your own {provider} key; replace it with `reelforge keys set {provider}`"
        if byok
        else f"the key in {env}; set a valid one there"
    )
    return ProviderError(
        f"{error.message} The key used was {where}.",
        provider=provider,
        retryable=False,
        status=error.status,
        details={"setting": env},
    )


def no_text(provider: str, why: str) -> ProviderError:
    return ProviderError(f"{provider} sent no text: {why}", provider=provider, retryable=False)
