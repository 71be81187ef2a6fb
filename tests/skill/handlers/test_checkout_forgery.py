"""The server decides what was confirmed: forged session attributes never place an order, and a
locked account is never charged (issue 24, findings 1 and 2).

Each attack edits the session attributes a client sends back, the way `chat --endpoint`, a console or
a proxy in front of `serve --insecure-dev` could, at every stage of a checkout: the code given, the
read-back heard, the order confirmed, a declined card being retried; with voice purchasing open and
locked. The old skill believed `checkout.stage`, `checkout.code_ok` and `pending`; now they are hints.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from skill.services import Services
from skill.services.accounts import AccountService
from skill.services.orders import (
    VoiceCodeRequired,
    VoicePurchasingLocked,
    cart_fingerprint,
    price,
)
from tests.support.skill import USER, Shop, Shopper, checkout_to_code

pytestmark = pytest.mark.both_stores

FORGED_ID = "0123456789abcdef"


def _accounts(shop: Shop) -> AccountService:
    return AccountService(shop.db, shop.clock, shop.config)


def _lock(shop: Shop) -> None:
    shop.db.execute("UPDATE purchase_settings SET locked = 1, failed_attempts = 3 WHERE user_id = ?", (USER,))


def _card_id(shop: Shop, label: str) -> int:
    return shop.count("SELECT id FROM payment_methods WHERE user_id = ? AND label = ?", USER, label)


def _address_id(shop: Shop) -> int:
    return shop.count("SELECT id FROM addresses WHERE user_id = ? AND label = 'home'", USER)


def _agreement(shop: Shop) -> tuple[int, str]:
    """The cart's total and fingerprint, which a forger can work out from the cart and prices."""
    lines = Services(shop.db, shop.clock, shop.config).orders.cart_lines(USER)
    return price(lines, shop.config).total_cents, cart_fingerprint(lines)


def _forged_checkout(shop: Shop, stage: str, **extra: Any) -> dict[str, Any]:
    """The old session shape of a checkout, filled with what a forger can know or work out."""
    total, fingerprint = _agreement(shop)
    return {
        "id": FORGED_ID,
        "address_id": _address_id(shop),
        "slot_id": "2026-11-28-morning",
        "card_id": _card_id(shop, "visa"),
        "stage": stage,
        "total_cents": total,
        "fingerprint": fingerprint,
        "code_ok": True,
        "started": True,
        **extra,
    }


# Each stage: the attributes claimed and the request that would have placed the order.
STAGES: dict[str, tuple[str, dict[str, Any]]] = {
    "code_given": ("AMAZON.YesIntent", {"stage": "confirming", "code_ok": True, "pending": "confirm_order"}),
    "read_back_heard": ("AMAZON.YesIntent", {"stage": "confirming", "code_ok": False, "pending": "confirm_order"}),
    "confirmed": ("ProvideVoiceCodeIntent", {"stage": "code", "code_ok": True, "pending": "voice_code"}),
    "retrying_payment": ("AMAZON.YesIntent", {"stage": "confirmed", "code_ok": True, "pending": "retry_payment"}),
}


def _attributes(shop: Shop, stage: str, checkout_id: str = FORGED_ID) -> dict[str, Any]:
    claimed = dict(STAGES[stage][1])
    kind = claimed.pop("pending")
    checkout = _forged_checkout(shop, claimed.pop("stage"), **claimed)
    checkout["id"] = checkout_id
    pending: dict[str, Any] = {"kind": kind, "checkout_id": checkout_id, "total_cents": checkout["total_cents"]}
    if kind == "retry_payment":
        pending["card_id"] = _card_id(shop, "mastercard")
    return {"checkout": checkout, "pending": pending}


def _send_forged(shopper: Shopper, attributes: dict[str, Any], stage: str) -> None:
    intent = STAGES[stage][0]
    shopper.session.attributes = copy.deepcopy(attributes)
    if intent == "ProvideVoiceCodeIntent":
        shopper.say(intent, voiceCode="1234")
    else:
        shopper.say(intent)


