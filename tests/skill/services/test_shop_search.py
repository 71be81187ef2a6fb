"""Search that honours every word: tags as data, order words, price, pack size, honest no-match,
short spoken names; over the demo catalog in a real SQLite store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from skill.data.build_catalog import tags_for
from skill.services.catalog import CatalogService, Unmet
from skill.services.names import spoken_name, spoken_names
from skill.services.wants import number_value, read_wants, size_amount
from skill.store.catalog_import import import_records, validate_records
from skill.store.db import open_database
from tests.support.paths import REPO
from tests.support.skill import record_purchase

pytestmark = pytest.mark.both_stores


@pytest.fixture
def catalog(db_path: Path) -> CatalogService:
    return CatalogService(open_database(db_path))


def test_products_have_tags_in_the_store_and_the_catalog_file() -> None:
    records = json.loads((REPO / "skill/data/catalog.json").read_text())
    by_name = {r["name"]: r for r in records}
    assert by_name["Lactose-Free Whole Milk"]["tags"] == ["lactose-free"]
    assert "gluten-free" in by_name["Gluten Free Heritage Style Whole Grain Bread"]["tags"]
    assert "decaf" in by_name["Classic Decaf Ground Coffee"]["tags"]
    assert by_name["Cool Mint Antiseptic Mouthwash"]["tags"] == []
    assert tags_for("yogurt", "Stonyfield Organic", "Whole Milk Vanilla Yogurt", ()) == ["organic"]


@pytest.mark.empty_store  # imports a catalog of its own
def test_the_product_tags_migration_and_import(db_path: Path) -> None:
    db = open_database(db_path, seed_catalog=False)
    names = [r[0] for r in db.execute("SELECT name FROM _migrations")]
    assert "0003_product_tags" in names
    row = dict(
        sku="X-1", brand="B", name="N", generic="g", size="1 oz", unit="bag", price_cents=100,
        deal_price_cents=None, category="c", stock=1, synonyms=[], description="",
    )
    import_records(db, validate_records([row, {**row, "sku": "X-2", "tags": ["Organic", " vegan "]}]))
    tags = dict(db.execute("SELECT sku, tags FROM products").fetchall())
    assert tags == {"X-1": "[]", "X-2": '["organic", "vegan"]'}
    from skill.errors import CatalogError

    with pytest.raises(CatalogError, match="tags"):
        validate_records([{**row, "tags": ["ok", "<b>bold</b>"]}])


@pytest.mark.parametrize(
    ("text", "words", "tags", "sort", "price", "pack", "sale"),
    [
        ("gluten free bread", ["bread"], ["gluten-free"], None, None, None, False),
        ("the cheapest organic eggs", ["the", "eggs"], ["organic"], "cheapest", None, None, False),
        ("coffee under five dollars", ["coffee"], [], None, 500, None, False),
        ("milk for less than $3.50", ["milk"], [], None, 350, None, False),
        ("the six roll one", ["the", "one"], [], None, None, (6, "roll"), False),
        ("the 12 count eggs", ["the", "eggs"], [], None, None, (12, "count"), False),
        ("family size cereal on sale", ["cereal"], [], "biggest", None, None, True),
        ("decaffeinated coffee that's most popular", ["coffee", "that", "s"], ["decaf"], "popular", None, None, False),
        ("eggland's best eggs", ["eggland", "s", "best", "eggs"], [], None, None, None, False),
    ],
)
def test_read_wants(
    text: str, words: list[str], tags: list[str], sort: Any, price: Any, pack: Any, sale: bool
) -> None:
    wants = read_wants(text)
    assert (wants.words, wants.tags, wants.sort, wants.max_price_cents, wants.pack, wants.on_sale) == (
        words, tags, sort, price, pack, sale,
    )


def test_numbers_and_sizes() -> None:
    assert number_value(["twenty", "five"]) == 25
    assert number_value(["three", "fifty"]) == 3.5
    assert number_value(["4.99"]) == 4.99
    assert number_value(["banana"]) is None
    assert size_amount("half gallon") == ("oz", 64.0)
    assert size_amount("1 gallon") == ("oz", 128.0)
    assert size_amount("2 lb") == ("oz", 32.0)
    assert size_amount("12 double rolls") == ("count", 12.0)


def test_attributes_are_requirements_never_loose_words(catalog: CatalogService) -> None:
    found = catalog.shop("gluten free bread")
    assert found.products and all("gluten-free" in p.tags for p in found.products)
    assert all(p.generic == "bread" for p in found.products), "never a mouthwash on 'free'"
    organic = catalog.shop("organic eggs", "eggs")
    assert organic.products and all("organic" in p.tags for p in organic.products)
    assert not organic.unmet


def test_an_attribute_no_product_has_is_named_with_the_closest(catalog: CatalogService) -> None:
    found = catalog.shop("keto bread")
    assert found.unmet == [Unmet("tag", "keto")]
    assert found.matched == [], "no count of matches is claimed for the closest"
    assert found.products and found.products[0].generic == "bread"
    pricey = catalog.shop("milk under a dollar")
    assert pricey.unmet == [Unmet("price", amount=100)]
    assert pricey.products[0].effective_price_cents == min(p.effective_price_cents for p in pricey.products)


def test_order_words_sort(catalog: CatalogService) -> None:
    cheapest = [p for p in catalog.shop("cheapest coffee", "coffee").products if p.stock > 0]
    assert [p.effective_price_cents for p in cheapest] == sorted(p.effective_price_cents for p in cheapest)
    biggest = catalog.shop("the biggest milk", "milk").products
    assert biggest[0].size == "1 gallon"
    sale = catalog.shop("coffee on sale", "coffee").products
    assert sale and all(p.deal_price_cents for p in sale)


def test_brand_words_narrow_a_kind(catalog: CatalogService) -> None:
    found = catalog.shop("starbucks coffee", "coffee")
    assert {p.brand for p in found.products} == {"Starbucks"}
    lactaid = catalog.shop("lactaid", "milk")
    assert lactaid.exact and lactaid.products[0].brand == "Lactaid"
    other = catalog.shop("tillamook coffee", "coffee")
    assert other.unmet == [Unmet("words", "tillamook")]


def test_pack_size_picks_a_product(catalog: CatalogService) -> None:
    found = catalog.shop("bounty paper towels twelve roll", "paper_towels")
    assert found.exact and found.products[0].size == "12 double rolls"


def test_unknown_product_words_are_still_searched(catalog: CatalogService) -> None:
    assert catalog.shop("basmati").products[0].name.lower().count("basmati") == 1


def test_the_shoppers_own_past_purchase_comes_first(catalog: CatalogService) -> None:
    record_purchase(catalog.db, "COFF-004", 1, unit_price_cents=899)
    assert catalog.shop("coffee", "coffee", user_id="u1").products[0].sku == "COFF-004"
    assert catalog.shop("coffee", "coffee", user_id="someone else").products[0].sku == "COFF-001"


def test_short_spoken_names(catalog: CatalogService) -> None:
    milks = catalog.by_generic("milk")
    assert spoken_name(milks[0]) == "Horizon Organic milk"
    names = spoken_names([catalog.get("MILK-001"), catalog.get("MILK-002")])
    assert names == ["Horizon Organic Whole milk", "Horizon Organic Reduced Fat milk"]
    towels = catalog.by_generic("paper_towels")[:2]
    assert spoken_names(towels) == ["Bounty paper towels, 6 double rolls", "Bounty paper towels, 12 double rolls"]
    bananas = catalog.by_generic("bananas")
    assert spoken_name(bananas[0]) == "Chiquita bananas"
    assert spoken_name(next(b for b in bananas if b.brand == "Fresh Produce")) == "organic bananas"


def test_a_products_own_name_outweighs_its_kinds_synonyms(catalog: CatalogService) -> None:
    # every peanut butter lists 'creamy peanut butter' among its kind's synonyms; only one Jif says it
    jif = catalog.shop("jif creamy peanut butter", "peanut_butter")
    assert jif.exact and jif.products[0].name == "Creamy Peanut Butter" and jif.products[0].brand == "Jif"
    beans = catalog.shop("bush black beans", "beans")
    assert beans.exact and beans.products[0].name == "Black Beans"
    natural = catalog.shop("jif natural peanut butter", "peanut_butter")
    assert not natural.exact and {p.brand for p in natural.products} == {"Jif"}, "the synonyms still narrow"


def test_alternatives_are_looked_up_one_by_one(catalog: CatalogService) -> None:
    found = catalog.shop("pompeian olive oil and bertolli olive oil", "olive_oil")
    assert found.several == 2 and [p.brand for p in found.products[:2]] == ["Pompeian", "Bertolli"]
    either = catalog.shop("jif or skippy peanut butter")
    assert either.several == 2 and {p.brand for p in either.products[:2]} == {"Jif", "Skippy"}
    for one in ("macaroni and cheese", "head and shoulders shampoo", "half and half"):
        assert catalog.shop(one).several == 0, f"{one!r} is one product"
    missing = catalog.shop("bertolli olive oil or zzqx flarb")
    assert missing.several == 0, "alternatives are read only when each one is found"


def test_words_only_joined_are_no_correction(catalog: CatalogService) -> None:
    found = catalog.find("lime la croix")
    assert found.corrected is None and found.products[0].brand == "LaCroix"
    assert catalog.find("bananna").corrected == "banana", "a respelled word is still checked"


def test_a_fully_said_name_or_one_product_line_is_one_product(catalog: CatalogService) -> None:
    cheerios = catalog.shop("cheerios", "cereal")
    assert cheerios.exact and cheerios.products[0].name == "Cheerios", "not Honey Nut Cheerios"
    kraft = catalog.shop("kraft mac and cheese", "mac_and_cheese")
    assert kraft.exact and kraft.products[0].size == "7.25 oz", "sizes of one product: the everyday one"
    for kind, query in (("coffee", "starbucks"), ("butter", "land o lakes butter"), ("toothpaste", "crest")):
        assert not catalog.shop(query, kind).exact, f"{query!r} names a brand with several varieties"


def test_every_word_outweighs_the_kind_one_word_resolved_to(catalog: CatalogService) -> None:
    # "whole bean" resolves the slot to beans, but all the words name a coffee
    found = catalog.shop("starbucks french roast whole bean", "beans")
    assert found.generic == "coffee" and found.exact and found.products[0].name.startswith("French Roast")
    assert catalog.shop("tillamook coffee", "coffee").unmet == [Unmet("words", "tillamook")], "a word no product says is unmet"


def test_a_product_whose_own_name_says_a_requirement_meets_it(catalog: CatalogService) -> None:
    # "kosher" is a tag word, but Diamond Crystal's salt is named for it without carrying the tag
    result = catalog.shop("diamond crystal kosher salt")
    assert not result.unmet
    assert result.products and result.products[0].name == "Kosher Salt"
    # a requirement no product meets, by tag or by name, is still said honestly
    assert catalog.shop("keto salt").unmet == [Unmet("tag", "keto")]
