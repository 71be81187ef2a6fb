"""`voiceshop model build`: the PRODUCT values from the database's catalog, Alexa's limits, the kinds fallback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from skill.data.build_model import build_model
from skill.data.build_model import load_catalog as load_demo
from skill.data.model_catalog import build_from_database, catalog_from_database
from skill.errors import CatalogError
from skill.store.catalog_import import import_catalog
from skill.store.db import open_database
from speech.validate import has_required_failure, validate_model
from voiceshop.cli import cli

CSV = """sku,brand,name,kind,size,unit,price,stock,category,synonyms
KB-1,Kelpwise,Roasted Seaweed Snack,seaweed snack,0.35 oz,pack,1.99,30,Snacks,nori chips|laver
KB-2,Tidepool,Sea Salt Seaweed,seaweed snack,0.5 oz,pack,2.49,12,Snacks,
MC-1,Millbrook,Buckwheat Groats,buckwheat,16 oz,bag,4.29,8,Pantry,kasha
OLD-1,Gone,Discontinued Thing,discontinued thing,1 oz,pack,1.00,1,Pantry,
"""


def _product_type(model: dict) -> dict:
    types = model["interactionModel"]["languageModel"]["types"]
    return next(t for t in types if t["name"] == "PRODUCT")


@pytest.fixture
def shop_db(tmp_path: Path) -> Path:
    path = tmp_path / "catalog.csv"
    path.write_text(CSV, encoding="utf-8")
    db_path = tmp_path / "shop.db"
    db = open_database(db_path, seed_catalog=False)
    import_catalog(db, path)
    path.write_text("\n".join(CSV.splitlines()[:-1]) + "\n", encoding="utf-8")
    import_catalog(db, path, delete_missing=True)  # OLD-1 retired: it leaves the model
    return db_path


def test_model_build_takes_product_values_from_the_database(shop_db: Path) -> None:
    built = build_from_database(open_database(shop_db, seed_catalog=False))
    assert built.mode == "full" and (built.products, built.kinds) == (3, 2)
    values = {v["id"]: v["name"] for v in _product_type(built.model)["values"]}
    assert set(values) == {"seaweed_snack", "buckwheat"}
    assert values["seaweed_snack"]["value"] == "seaweed snack"
    assert {"nori chips", "laver", "kelpwise", "roasted seaweed snack"} <= set(values["seaweed_snack"]["synonyms"])
    assert "kasha" in values["buckwheat"]["synonyms"]
    assert not has_required_failure(validate_model(built.model))


def test_model_build_matches_the_demo_builder_for_the_demo_catalog(tmp_path: Path) -> None:
    db = open_database(tmp_path / "demo.db")  # seeded with the demo catalog
    assert build_from_database(db).model == build_model(load_demo())


def test_model_build_falls_back_to_kinds_over_the_limits(shop_db: Path) -> None:
    db = open_database(shop_db, seed_catalog=False)
    full = build_from_database(db)
    built = build_from_database(db, max_values=full.slot_values - 1)
    assert built.mode == "kinds" and "slot values" in built.reason
    values = _product_type(built.model)["values"]
    assert [(v["id"], v["name"]["synonyms"]) for v in values] == [("seaweed_snack", []), ("buckwheat", [])]
    assert built.slot_values < full.slot_values
    smaller = build_from_database(db, max_bytes=full.size_bytes - 1)
    assert smaller.mode == "kinds" and "bytes" in smaller.reason
    with pytest.raises(CatalogError, match="product kinds alone"):
        build_from_database(db, max_bytes=1000)


def test_model_build_synonym_phrases_survive_the_database(shop_db: Path) -> None:
    catalog = catalog_from_database(open_database(shop_db, seed_catalog=False))
    assert catalog[0]["synonyms"] == ["nori chips", "laver"]


def test_cli_model_build_writes_then_checks(shop_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "skill-package" / "en-US.json"
    runner = CliRunner()
    first = runner.invoke(cli, ["model", "build", "--db", str(shop_db), "--out", str(out)])
    assert first.exit_code == 0, first.output
    assert "3 products, 2 kinds (full)" in first.output and f"wrote {out}" in first.output
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["interactionModel"]["languageModel"]["invocationName"] == "voice shop"
    check = runner.invoke(cli, ["model", "build", "--db", str(shop_db), "--out", str(out), "--check"])
    assert check.exit_code == 0 and "is current" in check.output
    out.write_text("{}", encoding="utf-8")
    stale = runner.invoke(cli, ["model", "build", "--db", str(shop_db), "--out", str(out), "--check", "--json"])
    assert stale.exit_code == 1
    assert json.loads(stale.output.splitlines()[0])["stale"] is True
    assert out.read_text(encoding="utf-8") == "{}", "--check writes nothing"


def test_cli_model_build_refuses_unknown_locales_and_missing_databases(tmp_path: Path) -> None:
    runner = CliRunner()
    bad = runner.invoke(cli, ["model", "build", "--locale", "../etc", "--db", str(tmp_path / "x.db")])
    assert bad.exit_code == 2 and bad.output.startswith("error: unknown locale '../etc'")
    missing = runner.invoke(cli, ["model", "build", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 2 and missing.output.startswith("error: no database at")


def test_model_build_leaves_out_names_longer_than_alexa_takes(tmp_path: Path) -> None:
    long_name = "Extra " * 24 + "Crunchy Granola"  # 159 characters
    path = tmp_path / "long.csv"
    path.write_text(CSV.splitlines()[0] + f"\nGR-1,Crunchwell,{long_name},granola,12 oz,bag,3.99,5,Cereal,\n", encoding="utf-8")
    db = open_database(tmp_path / "long.db", seed_catalog=False)
    import_catalog(db, path)
    built = build_from_database(db)
    words = [s for v in _product_type(built.model)["values"] for s in [v["name"]["value"], *v["name"]["synonyms"]]]
    assert words and all(len(w) <= 140 for w in words)
    assert "crunchwell" in words, "the brand is still a synonym"
