"""Each build rule fires on a model made to break it, and names the offending element."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from speech.errors import ModelError
from speech.validate import CheckResult, has_required_failure, load_model_json, validate_model


def _check(model: Any, title: str) -> CheckResult:
    results = {r.title: r for r in validate_model(model)}
    return results[title]


def _language(model: dict[str, Any]) -> dict[str, Any]:
    return model["interactionModel"]["languageModel"]  # type: ignore[no-any-return]


def _intent(model: dict[str, Any], name: str) -> dict[str, Any]:
    return next(i for i in _language(model)["intents"] if i["name"] == name)


def _type(model: dict[str, Any], name: str) -> dict[str, Any]:
    return next(t for t in _language(model)["types"] if t["name"] == name)


def _failed_with(result: CheckResult, *words: str) -> bool:
    expected = "FAILED" if result.severity == "REQUIRED" else "WARNING"
    return result.status == expected and any(all(w in d for w in words) for d in result.details)


def test_validate_structure_names_a_missing_language_model(model: dict[str, Any]) -> None:
    del model["interactionModel"]["languageModel"]
    result = _check(model, "Model structure")
    assert _failed_with(result, "languageModel")
    assert has_required_failure(validate_model(model))


def test_validate_structure_names_a_slot_without_type(model: dict[str, Any]) -> None:
    del _intent(model, "AddToCartIntent")["slots"][0]["type"]
    assert _failed_with(_check(model, "Model structure"), "AddToCartIntent", "type")


def test_validate_structure_survives_any_json_value() -> None:
    for value in ([], "model", 3, None, {"interactionModel": []}, {"interactionModel": {"languageModel": 1}}):
        results = validate_model(value)  # type: ignore[arg-type]
        assert results[0].title == "Model structure" and results[0].status == "FAILED"


@pytest.mark.parametrize("name, words", [
    ("shop", "two or more words"),
    ("Voice Shop", "lowercase"),
    ("voice shop two", None),
    ("voice shop 2", "spell numbers out"),
    ("ask voice shop", "launch word"),
    ("alexa grocery shop", "wake word"),
    ("voice skill", "wake word"),
    ("shop and save", "connecting word"),
    ("the shop", "two-word"),
    ("voice shop!", "only letters"),
    ("talk to grocer", "launch phrase"),
])
def test_validate_invocation_name_rules(model: dict[str, Any], name: str, words: str | None) -> None:
    _language(model)["invocationName"] = name
    result = _check(model, "Invocation name")
    if words is None:
        assert result.status == "PASSED", result.details
    else:
        assert _failed_with(result, words), result.details


def test_validate_intent_name_with_bad_characters(model: dict[str, Any]) -> None:
    _intent(model, "DealsIntent")["name"] = "Deals-Intent"
    assert _failed_with(_check(model, "Intent and slot names"), "Deals-Intent")


def test_validate_slot_named_like_an_intent(model: dict[str, Any]) -> None:
    _intent(model, "SelectItemIntent")["slots"].append({"name": "DealsIntent", "type": "AMAZON.NUMBER"})
    assert _failed_with(_check(model, "Intent and slot names"), "DealsIntent", "same name as an intent")


def test_validate_slot_defined_twice(model: dict[str, Any]) -> None:
    _intent(model, "SelectItemIntent")["slots"].append({"name": "position", "type": "AMAZON.Ordinal"})
    assert _failed_with(_check(model, "Intent and slot names"), "position", "twice")


def test_validate_slot_of_undefined_type(model: dict[str, Any]) -> None:
    _intent(model, "SelectItemIntent")["slots"][0]["type"] = "AMAZON.Ordinl"
    assert _failed_with(_check(model, "Slot types"), "position", "AMAZON.Ordinl")


def test_validate_custom_type_with_invalid_name(model: dict[str, Any]) -> None:
    _type(model, "UNIT")["name"] = "UNIT-TYPE"
    for intent in _language(model)["intents"]:
        for slot in intent.get("slots", []):
            if slot["type"] == "UNIT":
                slot["type"] = "UNIT-TYPE"
    assert _failed_with(_check(model, "Slot types"), "UNIT-TYPE", "letters")


def test_validate_custom_type_without_values(model: dict[str, Any]) -> None:
    _type(model, "TIME_SLOT")["values"] = []
    assert _failed_with(_check(model, "Slot types"), "TIME_SLOT", "no values")


def test_validate_custom_type_with_duplicate_ids(model: dict[str, Any]) -> None:
    values = _type(model, "ADDRESS_LABEL")["values"]
    values.append({"id": values[0]["id"], "name": {"value": "cabin"}})
    assert _failed_with(_check(model, "Slot types"), "ADDRESS_LABEL", "used twice")


def test_validate_unused_type_and_shared_synonym_warn(model: dict[str, Any]) -> None:
    _language(model)["types"].append({"name": "COLOR", "values": [{"id": "red", "name": {"value": "red"}}]})
    _type(model, "ADDRESS_LABEL")["values"][1]["name"]["synonyms"].append("house")
    result = _check(model, "Slot values")
    assert result.severity == "RECOMMENDED"
    assert _failed_with(result, "COLOR", "not used")
    assert _failed_with(result, "'house'", "two values")
    assert not has_required_failure([result])


def test_validate_custom_intent_without_samples(model: dict[str, Any]) -> None:
    _intent(model, "DealsIntent")["samples"] = []
    assert _failed_with(_check(model, "Intent sample utterances"), "DealsIntent")


def test_validate_sample_with_undefined_slot(model: dict[str, Any]) -> None:
    _intent(model, "AddToCartIntent")["samples"].append("add {item} to my cart")
    assert _failed_with(_check(model, "Slot references in samples"), "AddToCartIntent", "{item}")


def test_validate_sample_with_unbalanced_brace(model: dict[str, Any]) -> None:
    _intent(model, "AddToCartIntent")["samples"].append("add {product to my cart")
    assert _failed_with(_check(model, "Slot references in samples"), "unbalanced")


def test_validate_slot_sample_without_its_slot(model: dict[str, Any]) -> None:
    slot = next(s for s in _intent(model, "SearchProductIntent")["slots"] if s["name"] == "product")
    slot["samples"].append("something nice")
    assert _failed_with(_check(model, "Slot references in samples"), "something nice", "{product}")


@pytest.mark.parametrize("sample, words", [
    ("add 2 {product}", "spell numbers out"),
    ("add {product}!", "only letters"),
    ("add {product}, please", "only letters"),
])
def test_validate_sample_characters(model: dict[str, Any], sample: str, words: str) -> None:
    _intent(model, "AddToCartIntent")["samples"].append(sample)
    assert _failed_with(_check(model, "Sample utterance characters"), sample, words)


def test_validate_sample_characters_allow_abbreviations_and_possessives(model: dict[str, Any]) -> None:
    _intent(model, "AddToCartIntent")["samples"] += ["add the o. j.", "add mom's usual pick-me-up"]
    assert _check(model, "Sample utterance characters").status == "PASSED"


def test_validate_duplicate_sample_within_an_intent(model: dict[str, Any]) -> None:
    _intent(model, "DealsIntent")["samples"].append("What's  on sale")
    assert _failed_with(_check(model, "Duplicate sample utterances"), "DealsIntent", "twice")


def test_validate_duplicate_sample_across_intents(model: dict[str, Any]) -> None:
    _intent(model, "ReorderIntent")["samples"].append("what's on sale")
    assert _failed_with(_check(model, "Duplicate sample utterances"), "DealsIntent", "ReorderIntent")


def test_validate_slot_only_sample_of_custom_type_warns(model: dict[str, Any]) -> None:
    _intent(model, "AddToCartIntent")["samples"].append("{product}")
    result = _check(model, "Slot-only sample utterances")
    assert result.severity == "RECOMMENDED"
    assert _failed_with(result, "AddToCartIntent", "{product}")


def test_validate_slot_only_sample_with_a_number_or_date_passes(model: dict[str, Any]) -> None:
    _intent(model, "AddToCartIntent")["samples"].append("{quantity} {product}")
    assert _check(model, "Slot-only sample utterances").status == "PASSED"
    _intent(model, "AddToCartIntent")["samples"].append("{product} {unit}")
    assert _failed_with(_check(model, "Slot-only sample utterances"), "{product} {unit}")


def test_validate_search_query_needs_a_carrier_phrase(model: dict[str, Any]) -> None:
    intent = _intent(model, "SearchProductIntent")
    intent["slots"].append({"name": "query", "type": "AMAZON.SearchQuery"})
    intent["samples"] += ["{query}", "look up {query}"]
    result = _check(model, "AMAZON.SearchQuery carrier phrase")
    assert _failed_with(result, "'{query}'", "carrier phrase")
    assert not any("look up" in d for d in result.details)


def test_validate_search_query_cannot_share_a_sample(model: dict[str, Any]) -> None:
    intent = _intent(model, "SearchProductIntent")
    intent["slots"].append({"name": "query", "type": "AMAZON.SearchQuery"})
    intent["samples"].append("look up {query} near {product}")
    assert _failed_with(_check(model, "AMAZON.SearchQuery carrier phrase"), "another slot")


@pytest.mark.parametrize("builtin", ["AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent",
                                     "AMAZON.NavigateHomeIntent", "AMAZON.FallbackIntent"])
def test_validate_required_builtin_missing(model: dict[str, Any], builtin: str) -> None:
    language = _language(model)
    language["intents"] = [i for i in language["intents"] if i["name"] != builtin]
    assert _failed_with(_check(model, "Required built-in intents"), builtin)


def test_validate_dialog_prompt_referenced_but_not_defined(model: dict[str, Any]) -> None:
    prompts = model["interactionModel"]["prompts"]
    missing = prompts.pop(0)["id"]
    assert _failed_with(_check(model, "Dialog model and prompts"), missing, "not defined")


def test_validate_dialog_intent_not_in_language_model(model: dict[str, Any]) -> None:
    model["interactionModel"]["dialog"]["intents"].append({"name": "OrderPizzaIntent", "slots": []})
    assert _failed_with(_check(model, "Dialog model and prompts"), "OrderPizzaIntent")


def test_validate_dialog_elicited_slot_without_slot_samples(model: dict[str, Any]) -> None:
    slot = _intent(model, "SetPaymentMethodIntent")["slots"][0]
    del slot["samples"]
    assert _failed_with(_check(model, "Dialog model and prompts"), "paymentLabel", "slot sample")


def test_validate_dialog_confirmation_without_prompt(model: dict[str, Any]) -> None:
    intent = model["interactionModel"]["dialog"]["intents"][0]
    intent["confirmationRequired"] = True
    assert _failed_with(_check(model, "Dialog model and prompts"), intent["name"], "confirmation prompt")


def test_validate_results_serialise_as_json(model: dict[str, Any]) -> None:
    rows = [r.to_json() for r in validate_model(model)]
    assert all(set(row) == {"title", "severity", "status", "details"} for row in rows)
    assert len({row["title"] for row in rows}) == len(rows)


def test_load_model_json_names_file_and_line_of_a_json_error(data_dir: Path) -> None:
    path = data_dir / "malformed_model.json"
    with pytest.raises(ModelError) as raised:
        load_model_json(path)
    message = str(raised.value)
    assert str(path) in message and "line 7" in message


def test_load_model_json_missing_file_and_non_object(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no such file"):
        load_model_json(tmp_path / "absent.json")
    listed = tmp_path / "list.json"
    listed.write_text("[1, 2]")
    with pytest.raises(ModelError, match="JSON object"):
        load_model_json(listed)
