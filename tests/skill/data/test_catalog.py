"""The demo catalog: every contract product, 300+ products, every field of the documented shape."""

from __future__ import annotations

import re
from typing import Any

from skill.data.build_catalog import build_catalog

CONTRACT_PRODUCTS = [
    "milk", "oat_milk", "eggs", "bread", "bananas", "apples", "potatoes", "coffee", "tea", "orange_juice",
    "sparkling_water", "butter", "cheddar_cheese", "greek_yogurt", "yogurt", "rice", "pasta", "cereal",
    "olive_oil", "peanut_butter", "almond_butter", "tomato_soup", "paper_towels", "toilet_paper", "dish_soap",
    "laundry_detergent", "toothpaste", "shampoo", "diapers", "dog_food", "cat_food",
]
FIELDS = {"sku", "brand", "name", "generic", "size", "unit", "price_cents", "deal_price_cents", "category",
          "stock", "synonyms", "description", "tags"}


def test_catalog_has_at_least_300_products(catalog: list[dict[str, Any]]) -> None:
    assert len(catalog) >= 300


def test_catalog_has_every_contract_product_in_several_brands(catalog: list[dict[str, Any]]) -> None:
    for generic in CONTRACT_PRODUCTS:
        products = [p for p in catalog if p["generic"] == generic]
        assert len({p["brand"] for p in products}) >= 2 or len({p["size"] for p in products}) >= 3, generic
        assert len(products) >= 3, generic


def test_catalog_products_have_exactly_the_documented_fields(catalog: list[dict[str, Any]]) -> None:
    for p in catalog:
        assert set(p) == FIELDS, p["sku"]
        assert re.fullmatch(r"[A-Z]{4}-\d{3}", p["sku"])
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", p["generic"]), p["sku"]
        for key in ("brand", "name", "size", "unit", "category", "description"):
            assert isinstance(p[key], str) and p[key].strip(), (p["sku"], key)
        assert isinstance(p["price_cents"], int) and 20 <= p["price_cents"] <= 10000, p["sku"]
        assert p["deal_price_cents"] is None or (
            isinstance(p["deal_price_cents"], int) and 0 < p["deal_price_cents"] < p["price_cents"]), p["sku"]
        assert isinstance(p["stock"], int) and p["stock"] >= 0, p["sku"]
        assert isinstance(p["synonyms"], list) and all(isinstance(s, str) and s for s in p["synonyms"])
        assert p["brand"].lower() not in p["name"].lower().split(" ")[:1], p["sku"]


def test_catalog_skus_are_unique(catalog: list[dict[str, Any]]) -> None:
    skus = [p["sku"] for p in catalog]
    assert len(skus) == len(set(skus))


def test_catalog_has_deals_low_stock_and_sold_out(catalog: list[dict[str, Any]]) -> None:
    deals = sum(p["deal_price_cents"] is not None for p in catalog)
    assert 0.05 * len(catalog) <= deals <= 0.2 * len(catalog)
    assert any(p["stock"] == 0 for p in catalog)
    assert any(0 < p["stock"] < 5 for p in catalog)


def test_catalog_has_an_ssml_hostile_product(catalog: list[dict[str, Any]]) -> None:
    assert any(p["brand"] == "M&M's" and "&" in p["brand"] for p in catalog)


def test_catalog_units_are_all_in_the_unit_slot_type(catalog: list[dict[str, Any]], model: dict[str, Any]) -> None:
    types = {t["name"]: t for t in model["interactionModel"]["languageModel"]["types"]}
    unit_ids = {v["id"] for v in types["UNIT"]["values"]}
    assert {p["unit"] for p in catalog} <= unit_ids


def test_catalog_committed_file_is_what_the_generator_makes(catalog: list[dict[str, Any]]) -> None:
    assert build_catalog() == catalog
