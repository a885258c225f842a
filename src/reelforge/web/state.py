"""What the web app holds for its lifetime: settings and the runtime built from them.

Built lazily, once, on first need (the lifespan start-up triggers it), so
``create_app`` stays cheap and importing the app module does no I/O. Building
applies migrations first when ``REELFORGE_MIGRATE_ON_START`` is on.
"""

from __future__ import annotations

import threading

from reelforge.config import Settings
from reelforge.runtime import Runtime, build_runtime


class AppState:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._runtime: Runtime | None = None
        self._lock = threading.Lock()

    @property
    def runtime(self) -> Runtime:
        if self._runtime is None:
            with self._lock:
                if self._runtime is None:
                    self._runtime = self._build()
        return self._runtime

    def _build(self) -> Runtime:
        return build_runtime(self.settings)

    def close(self) -> None:
        if self._runtime is not None:
            self._runtime.close()
            self._runtime = None
