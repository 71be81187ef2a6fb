"""Changing what was just done: corrections, undo, relative changes ("two more", "one less"), and the
bad input around them, through the skill with Alexa request JSON over the demo catalog."""

from __future__ import annotations

from typing import Any

import pytest

from tests.skill.handlers.test_choosing import _lines, _listed

pytestmark = pytest.mark.both_stores

BANANAS = ("dole bananas", "bananas")
MILK = ("great value whole milk", "milk")


def test_two_more_and_another_one_add_to_the_line_and_say_the_total(real_talk: Any) -> None:
    real_talk.say("AddToCartIntent", product=BANANAS)
    said = real_talk.say("AddToCartIntent", quantity="2")
    assert said.startswith("Added 2 more, so you have 3 bunches of Dole bananas"), said
    said = real_talk.say("AddToCartIntent")
    assert said.startswith("Added 1 more, so you have 4 bunches"), said


def test_undo_goes_back_one_change_at_a_time(real_talk: Any) -> None:
    real_talk.say("AddToCartIntent", product=BANANAS, quantity="2")
    real_talk.say("AddToCartIntent", product=MILK)
    said = real_talk.say("UndoIntent")
    assert said.startswith("Okay, I took back 1 gallon of Great Value milk"), said
    said = real_talk.say("UndoIntent")
    assert said.startswith("Okay, I took back 2 bunches of Dole bananas"), said
    assert "nothing to undo" in real_talk.say("UndoIntent")
    assert "empty" in _lines(real_talk)


def test_undo_never_acts_on_a_line_changed_since(real_talk: Any) -> None:
    real_talk.say("AddToCartIntent", product=BANANAS)
    real_talk.say("ClearCartIntent")
    real_talk.say("AMAZON.YesIntent")
    said = real_talk.say("UndoIntent")
    assert "nothing to undo" in said, "the cart was emptied since the add: nothing is put back or taken out"
    assert "empty" in _lines(real_talk)


def test_undo_puts_back_a_removed_line(real_talk: Any) -> None:
    real_talk.say("AddToCartIntent", product=BANANAS, quantity="3")
    real_talk.say("RemoveFromCartIntent", product=BANANAS)
    said = real_talk.say("UndoIntent")
    assert "back in your cart" in said
    assert "3 bunches of Dole Bananas" in _lines(real_talk)


def test_one_less_takes_one_off_the_line_just_changed(real_talk: Any) -> None:
    real_talk.say("AddToCartIntent", product=BANANAS, quantity="3")
    real_talk.say("AddToCartIntent", product=MILK)
    real_talk.say("SearchProductIntent", product=("coffee", "coffee"))  # selects nothing in the cart
    real_talk.attributes.pop("selected", None)
    said = real_talk.say("DecreaseQuantityIntent", quantity="1")
    assert "Great Value" in said and "Anything else" in said
    cart = _lines(real_talk)
    assert "Great Value" not in cart and "3 bunches" in cart, "one less of a single one removes only that line"
    said = real_talk.say("DecreaseQuantityIntent", product=("bananas", "bananas"), quantity="2")
    assert "1 bunch of Dole Bananas" in said


def test_corrections(real_talk: Any) -> None:
    # a correction with nothing to correct changes nothing
    assert "nothing to correct" in real_talk.say("CorrectionIntent")
    assert "empty" in _lines(real_talk)
    # "no, I meant oat milk" after an add: taken back, and the meant product added with the same count
    real_talk.say("AddToCartIntent", product=MILK, quantity="2")
    said = real_talk.say("CorrectionIntent", product=("oatly oat milk", "oat_milk"))
    assert said.startswith("Okay, I took back 2 gallons of Great Value milk. For oat milk"), said
    said = real_talk.say("AMAZON.YesIntent")
    cart = _lines(real_talk)
    assert "Great Value" not in cart and "2 cartons of Oatly" in cart, (said, cart)
    # contradictory corrections: the last one said wins
    real_talk.say("UpdateQuantityIntent", product=("oat milk", "oat_milk"), quantity="4")
    said = real_talk.say("UpdateQuantityIntent", quantity="1")  # "no wait, I meant one"
    assert "1 carton of Oatly" in said, said
    assert "1 carton of Oatly" in _lines(real_talk)


def test_a_correction_while_an_offer_is_open_replaces_the_offer(real_talk: Any) -> None:
    said = real_talk.say("AddToCartIntent", product=("coffee", "coffee"), quantity="2")
    assert "top pick" in said
    said = real_talk.say("CorrectionIntent", product=("dole bananas", "bananas"))
    assert said.startswith("Added 2 bunches of Dole Bananas"), "the quantity said stays with the request it was said for"
    assert "coffee" not in _lines(real_talk).lower()


