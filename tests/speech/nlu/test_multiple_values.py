"""Multiple-value slots: the model's setting, the local NLU's list reading, the request shape Alexa sends,
the dialog model, the validator's rules and the grammar the recogniser listens with."""

from __future__ import annotations

import copy
import json
from typing import Any

from speech.dialog import _has_value
from speech.grammar import build_grammar
from speech.interaction_model import load_interaction_model, parse_interaction_model
from speech.nlu.compiler import CompiledNLU
from speech.validate import validate_model
from tests.support.paths import REPO

MODEL = REPO / "interaction_model.json"


def test_the_product_slot_of_add_takes_multiple_values() -> None:
    model = load_interaction_model(MODEL)
    add = model.intent("AddToCartIntent")
    assert add is not None and add.slot("product").multiple_values  # type: ignore[union-attr]
    search = model.intent("SearchProductIntent")
    assert search is not None and not search.slot("product").multiple_values  # type: ignore[union-attr]


def test_a_list_fills_the_slot_with_each_value(nlu: CompiledNLU) -> None:
    res = nlu.resolve("could you add two bottles of milk, a dozen eggs and some sriracha to my cart")
    assert res.intent == "AddToCartIntent"
    product = res.slots["product"]
    assert [(v.value, v.id) for v in product.values or []] == [
        ("milk", "milk"), ("a dozen eggs", "eggs"), ("some sriracha", None),
    ]
    assert res.slots["quantity"].value == "2"
    line = res.to_json()["slots"]["product"]
    assert line["values"] == [{"value": "milk", "id": "milk"}, {"value": "a dozen eggs", "id": "eggs"},
                              {"value": "some sriracha", "id": None}]
    assert line["value"] == "milk and a dozen eggs and some sriracha"


def test_names_with_and_stay_one_value_and_other_intents_are_untouched(nlu: CompiledNLU) -> None:
    one = nlu.resolve("add mac and cheese")
    assert one.slots["product"].id == "mac_and_cheese" and one.slots["product"].values is None
    single = nlu.resolve("add milk")
    assert single.slots["product"].values is None and "values" not in single.to_json()["slots"]["product"]
    search = nlu.resolve("search for milk and eggs")
    assert search.slots.get("product") is None or search.slots["product"].values is None


def test_pauses_and_many_values(nlu: CompiledNLU) -> None:
    res = nlu.resolve("add milk eggs bread and rice")
    assert [v.id for v in res.slots["product"].values or []] == ["milk", "eggs", "bread", "rice"]
    res = nlu.resolve("add milk, eggs, bread, rice, pasta, tea, coffee, butter, apples and bananas")
    assert len(res.slots["product"].values or []) == 10


def test_the_request_carries_a_list_slot_value_as_alexa_sends_it(nlu: CompiledNLU) -> None:
    slot = nlu.resolve("add milk and sriracha").slots["product"].to_alexa()
    assert "value" not in slot and "resolutions" not in slot
    assert slot["slotValue"]["type"] == "List"
    first, second = slot["slotValue"]["values"]
    assert first["type"] == "Simple" and first["value"] == "milk"
    assert first["resolutions"]["resolutionsPerAuthority"][0]["values"][0]["value"]["id"] == "milk"
    assert second["resolutions"]["resolutionsPerAuthority"][0]["status"]["code"] == "ER_SUCCESS_NO_MATCH"
    assert _has_value(slot)


def test_the_validator_knows_the_rules() -> None:
    raw = json.loads(MODEL.read_text(encoding="utf-8"))

    def check(model: dict[str, Any]) -> list[str]:
        return next(r for r in validate_model(model) if r.title == "Multiple-value slots").details

    assert check(raw) == []
    bad = copy.deepcopy(raw)
    intents = bad["interactionModel"]["languageModel"]["intents"]
    add = next(i for i in intents if i["name"] == "AddToCartIntent")
    quantity = next(s for s in add["slots"] if s["name"] == "quantity")
    quantity["multipleValues"] = {"enabled": True}
    product = next(s for s in add["slots"] if s["name"] == "product")
    product["multipleValues"] = {"enabled": "yes"}
    problems = check(bad)
    assert any("AMAZON.NUMBER does not take multiple values" in p for p in problems)
    assert any("boolean 'enabled'" in p for p in problems)
    dialog = copy.deepcopy(raw)
    search = next(i for i in dialog["interactionModel"]["languageModel"]["intents"] if i["name"] == "SearchProductIntent")
    next(s for s in search["slots"] if s["name"] == "product")["multipleValues"] = {"enabled": True}
    d_slot = next(
        s for i in dialog["interactionModel"]["dialog"]["intents"] if i["name"] == "SearchProductIntent"
        for s in i["slots"] if s["name"] == "product"
    )
    d_slot["confirmationRequired"] = True
    assert any("cannot be confirmed" in p for p in check(dialog))


