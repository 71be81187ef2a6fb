"""Cart intents through the skill: add (by name, position, "it"), quantity rules, remove, update, view, clear."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.both_stores


def _cart(talk: Any) -> str:
    return str(talk.say("ViewCartIntent"))


def test_add_by_name_single_match_adds_with_quantity_and_unit(talk: Any) -> None:
    said = talk.say("AddToCartIntent", product="bananas", quantity="2", unit="bunches")
    assert said.startswith("Added 2 bunches of Dole Bananas to your cart.")
    assert talk.reprompt and not talk.ends_session
    assert "2 bunches of Dole Bananas" in _cart(talk)
    assert "$3.58" in talk.speech


def test_add_ambiguous_asks_which_then_the_second_one(list_talk: Any) -> None:
    talk = list_talk
    said = talk.say("AddToCartIntent", product="milk", quantity="2")
    assert "Which one" in said
    assert "Lactaid" not in said, "out of stock is not offered"
    assert talk.attributes["pending"] == {"kind": "choose_to_add", "quantity": 2}
    said = talk.say("SelectItemIntent", position="second")
    assert said.startswith("Added 2 bottles of Fairlife 2% Reduced Fat Milk")


def test_add_the_second_one_after_a_search(list_talk: Any) -> None:
    list_talk.say("SearchProductIntent", product="milk")
    said = list_talk.say("AddToCartIntent", position="2", quantity="3")
    assert said.startswith("Added 3 bottles of Fairlife")


def test_add_it_after_a_selection(talk: Any) -> None:
    talk.say("SearchProductIntent", product="milk")
    talk.say("SelectItemIntent", position="1")
    said = talk.say("AddToCartIntent")
    assert said.startswith("Added 1 carton of Horizon Organic Whole Milk")


def test_add_it_with_nothing_selected_asks_what(talk: Any) -> None:
    assert "What would you like to add" in talk.say("AddToCartIntent")
    assert talk.reprompt


def test_add_with_slot_resolution_id(talk: Any) -> None:
    said = talk.say("AddToCartIntent", product=("oat milk", "oat_milk"))
    assert said.startswith("Added 1 carton of Oatly Oat Milk Original")


def test_add_misheard_asks_did_you_mean_then_adds(talk: Any) -> None:
    said = talk.say("AddToCartIntent", product="paper tower", quantity="2")
    assert said.startswith("Did you mean Bounty paper towels")
    said = talk.say("AMAZON.YesIntent")
    assert said.startswith("Added 2 packs of Bounty Select-A-Size Paper Towels")


def test_add_misheard_no_adds_nothing(talk: Any) -> None:
    talk.say("AddToCartIntent", product="bananna")
    assert "another way" in talk.say("AMAZON.NoIntent")
    assert "empty" in _cart(talk)


def test_add_unknown_and_out_of_stock_products(talk: Any) -> None:
    assert "couldn't find qqqzzzx" in talk.say("AddToCartIntent", product="qqqzzzx")
    said = talk.say("AddToCartIntent", product="lactaid")
    assert said == "Lactaid milk is out of stock. Horizon milk, $4.99 is in stock. Want that instead?"
    assert talk.attributes["pending"]["sku"] == "MILK-001", "the alternative is offered, never added silently"
    assert "empty" in _cart(talk)


def test_add_zero_and_negative_quantities_are_refused(talk: Any) -> None:
    for quantity in ("0", "-1"):
        said = talk.say("AddToCartIntent", product="bananas", quantity=quantity)
        assert "at least one" in said
        assert talk.reprompt
    assert "empty" in _cart(talk)


def test_add_nonsense_quantity_asks_again(talk: Any) -> None:
    assert "didn't catch how many" in talk.say("AddToCartIntent", product="bananas", quantity="?")
    assert "empty" in _cart(talk)


def test_add_ten_or_more_is_confirmed_first(talk: Any) -> None:
    said = talk.say("AddToCartIntent", product="bananas", quantity="12")
    assert said == "Just to check: add 12 bunches of Dole Bananas to your cart?"
    assert talk.attributes["pending"]["kind"] == "confirm_quantity"
    assert "empty" in talk.say("ViewCartIntent"), "nothing added before the yes"
    talk.say("AddToCartIntent", product="bananas", quantity="12")
    assert talk.say("AMAZON.YesIntent").startswith("Added 12 bunches of Dole Bananas")
    talk.say("AddToCartIntent", product="bananas", quantity="10")
    assert "left your cart as it was" in talk.say("AMAZON.NoIntent")
    assert "12 bunches" in _cart(talk)


def test_add_never_more_than_in_stock(talk: Any) -> None:
    said = talk.say("AddToCartIntent", product="orange juice", quantity="5")
    assert "only have 3 of Tropicana Pure Premium Orange Juice left" in said
    said = talk.say("AddToCartIntent", product="bananas", quantity="1000000")
    assert "only have 50 of Dole Bananas left" in said
    asked = talk.attributes.get("pending") or {}
    assert asked.get("kind") != "confirm_quantity", "an impossible quantity is not confirmed"
    assert asked.get("kind") == "ask_quantity", "a count said next answers 'how many would you like?'"
    talk.say("AddToCartIntent", product="orange juice", quantity="2")
    said = talk.say("AddToCartIntent", product="orange juice", quantity="2")
    assert "already have 2" in said and "only 1 more" in said
    talk.say("AddToCartIntent", product="orange juice", quantity="1")
    assert "all 3" in talk.say("AddToCartIntent", product="orange juice")
    assert "3 bottles of Tropicana" in _cart(talk)


def test_remove_by_name_and_position(talk: Any) -> None:
    talk.say("AddToCartIntent", product="bananas")
    talk.say("AddToCartIntent", product="toothpaste")
    talk.say("AddToCartIntent", product="tea")
    said = talk.say("RemoveFromCartIntent", product="the bananas")
    assert said.startswith("Removed Dole Bananas")
    said = talk.say("RemoveFromCartIntent", position="2")
    assert said.startswith("Removed Twinings English Breakfast Tea")
    assert "Colgate" in _cart(talk) and "Dole" not in talk.speech


def test_remove_what_is_not_in_the_cart(talk: Any) -> None:
    assert "empty" in talk.say("RemoveFromCartIntent", product="milk")
    talk.say("AddToCartIntent", product="bananas")
    assert "dog food isn't in your cart" in talk.say("RemoveFromCartIntent", product="dog food")
    talk.new_session()  # a new session: nothing is "it"
    assert "What should I remove" in talk.say("RemoveFromCartIntent")
    assert "Removed Dole Bananas" in talk.say("RemoveFromCartIntent", product="banana")


def test_remove_it_means_the_product_just_added(talk: Any) -> None:
    talk.say("AddToCartIntent", product="bananas")
    talk.say("AddToCartIntent", product="tea")
    assert talk.say("RemoveFromCartIntent").startswith("Removed Twinings English Breakfast Tea")
    assert "Dole Bananas" in _cart(talk)


def test_remove_ambiguous_asks_which(talk: Any) -> None:
    talk.say("AddToCartIntent", product="horizon")
    talk.say("AddToCartIntent", product="fairlife")
    said = talk.say("RemoveFromCartIntent", product="milk")
    assert "Which one should I remove" in said
    assert "Horizon" in said and "Fairlife" in said
    assert "Removed Fairlife" in talk.say("RemoveFromCartIntent", product="fairlife milk")


def test_update_quantity(talk: Any) -> None:
    talk.say("AddToCartIntent", product="horizon", quantity="1")
    said = talk.say("UpdateQuantityIntent", product="milk", quantity="3")
    assert said.startswith("Okay, you now have 3 cartons of Horizon Organic Whole Milk")
    said = talk.say("UpdateQuantityIntent", product="milk", quantity="15")
    assert "change Horizon Organic Whole Milk to 15" in said
    assert talk.say("AMAZON.YesIntent").startswith("Okay, you now have 15 cartons")
    assert "only have 40" in talk.say("UpdateQuantityIntent", product="milk", quantity="1000000")
    assert "at least one" in talk.say("UpdateQuantityIntent", product="milk", quantity="-1")
    assert "How many Horizon Organic Whole Milk" in talk.say("UpdateQuantityIntent", product="milk")
    assert "15 cartons" in _cart(talk)
    said = talk.say("UpdateQuantityIntent", product="milk", quantity="0")
    assert said.startswith("Removed Horizon Organic Whole Milk")
    assert "empty" in _cart(talk)


def test_update_something_not_in_the_cart(talk: Any) -> None:
    talk.say("AddToCartIntent", product="bananas")
    talk.say("AddToCartIntent", product="tea")
    assert "coffee isn't in your cart yet" in talk.say("UpdateQuantityIntent", product="coffee", quantity="2")
    assert "won't add" in talk.say("AMAZON.NoIntent")
    assert "coffee" not in _cart(talk)
    talk.say("AddToCartIntent", product="tea")
    assert talk.say("UpdateQuantityIntent", quantity="2").startswith("Okay, you now have 2 boxes of Twinings")
    talk.new_session()
    assert "Which product" in talk.say("UpdateQuantityIntent", quantity="2")


def test_view_cart_reads_lines_and_total_briefly(talk: Any) -> None:
    assert "Your cart is empty" in _cart(talk)
    talk.say("AddToCartIntent", product="fairlife", quantity="2")  # deal price 3.89
    talk.say("AddToCartIntent", product="eggs")
    said = _cart(talk)
    assert said.startswith(
        "You have 3 items in your cart: 2 bottles of Fairlife 2% Reduced Fat Milk and 1 carton of"
    )
    assert "The total is $14.77." in said
    talk.say("AddToCartIntent", product="tea")
    said = _cart(talk)
    assert re.search(r"Milk, 1 carton of [^,]+, and 1 box of Twinings", said), said
    for product in ("toothpaste", "bananas", "coffee"):
        talk.say("AddToCartIntent", product=product)
    said = _cart(talk)
    assert re.search(r", 1 \w+ of [^,]+, and 3 more\. ", said), said
    assert said.count(" and ") == 1
    assert said.endswith("Want the rest?")


def test_clear_cart_asks_first(talk: Any) -> None:
    assert "already empty" in talk.say("ClearCartIntent")
    talk.say("AddToCartIntent", product="bananas", quantity="2")
    assert talk.say("ClearCartIntent") == "Remove all 2 items from your cart?"
    assert "kept your cart" in talk.say("AMAZON.NoIntent")
    assert "2 bunches" in _cart(talk)
    talk.say("ClearCartIntent")
    assert "your cart is empty" in talk.say("AMAZON.YesIntent")
    assert "Your cart is empty" in _cart(talk)


def test_a_new_question_replaces_a_pending_one(talk: Any) -> None:
    talk.say("ClearCartIntent")
    talk.say("AddToCartIntent", product="bananas")
    talk.say("ClearCartIntent")
    talk.say("SearchProductIntent", product="tea")  # asks "add it?" instead
    assert talk.attributes["pending"]["kind"] == "offer_add"
    talk.say("AMAZON.YesIntent")
    assert "Dole Bananas" in _cart(talk) and "Twinings" in talk.speech


def test_cart_ssml_escaping_and_non_ascii(talk: Any) -> None:
    talk.say("AddToCartIntent", product="m&m's")
    talk.say("AddToCartIntent", product="crème fraîche")
    said = _cart(talk)
    assert "M&M's Peanut Chocolate Candies" in said
    assert "Président Crème Fraîche Brie" in said
    assert "M&amp;M's" in talk.ssml


def test_yes_or_no_while_choosing_which_to_add(list_talk: Any) -> None:
    talk = list_talk
    talk.say("AddToCartIntent", product="milk")
    assert "Which one" in talk.say("AMAZON.YesIntent")
    assert talk.attributes["pending"]["kind"] == "choose_to_add"
    assert "won't add it" in talk.say("AMAZON.NoIntent")
    assert "pending" not in talk.attributes
    assert "empty" in _cart(talk)


def test_add_with_a_unit_offers_products_sold_by_that_unit(real_talk: Any) -> None:
    said = real_talk.say("AddToCartIntent", product=("milk", "milk"), quantity="2", unit=("bottles", "bottle"))
    # only milk sold by the bottle, and of those only one has two in stock: it is added
    assert said.startswith("Added 2 bottles of Fairlife"), said
    said = real_talk.say("AddToCartIntent", product=("milk", "milk"), unit=("gallon", "gallon"))
    assert "Horizon Organic milk" in said
    assert "MILK-001" in real_talk.attributes["results"] and "MILK-003" not in real_talk.attributes["results"]


def test_add_a_dozen_eggs_counts_dozens_not_twelve_packs(real_talk: Any) -> None:
    # AMAZON.NUMBER reads "a dozen" as 12; eggs are sold by the dozen.
    said = real_talk.say("AddToCartIntent", product=("eggs", "eggs"), quantity="12")
    assert "top pick" in said and real_talk.attributes["pending"]["quantity"] == 1
    assert all(sku in ("EGGS-001", "EGGS-002", "EGGS-004") for sku in real_talk.attributes["results"])
    said = real_talk.say("AMAZON.YesIntent")
    assert said.startswith("Added 1 dozen ") and " of " not in said.split(" to your cart")[0], said
    said = real_talk.say("AddToCartIntent", product=("eggs", "eggs"), quantity="2", unit=("dozen", "dozen"))
    said = real_talk.say("AMAZON.YesIntent")
    assert said.startswith("Added 2 more, so you have 3 dozen ") and " of " not in said, said


def test_add_it_to_an_offer_adds_the_quantity_asked_for(real_talk: Any) -> None:
    talk = real_talk
    said = talk.say("AddToCartIntent", product="coffee", quantity="3", unit="bags")
    assert "Want it" in said and talk.attributes["pending"]["quantity"] == 3
    assert talk.say("AddToCartIntent").startswith("Added 3 bags of")
    # a number said with "add it" still wins over the one offered
    assert "Want it" in talk.say("AddToCartIntent", product="tea", quantity="3", unit="boxes")
    assert talk.say("AddToCartIntent", quantity="1").startswith("Added 1 box of")


def test_a_count_for_a_product_not_in_the_cart_offers_that_many(real_talk: Any) -> None:
    # "two coffees, please" heard as a change of quantity: nothing is added without a yes
    said = real_talk.say("UpdateQuantityIntent", product=("coffee", "coffee"), quantity="2")
    assert said.startswith("coffee isn't in your cart yet. Shall I add 2 bags of"), said
    assert "empty" in _cart(real_talk)
    real_talk.say("UpdateQuantityIntent", product=("coffee", "coffee"), quantity="2")
    assert real_talk.say("AMAZON.YesIntent").startswith("Added 2 bags of")
