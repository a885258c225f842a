"""Any OpenAI-compatible chat server: OpenAI, Ollama, llama.cpp server, vLLM, LM Studio.

Why one client for all of them: they share ``POST /v1/chat/completions``.
They differ in two ways this client handles: local servers need no key (one is
required only for api.openai.com), and some reject ``response_format``, so JSON
mode is a setting (``REELFORGE_OPENAI_JSON_MODE=false``). A base URL that
already ends in ``/v1`` (as Ollama's docs write it) works too.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from reelforge.config import secret_text
from reelforge.errors import ProviderError
from reelforge.providers.base import LLM, Completion, CompletionRequest
from reelforge.providers.llm._common import key_refused, no_text, turns

OPENAI_HOST = "api.openai.com"


class OpenAICompatLLM(LLM):
    """Chat completions with JSON mode; the key is optional for self-hosted servers."""

    name = "openai"
    needs_key = True  # for api.openai.com; self-hosted servers run without one
    remote = True
    key_setting = "openai_api_key"

    def setup(self) -> None:
        self.model = self.settings.openai_model
        base = self.settings.openai_base_url.rstrip("/")
        self.is_openai = urlsplit(base).hostname == OPENAI_HOST
        if self.is_openai:
            key = self.api_key()
        else:  # a self-hosted server: a key only if one is given
            key = self._credential or secret_text(self.settings.openai_api_key)
        self.path = "/chat/completions" if base.endswith("/v1") else "/v1/chat/completions"
        self.http = self.http_client(
            base, headers={"Authorization": f"Bearer {key}"} if key else {}
        )

    def _body(self, request: CompletionRequest) -> dict[str, Any]:
        messages = [{"role": "system", "content": request.system}] if request.system else []
        messages += [{"role": role, "content": text} for role, text in turns(request)]
        body: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "temperature": self.settings.llm_temperature,
        }
        if request.json_schema is not None and self.settings.openai_json_mode:
            body["response_format"] = {"type": "json_object"}
        if self.settings.openai_max_tokens:
            body["max_tokens"] = self.settings.openai_max_tokens
        if self.is_openai:
            # Promise P21: ask OpenAI not to keep the exchange (it would otherwise be
            # eligible for its evals/distillation features). Other servers may not know it.
            body["store"] = False
        return body

    def complete(self, request: CompletionRequest) -> Completion:
        body = self._body(request)
        try:
            data = self.http.post_json(self.path, json=body)
        except ProviderError as exc:
            raise self._explain(exc, json_mode="response_format" in body) from exc
        return self._read(data)

    def _explain(self, exc: ProviderError, *, json_mode: bool) -> ProviderError:
        if exc.status in (401, 403):
            return key_refused(exc, provider=self.name, setting=self.key_setting, byok=self.byok)
        if exc.status == 400 and json_mode and "response_format" in exc.message:
            exc.message += (
                " This server may not support JSON mode: set REELFORGE_OPENAI_JSON_MODE=false."
            )
            exc.args = (exc.message,)
        if exc.status == 404:
            exc.message += (
                f" Check REELFORGE_OPENAI_BASE_URL ({self.settings.openai_base_url}) and that the "
                f"model {self.model!r} (REELFORGE_OPENAI_MODEL) exists on that server."
            )
            exc.args = (exc.message,)
        return exc

    def _read(self, data: Any) -> Completion:
        if not isinstance(data, dict):
            raise no_text(self.name, "the answer is not a JSON object.")
        if isinstance(data.get("error"), dict):  # some proxies answer 200 with an error body
            err = data["error"]
            raise ProviderError(
                f"{self.name} answered with an error: {err.get('message') or err}",
                provider=self.name,
                retryable=False,
            )
        choices = data.get("choices")
        if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
            raise no_text(self.name, "the answer has no choices.")
        choice = choices[0]
        finish = choice.get("finish_reason")
        message = choice.get("message") or {}
        text = message.get("content") if isinstance(message, dict) else None
        if finish == "length":
            raise ProviderError(
                f"{self.name} stopped at its output-token limit before the script was finished "
                "(finish_reason=length). Raise REELFORGE_OPENAI_MAX_TOKENS (or the server's own "
                "limit, e.g. Ollama's num_predict/num_ctx) or choose a model with a longer output.",
                provider=self.name,
                retryable=False,
            )
        if finish == "content_filter":
            raise no_text(self.name, "the answer was withheld by the content filter.")
        if not isinstance(text, str) or not text.strip():
            raise no_text(self.name, f"the message content is empty (finish_reason={finish}).")
        return Completion(text=text, model=str(data.get("model") or self.model))
