"""Importing a catalog file into `products`: validate every record, then upsert them in one transaction.

A catalog file is a JSON list of objects with exactly the fields in `FIELDS`. A bad record stops the
whole import with a `CatalogError` naming it (by position and sku), so a half-valid file never lands.
The FTS5 index follows the table through its triggers; `synonyms` (a list in the file) is stored as
one space-separated string, which is what the full-text index wants.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from skill.errors import CatalogError
from skill.store.db import transaction

__all__ = [
    "FIELDS",
    "ImportResult",
    "default_catalog_path",
    "import_catalog",
    "import_records",
    "load_catalog",
]

# field -> (accepted types, may be empty/None)
FIELDS: dict[str, tuple[tuple[type, ...], bool]] = {
    "sku": ((str,), False),
    "brand": ((str,), False),
    "name": ((str,), False),
    "generic": ((str,), False),
    "size": ((str,), False),
    "unit": ((str,), False),
    "price_cents": ((int,), False),
    "deal_price_cents": ((int,), True),
    "category": ((str,), False),
    "stock": ((int,), False),
    "synonyms": ((list,), True),
    "description": ((str,), True),
}

_COLUMNS = list(FIELDS)
_UPSERT = (
    f"INSERT INTO products ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' for _ in _COLUMNS)})"
    " ON CONFLICT(sku) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS if c != "sku")
)


@dataclass(frozen=True)
class ImportResult:
    """What an import did."""

    imported: int
    """Records upserted (new and updated)."""
    total: int
    """Products in the table afterwards."""


def default_catalog_path(locale: str = "en-US") -> Path:
    """The demo catalog shipped with the skill for `locale` (`catalog.json` for en-US)."""
    name = "catalog.json" if locale == "en-US" else f"catalog.{locale}.json"
    return Path(__file__).resolve().parent.parent / "data" / name


def load_catalog(path: Path | str) -> list[dict[str, Any]]:
    """Read and validate a catalog file; returns rows ready for `products`."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CatalogError(f"catalog file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"cannot read catalog {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise CatalogError(f"catalog {path} is not valid JSON: {exc}") from None
    if not isinstance(data, list):
        raise CatalogError(f"catalog {path} must be a JSON list of products")
    return validate_records(data)


def validate_records(records: Iterable[Any]) -> list[dict[str, Any]]:
    """Every record checked (fields, types, values) and converted to a `products` row."""
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, record in enumerate(records):
        row = _validate(record, index)
        if row["sku"] in seen:
            raise CatalogError(f"record {index} (sku {row['sku']!r}): duplicate sku")
        seen.add(row["sku"])
        rows.append(row)
    return rows


def _validate(record: Any, index: int) -> dict[str, Any]:
    where = f"record {index}"
    if not isinstance(record, dict):
        raise CatalogError(f"{where}: expected an object, got {type(record).__name__}")
    if isinstance(record.get("sku"), str) and record["sku"].strip():
        where += f" (sku {record['sku']!r})"
    missing = [f for f in FIELDS if f not in record]
    if missing:
        raise CatalogError(f"{where}: missing field(s) {', '.join(missing)}")
    unknown = sorted(set(record) - set(FIELDS))
    if unknown:
        raise CatalogError(f"{where}: unknown field(s) {', '.join(unknown)}")
    for name, (types, optional) in FIELDS.items():
        value = record[name]
        if value is None and optional:
            continue
        # bool is an int in Python; a true/false price is a mistake, not a price.
        if isinstance(value, bool) or not isinstance(value, types):
            raise CatalogError(f"{where}: field {name} has the wrong type ({type(value).__name__})")
        if isinstance(value, str) and not optional and not value.strip():
            raise CatalogError(f"{where}: field {name} is empty")
    if record["price_cents"] <= 0:
        raise CatalogError(f"{where}: price_cents must be positive")
    deal = record["deal_price_cents"]
    if deal is not None and not 0 < deal < record["price_cents"]:
        raise CatalogError(f"{where}: deal_price_cents must be positive and below price_cents")
    if record["stock"] < 0:
        raise CatalogError(f"{where}: stock cannot be negative")
    synonyms = record["synonyms"] or []
    if not all(isinstance(s, str) for s in synonyms):
        raise CatalogError(f"{where}: synonyms must be a list of strings")
    row = {name: record[name] for name in FIELDS}
    row["sku"] = row["sku"].strip()
    row["synonyms"] = " ".join(s.strip() for s in synonyms if s.strip())
    row["description"] = row["description"] or ""
    return row


def import_records(db: sqlite_utils.Database, rows: list[dict[str, Any]]) -> ImportResult:
    """Upsert validated rows in one transaction (all or nothing)."""
    with transaction(db):
        db.conn.executemany(_UPSERT, [tuple(row[c] for c in _COLUMNS) for row in rows])
    total = db.execute("SELECT count(*) FROM products").fetchone()[0]
    _forget_cached_vocabulary()
    return ImportResult(imported=len(rows), total=total)


def import_catalog(db: sqlite_utils.Database, path: Path | str | None = None) -> ImportResult:
    """Validate and import the catalog file at `path` (the demo catalog by default)."""
    return import_records(db, load_catalog(path or default_catalog_path()))


def import_default_if_empty(db: sqlite_utils.Database, locale: str = "en-US") -> int:
    """First use of a database: import the demo catalog when `products` is empty. Returns rows imported.

    Cheap when there is nothing to do (one indexed lookup). The emptiness check is repeated inside the
    write transaction so two processes opening a new database at once import it only once.
    """
    if db.execute("SELECT 1 FROM products LIMIT 1").fetchone():
        return 0
    path = default_catalog_path(locale)
    if not path.exists():
        return 0
    rows = load_catalog(path)
    with transaction(db):
        if db.execute("SELECT 1 FROM products LIMIT 1").fetchone():
            return 0
        db.conn.executemany(_UPSERT, [tuple(row[c] for c in _COLUMNS) for row in rows])
    _forget_cached_vocabulary()
    return len(rows)


def _forget_cached_vocabulary() -> None:
    # The search vocabulary is cached per database file; a new catalog must be seen at once.
    from skill.services.catalog import forget_vocabulary

    forget_vocabulary()
