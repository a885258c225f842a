"""One archive with all of a user's data, in open formats (promise P22).

The archive is a ZIP: ``account.json``, one ``data/<table>.json`` per table that
holds the user's rows (so tables added by later features are exported without
touching this module), and ``files/`` with every stored file (videos, captions,
uploads). Secrets are left out on purpose — hashes, ciphertexts and capability
URLs are useless to the user and dangerous in a file that gets emailed around;
what a key *is* (name, prefix, last four, dates) is exported.
"""

from __future__ import annotations

import json
import re
import zipfile
from datetime import date, datetime
from typing import IO, Any

from sqlalchemy import LargeBinary, select
from sqlalchemy.orm import Session

from reelforge import __version__
from reelforge.accounts.tables import User
from reelforge.clock import utc_now
from reelforge.schema import owned_tables
from reelforge.store.blobs import BlobStore, owner_prefix

SECRET_COLUMN = re.compile(r"hash|cipher|nonce|secret|token|verifier|upload_url|session_url")

README = """reelforge data export
=====================

account.json        your account
data/<table>.json   every row reelforge keeps for you, one JSON file per table
files/              every file stored for you (videos, captions, uploads, ...)

Left out on purpose: password and key hashes, encrypted tokens and keys, and
upload URLs. They cannot be turned back into anything useful to you.
"""


def _value(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _row(obj: Any) -> dict[str, Any]:
    out = {}
    for column in obj.__table__.columns:
        if SECRET_COLUMN.search(column.name) or isinstance(column.type, LargeBinary):
            continue
        out[column.name] = _value(getattr(obj, column.key))
    return out


def _owner_column(table: Any) -> Any:
    return getattr(table, "owner_id", None) or table.user_id


def write_export(db: Session, blobs: BlobStore, *, user_id: str, out: IO[bytes]) -> dict[str, int]:
    """Write the archive to ``out``; returns how many rows/files went into each part."""
    user = db.get(User, user_id)
    assert user is not None
    counts: dict[str, int] = {}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README)
        account = _row(user) | {"exported_at": utc_now().isoformat(), "reelforge": __version__}
        archive.writestr("account.json", json.dumps(account, indent=2))
        for table in owned_tables():
            rows = db.scalars(select(table).where(_owner_column(table) == user_id)).all()
            archive.writestr(
                f"data/{table.__tablename__}.json",
                json.dumps([_row(r) for r in rows], indent=2, default=str),
            )
            counts[table.__tablename__] = len(rows)
        prefix = owner_prefix(user_id)
        files = blobs.list(prefix)
        for key in files:
            with archive.open(f"files/{key[len(prefix) :]}", "w", force_zip64=True) as dest:
                for chunk in blobs.iter_range(key):
                    dest.write(chunk)
        counts["files"] = len(files)
    return counts
