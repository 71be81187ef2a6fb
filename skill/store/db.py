"""Opening the database: a SQLite file (the embedded default) or a PostgreSQL URL, behind one interface.

`Database.execute(sql, params)` takes SQLite's SQL with `?` placeholders and returns a cursor
(`fetchone`, `fetchall`, iteration, `rowcount`, `lastrowid`, `description`); `transaction()` makes a
block atomic, and `lock(name)` holds a named lock until it ends. The dialect (skill/store/dialect.py)
rewrites the SQL for PostgreSQL, so services never ask which database they are on.

SQLite: one connection per thread, WAL, foreign keys, BEGIN IMMEDIATE (one writer at a time).
PostgreSQL (psycopg 3): one connection per thread, autocommit outside `transaction()`, READ COMMITTED
inside it. Guarantees that SQLite gets from its single writer come from row locks, conditional
updates and unique keys, which every process of every server shares.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from skill.errors import StoreError
from skill.store.dialect import Dialect, PostgreSQL, SQLite
from skill.store.migrations import migrate

__all__ = [
    "BUSY_TIMEOUT_S",
    "Database",
    "Store",
    "check_writable",
    "describe",
    "is_busy",
    "is_database_url",
    "locale_path",
    "open_database",
    "transaction",
]

BUSY_TIMEOUT_S = 3.0
"""How long a write waits for another writer's lock (SQLite's busy timeout, PostgreSQL's lock_timeout):
well inside Alexa's 8 s answer window, after which the shopper hears "please try again in a moment"."""

_OPEN_TIMEOUT_S = 30.0
"""How long opening a database waits for another process migrating or seeding it."""

_PG_BUSY_STATES = frozenset({"55P03", "57014", "40P01"})
"""PostgreSQL's lock_not_available (lock_timeout), query_canceled (statement_timeout) and
deadlock_detected: another transaction held what this one needed; trying again is the answer."""


def is_busy(exc: BaseException) -> bool:
    """The error a write gets when another writer held the lock past the busy timeout (either database)."""
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc).lower()
        return "locked" in text or "busy" in text
    return getattr(exc, "sqlstate", None) in _PG_BUSY_STATES


def check_writable(db: Database) -> str | None:
    """Rewrite the one `_health` row and commit (cheap): None when that works, else why not (a read-only
    file or database, a full disk)."""
    from datetime import UTC, datetime

    failures: tuple[type[BaseException], ...] = (*db.errors, OSError)
    try:
        with transaction(db):
            db.execute(
                "INSERT INTO _health (id, checked_at) VALUES (1, ?)"
                " ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at",
                (datetime.now(UTC).isoformat(),),
            )
    except failures as exc:
        return f"the database cannot be written: {_first_line(exc)}"
    return None

URL_SCHEMES = ("postgresql://", "postgres://")


def is_database_url(target: str | Path | None) -> bool:
    """True for a PostgreSQL URL, False for a SQLite file path."""
    return isinstance(target, str) and target.startswith(URL_SCHEMES)


def describe(target: str | Path) -> str:
    """How to name the database to a person: the path, or the URL without its password."""
    if not is_database_url(target):
        return str(target)
    parts = urlsplit(str(target))
    if parts.password is None:
        return str(target)
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def check_database_url(url: str) -> str:
    """The URL if libpq can read it; StoreError (one line, no password) otherwise."""
    if not url.startswith(URL_SCHEMES):
        scheme = url.split("://", 1)[0]
        raise StoreError(f"unsupported database URL scheme {scheme!r}: give a SQLite file path or a postgresql:// URL")
    try:
        from psycopg.conninfo import conninfo_to_dict
    except ImportError:
        raise StoreError(
            "a PostgreSQL database needs psycopg: pip install 'voiceshop[postgres]'"
        ) from None
    try:
        params = conninfo_to_dict(url)
    except Exception as exc:
        raise StoreError(f"bad database URL {describe(url)}: {_first_line(exc)}") from None
    # libpq reads these only when connecting; say what is wrong before that.
    port = str(params.get("port") or "5432")
    if not all(p.strip().isdigit() for p in port.split(",")):
        raise StoreError(f"bad database URL {describe(url)}: the port {port!r} is not a number")
    if params.get("sslmode", "prefer") not in _SSL_MODES:
        raise StoreError(
            f"bad database URL {describe(url)}: sslmode must be one of {', '.join(_SSL_MODES)}"
        )
    return url


_SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")


