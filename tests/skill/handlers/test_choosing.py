"""Choosing and changing by description, several items in one request, corrections and follow-ups,
through the skill with Alexa request JSON over the demo catalog."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.skill import listed_slot

pytestmark = pytest.mark.both_stores


def _listed(talk: Any, values: list[tuple[str, str | None]], **extra: Any) -> str:
    """AddToCartIntent with a multiple-value product slot, as Alexa sends it."""
    product = listed_slot(values)
    return str(talk.say("AddToCartIntent", product=product, **extra))


def _lines(talk: Any) -> str:
    return str(talk.say("ViewCartIntent"))


def test_several_items_each_handled_one_question_at_a_time(real_talk: Any) -> None:
    said = _listed(real_talk, [("dole bananas", "bananas"), ("milk", "milk"), ("eggs", "eggs")])
    assert said.startswith("Added 1 bunch of Dole Bananas. For milk, my top pick is")
    assert len(real_talk.attributes["queue"]) == 1
    said = real_talk.say("AMAZON.YesIntent")
    assert said.startswith("Added 1 gallon of Horizon Organic Whole Milk. For eggs")
    said = real_talk.say("AMAZON.NoIntent")
    assert said.startswith("Okay, skipping that.") or "won't add" in said
    cart = _lines(real_talk)
    assert "Dole Bananas" in cart and "Horizon" in cart and "Eggs" not in cart


def test_several_items_bad_input(real_talk: Any) -> None:
    ten = [(name, name) for name in ("rice", "pasta", "tea", "coffee", "butter", "apples", "bananas", "bread",
                                     "cereal", "shampoo")]
    said = _listed(real_talk, ten)
    assert said.startswith("I can take 6 items at a time, so I left out bananas, bread, cereal, shampoo.")
    real_talk.new_session()
    said = _listed(real_talk, [("dole bananas", "bananas"), ("", None), ("dole bananas", "bananas")])
    assert said.startswith("Added 1 bunch of Dole Bananas to your cart"), "empty and repeated values are dropped"
    assert "queue" not in real_talk.attributes or not real_talk.attributes["queue"]
    said = _listed(real_talk, [("zzqx flarb", None), ("dole bananas", "bananas")])
    assert said.startswith("I couldn't find zzqx flarb. Added 1 more, so you have 2 bunches of Dole bananas")


def test_a_quantity_never_carries_to_another_product(real_talk: Any) -> None:
    said = real_talk.say("AddToCartIntent", product=("tomato soup", "tomato_soup"), quantity="8")
    assert "top pick" in said and real_talk.attributes["pending"]["quantity"] == 8
    said = real_talk.say("AddToCartIntent", product=("ritz crackers", "crackers"))
    assert said.startswith("Added 1 box of Ritz"), said


def test_pick_by_description_from_what_was_read(real_talk: Any) -> None:
    real_talk.say("SearchProductIntent", product=("milk", "milk"))
    said = real_talk.say("ChooseProductIntent", feature=("cheaper", "cheapest"))
    assert said.startswith("Great Value fat free milk, $3.38") or "Great Value" in said, said
    said = real_talk.say("ChooseProductIntent", product=("lactaid", "milk"))
    assert "Lactaid" in said
    real_talk.say("SearchProductIntent", product=("paper towels", "paper_towels"))
    said = real_talk.say("ChooseProductIntent", size="12", unit=("roll", "roll"))
    assert "12 double rolls" in said or "$24.99" in said, said
    assert real_talk.attributes["pending"]["quantity"] is None, "a pack size is never a quantity"
    said = real_talk.say("ChooseProductIntent", feature=("keto", "keto"))
    assert said.startswith("None of those is keto")


def test_pick_while_adding_adds_it(real_talk: Any) -> None:
    real_talk.say("AddToCartIntent", product=("coffee", "coffee"), quantity="2")
    said = real_talk.say("ChooseProductIntent", feature=("cheapest", "cheapest"))
    assert said.startswith("Added 2 bags of Dunkin'"), said


def test_follow_up_questions_keep_the_product(real_talk: Any) -> None:
    real_talk.say("SearchProductIntent", product=("oat milk", "oat_milk"))
    said = real_talk.say("ProductQuestionIntent", feature=("organic", "organic"))
    assert said.startswith("No, Oatly oat milk isn't organic")
    real_talk.say("SearchProductIntent", product=("bread", "bread"))
    said = real_talk.say("ProductQuestionIntent", feature=("gluten free", "gluten-free"))
    assert "Canyon Bakehouse bread" in said and "instead" in said
    said = real_talk.say("ProductQuestionIntent", feature=("in stock", "in_stock"))
    assert "in stock" in said
    said = real_talk.say(
        "CompareProductsIntent", feature=("cheaper", "cheapest"), product=("oat milk", "oat_milk"),
        otherProduct=("almond milk", "almond_milk"),
    )
    assert said.startswith("Silk almond milk, $3.69 is cheaper than Oatly oat milk, $5.49")


def test_undo_decrement_and_corrections(real_talk: Any) -> None:
    assert "nothing to undo" in real_talk.say("UndoIntent")
    assert "nothing to correct" in real_talk.say("CorrectionIntent")
    real_talk.say("AddToCartIntent", product=("dole bananas", "bananas"), quantity="3")
    said = real_talk.say("DecreaseQuantityIntent", product=("bananas", "bananas"))
    assert "2 bunches" in said, "remove one of them takes one off, not the line"
    said = real_talk.say("UndoIntent")
    assert "back to 3" in said
    real_talk.say("AddToCartIntent", product=("great value whole milk", "milk"))
    said = real_talk.say("CorrectionIntent", product=("oat milk", "oat_milk"))
    assert said.startswith("Okay, I took back 1 ") and "oat milk" in said
    cart = _lines(real_talk)
    assert "Great Value" not in cart and "3 bunches" in cart


def test_an_add_over_the_shop_amount_is_confirmed(real_talk: Any) -> None:
    said = real_talk.say("AddToCartIntent", product=("pedigree dog food", "dog_food"), quantity="4")
    assert said.startswith("Just to check"), said
    assert real_talk.attributes["pending"]["kind"] == "confirm_quantity"
