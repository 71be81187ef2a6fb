"""Picking from what was read (by brand, pack size, sale, an order word), a product named among
alternatives, no second add by accident, and out of stock named with a stand-in: through the skill with
Alexa request JSON over the demo catalog."""

from __future__ import annotations

from typing import Any

import pytest

from skill.services.catalog import CatalogService
from skill.store.db import open_database

pytestmark = pytest.mark.both_stores


def _cart(talk: Any) -> str:
    return str(talk.say("ViewCartIntent"))


def test_pick_by_brand_from_a_top_pick(real_talk: Any) -> None:
    said = real_talk.say("SearchProductIntent", product=("bananas", "bananas"))
    assert "top pick" in said
    said = real_talk.say("ChooseProductIntent", product=("dole", "bananas"))
    assert said.startswith("Dole bananas"), said
    said = real_talk.say("AMAZON.YesIntent")
    assert said.startswith("Added 1 bunch of Dole Bananas"), said


def test_a_pack_size_picks_the_product_and_adds_one(real_talk: Any) -> None:
    real_talk.say("SearchProductIntent", product=("bounty paper towels", "paper_towels"))
    said = real_talk.say("ChooseProductIntent", size="12", unit=("roll", "roll"))
    assert "$24.99" in said, said
    said = real_talk.say("AMAZON.YesIntent")
    assert said.startswith("Added 1 pack of Bounty Select-A-Size Paper Towels"), said


def test_the_one_on_sale(real_talk: Any) -> None:
    real_talk.say("SearchProductIntent", product=("butter", "butter"))
    said = real_talk.say("ChooseProductIntent", feature=("that's on sale", "on_sale"))
    assert said.startswith("Land O Lakes") and "on sale" in said, said


def test_add_the_cheapest_one_adds_it(real_talk: Any) -> None:
    said = real_talk.say("SearchProductIntent", product=("coffee", "coffee"), feature=("cheapest", "cheapest"))
    assert "Dunkin'" in said, said
    said = real_talk.say("AddToCartIntent", feature=("cheapest", "cheapest"))
    assert said.startswith("Added 1 bag of Dunkin'"), said


def test_a_price_ceiling_said_in_its_own_slot(real_talk: Any) -> None:
    said = real_talk.say("SearchProductIntent", product=("shampoo", "shampoo"), maxPrice="5")
    assert "Suave" in said and "OGX" not in said, said
    said = real_talk.say("SearchProductIntent", product=("shampoo", "shampoo"), maxPrice="?")
    assert "top pick" in said, "a price that is no number is left out, the product still searched"
    said = real_talk.say("SearchProductIntent", product=("shampoo", "shampoo"), maxPrice="1")
    assert said.startswith("I don't have shampoo under $1.00. The closest is"), said


def test_the_cheaper_one_when_only_one_was_found_says_it_is_the_only_one(real_talk: Any) -> None:
    said = real_talk.say("SearchProductIntent", product=("shampoo", "shampoo"), maxPrice="4")
    assert "Suave" in said, said
    said = real_talk.say("ChooseProductIntent", feature=("cheaper", "cheapest"))
    assert said.startswith("That's the only one I found: Suave"), said
    assert real_talk.say("AMAZON.YesIntent").startswith("Added 1 ")


def test_alternatives_are_read_for_a_choice(real_talk: Any) -> None:
    said = real_talk.say("SearchProductIntent", product=("pompeian olive oil and bertolli olive oil", "olive_oil"))
    assert "Pompeian" in said and "Bertolli" in said and "Which one" in said, said
    said = real_talk.say("ChooseProductIntent", feature=("bigger", "biggest"))
    assert said.startswith("Pompeian"), said


def test_out_of_stock_is_named_with_a_stand_in(real_talk: Any) -> None:
    said = real_talk.say("AddToCartIntent", product=("starbucks french roast whole bean", "coffee"))
    assert "out of stock" in said and "Want that instead?" in said, said
    assert "Added" not in said
    assert "empty" in _cart(real_talk).lower(), "nothing is put in silently"


def test_a_brand_search_names_the_variety(real_talk: Any) -> None:
    said = real_talk.say("SearchProductIntent", product=("starbucks", "coffee"))
    assert "Pike Place" in said, said


def test_choosing_bad_input(real_talk: Any) -> None:
    said = real_talk.say("ChooseProductIntent", product=("dole", "bananas"))
    assert "Dole bananas" in said, "nothing read yet: the product is searched"
    real_talk.new_session()
    said = real_talk.say("ChooseProductIntent", feature=("cheapest", "cheapest"))
    assert said.startswith("Please search for a product first"), said
    real_talk.say("SearchProductIntent", product=("ketchup", "ketchup"))
    said = real_talk.say("ChooseProductIntent", product=("gluten free", None))
    assert said.startswith("None of those is gluten free"), "an attribute no product read has"
    said = real_talk.say("ChooseProductIntent", size="40", unit=("roll", "roll"))
    assert said.startswith("None of those is 40 roll"), said
    said = real_talk.say("ChooseProductIntent")
    assert said.startswith("Which one would you like?"), said


def test_catalog_pick_reads_a_description(real_talk: Any, db_path: Any) -> None:
    real_talk.say("SearchProductIntent", product=("milk", "milk"))
    catalog = CatalogService(open_database(db_path))
    read = [catalog.get(sku) for sku in real_talk.attributes["results"]]
    assert [p.brand for p in catalog.pick("lactaid", read)] == ["Lactaid"]
    organic = catalog.pick("the organic one", read)
    assert organic and all("organic" in p.tags for p in organic)
    assert catalog.pick("the bigger bottle", read)[0].size == "1 gallon", "a counting word no product says"
    assert all("gallon" in p.size for p in catalog.pick("gallon", read))
    assert catalog.pick("the keto one", read) == [], "an attribute none of them has"
    assert catalog.pick("zzqx", read) == [], "a word none of them says"
    assert catalog.pick("the milk", read) == read, "the kind itself picks nothing out"


def test_choose_by_unit_and_order_word(real_talk: Any) -> None:
    real_talk.say("SearchProductIntent", product=("olive oil", "olive_oil"))
    said = real_talk.say("ChooseProductIntent", feature=("bigger", "biggest"), unit=("bottle", "bottle"))
    assert said.startswith("Pompeian"), said
    real_talk.say("SearchProductIntent", product=("milk", "milk"))
    said = real_talk.say("ChooseProductIntent", size="1", unit=("gallon", "gallon"))
    assert said.startswith("A few fit:") and "Which one?" in said, said
    assert real_talk.attributes.get("read"), "the gallons are what 'the second one' counts in now"
