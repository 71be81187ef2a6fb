"""Orders: states moving with the clock, tracking, cancelling, returning, buying again, deals,
and `voiceshop orders`."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from skill.errors import NotFound
from skill.services import Services
from skill.services.orders import OrderNotCancellable, OrderService
from tests.support.skill import USER, Shop, checkout_to_code
from voiceshop.cli import cli

pytestmark = pytest.mark.both_stores


def _order(shop: Shop, items: dict[str, int], when: tuple[str, str] = ("2026-11-28", "morning")) -> str:
    shop.fill_cart(USER, items)
    shopper = shop.shopper()
    checkout_to_code(shopper, when)
    shopper.say("ProvideVoiceCodeIntent", voiceCode="1234")
    assert "your order is placed" in shopper.speech, shopper.speech
    return str(
        shopper.session.attributes.get("last_order")
        or shop.db.execute(
            "SELECT order_id FROM orders ORDER BY created_at DESC, rowid DESC LIMIT 1"
        ).fetchone()[0]
    )


def _service(shop: Shop) -> OrderService:
    return Services(shop.db, shop.clock, shop.config).orders


def test_orders_state_follows_clock_and_slot(shop: Shop) -> None:
    order_id = _order(shop, {"MILK-001": 1})  # Saturday morning 8-12 New York = 13:00-17:00 UTC
    service = _service(shop)
    assert service.get(order_id).status == "CONFIRMED"
    shop.clock.set(shop.clock.now().replace(day=28, hour=10))  # 05:00 local, slot in 3 h
    assert service.get(order_id).status == "IN_PREPARATION"
    shop.clock.set(shop.clock.now().replace(hour=13))
    assert service.get(order_id).status == "SHIPPED"
    shop.clock.set(shop.clock.now().replace(hour=17))
    order = service.get(order_id)
    assert order.status == "DELIVERED"
    assert [e[1].isoformat() for e in order.events[2:]] == [
        "2026-11-28T10:00:00+00:00",
        "2026-11-28T13:00:00+00:00",
        "2026-11-28T17:00:00+00:00",
    ]


def test_orders_read_long_after_slot_writes_every_event_once(shop: Shop) -> None:
    order_id = _order(shop, {"MILK-001": 1})
    shop.clock.advance(timedelta(days=3))
    service = _service(shop)
    service.get(order_id)
    service.get(order_id)
    statuses = [
        r[0] for r in shop.db.execute("SELECT status FROM order_events WHERE order_id = ?", (order_id,))
    ]
    assert statuses == ["CREATED", "CONFIRMED", "IN_PREPARATION", "SHIPPED", "DELIVERED"]


def test_orders_cancel_before_shipping_refunds_restocks_and_frees_slot(shop: Shop) -> None:
    before = shop.stock("MILK-001")
    order_id = _order(shop, {"MILK-001": 3})
    assert shop.stock("MILK-001") == before - 3
    assert shop.count("SELECT booked FROM delivery_slots WHERE slot_id = '2026-11-28-morning'") == 1
    shopper = shop.shopper()
    speech = shopper.say("CancelOrderIntent")
    assert "Do you want to cancel it?" in speech and shopper.pending == "confirm_cancel"
    assert "is cancelled" in shopper.yes()
    assert shop.stock("MILK-001") == before
    assert shop.count("SELECT booked FROM delivery_slots WHERE slot_id = '2026-11-28-morning'") == 0
    total = shop.count("SELECT total_cents FROM orders WHERE order_id = ?", order_id)
    assert (
        shop.count("SELECT amount_cents FROM ledger WHERE kind = 'refund' AND order_id = ?", order_id)
        == total
    )
    assert (
        shop.count("SELECT COUNT(*) FROM order_events WHERE order_id = ? AND status = 'CANCELLED'", order_id)
        == 1
    )
    assert "was cancelled and refunded" in shopper.say("TrackOrderIntent")
    assert "already cancelled" in shopper.say("CancelOrderIntent")


def test_orders_cancel_answered_no_keeps_the_order(shop: Shop) -> None:
    _order(shop, {"MILK-001": 1})
    shopper = shop.shopper()
    shopper.say("CancelOrderIntent")
    assert "won't cancel it" in shopper.say("AMAZON.CancelIntent")
    assert shop.count("SELECT COUNT(*) FROM orders WHERE status = 'CONFIRMED'") == 1
    assert shop.count("SELECT COUNT(*) FROM ledger WHERE kind = 'refund'") == 0


def test_orders_cancel_after_shipping_is_refused(shop: Shop) -> None:
    order_id = _order(shop, {"MILK-001": 1})
    shop.clock.set(shop.clock.now().replace(day=28, hour=14))
    shopper = shop.shopper()
    speech = shopper.say("CancelOrderIntent", orderNumber=order_id)
    assert "already shipped" in speech and shopper.pending is None
    with pytest.raises(OrderNotCancellable):
        _service(shop).cancel(USER, order_id)
    assert shop.count("SELECT COUNT(*) FROM ledger WHERE kind = 'refund'") == 0


def test_orders_cancel_yes_after_the_van_left_is_refused(shop: Shop) -> None:
    order_id = _order(shop, {"MILK-001": 1})
    shopper = shop.shopper()
    shopper.say("CancelOrderIntent")
    shop.clock.set(shop.clock.now().replace(day=28, hour=14))  # the slot started while we were asking
    assert "already shipped" in shopper.yes()
    assert _service(shop).get(order_id).status == "SHIPPED"


def test_orders_returned_after_delivery_refunds(shop: Shop) -> None:
    order_id = _order(shop, {"MILK-001": 1})
    service = _service(shop)
    with pytest.raises(OrderNotCancellable):
        service.mark_returned(order_id)
    shop.clock.advance(timedelta(days=2))
    assert service.mark_returned(order_id).status == "RETURNED"
    assert shop.count("SELECT COUNT(*) FROM ledger WHERE kind = 'refund'") == 1


def test_orders_track_by_number_and_unknown_number(shop: Shop) -> None:
    first = _order(shop, {"MILK-001": 1})
    _order(shop, {"EGGS-001": 1}, ("2026-11-30", "evening"))
    shopper = shop.shopper()
    assert "arrive tomorrow between 8 AM and noon" in shopper.say("TrackOrderIntent", orderNumber=first)
    assert "Monday, November 30" in shopper.say("TrackOrderIntent")  # the last order
    assert "couldn't find order" in shopper.say("TrackOrderIntent", orderNumber="000001")


def test_orders_of_another_user_are_not_found(shop: Shop) -> None:
    order_id = _order(shop, {"MILK-001": 1})
    other = shop.shopper("amzn1.ask.account.SOMEONE-ELSE")
    other.launch()
    assert "couldn't find order" in other.say("TrackOrderIntent", orderNumber=order_id)
    assert "couldn't find order" in other.say("CancelOrderIntent", orderNumber=order_id)
    with pytest.raises(NotFound):
        _service(shop).cancel("amzn1.ask.account.SOMEONE-ELSE", order_id)


def test_orders_track_without_orders(shop: Shop) -> None:
    assert "don't have any orders" in shop.shopper().say("TrackOrderIntent")


def test_orders_reorder_refills_cart_says_what_is_out_and_goes_to_checkout(shop: Shop) -> None:
    _order(shop, {"MILK-001": 2, "EGGS-001": 1})
    shop.set_stock("EGGS-001", 0)
    shopper = shop.shopper()
    speech = shopper.say("ReorderIntent")
    assert "I've put 2 gallons of Horizon Organic Whole Milk from your last order back in your cart" in speech
    assert "Out of stock right now: 1 dozen Eggland" in speech
    assert "When would you like it delivered" in speech and shopper.pending == "delivery_slot"
    cart = shop.db.execute("SELECT sku, quantity FROM cart_items WHERE user_id = ?", (USER,)).fetchall()
    assert [tuple(r) for r in cart] == [("MILK-001", 2)]


def test_orders_reorder_with_everything_out_of_stock(shop: Shop) -> None:
    _order(shop, {"MILK-001": 1})
    shop.set_stock("MILK-001", 0)
    assert "Everything from your last order is out of stock" in shop.shopper().say("ReorderIntent")
    assert shop.count("SELECT COUNT(*) FROM cart_items") == 0


def test_orders_reorder_without_orders(shop: Shop) -> None:
    assert "nothing to buy again" in shop.shopper().say("ReorderIntent")


def test_orders_deals_are_read_and_kept_as_results(shop: Shop) -> None:
    shopper = shop.shopper()
    speech = shopper.say("DealsIntent")
    deals = shop.db.execute(
        "SELECT sku, deal_price_cents FROM products WHERE deal_price_cents IS NOT NULL AND stock > 0"
    ).fetchall()
    assert deals, "the demo catalog has deals"
    assert speech.startswith("Today's deals:") and "instead of" in speech
    assert len(shopper.session.attributes["results"]) == 3
    assert set(shopper.session.attributes["results"]) <= {r[0] for r in deals}


def test_orders_deals_when_there_are_none(shop: Shop) -> None:
    shop.db.execute("UPDATE products SET deal_price_cents = NULL")
    assert "no deals right now" in shop.shopper().say("DealsIntent")


def test_orders_stock_short_at_order_time_orders_nothing(shop: Shop) -> None:
    shop.fill_cart(USER, {"MILK-001": 2, "EGGS-001": 1})
    shopper = shop.shopper()
    checkout_to_code(shopper)
    shop.set_stock("EGGS-001", 0)  # someone else bought the last eggs
    milk = shop.stock("MILK-001")
    speech = shopper.say("ProvideVoiceCodeIntent", voiceCode="1234")
    assert "just sold out" in speech and "with 0 left" in speech
    assert shop.orders() == 0 and shop.charges() == 0 and shop.stock("MILK-001") == milk


def test_voiceshop_orders_json_has_the_contract_shape(shop: Shop) -> None:
    order_id = _order(shop, {"MILK-001": 2})
    result = CliRunner().invoke(
        cli, ["orders", "--db", str(shop.config.database), "--json", "--at", "2026-11-27T16:00:00Z"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 1
    row = rows[0]
    assert set(row) == {"order_id", "user_id", "status", "total_cents", "items", "delivery"}
    assert row["order_id"] == order_id and row["user_id"] == USER and row["status"] == "CONFIRMED"
    assert row["items"] == [
        {
            "sku": "MILK-001",
            "name": "Horizon Organic Whole Milk",
            "quantity": 2,
            "unit_price_cents": 749,
        }
    ]
    assert row["delivery"] == {
        "address_label": "home",
        "slot_id": "2026-11-28-morning",
        "date": "2026-11-28",
        "window": "morning",
        "starts_at": "2026-11-28T13:00:00+00:00",
        "ends_at": "2026-11-28T17:00:00+00:00",
    }
    later = CliRunner().invoke(
        cli, ["orders", "--db", str(shop.config.database), "--json", "--at", "2026-11-29T00:00:00Z"]
    )
    assert json.loads(later.output)[0]["status"] == "DELIVERED"


def test_voiceshop_orders_table_and_user_filter(shop: Shop) -> None:
    order_id = _order(shop, {"MILK-001": 2})
    result = CliRunner().invoke(
        cli, ["orders", "--db", str(shop.config.database), "--at", "2026-11-27T16:00:00Z"]
    )
    assert result.exit_code == 0
    header, line = result.output.splitlines()
    assert header.split() == ["ORDER", "USER", "STATUS", "TOTAL", "ITEMS", "DELIVERY"]
    assert line.startswith(order_id) and "CONFIRMED" in line and "home, 2026-11-28 morning" in line
    other = CliRunner().invoke(
        cli, ["orders", "--db", str(shop.config.database), "--user", "nobody", "--json"]
    )
    assert json.loads(other.output) == []


def test_voiceshop_orders_bad_input_is_one_line(tmp_path: Path) -> None:
    missing = CliRunner().invoke(cli, ["orders", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 2 and missing.output.startswith("error: no database at")
    assert "Traceback" not in missing.output
    (tmp_path / "junk.db").write_text("not a database")
    junk = CliRunner().invoke(cli, ["orders", "--db", str(tmp_path / "junk.db")])
    assert junk.exit_code == 2 and junk.output.startswith("error: ")
