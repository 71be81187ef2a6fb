"""Checkout through the skill: read-back, explicit yes, voice code, limits, abandoning."""

from __future__ import annotations

from datetime import timedelta

import pytest

from skill.services.accounts import AccountService
from tests.support.skill import USER, Shop, checkout_to_code

pytestmark = pytest.mark.both_stores


def test_checkout_whole_flow_search_cart_checkout_code_order_track_delivered(shop: Shop) -> None:
    shopper = shop.shopper()
    shopper.say("SearchProductIntent", product=("milk", "milk"))
    shopper.say("AddToCartIntent", position="1", quantity="2")
    shopper.say("SearchProductIntent", product=("eggs", "eggs"))
    shopper.say("AddToCartIntent", position="1", quantity="1")
    in_cart = shop.db.execute(
        "SELECT sku, quantity FROM cart_items WHERE user_id = ? ORDER BY sku", (USER,)
    ).fetchall()
    assert [q for _, q in in_cart] == [1, 2] or [q for _, q in in_cart] == [2, 1], in_cart
    stock_before = {sku: shop.stock(sku) for sku, _ in in_cart}

    read_back_asked = checkout_to_code(shopper)
    assert "voice code" in read_back_asked
    assert shop.orders() == 0 and shop.charges() == 0
    shopper.say("ProvideVoiceCodeIntent", voiceCode="1234")
    assert "your order is placed" in shopper.speech
    assert "1234" not in shopper.speech
    assert shopper.card is not None and shopper.card["type"] == "Simple"
    assert "Total:" in shopper.card["content"]
    assert shop.orders() == 1 and shop.charges() == 1
    assert shop.count("SELECT COUNT(*) FROM cart_items WHERE user_id = ?", USER) == 0
    for sku, quantity in in_cart:
        assert shop.stock(sku) == stock_before[sku] - quantity
    order_id = shop.db.execute("SELECT order_id FROM orders").fetchone()[0]
    assert len(order_id) == 6 and order_id.isdigit()
    assert order_id not in shopper.speech, "the number is on the receipt, not read out unless asked"
    assert order_id in shopper.card["title"]
    assert order_id in shopper.say("OrderNumberIntent")

    assert "is confirmed" in shopper.say("TrackOrderIntent")
    shop.clock.set(shop.clock.now() + timedelta(hours=20))  # Saturday 05:00 New York: packing starts at 05:00
    assert "is being packed" in shopper.say("TrackOrderIntent")
    shop.clock.set(shop.clock.now() + timedelta(hours=3, minutes=30))  # 08:30, the slot has started
    assert "out for delivery" in shopper.say("TrackOrderIntent", orderNumber=order_id)
    shop.clock.set(shop.clock.now() + timedelta(hours=4))  # 12:30, the slot is over
    assert "was delivered" in shopper.say("TrackOrderIntent")
    events = [
        r[0]
        for r in shop.db.execute(
            "SELECT status FROM order_events WHERE order_id = ? ORDER BY id", (order_id,)
        )
    ]
    assert events == ["CREATED", "CONFIRMED", "IN_PREPARATION", "SHIPPED", "DELIVERED"]


def _elicits(response: dict, intent: str, slot: str) -> bool:
    directives = response.get("response", {}).get("directives") or []
    return any(
        d.get("type") == "Dialog.ElicitSlot"
        and d.get("slotToElicit") == slot
        and d.get("updatedIntent", {}).get("name") == intent
        for d in directives
    ) and response["response"].get("shouldEndSession") is False


def _elicits_code(response: dict) -> bool:
    return _elicits(response, "ProvideVoiceCodeIntent", "voiceCode")


def test_checkout_asks_for_the_code_with_elicit_slot(shop: Shop) -> None:
    """Every time the skill asks for the code it says so with Dialog.ElicitSlot, so that the speaker
    (or Alexa) listens for a code; a wrong code and a code of other than four digits ask again so."""
    shopper = shop.shopper()
    shopper.say("SearchProductIntent", product=("milk", "milk"))
    shopper.say("AddToCartIntent", position="1")
    checkout_to_code(shopper)
    assert _elicits_code(shopper.last)
    shopper.say("ProvideVoiceCodeIntent", voiceCode="12")
    assert "four digits" in shopper.speech and _elicits_code(shopper.last)
    shopper.say("ProvideVoiceCodeIntent", voiceCode="9999")
    assert "2 more tries" in shopper.speech and _elicits_code(shopper.last)
    shopper.say("ProvideVoiceCodeIntent", voiceCode="1234")
    assert "your order is placed" in shopper.speech
    assert not (shopper.last["response"].get("directives") or [])