class Database:
    """A connection to one database and its dialect; what every service and migration is given."""

    dialect: Dialect
    conn: Any
    """The driver's connection (sqlite3 or psycopg)."""
    key: str
    """Names the database (a resolved path, or the URL without a password): caches are kept per key."""
    errors: tuple[type[Exception], ...] = ()
    """The driver's error classes (sqlite3.Error, psycopg.Error)."""

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        raise NotImplementedError

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        raise NotImplementedError

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        raise NotImplementedError
        yield self

    def lock(self, name: str) -> None:
        """Inside a transaction: wait for, then hold until the transaction ends, the lock called `name`.

        For work keyed by something that is not yet a row (an idempotency key about to be used)."""
        statement = self.dialect.lock_sql()
        if statement:
            self.execute(statement, (name,))

    @property
    def broken(self) -> bool:
        """The connection is lost (the server restarted); a new one is needed."""
        return False

    def close(self) -> None:
        self.conn.close()


class SQLiteDatabase(Database):
    errors = (sqlite3.Error,)

    def __init__(self, conn: sqlite3.Connection, key: str) -> None:
        self.conn = conn
        self.dialect = SQLite()
        self.key = key

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(self.dialect.translate(sql), params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.conn.executemany(self.dialect.translate(sql), rows)

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")


class _PostgresCursor:
    """psycopg's cursor, plus `lastrowid` (the value of the identity the last INSERT took)."""

    __slots__ = ("_conn", "_cursor")

    def __init__(self, cursor: Any, conn: Any) -> None:
        self._cursor = cursor
        self._conn = conn

    @property
    def rowcount(self) -> int:
        return int(self._cursor.rowcount)

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def lastrowid(self) -> int | None:
        # Every table has an identity column (see dialect.py), so lastval() is the inserted row's id.
        row = self._conn.execute("SELECT lastval()").fetchone()
        return int(row[0]) if row else None

    def fetchone(self) -> Any:
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self) -> list[Any]:
        return list(self._cursor.fetchall()) if self._cursor.description else []

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())


class PostgresDatabase(Database):
    def __init__(self, conn: Any, key: str) -> None:
        import psycopg

        self.errors = (psycopg.Error,)
        self.conn = conn
        self.dialect = PostgreSQL()
        self.key = key

    def execute(self, sql: str, params: Sequence[Any] = ()) -> _PostgresCursor:
        return _PostgresCursor(self.conn.execute(self.dialect.translate(sql), tuple(params)), self.conn)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self.conn.cursor() as cursor:
            cursor.executemany(self.dialect.translate(sql), [tuple(r) for r in rows])

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """BEGIN ... COMMIT (READ COMMITTED), rolled back on any exception."""
        with self.conn.transaction():
            yield self

    @property
    def broken(self) -> bool:
        return bool(self.conn.closed) or self.conn.info.status != 0  # 0: pq.ConnStatus.OK


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """All of the block or none of it. Money and stock move only in here."""
    with db.transaction() as inside:
        yield inside


def locale_path(target: str | Path, locale: str) -> str | Path:
    """The database of a locale's shop: `target` itself for en-US; for another locale a SQLite file
    `<stem>.<locale><suffix>` beside it (voiceshop.db -> voiceshop.ko-KR.db), or on PostgreSQL a database
    `<name>_<locale>` on the same server (voiceshop -> voiceshop_ko_kr), made on first use.

    Each locale is a shop of its own: its own products, prices in its own currency, carts, orders and
    ledger. One store per locale keeps every cart, order and charge in one currency without a currency
    on every money row, and leaves the catalog's queries and text search as they are."""
    if locale == "en-US":
        return target
    if is_database_url(target):
        return _with_database(str(target), f"{_database_name(str(target))}{_locale_suffix(locale)}")
    path = Path(target)
    return path.with_name(f"{path.stem}.{locale}{path.suffix}")


def _locale_suffix(locale: str) -> str:
    return "_" + "".join(ch if ch.isalnum() else "_" for ch in locale.lower())


def _database_name(url: str) -> str:
    """The database a PostgreSQL URL names (libpq's default, the user's name, when it names none)."""
    import getpass

    check_database_url(url)
    from psycopg.conninfo import conninfo_to_dict

    params = conninfo_to_dict(url)
    return str(params.get("dbname") or params.get("user") or getpass.getuser())


def _with_database(url: str, name: str) -> str:
    """`url` naming the database `name` instead (in its path, or its `dbname` parameter if it has one)."""
    from urllib.parse import parse_qsl, quote, urlencode

    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    path = parts.path
    if any(key == "dbname" for key, _ in query):
        query = [(key, name if key == "dbname" else value) for key, value in query]
    else:
        path = "/" + quote(name)
    # not urlunsplit: it drops the empty host of "postgresql:///shop?host=/run/postgresql"
    return f"{parts.scheme}://{parts.netloc}{path}" + (f"?{urlencode(query)}" if query else "")


