"""What a domain function may use: settings, the database, the vault and the blob store.

A Protocol rather than a container class, so the composition root's runtime
(which also holds the queue, the mailer and the rate limiter) satisfies it
structurally, while a domain function typed with :class:`Deps` cannot reach the
queue: queueing is the door's or the job runner's business, never a service's.
"""

from __future__ import annotations

from typing import Protocol

from reelforge.accounts.vault import Vault
from reelforge.config import Settings
from reelforge.store.blobs import BlobStore
from reelforge.store.db import Database


class Deps(Protocol):
    @property
    def settings(self) -> Settings: ...

    @property
    def database(self) -> Database: ...

    @property
    def vault(self) -> Vault: ...

    @property
    def blobs(self) -> BlobStore: ...
