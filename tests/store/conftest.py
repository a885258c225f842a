from tests.store.support import database, db_settings  # noqa: F401
