"""Opening the database: one connection per thread, WAL, foreign keys, migrations applied once."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from skill.errors import StoreError
from skill.store.migrations import migrate

BUSY_TIMEOUT_S = 3.0
"""How long a write waits for another writer: well inside Alexa's 8 s answer window, after which the
shopper hears "please try again in a moment" (`StoreBusy`)."""


def is_busy(exc: BaseException) -> bool:
    """The error SQLite raises when the write lock stayed taken past the busy timeout."""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def check_writable(db: sqlite_utils.Database) -> str | None:
    """Write one row and commit (cheap): None when that works, else why not (read-only, disk full)."""
    from datetime import UTC, datetime

    try:
        with transaction(db):
            db.execute(
                "INSERT INTO _health (id, checked_at) VALUES (1, ?)"
                " ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at",
                (datetime.now(UTC).isoformat(),),
            )
    except (sqlite3.Error, OSError) as exc:
        return f"the database cannot be written: {exc}"
    return None


def open_database(path: Path | str, *, seed_catalog: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) the database at `path`, migrated to the latest schema.

    With `seed_catalog`, a database whose `products` table is empty gets the demo catalog
    (`skill/data/catalog.json`) on first use; `voiceshop catalog import` turns that off to import its own.

    Connections are in autocommit mode (`isolation_level=None`): every write that must be atomic
    goes through `transaction()`, which issues BEGIN IMMEDIATE so that two writers never interleave.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(
            str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"cannot open database {path}: {exc}") from exc
    db = sqlite_utils.Database(conn)
    migrate(db)
    if seed_catalog:
        # Imported here, not at module level: catalog_import needs `transaction` from this module.
        from skill.store.catalog_import import import_default_if_empty

        import_default_if_empty(db)
    return db


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception. Money and stock move only in here."""
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


class Store:
    """Hands each thread its own connection to one database file (sqlite3 connections are not shared)."""

    def __init__(self, path: Path | str) -> None:
        if str(path) == ":memory:":
            raise StoreError("an in-memory database cannot be shared between requests; give a file path")
        self.path = Path(path)
        self._local = threading.local()
        self._migrated = False
        self._lock = threading.Lock()

    def db(self) -> sqlite_utils.Database:
        db: sqlite_utils.Database | None = getattr(self._local, "db", None)
        if db is None:
            with self._lock:
                db = open_database(self.path)
            self._local.db = db
        return db

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.conn.close()
            self._local.db = None
