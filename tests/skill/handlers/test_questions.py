"""The pending questions: one declared set of kinds with typed payloads, kept in the session in the
JSON shape sessions have always had, and read back from a client's copy as a hint."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from skill.handlers.questions import (
    CHECKOUT_QUESTIONS,
    QUESTIONS,
    ChooseToAdd,
    ConfirmOrder,
    ConfirmQuantity,
    Kind,
    OfferAdd,
    RetryPayment,
    VoiceCode,
    asked_quantity,
    from_session,
    while_adding,
)

HANDLERS_DIR = Path(__file__).resolve().parents[3] / "skill" / "handlers"


def test_questions_every_kind_has_one_question() -> None:
    assert set(QUESTIONS) == set(Kind)
    assert all(cls.kind is kind for kind, cls in QUESTIONS.items())
    assert len(set(QUESTIONS.values())) == len(Kind)
    assert all(cls in QUESTIONS.values() for cls in CHECKOUT_QUESTIONS)


def test_questions_keep_the_session_shape() -> None:
    assert ChooseToAdd(quantity=2).to_session() == {"kind": "choose_to_add", "quantity": 2}
    assert OfferAdd(sku="MILK-001", quantity=None).to_session() == {"kind": "offer_add", "sku": "MILK-001", "quantity": None}
    assert OfferAdd(sku="MILK-001", quantity=3, adding=True).to_session() == {
        "kind": "offer_add", "sku": "MILK-001", "quantity": 3, "adding": True,
    }
    assert ConfirmOrder(checkout_id="9f2c0a1b2c3d4e5f", total_cents=1234).to_session() == {
        "kind": "confirm_order", "checkout_id": "9f2c0a1b2c3d4e5f", "total_cents": 1234,
    }
    # the checkout's record keeps the question without the id, as it always has
    assert ConfirmOrder(checkout_id="9f2c0a1b2c3d4e5f", total_cents=1234).to_record() == {
        "kind": "confirm_order", "total_cents": 1234,
    }
    assert VoiceCode().to_record() == {"kind": "voice_code"}
    assert RetryPayment(card_id=2).to_record() == {"kind": "retry_payment", "card_id": 2}


@pytest.mark.parametrize("cls", list(QUESTIONS.values()))
def test_questions_read_back_what_was_written(cls: Any) -> None:
    question = cls()
    assert from_session(question.to_session()) == question


def test_questions_from_a_session_saved_before() -> None:
    saved = {"kind": "confirm_quantity", "sku": "MILK-001", "quantity": 12, "mode": "set"}
    assert from_session(saved) == ConfirmQuantity(sku="MILK-001", quantity=12, mode="set")
    # a question asked with fewer fields than it has now
    assert from_session({"kind": "offer_add", "sku": "EGGS-001"}) == OfferAdd(sku="EGGS-001")


@pytest.mark.parametrize(
    "raw",
    [None, "offer_add", [], {}, {"kind": 3}, {"kind": "make_coffee"}, {"sku": "MILK-001"}],
)
def test_questions_anything_else_is_no_question(raw: Any) -> None:
    assert from_session(raw) is None


def test_questions_a_field_of_the_wrong_type_reads_as_its_default() -> None:
    forged = {"kind": "confirm_quantity", "sku": 7, "quantity": True, "mode": "delete", "extra": 1}
    assert from_session(forged) == ConfirmQuantity()
    assert from_session({"kind": "confirm_order", "total_cents": 12.0, "checkout_id": ["x"]}) == ConfirmOrder()


def test_questions_adding_and_quantity() -> None:
    assert while_adding(ChooseToAdd(quantity=None)) and while_adding(OfferAdd(sku="A", adding=True))
    assert not while_adding(OfferAdd(sku="A")) and not while_adding(None)
    assert asked_quantity(OfferAdd(sku="A", quantity=4)) == 4
    assert asked_quantity(VoiceCode()) is None and asked_quantity(None) is None


def test_handler_modules_never_import_one_another() -> None:
    """Shared steps live in modules without handlers (skill/handlers/steps, base, phrasing, questions)."""
    modules = {path.stem: path.read_text(encoding="utf-8") for path in HANDLERS_DIR.glob("*.py")}
    handler_modules = {name for name, text in modules.items() if "\nHANDLERS: " in text}
    assert {"cart", "checkout", "search", "choose"} <= handler_modules
    steps = [*HANDLERS_DIR.glob("steps/*.py"), *(HANDLERS_DIR / f"{name}.py" for name in ("base", "phrasing", "questions"))]
    for path in steps:
        assert "\nHANDLERS" not in path.read_text(encoding="utf-8"), f"{path.name} holds handlers"
    for name in handler_modules:
        for node in ast.walk(ast.parse(modules[name])):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported = node.module.removeprefix("skill.handlers.")
                assert imported not in handler_modules, f"{name} imports {node.module}"
