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


def locale_path(path: Path | str, locale: str) -> Path:
    """The database of a locale's shop: `path` itself for en-US, `<stem>.<locale><suffix>` beside it for
    another locale (voiceshop.db -> voiceshop.ko-KR.db).

    Each locale is a shop of its own: its own products, prices in its own currency, carts, orders and
    ledger. One store per locale keeps every cart, order and charge in one currency without a currency
    on every money row, and leaves the catalog's queries as they are."""
    path = Path(path)
    if locale == "en-US":
        return path
    return path.with_name(f"{path.stem}.{locale}{path.suffix}")


def open_database(path: Path | str, *, seed_catalog: bool = True, locale: str = "en-US") -> sqlite_utils.Database:
    """Open (creating if needed) the database at `path`, migrated to the latest schema.

    With `seed_catalog`, a database whose `products` table is empty gets the locale's demo catalog
    (`skill/data/catalog.json`, `catalog.ko-KR.json`) on first use; `voiceshop catalog import` turns
    that off to import its own.

    Connections are in autocommit mode (`isolation_level=None`): every write that must be atomic
    goes through `transaction()`, which issues BEGIN IMMEDIATE so that two writers never interleave.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=30.0, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=30000")
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"cannot open database {path}: {exc}") from exc
    db = sqlite_utils.Database(conn)
    migrate(db)
    if seed_catalog:
        # Imported here, not at module level: catalog_import needs `transaction` from this module.
        from skill.store.catalog_import import import_default_if_empty

        import_default_if_empty(db, locale)
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

    def __init__(self, path: Path | str, locale: str = "en-US") -> None:
        if str(path) == ":memory:":
            raise StoreError("an in-memory database cannot be shared between requests; give a file path")
        self.path = Path(path)
        self.locale = locale
        """Whose demo catalog a new database gets."""
        self._local = threading.local()
        self._migrated = False
        self._lock = threading.Lock()

    def db(self) -> sqlite_utils.Database:
        db: sqlite_utils.Database | None = getattr(self._local, "db", None)
        if db is None:
            with self._lock:
                db = open_database(self.path, locale=self.locale)
            self._local.db = db
        return db

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.conn.close()
            self._local.db = None
