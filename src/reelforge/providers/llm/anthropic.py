"""Anthropic's Messages API (``POST /v1/messages``).

Why the special case for HTTP 529: Anthropic answers ``overloaded_error``
with 529, a status the shared HTTP client does not know; it is temporary for
everyone, so it is reported as retryable (the job queue tries again later).
``max_tokens`` is required by this API; it is a setting because long scripts
from verbose models can need more.
"""

from __future__ import annotations

from typing import Any

from reelforge.errors import ProviderError
from reelforge.providers.base import LLM, Completion, CompletionRequest
from reelforge.providers.llm._common import key_refused, no_text, turns

OVERLOADED = 529


class AnthropicLLM(LLM):
    name = "anthropic"
    needs_key = True
    remote = True
    key_setting = "anthropic_api_key"

    def setup(self) -> None:
        self.model = self.settings.anthropic_model
        self.http = self.http_client(
            self.settings.anthropic_base_url.rstrip("/"),
            headers={
                "x-api-key": self.api_key(),
                "anthropic-version": self.settings.anthropic_version,
            },
        )

    def _body(self, request: CompletionRequest) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.model,
            "max_tokens": self.settings.anthropic_max_tokens,
            "messages": [{"role": role, "content": text} for role, text in turns(request)],
            "temperature": self.settings.llm_temperature,
        }
        if request.system:
            body["system"] = request.system
        return body

    def complete(self, request: CompletionRequest) -> Completion:
        try:
            data = self.http.post_json("/v1/messages", json=self._body(request))
        except ProviderError as exc:
            raise self._explain(exc) from exc
        return self._read(data)

    def _explain(self, exc: ProviderError) -> ProviderError:
        if exc.status in (401, 403):
            return key_refused(exc, provider=self.name, setting=self.key_setting, byok=self.byok)
        if exc.status == OVERLOADED:
            return ProviderError(
                f"{exc.message} Anthropic is overloaded for everyone right now; try again in a "
                "few minutes.",
                provider=self.name,
                retryable=True,
                status=exc.status,
                retry_after=exc.retry_after,
            )
        return exc

    def _read(self, data: Any) -> Completion:
        if not isinstance(data, dict):
            raise no_text(self.name, "the answer is not a JSON object.")
        if data.get("type") == "error":
            err = data.get("error") or {}
            raise ProviderError(
                f"{self.name} answered with an error: {err.get('message') or err}",
                provider=self.name,
                retryable=err.get("type") in ("overloaded_error", "api_error"),
            )
        stop = data.get("stop_reason")
        if stop == "max_tokens":
            raise ProviderError(
                f"{self.name} stopped at max_tokens ({self.settings.anthropic_max_tokens}) before "
                "the script was finished. Raise REELFORGE_ANTHROPIC_MAX_TOKENS.",
                provider=self.name,
                retryable=False,
            )
        if stop == "refusal":
            raise no_text(self.name, "the model declined to write this script.")
        blocks = data.get("content")
        if not isinstance(blocks, list):
            raise no_text(self.name, "the answer has no content blocks.")
        text = "".join(
            str(b.get("text", ""))
            for b in blocks
            if isinstance(b, dict) and b.get("type") == "text"
        )
        if not text.strip():
            raise no_text(self.name, f"no text blocks (stop_reason={stop}).")
        return Completion(text=text, model=str(data.get("model") or self.model))
