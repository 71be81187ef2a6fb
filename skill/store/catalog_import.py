"""Importing a shop's catalog (CSV or JSON) into `products`: validate every row, plan, then apply in one transaction.

The columns (the same names in a CSV header and in a JSON object; docs/CATALOG.md describes them):

    sku, brand, name, kind, size, unit, price, stock, category     required
    tags, synonyms, deal_price, description                         optional

`price` and `deal_price` are dollars ("4.99"); `tags` and `synonyms` are lists (in CSV, one cell with the
items separated by `|` or `;`). The demo catalog's own field names are accepted too: `generic` for
`kind`, and `price_cents` / `deal_price_cents` in integer cents.

Every row is checked before anything is written, and every problem is reported with the file, the row
(the line number in a CSV, the position counted from 1 in a JSON list) and the field. A valid file is
compared with the table (`plan_import`): products to add, to update, unchanged, and products missing
from the file. Those are retired only when asked (`delete_missing`): retiring keeps the row, so past
orders and their lines keep pointing at it, sets its stock to zero, hides it from search and takes it
out of shoppers' carts; a later import that lists the sku again brings it back.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from skill.errors import CatalogError
from skill.store.db import Database, transaction

__all__ = [
    "COLUMNS",
    "REQUIRED",
    "CatalogProblem",
    "ImportPlan",
    "ImportResult",
    "apply_plan",
    "default_catalog_path",
    "import_catalog",
    "import_records",
    "load_catalog",
    "plan_import",
    "read_catalog_file",
    "validate_records",
]

REQUIRED = ("sku", "brand", "name", "kind", "size", "unit", "price", "stock", "category")
OPTIONAL = ("tags", "synonyms", "deal_price", "description")
COLUMNS = REQUIRED + OPTIONAL
ALIASES = {"generic": "kind", "price_cents": "price", "deal_price_cents": "deal_price"}
"""The demo catalog's field names; `*_cents` columns hold integer cents rather than dollars."""

_COLUMN_SET = frozenset(COLUMNS)
_KEYS: dict[Any, tuple[str, bool]] = {}
"""A record key -> (its column, given in cents): the same few keys come on every row."""

MAX_PROBLEMS = 50
"""Problems collected before validation stops reading (a wrong file would otherwise list every row)."""

# The `products` columns written by an import, in order.
_STORED = (
    "sku", "brand", "name", "generic", "size", "unit", "price_cents", "deal_price_cents",
    "category", "stock", "synonyms", "description", "tags",
)  # fmt: skip
_UPSERT = (
    f"INSERT INTO products ({', '.join(_STORED)}, retired_at) VALUES ({', '.join('?' for _ in _STORED)}, NULL)"
    " ON CONFLICT(sku) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _STORED if c != "sku")
    + ", retired_at = NULL"
)
_SKU = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,63}")
_TAG = re.compile(r"[a-z0-9][a-z0-9 &'-]{0,39}")
# Characters XML 1.0 forbids: they would break the SSML every product name is spoken in.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TEXT_LIMITS = {"brand": 80, "name": 200, "kind": 80, "size": 40, "unit": 40, "category": 80, "description": 2000}
_MAX_PRICE_CENTS = 100_000_00
_MAX_STOCK = 10_000_000


@dataclass(frozen=True)
class CatalogProblem:
    """One thing wrong with one row."""

    source: str
    """The file (or '<records>' for rows given in code)."""
    row: int | None
    """CSV: the line number (the header is line 1). JSON: the record's position, from 1. None: the whole file."""
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.source
        if self.row is not None:
            where += f", row {self.row}"
        if self.field is not None:
            where += f", field {self.field}"
        return f"{where}: {self.message}"


class CatalogInvalid(CatalogError):
    """A catalog file with problems; `problems` lists them all (up to `MAX_PROBLEMS`)."""

    def __init__(self, problems: list[CatalogProblem]) -> None:
        more = f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})" if len(problems) > 1 else ""
        super().__init__(f"{problems[0]}{more}")
        self.problems = problems


@dataclass
class ImportPlan:
    """What importing a file would change, computed without writing."""

    rows: list[dict[str, Any]]
    """Every valid row, as `products` columns."""
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    """Skus whose row differs (or that were retired and come back)."""
    unchanged: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    """Active products the file does not list: retired only with `delete_missing`."""
    missing_in_carts: int = 0
    """Cart lines holding a missing product (they leave the carts when it is retired)."""
    missing_in_orders: int = 0
    """Order lines naming a missing product (kept: the product row stays, retired)."""

    def summary(self, delete_missing: bool) -> dict[str, Any]:
        return {
            "added": len(self.added),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "retired" if delete_missing else "would_be_retired": len(self.missing),
            "missing_in_carts": self.missing_in_carts,
            "missing_in_orders": self.missing_in_orders,
        }