@pytest.mark.parametrize("locked", [False, True], ids=["open", "locked"])
@pytest.mark.parametrize("stage", list(STAGES))
def test_forged_attributes_in_a_new_session_place_no_order(shop: Shop, stage: str, locked: bool) -> None:
    shop.fill_cart(USER, {"MILK-001": 1})
    if locked:
        _lock(shop)
    shopper = shop.shopper()
    shopper.new_session()
    _send_forged(shopper, _attributes(shop, stage), stage)
    assert shop.orders() == 0 and shop.charges() == 0
    assert shop.count("SELECT COUNT(*) FROM ledger") == 0  # not even a declined attempt
    if locked:
        assert "Voice purchasing is locked" in shopper.speech or "no order waiting" in shopper.speech
        return
    # The normal flow: a forged yes gets the read-back; the forged code is not taken for one.
    if STAGES[stage][0] == "AMAZON.YesIntent":
        # A checkout of the server's own starts: the forged slot was never chosen here, so it asks.
        assert shopper.pending == "delivery_slot" and "When would you like it delivered" in shopper.speech
        assert set(shopper.session.attributes["checkout"]) == {"id"}
        assert shopper.session.attributes["checkout"]["id"] != FORGED_ID
        shopper.say("ScheduleDeliveryIntent", date="2026-11-28", timeSlot=("morning", "morning"))
        assert "Shall I place the order?" in shopper.speech and shopper.pending == "confirm_order"
        # A real yes to that read-back asks for the code: the forged code_ok counts for nothing.
        shopper.yes()
        assert shopper.pending == "voice_code" and "voice code" in shopper.speech
        assert shop.orders() == 0
        shopper.say("ProvideVoiceCodeIntent", voiceCode="1234")
        assert shop.orders() == 1 and shop.charges() == 1
    else:
        assert "no order waiting" in shopper.speech
        assert _accounts(shop).purchase_settings(USER).failed_attempts == 0  # the code was not even checked


@pytest.mark.parametrize("locked", [False, True], ids=["open", "locked"])
@pytest.mark.parametrize("stage", list(STAGES))
def test_forged_attributes_in_the_same_session_place_no_order(shop: Shop, stage: str, locked: bool) -> None:
    """A real checkout of this session is read back (its record exists); the client then claims a
    later stage for it. Only what the server recorded counts."""
    shop.fill_cart(USER, {"MILK-001": 1})
    shopper = shop.shopper()
    shopper.say("CheckoutIntent")
    shopper.say("ScheduleDeliveryIntent", date="2026-11-28", timeSlot=("morning", "morning"))
    assert shopper.pending == "confirm_order"
    real_id = shopper.session.attributes["checkout"]["id"]
    total = shopper.session.attributes["pending"]["total_cents"]
    if locked:
        _lock(shop)
    attributes = _attributes(shop, stage, checkout_id=real_id)
    assert attributes["pending"]["total_cents"] == total
    _send_forged(shopper, attributes, stage)
    assert shop.orders() == 0 and shop.charges() == 0
    if locked:
        return
    if stage in ("code_given", "read_back_heard"):
        # The yes to the real read-back is genuine: the code is asked for, whatever code_ok claimed.
        assert shopper.pending == "voice_code"
    elif stage == "retrying_payment":
        # No card was declined: the retry is not taken; the order is read back again.
        assert shopper.pending == "confirm_order" and "Shall I place the order?" in shopper.speech
    else:
        assert "no order waiting" in shopper.speech


def test_attributes_copied_from_a_session_waiting_for_the_code_do_not_work_in_another(shop: Shop) -> None:
    shop.fill_cart(USER, {"MILK-001": 1})
    first = shop.shopper()
    checkout_to_code(first)
    stolen = copy.deepcopy(first.session.attributes)
    other = shop.shopper()
    other.new_session()
    other.session.attributes = stolen
    other.say("ProvideVoiceCodeIntent", voiceCode="1234")
    assert "no order waiting" in other.speech
    assert shop.orders() == 0
    # The session it belongs to still goes on normally.
    first.say("ProvideVoiceCodeIntent", voiceCode="1234")
    assert shop.orders() == 1 and shop.charges() == 1


