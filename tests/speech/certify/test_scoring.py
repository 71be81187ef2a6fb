"""Scoring: word error rate, per-intent figures, the confusion matrix, slot comparison."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from speech.certify.cases import ExpectedSlot
from speech.certify.scoring import (
    Confusion,
    intent_figures,
    resolution_problems,
    slot_mismatches,
    word_errors,
)
from speech.nlu.types import SlotValue


def test_word_errors_counts_each_kind_of_edit() -> None:
    sub = word_errors("add milk to my cart", "add silk to my cart")
    assert (sub.substitutions, sub.deletions, sub.insertions) == (1, 0, 0)
    assert sub.wer == 1 / 5
    dele = word_errors("what's in my cart", "what's in")
    assert (dele.substitutions, dele.deletions, dele.insertions) == (0, 2, 0)
    assert dele.wer == 0.5
    ins = word_errors("check out", "please check out now")
    assert (ins.substitutions, ins.deletions, ins.insertions) == (0, 0, 2)
    assert ins.wer == 1.0


def test_word_errors_ignores_case_and_punctuation_but_not_apostrophes() -> None:
    assert word_errors("What's in my cart?", "what's in my cart").errors == 0
    assert word_errors("what's in my cart", "whats in my cart").errors == 1


def test_word_errors_empty_reference() -> None:
    assert word_errors("", "").wer == 0.0
    assert word_errors("", "hello").wer == 1.0
    assert word_errors("hello there", "").wer == 1.0


@given(st.lists(st.sampled_from(["a", "b", "c", "milk"]), max_size=8),
       st.lists(st.sampled_from(["a", "b", "c", "milk"]), max_size=8))
def test_word_errors_is_a_distance(ref: list[str], hyp: list[str]) -> None:
    forward = word_errors(" ".join(ref), " ".join(hyp))
    backward = word_errors(" ".join(hyp), " ".join(ref))
    assert forward.errors == backward.errors
    assert abs(len(ref) - len(hyp)) <= forward.errors <= max(len(ref), len(hyp))
    assert word_errors(" ".join(ref), " ".join(ref)).errors == 0
    # Deletions minus insertions is the length difference, whatever the alignment.
    assert forward.deletions - forward.insertions == len(ref) - len(hyp)


def test_intent_figures_precision_recall_f1_and_slot_accuracy() -> None:
    scored = [
        ("A", "A", True), ("A", "A", False), ("A", "B", True),  # A: 2 of 3 recalled, 1 slot error
        ("B", "B", True), ("C", "A", True),                      # one C predicted as A
    ]
    figures = intent_figures(scored)
    a, b, c = figures["A"], figures["B"], figures["C"]
    assert (a.support, a.predicted, a.true_positives) == (3, 3, 2)
    assert a.precision == 2 / 3 and a.recall == 2 / 3 and abs(a.f1 - 2 / 3) < 1e-12
    assert a.slot_accuracy == 0.5
    assert b.precision == 0.5 and b.recall == 1.0 and abs(b.f1 - 2 / 3) < 1e-12
    assert c.recall == 0.0 and c.precision == 0.0 and c.f1 == 0.0 and c.slot_accuracy is None
    assert a.to_json() == {"precision": 0.6667, "recall": 0.6667, "f1": 0.6667, "slot_accuracy": 0.5, "support": 3}


def test_confusion_matrix_rows_expected_columns_actual() -> None:
    confusion = Confusion()
    for expected, actual in [("A", "A"), ("A", "B"), ("B", "B"), ("B", "B"), ("C", "A")]:
        confusion.add(expected, actual)
    assert confusion.labels == ["A", "B", "C"]
    assert confusion.matrix() == [[1, 1, 0], [0, 2, 0], [1, 0, 0]]


def test_slot_mismatches_accepts_value_resolved_name_or_id() -> None:
    actual = {"product": SlotValue("product", "a gallon of milk", "PRODUCT", id="milk", resolved="milk")}
    assert slot_mismatches({"product": ExpectedSlot("milk")}, actual) == []
    assert slot_mismatches({"product": ExpectedSlot("Milk", id="milk", check_id=True)}, actual) == []
    assert slot_mismatches({"product": ExpectedSlot("milk", id="oat_milk", check_id=True)}, actual) == [
        "product: expected id 'oat_milk', got 'milk' ('a gallon of milk')"
    ]
    assert slot_mismatches({"product": ExpectedSlot(None, id="milk", check_id=True)}, actual) == []
    unmatched = {"product": SlotValue("product", "sriracha", "PRODUCT", status="ER_SUCCESS_NO_MATCH")}
    assert slot_mismatches({"product": ExpectedSlot("sriracha", id=None, check_id=True)}, unmatched) == []
    assert slot_mismatches({"product": ExpectedSlot(None, id=None, check_id=True)}, actual) == [
        "product: expected id 'None', got 'milk' ('a gallon of milk')"
    ]


def test_slot_mismatches_reports_missing_wrong_and_unexpected_slots() -> None:
    actual = {"quantity": SlotValue("quantity", "3", "AMAZON.NUMBER"), "unit": SlotValue("unit", "bags", "UNIT")}
    problems = slot_mismatches({"quantity": ExpectedSlot("2"), "product": ExpectedSlot("rice")}, actual)
    assert problems == [
        "quantity: expected '2', got '3'",
        "product: expected 'rice', not filled",
        "unit: not expected, got 'bags'",
    ]
    lenient = slot_mismatches({"quantity": ExpectedSlot("3")}, actual, strict=False)
    assert lenient == []  # sentence files: slots not listed are not checked


def test_resolution_problems_checks_the_intent_and_the_key_slots_only() -> None:
    class Result:
        intent = "AddToCartIntent"
        slots = {"quantity": SlotValue("quantity", "2", "AMAZON.NUMBER"),
                 "product": SlotValue("product", "a gallon of milk", "PRODUCT", id="milk", resolved="milk")}

    assert resolution_problems(Result(), "AddToCartIntent", {"product": "milk"}) == []  # quantity not asked about
    assert resolution_problems(Result(), "AddToCartIntent", {"quantity": 2, "product": "milk"}) == []
    assert resolution_problems(Result(), "RemoveFromCartIntent", {"quantity": "3", "unit": "bottle"}) == [
        "intent: expected RemoveFromCartIntent, got AddToCartIntent",
        "quantity: expected '3', got '2'",
        "unit: expected 'bottle', not filled",
    ]
