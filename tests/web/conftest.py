from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from reelforge.config import Settings
from reelforge.web.app import create_app
from tests.store.support import database, db_settings, sqlite_database  # noqa: F401
from tests.web.support import Api


@pytest.fixture
def api(settings: Settings) -> Iterator[Api]:
    """The real app on SQLite in the test's home, started (migrations applied)."""
    with TestClient(create_app(settings)) as client:
        yield Api(client, settings)