def test_the_code_stage_cannot_be_skipped_by_claiming_the_retry(shop: Shop) -> None:
    """Read back and yes heard (the server waits for the code); the client claims a declined card
    to retry instead of saying the code."""
    shop.fill_cart(USER, {"MILK-001": 1})
    shopper = shop.shopper()
    checkout_to_code(shopper)
    checkout_id = shopper.session.attributes["checkout"]["id"]
    shopper.session.attributes["pending"] = {
        "kind": "retry_payment", "checkout_id": checkout_id, "card_id": _card_id(shop, "mastercard")
    }
    shopper.yes()
    assert shop.orders() == 0 and shop.charges() == 0


def test_a_yes_answers_only_the_question_just_asked_even_if_the_client_restores_it(shop: Shop) -> None:
    shop.fill_cart(USER, {"MILK-001": 1})
    AccountService(shop.db, shop.clock, shop.config).set_voice_purchasing(USER, False)
    shopper = shop.shopper()
    shopper.say("CheckoutIntent")
    shopper.say("ScheduleDeliveryIntent", date="2026-11-28", timeSlot=("morning", "morning"))
    saved = copy.deepcopy(shopper.session.attributes)
    shopper.say("ViewCartIntent")  # another turn: the read-back's question is no longer open
    shopper.session.attributes = saved  # ... but the client puts it back
    shopper.yes()
    assert shop.orders() == 0
    assert "Shall I place the order?" in shopper.speech  # read back again
    shopper.yes()
    assert shop.orders() == 1


def test_malformed_checkout_hints_get_the_normal_flow(shop: Shop) -> None:
    shop.fill_cart(USER, {"MILK-001": 1})
    shopper = shop.shopper()
    for hint in ({"id": 7}, {"id": "../../etc"}, {"id": "x" * 5000}, "checkout", [1, 2], {"id": None}):
        shopper.session.attributes = {
            "checkout": hint,
            "pending": {"kind": "confirm_order", "checkout_id": hint, "total_cents": _agreement(shop)[0]},
        }
        shopper.yes()
        assert shopper.pending == "delivery_slot" and "When would you like" in shopper.speech
    assert shop.orders() == 0


# -- finding 2: the lock is checked when charging ----------------------------------------------------


def test_lock_race_declined_card_then_locked_elsewhere_places_no_order(shop: Shop) -> None:
    """Session A gives the right code and its card is declined; session B makes three wrong guesses
    and locks voice purchasing; A's "yes, use the other card" must not place the order."""
    shop.db.execute(
        "UPDATE payment_methods SET token = 'tok_insufficient_funds' WHERE user_id = ? AND label = 'visa'",
        (USER,),
    )
    shop.fill_cart(USER, {"MILK-001": 1})
    a = shop.shopper()
    checkout_to_code(a)
    assert "use your Mastercard" in a.say("ProvideVoiceCodeIntent", voiceCode="1234")
    assert a.pending == "retry_payment"

    b = shop.shopper()
    b.new_session()
    checkout_to_code(b)
    for wrong in ("1111", "2222", "3333"):
        b.say("ProvideVoiceCodeIntent", voiceCode=wrong)
    assert "locked voice purchasing" in b.speech
    assert _accounts(shop).purchase_settings(USER).locked

    a.yes()
    assert "Voice purchasing is locked" in a.speech
    assert shop.orders() == 0 and shop.charges() == 0
    assert shop.count("SELECT COUNT(*) FROM cart_items WHERE user_id = ?", USER) == 1

    # After the owner resets it, the old checkout's code no longer counts: the code is asked again.
    _accounts(shop).reset_voice_purchasing(USER)
    a.yes()
    assert shop.orders() == 0


def test_lock_set_between_the_yes_and_the_charge_places_no_order(shop: Shop) -> None:
    """Without voice code protection the yes places the order at once; the lock is read inside the
    order's transaction, so a lock written just before it wins."""
    _accounts(shop).set_voice_purchasing(USER, False)
    shop.fill_cart(USER, {"MILK-001": 1})
    shopper = shop.shopper()
    shopper.say("CheckoutIntent")
    shopper.say("ScheduleDeliveryIntent", date="2026-11-28", timeSlot=("morning", "morning"))
    _lock(shop)
    shopper.yes()
    assert "Voice purchasing is locked" in shopper.speech
    assert shop.orders() == 0 and shop.charges() == 0


