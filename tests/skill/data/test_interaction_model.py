"""The committed interaction model: passes every rule, is current with its generator, fits the contract."""

from __future__ import annotations

from typing import Any

from skill.data.build_model import build_model
from speech.validate import validate_model

CUSTOM_INTENTS = {
    "SearchProductIntent": {"product"},
    "AddToCartIntent": {"product", "quantity", "unit", "position"},
    "RemoveFromCartIntent": {"product", "position"},
    "UpdateQuantityIntent": {"product", "quantity", "unit"},
    "ViewCartIntent": set(),
    "ClearCartIntent": set(),
    "SelectItemIntent": {"position"},
    "ProductDetailsIntent": {"product", "position"},
    "CheckoutIntent": set(),
    "ProvideVoiceCodeIntent": {"voiceCode"},
    "ScheduleDeliveryIntent": {"date", "timeSlot"},
    "SetDeliveryAddressIntent": {"addressLabel"},
    "SetPaymentMethodIntent": {"paymentLabel"},
    "TrackOrderIntent": {"orderNumber"},
    "CancelOrderIntent": {"orderNumber"},
    "ReorderIntent": set(),
    "DealsIntent": set(),
    # added for issue 26 (orders and delivery outside checkout, small talk)
    "LastOrderIntent": set(),
    "ReorderItemIntent": {"product"},
    "UsualOrderIntent": set(),
    "DeliveryInfoIntent": set(),
    "DeliveryTimesIntent": set(),
    "ThanksIntent": set(),
    "ForgotVoiceCodeIntent": set(),
}
ADDED_INTENTS = {
    # new intents the contract allows (#26): undo, one less, choosing by an order word, corrections
    "UndoIntent": set(),
    "CorrectionIntent": {"product"},
    "DecreaseQuantityIntent": {"product", "quantity"},
    "ChooseProductIntent": {"feature", "product", "size", "unit"},
    # follow-ups, other options, hearing the whole cart, the order number on request
    "ProductQuestionIntent": {"feature", "position", "product"},
    "CompareProductsIntent": {"feature", "product", "otherProduct"},
    "OtherOptionsIntent": set(),
    "ReadWholeCartIntent": set(),
    "OrderNumberIntent": set(),
}
ADDED_SLOTS = {"SearchProductIntent": {"feature", "maxPrice"}, "AddToCartIntent": {"feature"}}
BUILTINS = {"AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.FallbackIntent",
            "AMAZON.NavigateHomeIntent", "AMAZON.YesIntent", "AMAZON.NoIntent", "AMAZON.RepeatIntent",
            "AMAZON.NextIntent", "AMAZON.StartOverIntent"}
FIXED_SLOT_TYPES = {"quantity": "AMAZON.NUMBER", "position": "AMAZON.Ordinal",
                    "voiceCode": "AMAZON.FOUR_DIGIT_NUMBER", "date": "AMAZON.DATE"}


def _intents(model: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["name"]: i for i in model["interactionModel"]["languageModel"]["intents"]}


def test_model_committed_passes_every_check(model: dict[str, Any]) -> None:
    results = validate_model(model)
    assert len(results) >= 13
    assert [r for r in results if r.status != "PASSED"] == []


def test_model_committed_is_what_the_generator_makes(model: dict[str, Any]) -> None:
    assert build_model() == model


def test_model_has_every_contract_intent_and_slot(model: dict[str, Any]) -> None:
    intents = _intents(model)
    assert set(intents) == set(CUSTOM_INTENTS) | set(ADDED_INTENTS) | BUILTINS
    for name, slots in {**CUSTOM_INTENTS, **ADDED_INTENTS}.items():
        declared = {s["name"]: s["type"] for s in intents[name].get("slots", [])}
        assert set(declared) == slots | ADDED_SLOTS.get(name, set()), name
        for slot, slot_type in FIXED_SLOT_TYPES.items():
            if slot in declared:
                assert declared[slot] == slot_type, (name, slot)


def test_model_has_at_least_15_samples_per_custom_intent(model: dict[str, Any]) -> None:
    intents = _intents(model)
    for name in CUSTOM_INTENTS:
        assert len(intents[name]["samples"]) >= 15, name
    assert len(intents["AddToCartIntent"]["samples"]) >= 25
    assert len(intents["SearchProductIntent"]["samples"]) >= 25


def test_model_add_to_cart_covers_quantity_unit_and_position_phrasings(model: dict[str, Any]) -> None:
    samples = _intents(model)["AddToCartIntent"]["samples"]
    assert "add {quantity} {unit} of {product} to my cart" in samples
    assert any("{position}" in s and "{product}" not in s for s in samples)
    assert any(s.startswith("could you please") for s in samples)
    assert "add it" in samples


def test_model_every_catalog_generic_is_a_product_value(model: dict[str, Any],
                                                        catalog: list[dict[str, Any]]) -> None:
    types = {t["name"]: t for t in model["interactionModel"]["languageModel"]["types"]}
    ids = {v["id"] for v in types["PRODUCT"]["values"]}
    assert ids == {p["generic"] for p in catalog}
    names = {v["id"]: v["name"]["value"] for v in types["PRODUCT"]["values"]}
    assert names["oat_milk"] == "oat milk"


def test_model_product_synonyms_include_catalog_synonyms_and_spoken_brands(model: dict[str, Any]) -> None:
    types = {t["name"]: t for t in model["interactionModel"]["languageModel"]["types"]}
    values = {v["id"]: v["name"] for v in types["PRODUCT"]["values"]}
    assert "kitchen roll" in values["paper_towels"]["synonyms"]
    assert "tropicana orange juice" in values["orange_juice"]["synonyms"]
    assert "m and m's" in values["candy"]["synonyms"]


def test_model_dialog_elicits_only_the_intended_slots(model: dict[str, Any]) -> None:
    dialog = model["interactionModel"]["dialog"]
    elicited = {(i["name"], s["name"]) for i in dialog["intents"] for s in i["slots"] if s["elicitationRequired"]}
    assert elicited == {("SearchProductIntent", "product"), ("SetDeliveryAddressIntent", "addressLabel"),
                        ("SetPaymentMethodIntent", "paymentLabel"), ("ProvideVoiceCodeIntent", "voiceCode"),
                        ("ScheduleDeliveryIntent", "timeSlot")}
    assert all(i["delegationStrategy"] == "ALWAYS" for i in dialog["intents"])
    assert "AddToCartIntent" not in {i["name"] for i in dialog["intents"]}


def test_model_invocation_name_and_fallback_sensitivity(model: dict[str, Any]) -> None:
    language = model["interactionModel"]["languageModel"]
    assert language["invocationName"] == "voice shop"
    assert language["modelConfiguration"]["fallbackIntentSensitivity"]["level"] == "LOW"


def test_model_product_synonyms_do_not_swallow_a_unit(model: dict[str, Any]) -> None:
    # "a loaf of bread" must fill unit=loaf and product=bread, so no product synonym starts with a unit.
    types = {t["name"]: t for t in model["interactionModel"]["languageModel"]["types"]}
    units = {w for v in types["UNIT"]["values"] for w in [v["name"]["value"], *v["name"]["synonyms"]]}
    for value in types["PRODUCT"]["values"]:
        for synonym in value["name"]["synonyms"]:
            words = synonym.split()
            start = words[1] if words[0] in ("a", "an") and len(words) > 1 else words[0]
            assert not (start in units and "of" in words), (value["id"], synonym)
