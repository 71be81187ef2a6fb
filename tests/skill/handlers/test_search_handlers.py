"""Search, select, next and details, driven through the skill with Alexa request JSON."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.both_stores


def test_search_reads_three_with_short_names_and_price_and_asks_which(list_talk: Any) -> None:
    said = list_talk.say("SearchProductIntent", product="milk")
    assert "Horizon milk, $4.99" in said
    assert "Fairlife milk, on sale for $3.89" in said
    assert "Lactaid" not in said, "out of stock is not read in a list"
    assert "Which one" in said
    assert list_talk.reprompt
    assert not list_talk.ends_session
    assert list_talk.attributes["results"] == ["MILK-001", "MILK-002"]


def test_search_for_a_kind_offers_one_top_pick_then_other_options(talk: Any) -> None:
    said = talk.say("SearchProductIntent", product="milk")
    assert said.startswith("For milk, my top pick is Horizon milk, $4.99")
    assert "Fairlife" not in said
    assert talk.attributes["pending"] == {"kind": "offer_add", "sku": "MILK-001", "quantity": None}
    said = talk.say("AMAZON.NextIntent")
    assert "Fairlife milk, on sale for $3.89" in said
    said = talk.say("AMAZON.YesIntent")
    assert said.startswith("Added 1 bottle of Fairlife")


def test_search_next_reads_the_next_page_and_says_when_done(list_talk: Any) -> None:
    list_talk.say("SearchProductIntent", product="oat milk")
    said = list_talk.say("AMAZON.NextIntent")
    assert "That's all" in said


def test_search_next_without_a_search(talk: Any) -> None:
    said = talk.say("AMAZON.NextIntent")
    assert "search" in said.lower()
    assert not talk.ends_session


def test_select_picks_from_the_page_just_read(list_talk: Any) -> None:
    list_talk.say("SearchProductIntent", product="milk")
    said = list_talk.say("SelectItemIntent", position="2")
    assert "Fairlife" in said and "add it" in said
    assert list_talk.attributes["selected"] == "MILK-002"


def test_select_bad_or_missing_position(list_talk: Any) -> None:
    talk = list_talk
    assert "search for a product first" in talk.say("SelectItemIntent", position="2")
    talk.say("SearchProductIntent", product="milk")
    assert "up to 2" in talk.say("SelectItemIntent", position="7")
    assert "Which one" in talk.say("SelectItemIntent", position="banana")
    assert "Which one" in talk.say("SelectItemIntent")
    assert "selected" not in talk.attributes


def test_select_then_yes_adds_it(list_talk: Any) -> None:
    talk = list_talk
    talk.say("SearchProductIntent", product="milk")
    talk.say("SelectItemIntent", position="second")
    said = talk.say("AMAZON.YesIntent")
    assert said.startswith("Added 1 bottle of Fairlife 2% Reduced Fat Milk")
    assert "Fairlife" in talk.say("ViewCartIntent")


def test_search_one_result_offers_to_add(talk: Any) -> None:
    said = talk.say("SearchProductIntent", product="toothpaste")
    assert "Colgate toothpaste, $4.49" in said
    assert "add it" in said
    assert talk.attributes["pending"] == {"kind": "offer_add", "sku": "TOOT-001", "quantity": None}
    assert "Okay" in talk.say("AMAZON.NoIntent")
    assert "No items" not in talk.say("ViewCartIntent")
    assert "empty" in talk.speech


def test_search_misheard_words_still_find_the_product(talk: Any) -> None:
    said = talk.say("SearchProductIntent", product="paper tower")
    assert "paper towel" in said and "Bounty" in said
    assert "Dole bananas" in talk.say("SearchProductIntent", product="bananna")
    assert "Oatly" in talk.say("SearchProductIntent", product="oatmilk")


def test_search_prefers_the_slot_resolution_id(talk: Any) -> None:
    # Heard oddly, but entity resolution matched the PRODUCT value 'milk'.
    said = talk.say("SearchProductIntent", product=("mylk", "milk"))
    assert "Horizon milk" in said
    assert talk.attributes["results"] == ["MILK-001", "MILK-002"]


def test_search_missing_and_nonsense_product(talk: Any) -> None:
    assert "What would you like me to search for" in talk.say("SearchProductIntent")
    assert talk.reprompt and not talk.ends_session
    said = talk.say("SearchProductIntent", product="zzxqv")
    assert "couldn't find zzxqv" in said
    assert "results" not in talk.attributes


def test_search_ssml_escapes_product_names_and_what_was_heard(talk: Any) -> None:
    said = talk.say("SearchProductIntent", product="m&m's")
    assert "M&M's candy" in said or "M&amp;M's" in said or "M&M's" in said
    assert "&amp;" in talk.ssml
    said = talk.say("SearchProductIntent", product="<qqzx time='3s'/> & <zzvq>")
    assert "couldn't find <qqzx time='3s'/> & <zzvq>" in said


def test_search_non_ascii(talk: Any) -> None:
    said = talk.say("SearchProductIntent", product="crème fraîche")
    assert "Président" in said


def test_details_of_a_position_by_name_and_of_the_selection(list_talk: Any) -> None:
    talk = list_talk
    talk.say("SearchProductIntent", product="milk")
    said = talk.say("ProductDetailsIntent", position="first")
    assert "Horizon milk, $4.99. Organic whole milk from grass-fed cows." in said
    assert talk.attributes["selected"] == "MILK-001"
    said = talk.say("ProductDetailsIntent", product="oat milk")
    assert "Oatly oat milk, $5.49" in said
    assert talk.attributes["pending"]["sku"] == "OATM-001"
    assert "Oatly" in talk.say("ProductDetailsIntent")
    said = talk.say("AMAZON.YesIntent")
    assert said.startswith("Added 1 carton of Oatly Oat Milk Original")


def test_details_out_of_stock_and_low_stock(talk: Any) -> None:
    said = talk.say("ProductDetailsIntent", product="lactaid")
    assert "out of stock" in said
    assert "pending" not in talk.attributes
    said = talk.say("ProductDetailsIntent", product="dog food")
    assert "Only 2 left" in said


def test_details_with_nothing_to_go_on(talk: Any) -> None:
    assert "Which product" in talk.say("ProductDetailsIntent")
    assert "search for a product first" in talk.say("ProductDetailsIntent", position="3")
    assert "couldn't find" in talk.say("ProductDetailsIntent", product="qqqzzz")


def test_search_demo_catalog_end_to_end(real_talk: Any) -> None:
    said = real_talk.say("SearchProductIntent", product="paper tower")
    assert "paper towels" in said
    said = real_talk.say("AMAZON.YesIntent")
    assert said.startswith("Added 1 ")
    assert "Paper Towels" in real_talk.say("ViewCartIntent")


def test_product_title_as_spoken_does_not_say_a_word_twice() -> None:
    from skill.services.types import Product

    def product(brand: str, name: str) -> Product:
        return Product("X-1", brand, name, "milk", "1 gallon", "gallon", 100, None, "dairy", 1)

    assert product("Horizon Organic", "Organic Whole Milk").title == "Horizon Organic Whole Milk"
    assert product("Starbucks", "Starbucks Pike Place").title == "Starbucks Pike Place"
    assert (
        product("Peet's Coffee", "Major Dickason's Blend").title
        == "Peet's Coffee Major Dickason's Blend"
    )
    assert product("Dole", "Bananas").title == "Dole Bananas"


def test_search_demo_catalog_speaks_brand_and_name_once(real_talk: Any) -> None:
    said = real_talk.say("SearchProductIntent", product=("milk", "milk"))
    assert "Organic Organic" not in said


def test_search_unresolved_slot_falls_back_to_the_words_heard(talk: Any) -> None:
    said = talk.say("SearchProductIntent", product=("paper tower", None))
    assert "Bounty paper towels" in said
    said = talk.say("AddToCartIntent", product=None, quantity=None)
    assert said.startswith("Added 1 pack of Bounty"), "the only result is what 'it' means"
