"""The whole schema: every domain's table module, imported in one place.

The store knows no domain (``store.orm`` has only the base and shared
columns); each domain keeps its tables beside its code and is registered here
with one import line. Alembic's environment, the export archive, the account
deletion check and the tests read the complete metadata from this module.
"""

from __future__ import annotations

# One import line per domain that defines tables (each defines classes on orm.Base).
from reelforge.accounts import tables as _accounts_tables
from reelforge.billing import tables as _billing_tables  # noqa: F401
from reelforge.connections import tables as _connections_tables  # noqa: F401
from reelforge.jobs import tables as _jobs_tables  # noqa: F401
from reelforge.publish import tables as _publish_tables  # noqa: F401
from reelforge.research import tables as _research_tables  # noqa: F401
from reelforge.store.orm import Base
from reelforge.videos import tables as _videos_tables  # noqa: F401

metadata = Base.metadata


def owned_tables() -> list[type[Base]]:
    """Every mapped table whose rows belong to a user (an ``owner_id``/``user_id`` column)."""
    found = []
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        if cls is _accounts_tables.User:
            continue
        columns = mapper.columns.keys()
        if "owner_id" in columns or "user_id" in columns:
            found.append(cls)
    return sorted(found, key=lambda c: c.__tablename__)