@dataclass(frozen=True)
class ImportResult:
    """What an import did."""

    imported: int
    """Rows written (added and updated); unchanged rows are not rewritten."""
    total: int
    """Active (not retired) products afterwards."""
    retired: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0


def default_catalog_path(locale: str = "en-US") -> Path:
    """The demo catalog shipped with the skill for `locale` (`catalog.json` for en-US)."""
    name = "catalog.json" if locale == "en-US" else f"catalog.{locale}.json"
    return Path(__file__).resolve().parent.parent / "data" / name


# -- reading ---------------------------------------------------------------------------------------


def read_catalog_file(path: Path | str) -> tuple[list[tuple[int, Mapping[str, Any]]], str]:
    """The file's records as (row number, record), and the source name used in messages.

    CSV by the `.csv` suffix, otherwise JSON (a list of objects).
    """
    path = Path(path)
    source = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CatalogError(f"catalog file not found: {path}") from None
    except OSError as exc:
        raise CatalogError(f"cannot read catalog {path}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogError(f"{source}: not UTF-8 text (byte {exc.start})") from None
    if path.suffix.lower() == ".csv":
        return _read_csv(text, source), source
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogError(f"{source}: not valid JSON: {exc}") from None
    if not isinstance(data, list):
        raise CatalogError(f"{source}: a JSON catalog must be a list of products")
    return list(enumerate(data, start=1)), source


def _read_csv(text: str, source: str) -> list[tuple[int, Mapping[str, Any]]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise CatalogError(f"{source}: the file is empty (a header line naming the columns comes first)") from None
    except csv.Error as exc:
        raise CatalogError(f"{source}, row 1: {exc}") from None
    names = [h.strip().lower() for h in header]
    known = set(COLUMNS) | set(ALIASES)
    unknown = [n for n in names if n not in known]
    if unknown:
        raise CatalogError(f"{source}, row 1: unknown column(s) {', '.join(unknown)}; the columns are {', '.join(COLUMNS)}")
    absent = [c for c in REQUIRED if c not in {_canonical(n) for n in names}]
    if absent:
        raise CatalogError(f"{source}, row 1: missing column(s) {', '.join(absent)}; the columns are {', '.join(COLUMNS)}")
    duplicated = sorted({_canonical(n) for n in names if [_canonical(m) for m in names].count(_canonical(n)) > 1})
    if duplicated:
        raise CatalogError(f"{source}, row 1: column(s) given twice: {', '.join(duplicated)}")
    records: list[tuple[int, Mapping[str, Any]]] = []
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue  # blank lines are not products
            if len(cells) != len(names):
                records.append((line, {"__cells__": f"has {len(cells)} cells, the header has {len(names)}"}))
                continue
            records.append((line, {n: (c if c.strip() else None) for n, c in zip(names, cells, strict=True)}))
    except csv.Error as exc:
        raise CatalogError(f"{source}, row {reader.line_num}: {exc}") from None
    return records


def _canonical(name: str) -> str:
    return ALIASES.get(name, name)


# -- validating ------------------------------------------------------------------------------------


def validate_records(
    records: Iterable[Any] | Iterable[tuple[int, Any]], source: str = "<records>", *, numbered: bool = False
) -> list[dict[str, Any]]:
    """Every record checked and converted to a `products` row; raises `CatalogInvalid` listing the problems.

    `records` are plain records (numbered from 1 here) or, with `numbered`, (row, record) pairs.
    """
    pairs = list(records) if numbered else list(enumerate(records, start=1))
    problems: list[CatalogProblem] = []
    rows: list[dict[str, Any]] = []
    first_row: dict[str, int] = {}
    for number, record in pairs:
        row = _validate(record, source, number, problems)
        if row is None:
            if len(problems) >= MAX_PROBLEMS:
                break
            continue
        if row["sku"] in first_row:
            problems.append(
                CatalogProblem(source, number, "sku", f"{row['sku']!r} is also on row {first_row[row['sku']]}")
            )
            continue
        first_row[row["sku"]] = number
        rows.append(row)
    if problems:
        raise CatalogInvalid(problems[:MAX_PROBLEMS])
    return rows


def _validate(record: Any, source: str, number: int, problems: list[CatalogProblem]) -> dict[str, Any] | None:
    before = len(problems)

    def bad(field_name: str | None, message: str) -> None:
        problems.append(CatalogProblem(source, number, field_name, message))

    if not isinstance(record, Mapping):
        bad(None, f"expected an object with the product's fields, got {type(record).__name__}")
        return None
    if "__cells__" in record:
        bad(None, str(record["__cells__"]))
        return None
    values: dict[str, Any] = {}
    cents: set[str] = set()
    for key, value in record.items():
        known = _KEYS.get(key)
        if known is None:
            known = _KEYS[key] = (_canonical(str(key).strip().lower()), str(key).endswith("_cents"))
        name, in_cents = known
        if name not in _COLUMN_SET:
            bad(str(key), f"unknown field; the fields are {', '.join(COLUMNS)}")
            continue
        if name in values:
            bad(str(key), f"given twice (as {name} and an alias of it)")
            continue
        values[name] = value
        if in_cents:
            cents.add(name)
    for name in REQUIRED:
        if values.get(name) is None or (isinstance(values[name], str) and not values[name].strip()):
            bad(name, "missing" if name not in values else "is empty")
    if len(problems) > before:
        return None

    row: dict[str, Any] = {}
    sku = _text(values["sku"], "sku", bad)
    if sku is not None and not _SKU.fullmatch(sku):
        bad("sku", f"{sku!r} is not a sku (letters, digits and . _ / -, at most 64 characters)")
    row["sku"] = sku
    for name, limit in _TEXT_LIMITS.items():
        if values.get(name) is None:
            row[name] = ""
            continue
        text = _text(values[name], name, bad)
        if text is not None and len(text) > limit:
            bad(name, f"longer than {limit} characters")
        row[name] = text
    row["generic"] = _kind(row.pop("kind"))
    row["price_cents"] = _money(values["price"], "price", "price" in cents, bad)
    deal = values.get("deal_price")
    row["deal_price_cents"] = None if deal is None else _money(deal, "deal_price", "deal_price" in cents, bad)
    if (
        isinstance(row["deal_price_cents"], int)
        and isinstance(row["price_cents"], int)
        and row["deal_price_cents"] >= row["price_cents"]
    ):
        bad("deal_price", "must be below the price")
    row["stock"] = _count(values["stock"], "stock", bad)
    synonyms = _items(values.get("synonyms"), "synonyms", bad)
    row["synonyms"] = "; ".join(synonyms)  # phrases kept apart for the model; the search index reads words
    tags = _items(values.get("tags"), "tags", bad)
    normalised: list[str] = []
    for tag in tags:
        tag = " ".join(tag.lower().split())
        if not _TAG.fullmatch(tag):
            bad("tags", f"{tag!r} is not a tag (lowercase words such as organic or gluten-free)")
        elif tag not in normalised:
            normalised.append(tag)
    # The tag pattern allows no character JSON escapes, so this is json.dumps's own output, faster.
    row["tags"] = '["' + '", "'.join(normalised) + '"]' if normalised else "[]"
    if len(problems) > before:
        return None
    return row


def _text(value: Any, name: str, bad: Any) -> str | None:
    if not isinstance(value, str):
        bad(name, f"must be text, not {_kind_of(value)}")
        return None
    if _XML_FORBIDDEN.search(value):
        bad(name, "contains a control character (not allowed in speech)")
        return None
    return " ".join(value.split())


def _kind(text: str | None) -> str | None:
    """The product kind as a slot id: 'Paper Towels' -> 'paper_towels'."""
    return None if text is None else "_".join(text.lower().replace("_", " ").split())


def _money(value: Any, name: str, in_cents: bool, bad: Any) -> int | None:
    if isinstance(value, bool):
        bad(name, "must be a price such as 4.99, not true/false")
        return None
    if in_cents:
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if not isinstance(value, int):
            bad(name, f"must be whole cents, not {_kind_of(value)}")
            return None
        cents = value
    else:
        text = value.strip().removeprefix("$").replace(",", "") if isinstance(value, str) else value
        try:
            amount = Decimal(str(text)) if isinstance(text, (str, int, float)) else None
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite():
            bad(name, f"{value!r} is not a price such as 4.99")
            return None
        if amount != amount.quantize(Decimal("0.01")):
            bad(name, f"{value!r} has more than two decimals")
            return None
        cents = int(amount * 100)
    if cents <= 0:
        bad(name, "must be more than zero")
        return None
    if cents > _MAX_PRICE_CENTS:
        bad(name, "is more than $100,000")
        return None
    return cents


def _count(value: Any, name: str, bad: Any) -> int | None:
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        bad(name, f"must be a whole number, not {value!r}")
        return None
    if value < 0:
        bad(name, "cannot be negative")
        return None
    if value > _MAX_STOCK:
        bad(name, f"is more than {_MAX_STOCK:,}")
        return None
    return value


def _items(value: Any, name: str, bad: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        parts = re.split(r"[|;]", value)
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        parts = value
    else:
        bad(name, "must be a list of words (in CSV, separated by | or ;)")
        return []
    if any(_XML_FORBIDDEN.search(part) for part in parts):
        bad(name, "contains a control character (not allowed in speech)")
        return []
    return [text for text in (" ".join(part.split()) for part in parts) if text]


def _kind_of(value: Any) -> str:
    return {dict: "an object", list: "a list", type(None): "empty"}.get(type(value), type(value).__name__)


def load_catalog(path: Path | str) -> list[dict[str, Any]]:
    """Read and validate a catalog file; returns rows ready for `products`."""
    records, source = read_catalog_file(path)
    return validate_records(records, source, numbered=True)


# -- planning and applying ---------------------------------------------------------------------------


def plan_import(db: Database, rows: list[dict[str, Any]]) -> ImportPlan:
    """Compare validated rows with the table: what an import would add, update, leave and find missing."""
    plan = ImportPlan(rows)
    current: dict[str, tuple[Any, ...]] = {}
    retired: set[str] = set()
    cursor = db.execute(f"SELECT {', '.join(_STORED)}, retired_at FROM products")
    for record in cursor:
        current[record[0]] = tuple(record[: len(_STORED)])
        if record[-1] is not None:
            retired.add(record[0])
    for row in rows:
        sku = row["sku"]
        before = current.get(sku)
        if before is None:
            plan.added.append(sku)
        elif sku in retired or before != tuple(row[c] for c in _STORED):
            plan.updated.append(sku)
        else:
            plan.unchanged.append(sku)
    listed = {row["sku"] for row in rows}
    plan.missing = sorted(sku for sku in current if sku not in listed and sku not in retired)
    if plan.missing:
        plan.missing_in_carts = _count_referencing(db, "cart_items", plan.missing)
        plan.missing_in_orders = _count_referencing(db, "order_items", plan.missing)
    return plan


def _count_referencing(db: Database, table: str, skus: list[str]) -> int:
    total = 0
    for chunk in _chunks(skus, 500):
        marks = ", ".join("?" for _ in chunk)
        total += db.execute(f"SELECT count(*) FROM {table} WHERE sku IN ({marks})", chunk).fetchone()[0]
    return int(total)


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def apply_plan(
    db: Database, plan: ImportPlan, *, delete_missing: bool = False, now: str | None = None
) -> ImportResult:
    """Write the plan in one transaction: added and updated rows upserted, missing ones retired if asked.

    The plan is made again inside the write transaction, so a concurrent import cannot make it stale.
    """
    from datetime import UTC, datetime

    stamp = now or datetime.now(UTC).isoformat()
    with transaction(db):
        db.lock("voiceshop:catalog-import")  # imports from several machines take turns
        plan = plan_import(db, plan.rows)
        changed = set(plan.added) | set(plan.updated)
        db.executemany(
            _UPSERT, [tuple(row[c] for c in _STORED) for row in plan.rows if row["sku"] in changed]
        )
        if delete_missing and plan.missing:
            for chunk in _chunks(plan.missing, 500):
                marks = ", ".join("?" for _ in chunk)
                db.execute(f"DELETE FROM cart_items WHERE sku IN ({marks})", chunk)
                db.execute(
                    f"UPDATE products SET retired_at = ?, stock = 0 WHERE sku IN ({marks})", [stamp, *chunk]
                )
    total = db.execute("SELECT count(*) FROM products WHERE retired_at IS NULL").fetchone()[0]
    _forget_cached_vocabulary()
    return ImportResult(
        imported=len(plan.added) + len(plan.updated),
        total=total,
        retired=len(plan.missing) if delete_missing else 0,
        added=len(plan.added),
        updated=len(plan.updated),
        unchanged=len(plan.unchanged),
    )


def import_records(
    db: Database, rows: list[dict[str, Any]], *, delete_missing: bool = False
) -> ImportResult:
    """Upsert validated rows in one transaction (all or nothing)."""
    return apply_plan(db, ImportPlan(rows), delete_missing=delete_missing)


def import_catalog(
    db: Database, path: Path | str | None = None, *, delete_missing: bool = False
) -> ImportResult:
    """Validate and import the catalog file at `path` (the demo catalog by default)."""
    return import_records(db, load_catalog(path or default_catalog_path()), delete_missing=delete_missing)


def import_default_if_empty(db: Database, locale: str = "en-US") -> int:
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
        db.lock("voiceshop:catalog-import")
        if db.execute("SELECT 1 FROM products LIMIT 1").fetchone():
            return 0
        db.executemany(_UPSERT, [tuple(row[c] for c in _STORED) for row in rows])
    _forget_cached_vocabulary()
    return len(rows)


CATALOG_LISTENERS: list[Callable[[], None]] = []
"""Called after an import changes `products`: what a layer above caches from the catalog (the search
vocabulary of `skill.services.catalog`) registers here, so the store never imports the services."""


def _forget_cached_vocabulary() -> None:
    # The search vocabulary is cached per database file; a new catalog must be seen at once.
    for listener in CATALOG_LISTENERS:
        listener()