def test_checkout_read_back_names_items_address_slot_and_money(shop: Shop) -> None:
    shop.fill_cart(USER, {"MILK-001": 2, "EGGS-001": 1})
    shopper = shop.shopper()
    shopper.say("CheckoutIntent")
    speech = shopper.say("ScheduleDeliveryIntent", date="2026-11-28", timeSlot=("afternoon", "afternoon"))
    subtotal = 2 * 749 + 449
    tax = round(subtotal * 0.08)
    assert "Your order: 2 gallons of Horizon Organic milk and 1 dozen Eggland's Best eggs." in speech
    assert "home address" in speech and "tomorrow between noon and 5 PM" in speech
    assert f"${(subtotal + tax + 499) / 100:.2f}" in speech and "Visa" in speech
    assert "Shall I place the order?" in speech and len(speech.split()) <= 45  # about half the old length
    assert f"${subtotal / 100:.2f}" not in speech  # the breakdown only when asked for
    assert shopper.session.attributes["pending"]["total_cents"] == subtotal + tax + 499
    details = shopper.say("ProductDetailsIntent")  # "tell me the details"
    assert f"${subtotal / 100:.2f}" in details
    assert f"${tax / 100:.2f}" in details and "delivery is $4.99" in details
    assert f"${(subtotal + tax + 499) / 100:.2f}" in details and "Shall I place the order?" in details
    assert shopper.session.attributes["pending"]["kind"] == "confirm_order"
    assert "your order is placed" in shopper.yes() or "voice code" in shopper.speech


def test_checkout_nothing_is_ordered_without_yes(shop: Shop) -> None:
    shop.fill_cart(USER, {"MILK-001": 1})
    shopper = shop.shopper()
    shopper.say("CheckoutIntent")
    shopper.say("ScheduleDeliveryIntent", date="2026-11-28", timeSlot=("morning", "morning"))
    # The code alone, without the yes, does not order anything.
    shopper.say("ProvideVoiceCodeIntent", voiceCode="1234")
    assert "no order waiting" in shopper.speech
    assert shop.orders() == 0
    # A yes in a new session (no read-back in it) does not order anything either.
    shopper.new_session()
    shopper.yes()
    assert shop.orders() == 0 and shop.charges() == 0


@pytest.mark.parametrize("intent", ["AMAZON.NoIntent", "AMAZON.CancelIntent"])
def test_checkout_no_or_cancel_abandons_checkout_and_keeps_cart(shop: Shop, intent: str) -> None:
    shop.fill_cart(USER, {"MILK-001": 1})
    shopper = shop.shopper()
    shopper.say("CheckoutIntent")
    shopper.say("ScheduleDeliveryIntent", date="2026-11-28", timeSlot=("morning", "morning"))
    assert shopper.pending == "confirm_order"
    speech = shopper.say(intent)
    assert "didn't place the order" in speech and "still in your cart" in speech
    assert "checkout" not in shopper.session.attributes and shopper.pending is None
    assert shop.orders() == 0
    assert shop.count("SELECT quantity FROM cart_items WHERE user_id = ?", USER) == 1


def test_checkout_cancel_while_asking_for_code_abandons(shop: Shop) -> None:
    shop.fill_cart(USER, {"MILK-001": 1})
    shopper = shop.shopper()
    checkout_to_code(shopper)
    shopper.say("AMAZON.CancelIntent")
    shopper.say("ProvideVoiceCodeIntent", voiceCode="1234")
    assert shop.orders() == 0


def test_checkout_cart_changed_after_read_back_is_read_again(shop: Shop) -> None:
    shop.fill_cart(USER, {"MILK-001": 1})
    shopper = shop.shopper()
    shopper.say("CheckoutIntent")
    shopper.say("ScheduleDeliveryIntent", date="2026-11-28", timeSlot=("morning", "morning"))
    first_total = shopper.session.attributes["pending"]["total_cents"]
    shop.fill_cart(USER, {"EGGS-001": 1})  # e.g. from another device
    speech = shopper.yes()
    assert "changed since I read it back" in speech
    assert shopper.pending == "confirm_order"
    assert shopper.session.attributes["pending"]["total_cents"] > first_total
    assert shop.orders() == 0
    shopper.yes()
    shopper.say("ProvideVoiceCodeIntent", voiceCode="1234")
    total = shop.count("SELECT total_cents FROM orders")
    assert total == shopper_total(shop, {"MILK-001": 749, "EGGS-001": 449})


def shopper_total(shop: Shop, prices: dict[str, int]) -> int:
    subtotal = sum(prices.values())
    fee = 0 if subtotal >= shop.config.free_delivery_cents else shop.config.delivery_fee_cents
    return subtotal + round(subtotal * shop.config.tax_rate) + fee


