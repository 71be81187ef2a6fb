"""A shop's catalog at scale: importing 100,000 products from CSV, re-importing it, the model build, search.

    .venv/bin/python bench/catalog_import.py [--products N] [--rounds R]

The products are bench/search.py's generated catalog written as a CSV with the documented columns
(dollar prices, tags, synonyms separated by |). It prints the time to read and validate the file, to
plan and write it (one transaction), to plan an unchanged re-import, `voiceshop model build`'s mode and
size for the catalog, and search p50/p99 over the imported products.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search import QUERIES, _p, generate  # noqa: E402

from skill.data.model_catalog import build_from_database  # noqa: E402
from skill.services.catalog import CatalogService  # noqa: E402
from skill.store.catalog_import import apply_plan, load_catalog, plan_import  # noqa: E402
from skill.store.db import open_database  # noqa: E402

COLUMNS = ["sku", "brand", "name", "kind", "size", "unit", "price", "stock", "category", "tags", "synonyms", "deal_price"]
TAGS = ["organic", "gluten-free", "vegan", "kosher", "family size", "low sodium"]


def write_csv(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for i, generated in enumerate(generate(count)):
            record: dict[str, Any] = generated
            deal = record["deal_price_cents"]
            writer.writerow(
                [
                    record["sku"], record["brand"], record["name"], str(record["generic"]).replace("_", " "),
                    record["size"], record["unit"], f"{int(record['price_cents']) / 100:.2f}", record["stock"],
                    record["category"], TAGS[i % len(TAGS)] if i % 3 == 0 else "",
                    "|".join(record["synonyms"]),
                    f"{int(deal) / 100:.2f}" if deal else "",
                ]
            )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "products.csv"
        write_csv(path, args.products)
        size_mb = path.stat().st_size / 1e6
        db = open_database(Path(tmp) / "shop.db", seed_catalog=False)

        t0 = time.perf_counter()
        rows = load_catalog(path)
        t1 = time.perf_counter()
        plan = plan_import(db, rows)
        t2 = time.perf_counter()
        result = apply_plan(db, plan)
        t3 = time.perf_counter()
        print(f"CSV: {args.products:,} products, {size_mb:.1f} MB")
        print(f"read + validate: {t1 - t0:6.2f} s")
        print(f"plan (compare with the table): {t2 - t1:6.2f} s")
        print(f"write (one transaction, FTS triggers): {t3 - t2:6.2f} s")
        print(f"import total: {t3 - t0:6.2f} s ({result.added:,} added)")

        t0 = time.perf_counter()
        again = apply_plan(db, plan_import(db, load_catalog(path)))
        print(f"re-import of the same file: {time.perf_counter() - t0:6.2f} s ({again.unchanged:,} unchanged, nothing written)")

        t0 = time.perf_counter()
        built = build_from_database(db)
        print(
            f"model build: {time.perf_counter() - t0:6.2f} s, mode {built.mode}"
            f" ({built.reason or 'within the limits'}), {built.slot_values:,} slot values, {built.size_bytes:,} bytes"
        )

        catalog = CatalogService(db)
        catalog.search("bananna")  # the vocabulary, built once per process
        every: list[float] = []
        for queries in QUERIES.values():
            for _ in range(args.rounds):
                for query in queries:
                    started = time.perf_counter()
                    catalog.search(query)
                    every.append((time.perf_counter() - started) * 1000)
        print(f"search at {result.total:,} products (SQLite): p50 {_p(every, 50):.2f} ms, p99 {_p(every, 99):.2f} ms ({len(every)} searches)")


if __name__ == "__main__":
    main()
