"""Follow-ups keep the product just talked about: "is it organic", "is the second one on sale", "is the
oat milk organic", "is it cheaper", "which is cheaper, A or B", "which one is organic", "other options",
through the skill with Alexa request JSON over the demo catalog."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.both_stores


def test_is_it_asks_about_the_top_pick_just_offered(real_talk: Any) -> None:
    real_talk.say("SearchProductIntent", product=("spinach", "spinach"))
    said = real_talk.say("ProductQuestionIntent", feature=("organic", "organic"))
    assert said.startswith("Yes, Earthbound Farm spinach is organic."), said
    said = real_talk.say("AddToCartIntent", quantity="2")
    assert said.startswith("Added 2 boxes of Earthbound Farm"), "a yes-or-add after the question adds that product"


def test_a_question_keeps_the_offer_open_for_a_yes(real_talk: Any) -> None:
    real_talk.say("SearchProductIntent", product=("spinach", "spinach"))
    real_talk.say("ProductQuestionIntent", feature=("in stock", "in_stock"))
    assert real_talk.attributes["pending"]["kind"] == "offer_add"
    assert real_talk.say("AMAZON.YesIntent").startswith("Added 1 box of Earthbound Farm")


def test_is_the_named_product_uses_the_name_not_the_last_one(real_talk: Any) -> None:
    real_talk.say("SearchProductIntent", product=("spinach", "spinach"))
    said = real_talk.say("ProductQuestionIntent", feature=("organic", "organic"), product=("oatly oat milk", "oat_milk"))
    assert said.startswith("No, Oatly oat milk isn't organic"), said


def test_on_sale_and_a_position(real_talk: Any) -> None:
    real_talk.say("SearchProductIntent", product=("milk", "milk"))
    real_talk.say("OtherOptionsIntent")
    page = real_talk.attributes["read"]
    assert len(page) == 3
    said = real_talk.say("ProductQuestionIntent", feature=("on sale", "on_sale"), position="2")
    assert said.startswith(("Yes, ", "No, it's not on sale")), said
    assert real_talk.attributes["selected"] == page[1]


def test_is_it_cheaper_compares_with_what_was_read(real_talk: Any) -> None:
    real_talk.say("SearchProductIntent", product=("milk", "milk"))
    real_talk.say("OtherOptionsIntent")
    said = real_talk.say("ProductQuestionIntent", feature=("cheaper", "cheapest"))
    assert " is cheaper than " in said, said
    prices = said.split(" is cheaper than ")
    assert "$3.48" in prices[0], "the cheapest of the page comes first"
    assert real_talk.say("AMAZON.YesIntent").startswith("Added 1 ")
    assert "Great Value" in real_talk.say("ViewCartIntent")


def test_the_cheaper_one_of_a_product_not_read_compares_that_product(real_talk: Any) -> None:
    real_talk.say("SearchProductIntent", product=("cola", "soda"))
    said = real_talk.say("ProductQuestionIntent", feature=("cheaper", "cheapest"), product=("oat milk", "oat_milk"))
    assert " is cheaper than " in said and said.count("oat milk") >= 2, said
    assert "Pepsi" not in said and "Coca" not in said, "the colas read before are not what was asked about"
    assert real_talk.say("AMAZON.YesIntent").startswith("Added 1 ")
    assert "oat" in real_talk.say("ViewCartIntent").lower()


def test_which_is_cheaper_a_or_b_names_two_different_products(real_talk: Any) -> None:
    said = real_talk.say(
        "CompareProductsIntent", feature=("cheaper", "cheapest"), product=("jif", "peanut_butter"),
        otherProduct=("skippy peanut butter", "peanut_butter"),
    )
    assert said.startswith("Skippy peanut butter, $3.29 is cheaper than Jif peanut butter, $3.49"), said
    said = real_talk.say(
        "CompareProductsIntent", product=("peanut butter", "peanut_butter"),
        otherProduct=("peanut butter", "peanut_butter"),
    )
    assert " is cheaper than " in said, "the same words twice still compare two products"


def test_which_one_is_organic_among_what_was_read(real_talk: Any) -> None:
    real_talk.say("SearchProductIntent", product=("milk", "milk"))
    real_talk.say("OtherOptionsIntent")
    said = real_talk.say("CompareProductsIntent", feature=("organic", "organic"))
    assert said.startswith("Organic Valley milk"), said
    assert "Horizon" not in said, "only the page just read is compared"
    said = real_talk.say("CompareProductsIntent", feature=("keto", "keto"))
    assert said == "None of those is keto."


def test_compare_with_nothing_to_compare_asks_for_two(real_talk: Any) -> None:
    said = real_talk.say("CompareProductsIntent", feature=("cheaper", "cheapest"))
    assert said.startswith("Which two should I compare?")
    said = real_talk.say("ProductQuestionIntent", feature=("organic", "organic"))
    assert said == "Which product would you like to hear about?"


def test_other_options_reads_the_next_ones(real_talk: Any) -> None:
    said = real_talk.say("SearchProductIntent", product=("coffee", "coffee"))
    assert "top pick" in said
    first = real_talk.attributes["read"]
    said = real_talk.say("OtherOptionsIntent")
    assert said.startswith("First: ") and real_talk.attributes["read"] != first
    assert not set(first) & set(real_talk.attributes["read"]), "other options are other products"