def test_checkout_cart_changed_between_yes_and_code_is_read_again(shop: Shop) -> None:
    shop.fill_cart(USER, {"MILK-001": 1})
    shopper = shop.shopper()
    checkout_to_code(shopper)
    shop.fill_cart(USER, {"MILK-001": 1})
    speech = shopper.say("ProvideVoiceCodeIntent", voiceCode="1234")
    assert "changed since I read it back" in speech and shopper.pending == "confirm_order"
    assert shop.orders() == 0
    shopper.yes()
    assert shopper.pending == "voice_code"  # a new yes needs the code again
    shopper.say("ProvideVoiceCodeIntent", voiceCode="1234")
    assert shop.db.execute("SELECT quantity FROM order_items").fetchone()[0] == 2


def test_checkout_wrong_code_three_times_locks_voice_purchasing(shop: Shop) -> None:
    shop.fill_cart(USER, {"MILK-001": 1})
    shopper = shop.shopper()
    checkout_to_code(shopper)
    assert "2 more tries" in shopper.say("ProvideVoiceCodeIntent", voiceCode="1111")
    assert "one more try" in shopper.say("ProvideVoiceCodeIntent", voiceCode="2222")
    speech = shopper.say("ProvideVoiceCodeIntent", voiceCode="3333")
    assert "locked voice purchasing" in speech and "Alexa app" in speech
    assert shopper.last["response"]["shouldEndSession"] is True
    for wrong in ("1111", "2222", "3333", "1234"):
        assert wrong not in speech
    assert shop.orders() == 0 and shop.charges() == 0
    assert shop.count("SELECT COUNT(*) FROM cart_items WHERE user_id = ?", USER) == 1

    # Locked: even the right code in a new checkout does not order; checkout says why.
    speech = shopper.say("CheckoutIntent")
    assert "Voice purchasing is locked" in speech
    assert shopper.pending is None and shop.orders() == 0

    AccountService(shop.db, shop.clock, shop.config).reset_voice_purchasing(USER)
    shopper.new_session()
    checkout_to_code(shopper)
    shopper.say("ProvideVoiceCodeIntent", voiceCode="1234")
    assert shop.orders() == 1


def test_checkout_right_code_clears_wrong_attempts(shop: Shop) -> None:
    shop.fill_cart(USER, {"MILK-001": 1})
    shopper = shop.shopper()
    checkout_to_code(shopper)
    shopper.say("ProvideVoiceCodeIntent", voiceCode="9999")
    shopper.say("ProvideVoiceCodeIntent", voiceCode="1234")
    assert shop.orders() == 1
    assert AccountService(shop.db, shop.clock, shop.config).purchase_settings(USER).failed_attempts == 0


def test_checkout_code_that_is_not_four_digits_is_asked_again_without_counting(shop: Shop) -> None:
    shop.fill_cart(USER, {"MILK-001": 1})
    shopper = shop.shopper()
    checkout_to_code(shopper)
    assert "four digits" in shopper.say("ProvideVoiceCodeIntent", voiceCode="12")
    assert AccountService(shop.db, shop.clock, shop.config).purchase_settings(USER).failed_attempts == 0


def test_checkout_over_spending_limit_is_refused(shop: Shop) -> None:
    AccountService(shop.db, shop.clock, shop.config).set_spending_limit(USER, 1000)
    shop.fill_cart(USER, {"MILK-001": 2})
    shopper = shop.shopper()
    speech = shopper.say("CheckoutIntent")
    assert "over your voice purchasing limit of $10" in speech
    assert shopper.pending is None and shop.orders() == 0


def test_checkout_limit_lowered_after_read_back_still_refuses(shop: Shop) -> None:
    shop.fill_cart(USER, {"MILK-001": 2})
    shopper = shop.shopper()
    checkout_to_code(shopper)
    AccountService(shop.db, shop.clock, shop.config).set_spending_limit(USER, 1000)
    speech = shopper.say("ProvideVoiceCodeIntent", voiceCode="1234")
    assert "over your voice purchasing limit" in speech
    assert shop.orders() == 0 and shop.charges() == 0


def test_checkout_without_voice_code_orders_on_yes(shop: Shop) -> None:
    AccountService(shop.db, shop.clock, shop.config).set_voice_purchasing(USER, False)
    shop.fill_cart(USER, {"MILK-001": 1})
    shopper = shop.shopper()
    shopper.say("CheckoutIntent")
    shopper.say("ScheduleDeliveryIntent", date="2026-11-28", timeSlot=("evening", "evening"))
    assert "your order is placed" in shopper.yes()
    assert shop.orders() == 1


def test_checkout_empty_cart_says_so(shop: Shop) -> None:
    shopper = shop.shopper()
    assert "cart is empty" in shopper.say("CheckoutIntent")
    assert shopper.pending is None


def test_checkout_slot_chosen_before_checkout_is_used(shop: Shop) -> None:
    shop.fill_cart(USER, {"MILK-001": 1})
    shopper = shop.shopper()
    speech = shopper.say("ScheduleDeliveryIntent", date="2026-11-28", timeSlot=("evening", "evening"))
    assert "Say check out" in speech
    speech = shopper.say("CheckoutIntent")
    assert shopper.pending == "confirm_order" and "between 5 and 9 PM" in speech


