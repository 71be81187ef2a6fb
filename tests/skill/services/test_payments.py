"""The sandbox gateway (charges, declines, refunds, idempotency) and recovering from a decline."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.clock import FixedClock
from skill.config import SkillConfig
from skill.services.accounts import AccountService
from skill.services.payments import Card, PaymentGateway, RefundError, SandboxGateway
from skill.store.db import open_database, transaction
from tests.support.skill import NOW, USER, Shop, checkout_to_code, make_shop

pytestmark = pytest.mark.both_stores


def _card(token: str = "tok_visa", exp: tuple[int, int] = (12, 2029)) -> Card:
    return Card(
        id=1, label="visa", brand="Visa", last4="4242", exp_month=exp[0], exp_year=exp[1], token=token
    )


def test_sandbox_gateway_is_a_payment_gateway(db_path: Path) -> None:
    assert isinstance(SandboxGateway(open_database(db_path), FixedClock(NOW)), PaymentGateway)


def test_sandbox_charge_writes_ledger_and_same_key_never_charges_twice(shop: Shop) -> None:
    gateway = SandboxGateway(shop.db, shop.clock)
    first = gateway.charge(1999, "tok_visa", "key-1", user_id=USER, card=_card())
    again = gateway.charge(1999, "tok_visa", "key-1", user_id=USER, card=_card())
    assert first.succeeded and not first.replayed
    assert again.replayed and again.charge_id == first.charge_id
    assert shop.count("SELECT COUNT(*) FROM ledger WHERE idempotency_key = 'key-1'") == 1
    assert shop.count("SELECT amount_cents FROM ledger WHERE idempotency_key = 'key-1'") == 1999


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ("tok_insufficient_funds", "insufficient_funds"),
        ("tok_expired_card", "expired_card"),
        ("tok_processing_error", "processing_error"),
        ("tok_card_declined", "card_declined"),
    ],
)
def test_sandbox_test_tokens_decline_with_reason(shop: Shop, token: str, reason: str) -> None:
    result = SandboxGateway(shop.db, shop.clock).charge(500, token, f"k-{token}", user_id=USER)
    assert not result.succeeded and result.decline_reason == reason and result.charge_id is None
    assert shop.count("SELECT COUNT(*) FROM ledger") == 0


def test_sandbox_card_expired_by_date_declines(shop: Shop) -> None:
    gateway = SandboxGateway(shop.db, shop.clock)
    assert (
        gateway.charge(500, "tok_visa", "a", user_id=USER, card=_card(exp=(10, 2026))).decline_reason
        == "expired_card"
    )
    assert gateway.charge(500, "tok_visa", "b", user_id=USER, card=_card(exp=(11, 2026))).succeeded


def test_sandbox_refund_is_idempotent_and_never_exceeds_the_charge(shop: Shop) -> None:
    gateway = SandboxGateway(shop.db, shop.clock)
    charge = gateway.charge(1000, "tok_visa", "c", user_id=USER, card=_card())
    assert charge.charge_id is not None
    refund = gateway.refund(charge.charge_id, 600, "r1", user_id=USER)
    assert gateway.refund(charge.charge_id, 600, "r1", user_id=USER).replayed
    assert refund.amount_cents == 600
    with pytest.raises(RefundError):
        gateway.refund(charge.charge_id, 500, "r2", user_id=USER)
    with pytest.raises(RefundError):
        gateway.refund("ch_999", 100, "r3", user_id=USER)


def test_sandbox_charge_rolls_back_with_its_transaction(shop: Shop) -> None:
    gateway = SandboxGateway(shop.db, shop.clock)
    with pytest.raises(RuntimeError), transaction(shop.db):
        gateway.charge(700, "tok_visa", "rolled", user_id=USER, card=_card())
        raise RuntimeError("the order failed after the charge")
    assert shop.count("SELECT COUNT(*) FROM ledger") == 0
    assert gateway.charge(700, "tok_visa", "rolled", user_id=USER, card=_card()).succeeded


def _default_card_token(shop: Shop, token: str) -> None:
    shop.db.execute(
        "UPDATE payment_methods SET token = ? WHERE user_id = ? AND label = 'visa'", (token, USER)
    )


def test_checkout_declined_card_offers_other_card_which_works(shop: Shop) -> None:
    _default_card_token(shop, "tok_insufficient_funds")
    shop.fill_cart(USER, {"MILK-001": 1})
    shopper = shop.shopper()
    checkout_to_code(shopper)
    speech = shopper.say("ProvideVoiceCodeIntent", voiceCode="1234")
    assert "declined for insufficient funds" in speech and "use your Mastercard" in speech
    assert shopper.pending == "retry_payment"
    assert shop.orders() == 0 and shop.charges() == 0
    assert shop.count("SELECT COUNT(*) FROM ledger WHERE status = 'declined'") == 1
    assert shop.count("SELECT COUNT(*) FROM cart_items WHERE user_id = ?", USER) == 1
    assert "your order is placed" in shopper.yes()
    assert shop.orders() == 1 and shop.charges() == 1
    assert (
        shop.count(
            "SELECT p.label = 'mastercard' FROM orders o JOIN payment_methods p ON p.id = o.payment_method_id"
        )
        == 1
    )


def test_checkout_card_expired_by_date_is_explained(shop: Shop) -> None:
    shop.db.execute(
        "UPDATE payment_methods SET exp_year = 2025 WHERE user_id = ? AND label = 'visa'", (USER,)
    )
    shop.fill_cart(USER, {"MILK-001": 1})
    shopper = shop.shopper()
    checkout_to_code(shopper)
    assert "has expired" in shopper.say("ProvideVoiceCodeIntent", voiceCode="1234")
    assert shopper.pending == "retry_payment"


def test_checkout_processing_error_with_only_card_offers_retry_then_works(shop: Shop) -> None:
    accounts = AccountService(shop.db, shop.clock, shop.config)
    shop.db.execute("DELETE FROM payment_methods WHERE user_id = ? AND label = 'mastercard'", (USER,))
    _default_card_token(shop, "tok_processing_error")
    shop.fill_cart(USER, {"MILK-001": 1})
    shopper = shop.shopper()
    checkout_to_code(shopper)
    speech = shopper.say("ProvideVoiceCodeIntent", voiceCode="1234")
    assert "couldn't be processed" in speech and "try again" in speech
    _default_card_token(shop, "tok_visa")  # the processor recovered
    assert "your order is placed" in shopper.yes()
    assert shop.orders() == 1 and shop.charges() == 1
    assert accounts.cards(USER)[0].label == "visa"


def test_checkout_declined_with_no_other_card_keeps_cart_and_stops(shop: Shop) -> None:
    shop.db.execute("DELETE FROM payment_methods WHERE user_id = ? AND label = 'mastercard'", (USER,))
    _default_card_token(shop, "tok_card_declined")
    shop.fill_cart(USER, {"MILK-001": 1})
    shopper = shop.shopper()
    checkout_to_code(shopper)
    speech = shopper.say("ProvideVoiceCodeIntent", voiceCode="1234")
    assert "declined by the bank" in speech and "Update your card" in speech
    assert shopper.pending is None and shop.orders() == 0
    assert shop.count("SELECT COUNT(*) FROM cart_items WHERE user_id = ?", USER) == 1


def test_checkout_declined_then_no_keeps_cart(shop: Shop) -> None:
    _default_card_token(shop, "tok_insufficient_funds")
    shop.fill_cart(USER, {"MILK-001": 1})
    shopper = shop.shopper()
    checkout_to_code(shopper)
    shopper.say("ProvideVoiceCodeIntent", voiceCode="1234")
    assert "didn't place the order" in shopper.no()
    assert shop.orders() == 0 and shop.count("SELECT COUNT(*) FROM cart_items WHERE user_id = ?", USER) == 1


def test_checkout_declined_order_leaves_stock_and_slot_untouched(shop: Shop) -> None:
    _default_card_token(shop, "tok_insufficient_funds")
    shop.fill_cart(USER, {"MILK-001": 3})
    before = shop.stock("MILK-001")
    shopper = shop.shopper()
    checkout_to_code(shopper)
    shopper.say("ProvideVoiceCodeIntent", voiceCode="1234")
    assert shop.stock("MILK-001") == before
    assert shop.count("SELECT COALESCE(SUM(booked), 0) FROM delivery_slots") == 0


class RecordingGateway:
    """A stand-in for a remote processor (no `bind`): keeps its charges in memory."""

    def __init__(self) -> None:
        self.charges: dict[str, int] = {}

    def charge(self, amount_cents: int, token: str, idempotency_key: str, **_: object):
        from skill.services.payments import ChargeResult

        replayed = idempotency_key in self.charges
        self.charges.setdefault(idempotency_key, amount_cents)
        return ChargeResult(
            True, amount_cents, idempotency_key, charge_id=f"remote-{len(self.charges)}", replayed=replayed
        )

    def refund(self, charge_id: str, amount_cents: int, idempotency_key: str, **_: object):
        from skill.services.payments import RefundResult

        return RefundResult(f"rr-{charge_id}", amount_cents, idempotency_key)


def test_checkout_uses_a_plugged_in_gateway(skill_config: SkillConfig) -> None:
    gateway = RecordingGateway()
    shop = make_shop(skill_config, gateway=gateway)
    shopper = shop.shopper()
    shopper.launch()
    shop.fill_cart(USER, {"MILK-001": 1})
    checkout_to_code(shopper)
    shopper.say("ProvideVoiceCodeIntent", voiceCode="1234")
    assert shop.orders() == 1
    assert list(gateway.charges) == [
        shop.db.execute("SELECT idempotency_key FROM orders").fetchone()[0] + "/charge"
    ]
    assert shop.db.execute("SELECT charge_id FROM orders").fetchone()[0] == "remote-1"
    assert shop.count("SELECT COUNT(*) FROM ledger") == 0  # the sandbox was not used
