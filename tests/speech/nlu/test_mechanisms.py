"""How the matcher weighs a sentence against the samples: built-in phrases inside longer requests,
free text next to a value, closed-class words, and what the normaliser drops at the start."""

from __future__ import annotations

from datetime import datetime

import pytest

from speech.nlu.compiler import CompiledNLU
from speech.nlu.normalize import stem, strip_fillers, tokens

REF = datetime(2026, 11, 27, 21, 0)


def test_resolve_builtin_phrase_does_not_take_over_a_longer_request(nlu: CompiledNLU) -> None:
    r = nlu.resolve("the fourth one sounds good to me", reference_time=REF)
    assert r.intent == "SelectItemIntent"
    assert r.slots["position"].value == "4"


def test_resolve_builtin_answer_said_as_several_phrases(nlu: CompiledNLU) -> None:
    assert nlu.resolve("yes yes sure", reference_time=REF).intent == "AMAZON.YesIntent"
    assert nlu.resolve("no no not now thanks", reference_time=REF).intent == "AMAZON.NoIntent"


def test_resolve_free_text_product_stops_at_an_ordinal(nlu: CompiledNLU) -> None:
    r = nlu.resolve("throw the third one in my cart", reference_time=REF)
    assert r.intent == "AddToCartIntent"
    assert r.slots["position"].value == "3"
    assert "product" not in r.slots


def test_resolve_unknown_words_around_a_changed_carrier_are_not_a_product(nlu: CompiledNLU) -> None:
    # "do you have {product}" with "like" for "have": the unknown word is more likely the topic of
    # something else than a product the catalog lacks
    assert nlu.resolve("do you like jazz", reference_time=REF).intent == "AMAZON.FallbackIntent"
    assert nlu.resolve("add sriracha to my cart", reference_time=REF).slots["product"].value == "sriracha"


def test_analyse_closed_class_words_are_not_unknown(nlu: CompiledNLU) -> None:
    assert nlu.analyse("could you maybe add milk too", REF).unknown == {}
    assert set(nlu.analyse("add milk to the thermostat", REF).unknown.values()) == {"thermostat"}


def test_strip_fillers_drops_a_discourse_opener_only_before_a_request() -> None:
    assert strip_fillers(tokens("okay stop")) == ["stop"]
    assert strip_fillers(tokens("so um add the milk")) == ["add", "the", "milk"]
    assert strip_fillers(tokens("okay")) == ["okay"]
    assert strip_fillers(tokens("okay then")) == ["okay", "then"]
    # a slip noticed mid-sentence opens a correction without meaning anything itself
    assert strip_fillers(tokens("whoops, make it three")) == ["make", "it", "three"]
    assert strip_fillers(tokens("oh wait take the eggs out")) == ["take", "the", "eggs", "out"]
    assert strip_fillers(tokens("wait")) == ["wait"]


@pytest.mark.parametrize(("text", "intent"), [("whoops, undo that", "UndoIntent"), ("oops, remove that", "RemoveFromCartIntent")])
def test_a_correction_after_a_slip_word_is_understood(nlu: CompiledNLU, text: str, intent: str) -> None:
    assert nlu.resolve(text).intent == intent


def test_stem_keeps_words_that_only_look_plural() -> None:
    assert stem("news") == "news"
    assert stem("bottles") == "bottle"
