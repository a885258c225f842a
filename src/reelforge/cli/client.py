"""The CLI's way to the service: the REST API with an API key, remote or local.

``reelforge login --server URL --api-key KEY`` talks to a running server.
``reelforge login --local`` uses this machine's home: the app runs in-process
and an embedded worker runs the jobs the command starts, so nothing has to be
running first. Either way, commands see the same API and the same errors.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx
from pydantic import BaseModel

from reelforge.accounts.keyfiles import write_secret_file
from reelforge.config import Settings, load_settings
from reelforge.errors import (
    ConfigError,
    Forbidden,
    InputError,
    NotFound,
    ProviderError,
    QuotaExceeded,
    ReelforgeError,
)

LOCAL = "local"
FINISHED = ("succeeded", "failed", "cancelled")


class CliLogin(BaseModel):
    server: str  # a URL, or "local"
    api_key: str


def login_path(settings: Settings) -> Path:
    return settings.home / "cli-login.json"


def save_login(settings: Settings, login: CliLogin) -> Path:
    """Written 0600: the file holds an API key."""
    path = login_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_secret_file(path, login.model_dump_json().encode())
    return path


def load_login(settings: Settings) -> CliLogin:
    path = login_path(settings)
    if not path.exists():
        raise ConfigError(
            "Not logged in. Run `reelforge login --local` (this machine) or "
            "`reelforge login --server https://… --api-key rf_live_…`."
        )
    return CliLogin.model_validate_json(path.read_text())


def _error(response: httpx.Response) -> ReelforgeError:
    try:
        body = response.json()["error"]
        message, details = str(body["message"]), dict(body.get("details") or {})
    except (ValueError, KeyError, TypeError):
        message, details = f"HTTP {response.status_code}: {response.text[:200]}", {}
    status = response.status_code
    if status == 401:
        return ConfigError(f"{message} (run `reelforge login` again)", details=details)
    if status == 403:
        return Forbidden(message, details=details)
    if status == 404:
        return NotFound(message, details=details)
    if status == 429:
        return QuotaExceeded(message, limit=str(details.get("limit", "")), details=details)
    if status >= 500:
        return ProviderError(message, provider="reelforge server", retryable=True, status=status)
    return InputError(message, details=details)


class ApiClient:
    def __init__(self, http: httpx.Client, *, local_settings: Settings | None = None) -> None:
        self.http = http
        self.local_settings = local_settings
        self._worker: Any = None

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self.http.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            raise ProviderError(
                f"Cannot reach the reelforge server at {self.http.base_url}: {exc}",
                provider="reelforge server",
                retryable=True,
            ) from exc
        if response.is_error:
            raise _error(response)
        return response

    def get(self, path: str, **params: Any) -> Any:
        return self._send("GET", path, params=params).json()

    def post(self, path: str, json: Any = None, files: Any = None, data: Any = None) -> Any:
        response = self._send("POST", path, json=json, files=files, data=data)
        return response.json() if response.content else None

    def put(self, path: str, json: Any) -> Any:
        return self._send("PUT", path, json=json).json()

    def delete(self, path: str) -> None:
        self._send("DELETE", path)

    def download(self, path: str, dest: Path) -> Path:
        dest.parent.mkdir(parents=True, exist_ok=True)
        partial = dest.with_name(f".{dest.name}.part")
        with self.http.stream("GET", path) as response:
            if response.is_error:
                response.read()
                raise _error(response)
            with partial.open("wb") as fh:
                for chunk in response.iter_bytes():
                    fh.write(chunk)
        partial.replace(dest)
        return dest

    def follow_job(self, job_id: str, title: str) -> dict[str, Any]:
        """Show a job's progress until it ends; returns the final job."""
        from reelforge.cli.output import console, progress_bar
        from reelforge.studio.pipeline import Event

        self._ensure_worker()
        with progress_bar(title) as on_event:
            if self.local_settings is None:
                self._follow_stream(job_id, on_event, Event)
            job: dict[str, Any] = self.get(f"/api/v1/jobs/{job_id}")
            while job["state"] not in FINISHED:
                on_event(Event(job.get("stage") or job["state"], job["progress"]))
                time.sleep(0.3)
                job = self.get(f"/api/v1/jobs/{job_id}")
            on_event(Event(job["state"], 1.0 if job["state"] == "succeeded" else job["progress"]))
        if job["state"] != "succeeded":
            console.print(f"[red]job {job['state']}:[/red] {job.get('error') or ''}")
        return job

    def _follow_stream(self, job_id: str, on_event: Any, event_cls: Any) -> None:
        """Remote: the job's Server-Sent Events, as they happen."""
        with self.http.stream("GET", f"/api/v1/jobs/{job_id}/events", timeout=None) as response:
            if response.is_error:
                response.read()
                raise _error(response)
            kind = ""
            for line in response.iter_lines():
                if line.startswith("event: "):
                    kind = line[7:]
                elif line.startswith("data: ") and kind == "progress":
                    data = json.loads(line[6:])
                    on_event(
                        event_cls(
                            data.get("stage") or "",
                            float(data.get("progress") or 0),
                            data.get("message") or "",
                        )
                    )
                elif kind == "end":
                    return

    def _ensure_worker(self) -> None:
        if self.local_settings is not None and self._worker is None:
            from reelforge.jobs.worker import start_embedded_worker
            from reelforge.runtime import runtime_for

            runtime = runtime_for(self.local_settings)
            self._worker = start_embedded_worker(runtime, runtime.queue)

    def close(self) -> None:
        if self._worker is not None:
            self._worker.stop(graceful=True)
            self._worker = None
        self.http.close()


def api_client(settings: Settings | None = None) -> ApiClient:
    """The client for the saved login (see `reelforge login`)."""
    settings = settings or load_settings()
    login = load_login(settings)
    headers = {"Authorization": f"Bearer {login.api_key}"}
    if login.server == LOCAL:
        from fastapi.testclient import TestClient

        from reelforge.web.app import create_app

        http: httpx.Client = TestClient(create_app(settings), headers=headers)
        http.__enter__()  # runs the app's start-up (migrations)
        return ApiClient(http, local_settings=settings)
    return ApiClient(httpx.Client(base_url=login.server, headers=headers, timeout=60.0))
