"""Catalog search at scale: p50/p99 latency of CatalogService.search over a generated 100,000-product catalog.

    .venv/bin/python bench/search.py [--products N] [--rounds R] [--db sqlite|postgresql|both|URL]

The catalog is built from the demo catalog's product kinds with generated brands and variants, imported
through the normal import path (validation, upsert, the full-text index) into a temporary SQLite file,
or a PostgreSQL database (bench/databases.py).
Queries mix plain product names, brands, prefixes and misheard words; the target is p50 under 5 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from skill.services.catalog import CatalogService  # noqa: E402
from skill.store.catalog_import import default_catalog_path, import_records, validate_records  # noqa: E402
from skill.store.db import open_database  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from databases import add_db_option, databases  # noqa: E402

SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ra",
    "ve",
    "to",
    "su",
    "na",
    "bel",
    "cor",
    "dan",
    "fen",
    "gal",
    "hor",
    "iv",
    "jun",
    "kel",
    "lum",
    "mor",
    "nev",
]
ADJECTIVES = [
    "organic",
    "classic",
    "original",
    "fresh",
    "natural",
    "premium",
    "family",
    "value",
    "light",
    "extra",
    "creamy",
    "crunchy",
    "smooth",
    "sweet",
    "plain",
    "mild",
    "bold",
    "unsweetened",
    "whole",
    "large",
    "small",
    "mini",
    "ultra",
    "pure",
    "simple",
    "golden",
    "green",
    "red",
]

QUERIES = {
    "plain": ["milk", "paper towels", "coffee", "peanut butter", "dog food", "greek yogurt", "toilet paper"],
    "brand/specific": ["kalomi milk", "organic whole milk", "creamy peanut butter", "premium coffee"],
    "prefix": ["banan", "toothp", "detergen"],
    "misheard": ["paper tower", "bananna", "oatmilk", "serial", "tolet paper", "peanut buter", "cofee"],
    "nothing": ["xyzzy", "qqq zzz"],
}


def generate(count: int, seed: int = 7) -> list[dict[str, object]]:
    rng = random.Random(seed)
    base = json.loads(default_catalog_path().read_text(encoding="utf-8"))
    brands = sorted({(a + b + c).title() for a in SYLLABLES for b in SYLLABLES for c in SYLLABLES[:3]})
    records = []
    for i in range(count):
        model = base[i % len(base)]
        adjective = rng.sample(ADJECTIVES, 2)
        price = rng.randint(99, 9999)
        records.append(
            {
                "sku": f"GEN-{i:06d}",
                "brand": rng.choice(brands),
                "name": f"{adjective[0].title()} {adjective[1].title()} {model['name']}",
                "generic": model["generic"],
                "size": model["size"],
                "unit": model["unit"],
                "price_cents": price,
                "deal_price_cents": price - 50 if price > 200 and rng.random() < 0.05 else None,
                "category": model["category"],
                "stock": rng.choice([0, 3, 12, 40, 120]),
                "synonyms": model["synonyms"],
                "description": model["description"],
            }
        )
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=30)
    add_db_option(parser)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, databases(args.db, Path(tmp)) as chosen:
        for label, fresh in chosen:
            print(f"== {label}")
            _bench(open_database(fresh("voiceshop_search"), seed_catalog=False), args.products, args.rounds)


def _bench(db: Any, products: int, rounds: int) -> None:
    started = time.perf_counter()
    rows = validate_records(generate(products))
    result = import_records(db, rows)
    print(f"import: {result.imported} products in {time.perf_counter() - started:.1f} s")
    catalog = CatalogService(db)
    started = time.perf_counter()
    catalog.search("bananna")  # builds the vocabulary once, as the first misheard query in a process does
    print(f"vocabulary (first fuzzy search): {(time.perf_counter() - started) * 1000:.0f} ms")
    every: list[float] = []
    print(f"{'queries':<16} {'p50 ms':>8} {'p99 ms':>8}  top result of the first query")
    for kind, queries in QUERIES.items():
        timings: list[float] = []
        for _ in range(rounds):
            for query in queries:
                t0 = time.perf_counter()
                catalog.search(query)
                timings.append((time.perf_counter() - t0) * 1000)
        every.extend(timings)
        top = catalog.search(queries[0])
        example = f"{queries[0]!r} -> {top[0].generic if top else 'nothing'}"
        print(f"{kind:<16} {_p(timings, 50):8.2f} {_p(timings, 99):8.2f}  {example}")
    print(f"{'all':<16} {_p(every, 50):8.2f} {_p(every, 99):8.2f}  ({len(every)} searches)")
    target = "met" if _p(every, 50) < 5.0 else "MISSED"
    print(f"target p50 < 5 ms: {target}")


def _p(values: list[float], percentile: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[percentile - 1]


if __name__ == "__main__":
    main()