def _create_locale_database(url: str, locale: str) -> None:
    """Make the database of `locale`'s shop (`url`, from `locale_path`) from a connection to the en-US
    one; another process making it at the same time is fine. StoreError, saying what to do, when the
    user may not create databases."""
    import psycopg
    from psycopg import sql

    name = _database_name(url)
    suffix = _locale_suffix(locale)
    base = _with_database(url, name[: -len(suffix)]) if name.endswith(suffix) else url
    try:
        with psycopg.connect(base, autocommit=True, connect_timeout=10) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.errors.DuplicateDatabase:
        return
    except psycopg.Error as exc:
        raise StoreError(
            f"the {locale} shop needs the database {name!r} on the server of {describe(base)}, and it could not"
            f" be made ({_first_line(exc)}): create it, owned by this user, and start again"
        ) from None


def open_database(target: str | Path, *, seed_catalog: bool = True, locale: str = "en-US") -> Database:
    """Open the database at `target` (a SQLite file, created if needed, or a postgresql:// URL),
    migrated to the latest schema.

    With `seed_catalog`, a database whose `products` table is empty gets the demo catalog
    (`skill/data/catalog.json`) on first use; `voiceshop catalog import` turns that off to import its own.
    """
    db: Database
    if is_database_url(target):
        db = _connect_postgres(str(target), create_for=None if locale == "en-US" else locale)
    else:
        db = _connect_sqlite(Path(target))
    try:
        migrate(db)
    except StoreError:
        db.close()
        raise
    except Exception as exc:
        db.close()
        raise StoreError(f"cannot migrate database {describe(target)}: {_first_line(exc)}") from exc
    if seed_catalog:
        # Imported here, not at module level: catalog_import needs `transaction` from this module.
        from skill.store.catalog_import import import_default_if_empty

        import_default_if_empty(db, locale)
    # Set after opening, migrating and seeding, which may wait longer for another process doing the same.
    db.execute(db.dialect.busy_timeout_sql(int(BUSY_TIMEOUT_S * 1000)))
    return db


def _connect_sqlite(path: Path) -> SQLiteDatabase:
    # Autocommit (`isolation_level=None`): every write that must be atomic goes through `transaction()`.
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # A long wait while opening and migrating (see open_database for the one requests get).
        conn = sqlite3.connect(str(path), timeout=_OPEN_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(f"PRAGMA busy_timeout={int(_OPEN_TIMEOUT_S * 1000)}")
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"cannot open database {path}: {exc}") from exc
    return SQLiteDatabase(conn, str(path.resolve()))


def _connect_postgres(url: str, create_for: str | None = None) -> PostgresDatabase:
    """Connect to `url`; with `create_for` (a locale), a database that does not exist yet is made first."""
    check_database_url(url)
    import psycopg

    try:
        try:
            conn = psycopg.connect(url, autocommit=True, application_name="voiceshop", connect_timeout=10)
        except psycopg.OperationalError as exc:
            if create_for is None or not re.search(r'database ".*" does not exist', str(exc)):
                raise
            _create_locale_database(url, create_for)
            conn = psycopg.connect(url, autocommit=True, application_name="voiceshop", connect_timeout=10)
        for statement in PostgreSQL.SESSION:
            conn.execute(statement)
    except psycopg.Error as exc:
        raise StoreError(f"cannot connect to database {describe(url)}: {_first_line(exc)}") from None
    return PostgresDatabase(conn, describe(url))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class Store:
    """Hands each thread its own connection to one database (connections are never shared)."""

    def __init__(self, target: str | Path, locale: str = "en-US") -> None:
        self.locale = locale
        """Whose demo catalog a new database gets."""
        if str(target) == ":memory:":
            raise StoreError("an in-memory database cannot be shared between requests; give a file path")
        self.target: str | Path = target if is_database_url(target) else Path(target)
        self._local = threading.local()
        self._lock = threading.Lock()

    @property
    def path(self) -> Path:
        """The SQLite file (a PostgreSQL store has none)."""
        if isinstance(self.target, Path):
            return self.target
        raise StoreError("a PostgreSQL store has no file path")

    def db(self) -> Database:
        db: Database | None = getattr(self._local, "db", None)
        if db is not None and db.broken:
            db = None  # the server went away and came back: reconnect
        if db is None:
            with self._lock:
                db = open_database(self.target, locale=self.locale)
            self._local.db = db
        return db

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None