def test_the_grammar_says_two_products_in_one_sentence() -> None:
    g = build_grammar(load_interaction_model(MODEL))
    assert any(t.count("{PRODUCT}") == 2 and " and " in t for t in g.templates)
    assert g.accepts("add milk and eggs")
    plain = json.loads(MODEL.read_text(encoding="utf-8"))
    for intent in plain["interactionModel"]["languageModel"]["intents"]:
        for slot in intent.get("slots", []):
            slot.pop("multipleValues", None)
    g2 = build_grammar(parse_interaction_model(plain))

    def two(grammar: Any) -> set[str]:
        return {t for t in grammar.templates if t.count("{PRODUCT}") == 2}

    # only the list slot says two products in one add; a comparison's two slots stay either way
    listed = two(g) - two(g2)
    assert listed and all(" and " in t for t in listed)
    assert not any(t.startswith("add ") for t in two(g2))


def _values(nlu: CompiledNLU, text: str) -> list[tuple[str, str | None]]:
    res = nlu.resolve(text)
    assert res.intent == "AddToCartIntent", (text, res.intent)
    return [(v.value, v.id) for v in res.slots["product"].values or []]


def test_each_listed_item_keeps_every_word_said_for_it(nlu: CompiledNLU) -> None:
    assert _values(nlu, "could you add organic valley whole milk plus eggland's best eggs") == [
        ("organic valley whole milk", "milk"), ("eggland best eggs", "eggs"),
    ]
    # said with pauses only, no commas written: two kinds one after another are two items
    assert _values(nlu, "throw dole bananas barilla spaghetti and prego sauce in my cart") == [
        ("dole bananas", "bananas"), ("barilla spaghetti", "pasta"), ("prego sauce", "pasta_sauce"),
    ]
    # a quantity said for a later item stays with it, for the skill to read
    res = nlu.resolve("add three cans of tomato soup and a box of saltine crackers to my cart")
    assert res.slots["quantity"].value == "3"
    assert [v.value for v in res.slots["product"].values or []] == ["tomato soup", "a box of saltine crackers"]


def test_a_list_is_only_read_where_every_part_is_an_item(nlu: CompiledNLU) -> None:
    for text in ("add bread and then check out", "add some rice and what's my total"):
        res = nlu.resolve(text)
        product = res.slots.get("product")
        assert product is None or product.values is None, text
    # the request's verb said again before the next item is not part of it
    assert [v for v, _ in _values(nlu, "add butter and add jam")] == ["butter", "jam"]
    # one kind said twice with its own words stays two values (the skill drops an exact repeat)
    assert len(_values(nlu, "add tide detergent and gain detergent")) == 2
    # a trailing pause ("milk, eggs,") is no empty item
    assert [v for v, _ in _values(nlu, "add milk, eggs,")] == ["milk", "eggs"]


def test_items_said_with_pauses_heard_as_nothing(nlu: CompiledNLU) -> None:
    # the recogniser writes no commas: a count or "a" after a whole value starts the next item
    assert [v for v, _ in _values(nlu, "add gala apples roma tomatoes a red onion and a hass avocado")] == [
        "gala apples", "roma tomatoes", "a red onion", "a hass avocado",
    ]
    assert [v for v, _ in _values(nlu, "add milk two cans of tomato soup and eggs")] == [
        "milk", "two cans of tomato soup", "eggs",
    ]
    # a brand said before another kind's value is part of that item, not an item of its own
    values = _values(nlu, "add ben and jerry's cookie dough and a box of oreos")
    assert values[0][0] == "ben and jerry cookie dough" and len(values) == 2
