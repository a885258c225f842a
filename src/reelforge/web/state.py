"""What the web app holds for its lifetime: settings and the services built from them.

Built lazily, once, on first need (the lifespan start-up triggers it), so
``create_app`` stays cheap and importing the app module does no I/O. Building
applies migrations first when ``REELFORGE_MIGRATE_ON_START`` is on.
"""

from __future__ import annotations

import threading

from reelforge.config import Settings
from reelforge.runtime import Services, build_services


class AppState:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._services: Services | None = None
        self._lock = threading.Lock()

    @property
    def services(self) -> Services:
        if self._services is None:
            with self._lock:
                if self._services is None:
                    self._services = self._build()
        return self._services

    def _build(self) -> Services:
        return build_services(self.settings)

    def close(self) -> None:
        if self._services is not None:
            self._services.close()
            self._services = None
