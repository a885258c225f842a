from tests.store.support import database, db_settings, sqlite_database  # noqa: F401
