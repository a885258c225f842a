"""Google's Gemini API (``POST /v1beta/models/{model}:generateContent``).

Why the extra checks: Gemini reports an invalid key as HTTP 400
(``API_KEY_INVALID``), not 401, and it can answer 200 with no text at all when
a safety filter blocks the prompt (``promptFeedback.blockReason``) or the
answer (``finishReason``). Each case becomes a ProviderError that says so,
instead of an empty script.
"""

from __future__ import annotations

from typing import Any

from reelforge.errors import ProviderError
from reelforge.providers.base import LLM, Completion, CompletionRequest
from reelforge.providers.llm._common import key_refused, no_text, turns

_ROLES = {"user": "user", "assistant": "model"}
_BLOCKED = {"SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "LANGUAGE"}


class GeminiLLM(LLM):
    name = "gemini"
    needs_key = True
    remote = True
    key_setting = "gemini_api_key"

    def setup(self) -> None:
        self.model = self.settings.gemini_model.removeprefix("models/")
        self.http = self.http_client(
            self.settings.gemini_base_url.rstrip("/"), headers={"x-goog-api-key": self.api_key()}
        )

    def _body(self, request: CompletionRequest) -> dict[str, Any]:
        config: dict[str, Any] = {"temperature": self.settings.llm_temperature}
        if request.json_schema is not None and self.settings.gemini_json_mode:
            config["responseMimeType"] = "application/json"
        body: dict[str, Any] = {
            "contents": [
                {"role": _ROLES.get(role, "user"), "parts": [{"text": text}]}
                for role, text in turns(request)
            ],
            "generationConfig": config,
        }
        if request.system:
            body["systemInstruction"] = {"parts": [{"text": request.system}]}
        return body

    def complete(self, request: CompletionRequest) -> Completion:
        path = f"/v1beta/models/{self.model}:generateContent"
        try:
            data = self.http.post_json(path, json=self._body(request))
        except ProviderError as exc:
            raise self._explain(exc) from exc
        return self._read(data)

    def _explain(self, exc: ProviderError) -> ProviderError:
        bad_key = exc.status == 400 and "api key" in exc.message.lower()
        if exc.status in (401, 403) or bad_key:
            return key_refused(exc, provider=self.name, setting=self.key_setting, byok=self.byok)
        if exc.status == 404:
            exc.message += f" Check REELFORGE_GEMINI_MODEL ({self.model!r})."
            exc.args = (exc.message,)
        return exc

    def _read(self, data: Any) -> Completion:
        if not isinstance(data, dict):
            raise no_text(self.name, "the answer is not a JSON object.")
        candidates = data.get("candidates") or []
        if not candidates:
            reason = (data.get("promptFeedback") or {}).get("blockReason")
            why = f"the prompt was blocked ({reason})." if reason else "no candidates came back."
            raise no_text(self.name, why + " Rephrase the topic or choose another writer.")
        candidate = candidates[0]
        finish = candidate.get("finishReason")
        parts = (candidate.get("content") or {}).get("parts") or []
        text = "".join(
            str(p.get("text", "")) for p in parts if isinstance(p, dict) and not p.get("thought")
        )
        if finish == "MAX_TOKENS":
            raise ProviderError(
                f"{self.name} stopped at its output-token limit before the script was finished "
                "(finishReason=MAX_TOKENS). Choose a model with a longer output.",
                provider=self.name,
                retryable=False,
            )
        if not text.strip():
            why = f"the answer was blocked ({finish})." if finish in _BLOCKED else "empty answer."
            raise no_text(self.name, why)
        return Completion(text=text, model=str(data.get("modelVersion") or self.model))