def test_absurd_quantities_are_not_taken_blindly(real_talk: Any) -> None:
    # "nine hundred ninety nine" reaches the skill as 999 (AMAZON.NUMBER)
    said = real_talk.say("AddToCartIntent", product=BANANAS, quantity="999")
    assert "only have" in said or "Just to check" in said, said
    assert "empty" in _lines(real_talk)
    said = real_talk.say("AddToCartIntent", product=BANANAS, quantity="?")
    assert "didn't catch how many" in said
    said = real_talk.say("AddToCartIntent", product=BANANAS, quantity="0")
    assert "at least one" in said
    assert "empty" in _lines(real_talk)


def test_an_expensive_add_is_confirmed_and_a_list_waits_for_the_answer(real_talk: Any) -> None:
    said = _listed(real_talk, [("pedigree dog food", "dog_food"), ("dole bananas", "bananas")], quantity="4")
    assert said.startswith("Just to check"), said
    said = real_talk.say("AMAZON.YesIntent")
    assert said.startswith("Added 4 ") and "Dole Bananas" in said, said
    cart = _lines(real_talk)
    assert "Pedigree" in cart and "Dole Bananas" in cart


def test_ten_products_in_one_request(real_talk: Any) -> None:
    ten = [(name, name) for name in ("rice", "pasta", "tea", "coffee", "butter", "apples", "bananas", "bread",
                                     "cereal", "shampoo")]
    said = _listed(real_talk, ten)
    assert "left out bananas, bread, cereal, shampoo" in said
    assert len(real_talk.attributes.get("queue") or []) <= 5


def test_a_list_with_only_empty_or_repeated_values(real_talk: Any) -> None:
    said = _listed(real_talk, [("", None), ("  ", None)])
    assert "What would you like to add" in said
    said = _listed(real_talk, [("Dole Bananas", "bananas"), ("dole  bananas", "bananas")])
    assert said.startswith("Added 1 bunch of Dole Bananas to your cart"), said
    said = _listed(real_talk, [("dole bananas", "bananas"), ("great value whole milk", "milk")])
    assert said.startswith("Added 1 more, so you have 2 bunches") or "Great Value" in said, said


def test_a_bare_count_after_an_add_makes_the_line_that_many(real_talk: Any) -> None:
    real_talk.say("AddToCartIntent", product=BANANAS, quantity="3")
    said = real_talk.say("UpdateQuantityIntent", quantity="1")  # "oops, just one"
    assert "1 bunch of Dole Bananas" in said, said
    assert "1 bunch of Dole Bananas" in _lines(real_talk)


def test_a_bare_count_answers_how_many_and_an_offer(real_talk: Any) -> None:
    said = real_talk.say("AddToCartIntent", product=BANANAS, quantity="999")
    assert "only have" in said and real_talk.attributes["pending"]["kind"] == "ask_quantity", said
    said = real_talk.say("UpdateQuantityIntent", quantity="2")  # "two"
    assert said.startswith("Added 2 bunches of Dole Bananas"), said
    said = real_talk.say("AddToCartIntent", product=("coffee", "coffee"))
    assert "top pick" in said
    said = real_talk.say("UpdateQuantityIntent", quantity="2")  # "two" to "want it?"
    assert said.startswith("Added 2 "), said


def test_the_rest_of_a_list_is_dropped_when_its_question_is_left(real_talk: Any) -> None:
    said = _listed(real_talk, [("coffee", "coffee"), ("tea", "tea")])
    assert "top pick" in said and real_talk.attributes["queue"]
    real_talk.say("ViewCartIntent")
    assert not real_talk.attributes.get("queue"), "a later yes must not bring back the list"


def test_change_it_to_another_product_right_after_an_add_swaps_it(real_talk: Any) -> None:
    real_talk.say("AddToCartIntent", product=MILK, quantity="2")
    said = real_talk.say("UpdateQuantityIntent", product=BANANAS)  # "change it to dole bananas"
    assert said.startswith("Okay, I took back 2 gallons of Great Value milk.") and "2 bunches" in said, said
    cart = _lines(real_talk)
    assert "Great Value" not in cart and "2 bunches of Dole Bananas" in cart
    # with nothing just added, a product not in the cart is said to be not there, nothing changes
    real_talk.say("ViewCartIntent")
    real_talk.attributes.pop("changes", None)
    said = real_talk.say("UpdateQuantityIntent", product=MILK)
    assert "isn't in your cart" in said


def test_raising_a_line_past_the_shop_amount_is_confirmed(real_talk: Any) -> None:
    real_talk.say("AddToCartIntent", product=("pedigree dog food", "dog_food"))
    said = real_talk.say("UpdateQuantityIntent", product=("dog food", "dog_food"), quantity="4")
    assert said.startswith("Just to check: change"), said
    assert real_talk.say("AMAZON.NoIntent").startswith("Okay, I left your cart as it was")
    assert "1 bag of Pedigree" in _lines(real_talk) or "1 Pedigree" in _lines(real_talk)
