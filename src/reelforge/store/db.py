"""Database engine and sessions, chosen by settings.

SQLite (the default, ``$REELFORGE_HOME/reelforge.db``) is opened in WAL mode
with foreign keys on (so ``ON DELETE CASCADE`` works) and every transaction
starts with ``BEGIN IMMEDIATE``: a writer waits for the lock (``busy_timeout``)
instead of failing when another process — the worker — wrote in between its
read and its write. PostgreSQL is used when ``REELFORGE_DATABASE_URL`` says
``postgresql+psycopg://…``; the code paths are the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from reelforge.config import Settings
from reelforge.errors import ConfigError

SQLITE_BUSY_TIMEOUT_S = 30.0


def database_url(settings: Settings) -> str:
    """The configured URL, normalised; default: SQLite under the home directory."""
    url = settings.database_url
    if not url:
        return f"sqlite:///{(settings.home / 'reelforge.db').resolve()}"
    for plain in ("postgres://", "postgresql://"):
        if url.startswith(plain):  # psycopg 3 is the driver reelforge ships with
            return "postgresql+psycopg://" + url[len(plain) :]
    return url


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        # Deleted rows are overwritten, not left in free pages (deletion promises P15, P24).
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_db_engine(url: str) -> Engine:
    """An engine for ``url`` with the per-backend setup described above."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(
            f"REELFORGE_DATABASE_URL is not a database URL: {exc}. Use sqlite:///path/to.db "
            "or postgresql+psycopg://user:password@host:5432/dbname.",
            details={"setting": "REELFORGE_DATABASE_URL"},
        ) from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            hide_parameters=True,  # errors and logs never show bound values (P10)
            # Sessions hop between threadpool threads within one request; never concurrently.
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False},
        )
        _sqlite_setup(engine)
        return engine
    if backend == "postgresql":
        return create_engine(url, pool_pre_ping=True, hide_parameters=True)
    raise ConfigError(
        f"Unsupported database {backend!r} in REELFORGE_DATABASE_URL; use SQLite or PostgreSQL.",
        details={"setting": "REELFORGE_DATABASE_URL"},
    )


class Database:
    """An engine plus a session factory. One per process (web app, worker, CLI command)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_db_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        return cls(database_url(settings))

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    @property
    def display_url(self) -> str:
        """The URL with its password masked, for messages and logs."""
        return make_url(self.url).render_as_string(hide_password=True)

    def connect(self) -> Connection:
        """A connection, or a ConfigError saying which database could not be reached."""
        try:
            return self.engine.connect()
        except OperationalError as exc:
            raise ConfigError(
                f"Cannot open the database at {self.display_url}: {exc.orig}. Check "
                "REELFORGE_DATABASE_URL and that the server is running.",
                details={"setting": "REELFORGE_DATABASE_URL"},
            ) from exc

    def new_session(self) -> Session:
        """A session the caller commits and closes (used by request-scoped dependencies)."""
        return self._sessions()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back if it raises."""
        with self._sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