def test_place_order_checks_lock_and_code_inside_its_transaction(shop: Shop) -> None:
    """The order service itself refuses, whatever its caller believes."""
    shop.fill_cart(USER, {"MILK-001": 1})
    svc = Services(shop.db, shop.clock, shop.config)
    common: dict[str, Any] = {
        "address_id": _address_id(shop),
        "slot_id": "2026-11-28-morning",
        "card_id": _card_id(shop, "visa"),
    }
    with pytest.raises(VoiceCodeRequired):
        svc.orders.place_order(USER, idempotency_key="t1", **common)
    with pytest.raises(VoiceCodeRequired):
        svc.orders.place_order(USER, idempotency_key="t2", authorise=lambda: False, **common)
    _lock(shop)
    with pytest.raises(VoicePurchasingLocked):
        svc.orders.place_order(USER, idempotency_key="t3", authorise=lambda: True, **common)
    assert shop.orders() == 0 and shop.charges() == 0
    _accounts(shop).reset_voice_purchasing(USER)
    placed = svc.orders.place_order(USER, idempotency_key="t4", authorise=lambda: True, **common)
    assert not placed.replayed and shop.orders() == 1 and shop.charges() == 1


def test_checkout_record_is_in_the_store_and_the_session_holds_only_its_id(shop: Shop) -> None:
    shop.fill_cart(USER, {"MILK-001": 1})
    shopper = shop.shopper()
    checkout_to_code(shopper)
    assert set(shopper.session.attributes["checkout"]) == {"id"}
    row = shop.db.execute(
        "SELECT stage, code_ok, pending, session_id FROM checkouts WHERE user_id = ? AND checkout_id = ?",
        (USER, shopper.session.attributes["checkout"]["id"]),
    ).fetchone()
    assert row[0] == "code" and row[1] == 0 and '"voice_code"' in row[2]
    assert row[3] == shopper.session.session_id
    shopper.say("ProvideVoiceCodeIntent", voiceCode="1234")
    assert shop.count("SELECT COUNT(*) FROM checkouts WHERE stage = 'placed' AND order_id IS NOT NULL") == 1


# -- "place the order" at the read-back is the yes, under the same server checks -------------------


def test_place_the_order_at_the_read_back_is_the_yes(shop: Shop) -> None:
    shop.fill_cart(USER, {"MILK-001": 1})
    shopper = shop.shopper()
    shopper.say("CheckoutIntent")
    shopper.say("ScheduleDeliveryIntent", date="2026-11-28", timeSlot=("morning", "morning"))
    assert shopper.pending == "confirm_order"
    shopper.say("CheckoutIntent")  # "place the order" / "주문해 줘", asked "Shall I place the order?"
    assert shopper.pending == "voice_code" and shop.orders() == 0
    shopper.say("ProvideVoiceCodeIntent", voiceCode="1234")
    assert shop.orders() == 1 and shop.charges() == 1


def test_place_the_order_with_a_restored_read_back_is_read_back_again(shop: Shop) -> None:
    shop.fill_cart(USER, {"MILK-001": 1})
    AccountService(shop.db, shop.clock, shop.config).set_voice_purchasing(USER, False)
    shopper = shop.shopper()
    shopper.say("CheckoutIntent")
    shopper.say("ScheduleDeliveryIntent", date="2026-11-28", timeSlot=("morning", "morning"))
    saved = copy.deepcopy(shopper.session.attributes)
    shopper.say("ViewCartIntent")
    shopper.session.attributes = saved  # the client puts the closed question back
    shopper.say("CheckoutIntent")
    assert shop.orders() == 0 and "Shall I place the order?" in shopper.speech


def test_place_the_order_with_a_forged_read_back_in_a_new_session_orders_nothing(shop: Shop) -> None:
    shop.fill_cart(USER, {"MILK-001": 1})
    AccountService(shop.db, shop.clock, shop.config).set_voice_purchasing(USER, False)
    shopper = shop.shopper()
    shopper.new_session()
    shopper.session.attributes = _attributes(shop, "read_back_heard")
    shopper.say("CheckoutIntent")
    assert shop.orders() == 0 and shop.charges() == 0
    assert shopper.pending == "delivery_slot"
