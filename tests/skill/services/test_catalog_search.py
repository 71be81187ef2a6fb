"""Catalog search: ranking, prefixes, misheard words, odd input; on the small test catalog and the demo one."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils

from skill.errors import NotFound
from skill.services.catalog import CatalogService
from skill.store.db import open_database

pytestmark = pytest.mark.both_stores


@pytest.fixture
def catalog(small_catalog_db: sqlite_utils.Database) -> CatalogService:
    return CatalogService(small_catalog_db)


@pytest.fixture
def demo_catalog(db_path: Path) -> CatalogService:
    return CatalogService(open_database(db_path))


def test_search_exact_generic_first_then_in_stock(catalog: CatalogService) -> None:
    found = catalog.search("milk")
    generics = [p.generic for p in found]
    assert generics[:3] == ["milk", "milk", "milk"]
    assert "oat_milk" in generics[3:]
    milks = [p for p in found if p.generic == "milk"]
    stock = [p.stock > 0 for p in milks]
    assert stock == sorted(stock, reverse=True), "in-stock milk before out-of-stock milk"
    assert milks[-1].sku == "MILK-003"


def test_search_name_outranks_synonym_and_category(catalog: CatalogService) -> None:
    # "cheese" is in the brie's synonyms and the cheddar's name: the name wins.
    assert catalog.search("cheese")[0].sku == "CHED-001"


def test_search_prefix_and_plural(catalog: CatalogService) -> None:
    assert catalog.search("banan")[0].sku == "BANA-001"
    assert catalog.search("banana")[0].sku == "BANA-001"
    assert catalog.search("towel")[0].sku == "PAPT-001"


@pytest.mark.parametrize(
    ("heard", "sku"),
    [
        ("paper tower", "PAPT-001"),
        ("bananna", "BANA-001"),
        ("oatmilk", "OATM-001"),
        ("tooth paste", "TOOT-001"),
        ("cofee", "COFF-001"),
        ("sharp chedar", "CHED-001"),
    ],
)
def test_search_tolerates_misheard_words(catalog: CatalogService, heard: str, sku: str) -> None:
    result = catalog.find(heard)
    assert result.products[0].sku == sku


def test_search_reports_the_correction(catalog: CatalogService) -> None:
    result = catalog.find("paper tower")
    assert result.corrected == "paper towel"
    assert result.generic == "paper_towels"
    assert catalog.find("paper towels").corrected is None


@pytest.mark.parametrize("query", ["", "   ", "the", "xyzzy", "qqqq zzzz", "日本茶", "!!!"])
def test_search_nonsense_finds_nothing(catalog: CatalogService, query: str) -> None:
    assert catalog.search(query) == []


def test_search_fts_syntax_in_query_is_plain_text(catalog: CatalogService) -> None:
    catalog.search("'; DROP TABLE products; --")
    assert catalog.get("MILK-001").generic == "milk"
    assert catalog.search('milk" OR "eggs')[0].generic in ("milk", "eggs")
    assert catalog.search("NEAR(milk eggs)") != []


def test_search_non_ascii_and_ssml_hostile_names(catalog: CatalogService) -> None:
    assert catalog.search("crème fraîche")[0].sku == "CHEE-001"
    assert catalog.search("creme fraiche")[0].sku == "CHEE-001"
    assert catalog.search("Président")[0].sku == "CHEE-001"
    assert catalog.search("m&m's")[0].sku == "CAND-001"


def test_search_limit(catalog: CatalogService) -> None:
    assert len(catalog.search("milk", limit=2)) == 2
    assert catalog.search("milk", limit=0) == []


def test_catalog_get_by_generic_and_deals(catalog: CatalogService) -> None:
    assert catalog.get("EGGS-001").brand == "Vital Farms"
    with pytest.raises(NotFound):
        catalog.get("NOPE-404")
    milks = catalog.by_generic("milk")
    assert {p.sku for p in milks} == {"MILK-001", "MILK-002", "MILK-003"}
    assert milks[-1].stock == 0
    assert catalog.by_generic("unicorn") == []
    deals = catalog.deals()
    assert all(p.deal_price_cents is not None and p.stock > 0 for p in deals)
    savings = [(p.price_cents - p.effective_price_cents) / p.price_cents for p in deals]
    assert savings == sorted(savings, reverse=True)


@pytest.mark.parametrize(
    ("heard", "generic"),
    [
        ("paper tower", "paper_towels"),
        ("bananna", "bananas"),
        ("oatmilk", "oat_milk"),
        ("oat milk", "oat_milk"),
        ("serial", "cereal"),
        ("tolet paper", "toilet_paper"),
        ("peanut buter", "peanut_butter"),
        ("dog foot", "dog_food"),
    ],
)
def test_search_demo_catalog_misheard_words(demo_catalog: CatalogService, heard: str, generic: str) -> None:
    assert demo_catalog.search(heard)[0].generic == generic


def test_search_demo_catalog_every_contract_product_is_found_by_its_name(
    demo_catalog: CatalogService, contract_generics: list[str]
) -> None:
    for generic in contract_generics:
        spoken = generic.replace("_", " ")
        found = demo_catalog.search(spoken)
        assert found and found[0].generic == generic, spoken
        assert found[0].stock > 0 or all(p.stock == 0 for p in found if p.generic == generic)


def test_search_accents_are_not_corrections(catalog: CatalogService) -> None:
    result = catalog.find("creme fraiche")
    assert result.corrected is None
    assert result.products[0].sku == "CHEE-001"
