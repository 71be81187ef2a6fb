"""Catalog import: validation naming the bad record, all-or-nothing upserts, FTS kept in sync, first-use seeding."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from skill.errors import CatalogError
from skill.services.catalog import CatalogService
from skill.store.catalog_import import default_catalog_path, import_catalog, load_catalog
from skill.store.db import open_database
from tests.support.paths import FIXTURES
from voiceshop.cli import cli

# each test imports the catalog it is about, on both stores
pytestmark = [pytest.mark.empty_store, pytest.mark.both_stores]

SMALL = FIXTURES / "catalog_small.json"


def _records() -> list[dict[str, Any]]:
    return json.loads(SMALL.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _write(tmp_path: Path, records: Any) -> Path:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def test_catalog_import_stores_every_record_with_synonym_phrases_apart(db_path: Path) -> None:
    db = open_database(db_path, seed_catalog=False)
    result = import_catalog(db, SMALL)
    assert result.imported == result.total == len(_records())
    synonyms = db.execute("SELECT synonyms FROM products WHERE sku = 'PAPT-001'").fetchone()[0]
    assert synonyms == "kitchen roll; paper towel"


def test_catalog_import_upsert_keeps_the_search_index_in_sync(db_path: Path, tmp_path: Path) -> None:
    db = open_database(db_path, seed_catalog=False)
    import_catalog(db, SMALL)
    records = _records()
    for record in records:
        if record["sku"] == "TEA-001":
            record["name"] = "Earl Grey Tea"
    import_catalog(db, _write(tmp_path, records))
    catalog = CatalogService(db)
    assert [p.sku for p in catalog.search("earl grey")] == ["TEA-001"]
    assert catalog.search("english breakfast") == []
    assert db.execute("SELECT count(*) FROM products").fetchone()[0] == len(records)


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        (lambda r: r.pop("price_cents"), "field price", "missing"),
        (lambda r: r.update(price_cents="4.99"), "field price", "whole cents"),
        (lambda r: r.update(price_cents=True), "field price", "true/false"),
        (lambda r: r.update(price_cents=0), "field price", "more than zero"),
        (lambda r: r.update(deal_price_cents=99999), "field deal_price", "below the price"),
        (lambda r: r.update(stock=-1), "field stock", "cannot be negative"),
        (lambda r: r.update(synonyms=["ok", 3]), "field synonyms", "list of words"),
        (lambda r: r.update(brand="  "), "field brand", "is empty"),
        (lambda r: r.update(colour="red"), "field colour", "unknown field"),
        (lambda r: r.update(name="Milk\x07Bell"), "field name", "control character"),
        (lambda r: r.update(brand="Dairy\ud800Co"), "field brand", "control character"),
        (lambda r: r.update(description="Fresh\ufffe"), "field description", "control character"),
        (lambda r: r.update(synonyms=["ok", "bad\uffff"]), "field synonyms", "control character"),
        (lambda r: r.update(tags=["Organic", "no/slash"]), "field tags", "'no/slash' is not a tag"),
    ],
)
def test_catalog_import_names_file_row_and_field(
    tmp_path: Path, db_path: Path, change: Any, where: str, message: str
) -> None:
    records = _records()
    change(records[3])
    db = open_database(db_path, seed_catalog=False)
    with pytest.raises(CatalogError) as info:
        import_catalog(db, _write(tmp_path, records))
    assert str(info.value).startswith(f"catalog.json, row 4, {where}: ")
    assert message in str(info.value)
    assert db.execute("SELECT count(*) FROM products").fetchone()[0] == 0, "nothing lands from a bad file"


def test_catalog_import_refuses_duplicate_skus_and_malformed_files(tmp_path: Path) -> None:
    records = _records()
    with pytest.raises(CatalogError, match=r"row 19, field sku: 'MILK-001' is also on row 1"):
        load_catalog(_write(tmp_path, [*records, records[0]]))
    with pytest.raises(CatalogError, match="JSON catalog must be a list"):
        load_catalog(_write(tmp_path, {"products": records}))
    broken = tmp_path / "broken.json"
    broken.write_text("[{", encoding="utf-8")
    with pytest.raises(CatalogError, match="not valid JSON"):
        load_catalog(broken)
    with pytest.raises(CatalogError, match="not found"):
        load_catalog(tmp_path / "missing.json")


def test_catalog_import_failure_leaves_the_previous_catalog(tmp_path: Path, db_path: Path) -> None:
    db = open_database(db_path, seed_catalog=False)
    import_catalog(db, SMALL)
    records = _records()
    records[0]["name"] = "Changed"
    records[-1]["stock"] = "lots"
    with pytest.raises(CatalogError):
        import_catalog(db, _write(tmp_path, records))
    assert (
        db.execute("SELECT name FROM products WHERE sku = ?", (records[0]["sku"],)).fetchone()[0] != "Changed"
    )


def test_catalog_demo_catalog_is_imported_on_first_use(db_path: Path, contract_generics: list[str]) -> None:
    db = open_database(db_path)
    expected = len(json.loads(default_catalog_path().read_text(encoding="utf-8")))
    assert db.execute("SELECT count(*) FROM products").fetchone()[0] == expected
    generics = {row[0] for row in db.execute("SELECT DISTINCT generic FROM products")}
    assert set(contract_generics) <= generics


def test_catalog_demo_catalog_is_not_imported_over_an_existing_one(db_path: Path) -> None:
    import_catalog(open_database(db_path, seed_catalog=False), SMALL)
    db = open_database(db_path)
    assert db.execute("SELECT count(*) FROM products").fetchone()[0] == len(_records())


def test_catalog_cli_import_search_and_stats(db_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["catalog", "import", str(SMALL), "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert f"imported {len(_records())}" in result.output
    result = runner.invoke(cli, ["catalog", "search", "bananna", "--json", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found[0]["sku"] == "BANA-001"
    assert found[0]["price"] == "$1.79"
    result = runner.invoke(cli, ["catalog", "stats", "--db", str(db_path)])
    assert result.exit_code == 0
    assert f"products: {len(_records())}" in result.output


def test_catalog_cli_bad_file_is_one_line_error(tmp_path: Path, db_path: Path) -> None:
    records = _records()
    records[1].pop("sku")
    result = CliRunner().invoke(
        cli, ["catalog", "import", str(_write(tmp_path, records)), "--db", str(db_path)]
    )
    assert result.exit_code != 0
    assert result.output.strip() == "error: catalog.json, row 2, field sku: missing"
    assert "Traceback" not in result.output
