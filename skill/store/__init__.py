"""The SQLite store, through sqlite-utils: connections, migrations and the catalog import."""

from skill.store.db import Store, open_database

__all__ = ["Store", "open_database"]
