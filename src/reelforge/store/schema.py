"""The whole schema: every module that defines tables is imported here.

Alembic (``migrations/env.py``) and the deletion tests read the metadata from
this module, so a feature's tables (research, publishing, …) live beside the
feature and are registered by adding one import line below.
"""

from __future__ import annotations

# Feature table modules (each defines classes on tables.Base), one import line each:
# from reelforge.<feature> import tables as _<feature>_tables, with a no-qa for F401.
from reelforge.publish import tables as _publish_tables  # noqa: F401
from reelforge.research import tables as _research_tables  # noqa: F401
from reelforge.store import tables
from reelforge.store.tables import Base

metadata = Base.metadata


def owned_tables() -> list[type[Base]]:
    """Every mapped table whose rows belong to a user (an ``owner_id``/``user_id`` column)."""
    found = []
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        if cls is tables.User:
            continue
        columns = mapper.columns.keys()
        if "owner_id" in columns or "user_id" in columns:
            found.append(cls)
    return sorted(found, key=lambda c: c.__tablename__)
