"""The long-lived services one process needs (database, blobs, vault, mailer, limiter).

The web app, the worker and CLI commands all build them the same way from
settings; a process keeps one set per configuration (:func:`services_for`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from reelforge.accounts.mailer import Mailer, mailer_for
from reelforge.accounts.ratelimit import RateLimiter
from reelforge.accounts.vault import Vault
from reelforge.config import Settings
from reelforge.jobs.queue import JobQueue, build_queue
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
    queue: JobQueue

    def close(self) -> None:
        self.database.dispose()


def build_services(settings: Settings) -> Services:
    """Build every service; applies migrations first when REELFORGE_MIGRATE_ON_START is on."""
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
        queue=build_queue(settings),
    )


_cache: dict[tuple[str, str, str], Services] = {}
_lock = threading.Lock()


def services_for(settings: Settings) -> Services:
    """This process's services for these settings (built once, then shared)."""
    key = (str(settings.home.resolve()), settings.database_url or "", settings.storage_url or "")
    with _lock:
        if key not in _cache:
            _cache[key] = build_services(settings)
        return _cache[key]


def forget_services() -> None:
    """Drop cached services (tests that delete their home directory call this)."""
    with _lock:
        for services in _cache.values():
            services.close()
        _cache.clear()
