"""A shop's own catalog as CSV: the documented columns, tags, dry runs, re-imports and retiring products."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from skill.errors import CatalogError
from skill.services.cart import CartService
from skill.services.catalog import CatalogService
from skill.store.catalog_import import import_catalog, load_catalog, plan_import
from skill.store.db import open_database
from voiceshop.cli import cli

# each test imports the catalog it is about, on both stores
pytestmark = [pytest.mark.empty_store, pytest.mark.both_stores]

HEADER = "sku,brand,name,kind,size,unit,price,stock,category,tags,synonyms,deal_price\n"
ROWS = [
    "OAT-1,Oatly,Oat Drink Barista,oat milk,32 oz,carton,4.99,20,Dairy Alternatives,vegan|dairy-free,oatmilk,",
    "OAT-2,Califia,Unsweetened Oat Milk,oat milk,48 oz,bottle,$5.49,12,Dairy Alternatives,vegan;organic,,4.79",
    'BRD-1,Dave\'s Killer Bread,"Good Seed, Thin-Sliced",bread,20.5 oz,loaf,5.99,8,Bakery,organic,seeded bread,',
    "GF-9,Schar,Gluten Free Ciabatta Rolls,bread rolls,8.8 oz,pack,6.49,0,Bakery,gluten-free,,",
]


def _csv(tmp_path: Path, rows: list[str], name: str = "shop.csv", header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_catalog_csv_imports_documented_columns_with_tags_and_dollar_prices(tmp_path: Path, db_path: Path) -> None:
    db = open_database(db_path, seed_catalog=False)
    result = import_catalog(db, _csv(tmp_path, ROWS))
    assert (result.added, result.updated, result.total) == (4, 0, 4)
    row = db.execute(
        "SELECT generic, price_cents, deal_price_cents, tags, synonyms FROM products WHERE sku = 'OAT-2'"
    ).fetchone()
    assert row == ("oat_milk", 549, 479, '["vegan", "organic"]', "")
    assert db.execute("SELECT name FROM products WHERE sku = 'BRD-1'").fetchone()[0] == "Good Seed, Thin-Sliced"
    assert [p.sku for p in CatalogService(db).search("oatmilk")][:1] == ["OAT-1"]


def test_catalog_csv_reports_every_problem_by_line_and_field(tmp_path: Path) -> None:
    bad = [
        ROWS[0],
        "OAT-2,Califia,Unsweetened Oat Milk,oat milk,48 oz,bottle,five dollars,12,Dairy,,,",
        "OAT-3,Califia,Vanilla Oat Milk,oat milk,48 oz,bottle,5.499,-3,Dairy,,,",
        "OAT-4,Califia,Too Few Cells",
    ]
    with pytest.raises(CatalogError) as info:
        load_catalog(_csv(tmp_path, bad))
    problems = [str(p) for p in info.value.problems]  # type: ignore[attr-defined]
    assert problems == [
        "shop.csv, row 3, field price: 'five dollars' is not a price such as 4.99",
        "shop.csv, row 4, field price: '5.499' has more than two decimals",
        "shop.csv, row 4, field stock: cannot be negative",
        "shop.csv, row 5: has 3 cells, the header has 12",
    ]


def test_catalog_csv_header_must_name_known_columns(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"shop.csv, row 1: unknown column\(s\) colour"):
        load_catalog(_csv(tmp_path, [], header="sku,brand,colour\n"))
    with pytest.raises(CatalogError, match=r"shop.csv, row 1: missing column\(s\) name;"):
        load_catalog(_csv(tmp_path, ["X-1,Acme,soap,1 l,bottle,2.00,1,Home"],
                          header="sku,brand,kind,size,unit,price,stock,category\n"))


def test_catalog_csv_with_a_byte_order_mark_and_blank_lines_imports(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(("\ufeff" + HEADER + ROWS[0] + "\n\n" + ROWS[1] + "\n").encode("utf-8"))
    assert [r["sku"] for r in load_catalog(path)] == ["OAT-1", "OAT-2"]


def test_catalog_reimport_plans_added_updated_unchanged_and_keeps_missing(tmp_path: Path, db_path: Path) -> None:
    db = open_database(db_path, seed_catalog=False)
    import_catalog(db, _csv(tmp_path, ROWS))
    changed = [ROWS[0].replace("4.99", "5.19"), ROWS[1], "NEW-1,Acme,Dish Soap,dish soap,16 oz,bottle,2.49,5,Home,,,"]
    rows = load_catalog(_csv(tmp_path, changed, "v2.csv"))
    plan = plan_import(db, rows)
    assert (plan.added, plan.updated, plan.unchanged) == (["NEW-1"], ["OAT-1"], ["OAT-2"])
    assert plan.missing == ["BRD-1", "GF-9"]
    result = import_catalog(db, _csv(tmp_path, changed, "v2.csv"))
    assert (result.imported, result.retired, result.total) == (2, 0, 5), "missing products are kept"
    assert db.execute("SELECT price_cents FROM products WHERE sku = 'OAT-1'").fetchone()[0] == 519


def test_catalog_delete_missing_retires_without_breaking_orders_or_carts(
    tmp_path: Path, db_path: Path
) -> None:
    db = open_database(db_path, seed_catalog=False)
    import_catalog(db, _csv(tmp_path, ROWS))
    db.execute("INSERT INTO users (user_id, created_at) VALUES ('u1', '2026-01-01T00:00:00+00:00')")
    CartService(db, _Clock(), catalog=CatalogService(db)).add("u1", "BRD-1", 1)
    CartService(db, _Clock(), catalog=CatalogService(db)).add("u1", "OAT-1", 2)
    db.execute(
        "INSERT INTO orders (order_id, user_id, status, subtotal_cents, tax_cents, delivery_fee_cents, total_cents,"
        " idempotency_key, created_at, updated_at) VALUES ('100001', 'u1', 'DELIVERED', 599, 0, 0, 599, 'k',"
        " '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')"
    )
    db.execute(
        "INSERT INTO order_items (order_id, sku, name, quantity, unit_price_cents, refunded_quantity)"
        " VALUES ('100001', 'BRD-1', 'Good Seed', 1, 599, 0)"
    )
    kept = _csv(tmp_path, ROWS[:2], "v2.csv")
    plan = plan_import(db, load_catalog(kept))
    assert (plan.missing, plan.missing_in_carts, plan.missing_in_orders) == (["BRD-1", "GF-9"], 1, 1)
    result = import_catalog(db, kept, delete_missing=True)
    assert (result.retired, result.total) == (2, 2)
    catalog = CatalogService(db)
    assert catalog.search("good seed") == [] and catalog.by_generic("bread") == []
    assert catalog.get("BRD-1").stock == 0, "the row stays for past orders"
    assert db.execute("SELECT sku FROM order_items WHERE order_id = '100001'").fetchall() == [("BRD-1",)]
    assert [line.product.sku for line in CartService(db, _Clock(), catalog=CatalogService(db)).items("u1")] == ["OAT-1"]
    assert catalog.stats().products == 2
    # Listed again, a retired product comes back with the file's stock.
    back = import_catalog(db, _csv(tmp_path, ROWS, "v3.csv"))
    assert (back.updated, back.total) == (2, 4)
    assert [p.sku for p in catalog.search("good seed")] == ["BRD-1"]


def test_catalog_cli_dry_run_writes_nothing_and_reports_changes(tmp_path: Path, db_path: Path) -> None:
    runner = CliRunner()
    first = _csv(tmp_path, ROWS)
    assert runner.invoke(cli, ["catalog", "import", str(first), "--db", str(db_path)]).exit_code == 0
    second = _csv(tmp_path, [ROWS[0].replace("4.99", "5.19"), ROWS[1]], "v2.csv")
    result = runner.invoke(
        cli, ["catalog", "import", str(second), "--db", str(db_path), "--dry-run", "--delete-missing", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["dry_run"] is True
    assert {k: report[k] for k in ("added", "updated", "unchanged", "retired")} == {
        "added": 0, "updated": 1, "unchanged": 1, "retired": 2
    }
    db = open_database(db_path, seed_catalog=False)
    assert db.execute("SELECT count(*) FROM products WHERE retired_at IS NULL").fetchone()[0] == 4
    assert db.execute("SELECT price_cents FROM products WHERE sku = 'OAT-1'").fetchone()[0] == 499
    text = runner.invoke(cli, ["catalog", "import", str(second), "--db", str(db_path)])
    assert "2 products not in the file are kept" in text.output
    assert "--delete-missing retires them" in text.output


def test_catalog_cli_lists_every_problem_on_its_own_error_line(tmp_path: Path, db_path: Path) -> None:
    bad = _csv(tmp_path, [ROWS[0].replace(",4.99,", ",,"), ROWS[1].replace(",12,", ",many,")])
    result = CliRunner().invoke(cli, ["catalog", "import", str(bad), "--db", str(db_path)])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "error: shop.csv, row 2, field price: is empty",
        "error: shop.csv, row 3, field stock: must be a whole number, not 'many'",
    ]


class _Clock:
    def now(self):  # type: ignore[no-untyped-def]
        from datetime import UTC, datetime

        return datetime(2026, 1, 1, tzinfo=UTC)


def test_catalog_json_takes_the_documented_columns_with_tag_lists(tmp_path: Path, db_path: Path) -> None:
    path = tmp_path / "shop.json"
    path.write_text(json.dumps([
        {"sku": "TEA-9", "brand": "Yogi", "name": "Bedtime Herbal Tea", "kind": "tea", "size": "16 bags",
         "unit": "box", "price": 4.29, "stock": 7, "category": "Coffee & Tea", "tags": ["Organic", "caffeine-free"],
         "synonyms": ["sleepy tea", "herbal tea"], "deal_price": "3.99"},
    ]), encoding="utf-8")  # fmt: skip
    db = open_database(db_path, seed_catalog=False)
    assert import_catalog(db, path).added == 1
    row = db.execute("SELECT generic, price_cents, deal_price_cents, tags, synonyms FROM products").fetchone()
    assert row == ("tea", 429, 399, '["organic", "caffeine-free"]', "sleepy tea; herbal tea")


def test_kinds_only_model_still_finds_products_by_the_words_heard(
    tmp_path: Path, db_path: Path, real_talk: Any
) -> None:
    from skill.data.model_catalog import build_from_database

    db = open_database(db_path, seed_catalog=False)
    import_catalog(db, _csv(tmp_path, ROWS))
    full = build_from_database(db)
    slim = build_from_database(db, max_values=full.slot_values - 1)
    assert slim.mode == "kinds"
    product = next(t for t in slim.model["interactionModel"]["languageModel"]["types"] if t["name"] == "PRODUCT")
    said = [v["name"]["value"] for v in product["values"]] + [s for v in product["values"] for s in v["name"]["synonyms"]]
    assert "good seed" not in said and "dave's killer bread" not in said
    talk = real_talk  # its database is opened at the first request: this catalog, not the demo one
    talk.launch()
    # Alexa sends the words it heard with ER_SUCCESS_NO_MATCH: the skill searches the catalog for them.
    speech = talk.say("SearchProductIntent", product=("dave's killer bread good seed", None))
    assert "Good Seed" in speech, speech
