"""Hearing the cart: a long cart read in pages with "want to hear the rest?", the rest on yes / next /
"read me the rest", nothing more on no, and "read me everything" in one answer."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.both_stores

SIX = ("dole bananas", "fairlife milk", "eggs", "tea", "toothpaste", "coffee")


def _fill(talk: Any, names: tuple[str, ...] = SIX) -> None:
    for name in names:
        said = talk.say("AddToCartIntent", product=name)
        assert said.startswith("Added"), said


def test_a_short_cart_is_read_whole(talk: Any) -> None:
    _fill(talk, SIX[:4])
    said = talk.say("ViewCartIntent")
    assert "more" not in said and "rest" not in said
    assert "Dole Bananas" in said and "Twinings" in said
    assert "pending" not in talk.attributes


def test_a_long_cart_is_read_in_pages_and_yes_reads_the_rest(talk: Any) -> None:
    _fill(talk)
    said = talk.say("ViewCartIntent")
    assert said.startswith("You have 6 items: 1 bunch of Dole Bananas, ")
    assert ", and 3 more. Total $" in said and said.endswith("Want the rest?")
    assert "Twinings" not in said
    assert talk.attributes["pending"] == {"kind": "cart_rest", "offset": 3}
    said = talk.say("AMAZON.YesIntent")
    assert "Twinings" in said and "Dole" not in said, "the rest, not the whole cart again"
    assert "That's everything" in said
    assert "pending" not in talk.attributes


def test_next_goes_on_and_no_stops(talk: Any) -> None:
    _fill(talk)
    talk.say("ViewCartIntent")
    said = talk.say("AMAZON.NextIntent")
    assert "Twinings" in said
    talk.say("ViewCartIntent")
    said = talk.say("AMAZON.NoIntent")
    assert said.startswith("Okay.") and "Twinings" not in said
    assert "pending" not in talk.attributes


def test_a_yes_after_another_turn_does_not_read_the_rest(talk: Any) -> None:
    _fill(talk)
    talk.say("ViewCartIntent")
    talk.say("DealsIntent")
    said = talk.say("AMAZON.YesIntent")
    assert "Twinings" not in said


def test_read_me_everything_reads_every_line(talk: Any) -> None:
    _fill(talk)
    said = talk.say("ReadWholeCartIntent")
    for words in ("Dole Bananas", "Fairlife", "Eggs", "Twinings", "Coffee"):
        assert words in said, (words, said)
    assert "more" not in said and said.count(" and ") == 1


def test_the_rest_after_a_page_continues_from_it(talk: Any) -> None:
    _fill(talk)
    talk.say("ViewCartIntent")
    said = talk.say("ReadWholeCartIntent")
    assert "Twinings" in said and "Dole" not in said


def test_a_cart_that_shrank_between_pages_is_read_again(talk: Any) -> None:
    _fill(talk)
    talk.say("ViewCartIntent")
    attributes = dict(talk.attributes)
    talk.say("ClearCartIntent")
    talk.say("AMAZON.YesIntent")
    talk.attributes = attributes  # the page's question, as a client might send it back
    said = talk.say("AMAZON.YesIntent")
    assert "empty" in said


def test_a_long_cart_pages_more_than_once(talk: Any) -> None:
    _fill(talk)
    _fill(talk, ("oatly", "honeycrisp apples", "tillamook cheddar"))
    said = talk.say("ViewCartIntent")
    assert "and 6 more" in said
    said = talk.say("AMAZON.YesIntent")
    assert "and 3 more" in said and said.endswith("Want the rest?")
    said = talk.say("AMAZON.YesIntent")
    assert "That's everything" in said
