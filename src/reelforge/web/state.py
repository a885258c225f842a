"""What the web app holds for its lifetime: settings and the services built from them.

Built lazily, once, on first need (the lifespan start-up triggers it), so
``create_app`` stays cheap and importing the app module does no I/O. Building
applies migrations first when ``REELFORGE_MIGRATE_ON_START`` is on.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from reelforge.accounts.mailer import Mailer, mailer_for
from reelforge.accounts.ratelimit import RateLimiter
from reelforge.accounts.vault import Vault
from reelforge.config import Settings
from reelforge.store.blobs import BlobStore, open_blob_store
from reelforge.store.db import Database


@dataclass
class Services:
    settings: Settings
    database: Database
    blobs: BlobStore
    vault: Vault
    mailer: Mailer
    limiter: RateLimiter


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
        settings = self.settings
        database = Database.from_settings(settings)
        if settings.migrate_on_start:
            from reelforge.store.migrations import upgrade_database

            upgrade_database(database)
        return Services(
            settings=settings,
            database=database,
            blobs=open_blob_store(settings),
            vault=Vault.from_settings(settings),
            mailer=mailer_for(settings),
            limiter=RateLimiter.from_settings(settings, engine=database.engine),
        )

    def close(self) -> None:
        if self._services is not None:
            self._services.database.dispose()
            self._services = None
