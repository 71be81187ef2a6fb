"""Short answers around checkout: after the read-back, a new card, address or delivery time is said with
the total only (the items were read and did not change); a changed cart is read back whole; the yes
still agrees to exactly what was said; the order number is read only when asked; somebody else's place
is not an address on file."""

from __future__ import annotations

import pytest

from tests.support.skill import USER, Shop, Shopper

pytestmark = pytest.mark.both_stores


def _read_back(shop: Shop) -> tuple[Shopper, str]:
    shop.fill_cart(USER, {"MILK-001": 2})
    shopper = shop.shopper()
    shopper.say("CheckoutIntent")
    said = shopper.say("ScheduleDeliveryIntent", date="2026-11-28", timeSlot=("morning", "morning"))
    assert said.startswith("Your order: 2 "), said
    return shopper, said


def test_a_new_card_after_the_read_back_is_said_with_the_total(shop: Shop) -> None:
    shopper, first = _read_back(shop)
    said = shopper.say("SetPaymentMethodIntent", paymentLabel=("mastercard", "mastercard"))
    assert said.startswith("Okay, I'll charge your Mastercard ending in 4444. The total is still $"), said
    assert "Your order" not in said and "milk" not in said.lower()
    total = first.split("Total ")[1].split(",")[0]
    assert total in said
    assert shopper.pending == "confirm_order"
    assert "voice code" in shopper.say("AMAZON.YesIntent")
    shopper.say("ProvideVoiceCodeIntent", voiceCode="1234")
    card = shop.db.execute("SELECT payment_method_id FROM orders").fetchone()[0]
    brand = shop.db.execute("SELECT brand FROM payment_methods WHERE id = ?", (card,)).fetchone()[0]
    assert brand.lower() == "mastercard", "the yes after the short answer agreed to the new card"


def test_a_new_time_and_address_after_the_read_back_are_said_briefly(shop: Shop) -> None:
    shopper, _ = _read_back(shop)
    said = shopper.say("ScheduleDeliveryIntent", date="2026-11-28", timeSlot=("evening", "evening"))
    assert said.startswith("Okay, I'll deliver ") and "between 5 and 9 PM" in said and "still" in said, said
    said = shopper.say("SetDeliveryAddressIntent", addressLabel=("work", "work"))
    assert said.startswith("Okay, I'll deliver to your work address. The total is "), said
    assert shopper.pending == "confirm_order"


def test_a_changed_cart_is_read_back_whole(shop: Shop) -> None:
    shopper, _ = _read_back(shop)
    shopper.say("AddToCartIntent", product=("eggs", "eggs"))
    said = shopper.say("CheckoutIntent")
    assert said.startswith("Your order: "), said
    said = shopper.say("SetPaymentMethodIntent", paymentLabel=("mastercard", "mastercard"))
    assert "still" in said, "once read back again, a change is brief again"


def test_before_any_read_back_the_whole_order_is_read(shop: Shop) -> None:
    shop.fill_cart(USER, {"MILK-001": 1})
    shopper = shop.shopper()
    shopper.say("SetPaymentMethodIntent", paymentLabel=("mastercard", "mastercard"))
    shopper.say("CheckoutIntent")
    said = shopper.say("ScheduleDeliveryIntent", date="2026-11-28", timeSlot=("morning", "morning"))
    assert said.startswith("Your order: "), said


def test_the_order_number_is_read_only_when_asked(shop: Shop) -> None:
    assert shop.shopper().say("OrderNumberIntent").startswith("You don't have any orders yet")
    shopper, _ = _read_back(shop)
    shopper.say("AMAZON.YesIntent")
    placed = shopper.say("ProvideVoiceCodeIntent", voiceCode="1234")
    order_id = shop.db.execute("SELECT order_id FROM orders").fetchone()[0]
    assert "order is placed" in placed and order_id not in placed
    said = shopper.say("OrderNumberIntent")
    assert order_id in said
    ssml = shopper.send(shopper.envelope("OrderNumberIntent"))["response"]["outputSpeech"]["ssml"]
    assert f'<say-as interpret-as="digits">{order_id}</say-as>' in ssml


def test_somebody_elses_place_names_the_addresses_on_file(shop: Shop) -> None:
    shop.fill_cart(USER, {"MILK-001": 1})
    shopper = shop.shopper()
    said = shopper.say("SetDeliveryAddressIntent", addressLabel=("my mom's house", "elsewhere"))
    assert "home" in said and "work" in said and "Okay, I'll deliver" not in said, said
    assert shopper.pending == "checkout_address"
    said = shopper.say("SetDeliveryAddressIntent", addressLabel=("home", "home"))
    assert said.startswith("Okay, I'll deliver to your home address")