def test_checkout_pay_with_other_card_and_other_address_reads_back_again(shop: Shop) -> None:
    shop.fill_cart(USER, {"MILK-001": 1})
    shopper = shop.shopper()
    shopper.say("CheckoutIntent")
    assert "Visa" in shopper.say("ScheduleDeliveryIntent", date="2026-11-28", timeSlot=("morning", "morning"))
    speech = shopper.say("SetPaymentMethodIntent", paymentLabel=("mastercard", "mastercard"))
    assert "Mastercard ending in" in speech and shopper.pending == "confirm_order"
    speech = shopper.say("SetDeliveryAddressIntent", addressLabel=("work", "work"))
    assert "work address" in speech and shopper.pending == "confirm_order"
    shopper.yes()
    shopper.say("ProvideVoiceCodeIntent", voiceCode="1234")
    row = shop.db.execute(
        "SELECT a.label, p.label FROM orders o JOIN addresses a ON a.id = o.address_id"
        " JOIN payment_methods p ON p.id = o.payment_method_id"
    ).fetchone()
    assert tuple(row) == ("work", "mastercard")


def test_checkout_unknown_card_lists_the_cards(shop: Shop) -> None:
    speech = shop.shopper().say("SetPaymentMethodIntent", paymentLabel="amex")
    assert "couldn't find a card called amex" in speech and "Visa ending in" in speech


def test_checkout_asks_for_address_and_card_when_there_is_no_default(shop: Shop) -> None:
    shop.db.execute("UPDATE addresses SET is_default = 0 WHERE user_id = ?", (USER,))
    shop.db.execute("UPDATE payment_methods SET is_default = 0 WHERE user_id = ?", (USER,))
    shop.fill_cart(USER, {"MILK-001": 1})
    shopper = shop.shopper()
    assert "Which address" in shopper.say("CheckoutIntent") and shopper.pending == "checkout_address"
    assert _elicits(shopper.last, "SetDeliveryAddressIntent", "addressLabel")
    assert "Which card" in shopper.say("SetDeliveryAddressIntent", addressLabel=("work", "work"))
    assert shopper.pending == "checkout_payment"
    assert _elicits(shopper.last, "SetPaymentMethodIntent", "paymentLabel")
    assert "When would you like it delivered" in shopper.say(
        "SetPaymentMethodIntent", paymentLabel=("visa", "visa")
    )
    shopper.say("ScheduleDeliveryIntent", date="2026-11-29", timeSlot=("morning", "morning"))
    assert shopper.pending == "confirm_order" and "work address" in shopper.speech


def test_checkout_cancel_answering_another_question_is_left_to_that_question(shop: Shop) -> None:
    shop.fill_cart(USER, {"MILK-001": 1})
    shopper = shop.shopper()
    checkout_to_code(shopper)
    shopper.say("ProvideVoiceCodeIntent", voiceCode="1234")
    shop.fill_cart(USER, {"EGGS-001": 1})
    shopper.say("CheckoutIntent")  # a second checkout is under way ...
    shopper.say("CancelOrderIntent")  # ... when the shopper asks to cancel the first order
    assert shopper.pending == "confirm_cancel"
    assert "won't cancel it" in shopper.say("AMAZON.CancelIntent")
    assert shop.count("SELECT COUNT(*) FROM orders WHERE status = 'CONFIRMED'") == 1


def test_cancel_right_after_an_order_is_talked_about_means_that_order(shop: Shop) -> None:
    shop.fill_cart(USER, {"MILK-001": 1})
    shopper = shop.shopper()
    checkout_to_code(shopper)
    shopper.say("ProvideVoiceCodeIntent", voiceCode="1234")
    # "oh, cancel it" just after placing: asked first, and a no keeps the order
    assert "cancel it?" in shopper.say("AMAZON.CancelIntent")
    assert shopper.pending == "confirm_cancel" and not shopper.ends_session
    assert "won't cancel it" in shopper.say("AMAZON.NoIntent")
    # "where is my order?" ... "cancel that": the same
    shopper.say("TrackOrderIntent")
    assert "cancel it?" in shopper.say("AMAZON.CancelIntent")
    shopper.say("AMAZON.YesIntent")
    assert shop.count("SELECT COUNT(*) FROM orders WHERE status = 'CANCELLED'") == 1
    # with another turn in between, "cancel" is "never mind" again and no order is asked about
    shopper.say("TrackOrderIntent")
    shopper.say("ViewCartIntent")
    shopper.say("AMAZON.CancelIntent")
    assert shopper.pending != "confirm_cancel" and "cancel" not in shopper.speech.lower()
