"""The shop's order operations: staff move orders on, cancel and refund them; each change an event,
refused with a reason when the state does not allow it; the shopper hears the state staff set."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from click.testing import CliRunner

from skill.config import SkillConfig
from skill.errors import NotFound
from skill.services import Services
from skill.services.fulfilment import OrderOperations, OrderStateError, RefundTooLarge
from tests.support.skill import USER, Shop, checkout_to_code
from voiceshop.cli import cli

pytestmark = pytest.mark.both_stores


def _order(shop: Shop, items: dict[str, int]) -> str:
    shop.fill_cart(USER, items)
    shopper = shop.shopper()
    checkout_to_code(shopper)
    shopper.say("ProvideVoiceCodeIntent", voiceCode="1234")
    assert "your order is placed" in shopper.speech, shopper.speech
    return str(shop.db.execute("SELECT order_id FROM orders ORDER BY created_at DESC, rowid DESC").fetchone()[0])


def _ops(shop: Shop, config: SkillConfig | None = None) -> OrderOperations:
    return Services(shop.db, shop.clock, config or shop.config).operations


def _refunds(shop: Shop) -> list[int]:
    return [r[0] for r in shop.db.execute("SELECT amount_cents FROM ledger WHERE kind = 'refund' ORDER BY id")]


def test_operations_move_an_order_on_with_staff_events_and_notes(shop: Shop) -> None:
    order_id = _order(shop, {"MILK-001": 1})
    ops = _ops(shop)
    assert ops.prepare(order_id).status == "IN_PREPARATION"
    assert ops.ship(order_id, "van 3, driver Sam").status == "SHIPPED"
    assert ops.deliver(order_id, "left at the door").status == "DELIVERED"
    events = [(e.status, e.actor, e.note) for e in ops.events(order_id)]
    assert events == [
        ("CREATED", "system", ""),
        ("CONFIRMED", "system", ""),
        ("IN_PREPARATION", "staff", ""),
        ("SHIPPED", "staff", "van 3, driver Sam"),
        ("DELIVERED", "staff", "left at the door"),
    ]


def test_operations_refuse_what_the_state_does_not_allow(shop: Shop) -> None:
    order_id = _order(shop, {"MILK-001": 1})
    ops = _ops(shop)
    with pytest.raises(OrderStateError, match=f"order {order_id} is CONFIRMED: only a SHIPPED order can be delivered"):
        ops.deliver(order_id)
    ops.ship(order_id)
    with pytest.raises(OrderStateError, match="is SHIPPED: only a CREATED, CONFIRMED or IN_PREPARATION order can be cancelled"):
        ops.cancel_order(order_id)
    with pytest.raises(OrderStateError, match="is SHIPPED: only a CONFIRMED order can be prepared"):
        ops.prepare(order_id)
    with pytest.raises(NotFound):
        ops.ship("999999")
    assert [e.status for e in ops.events(order_id)][-1] == "SHIPPED", "a refused operation writes no event"


def test_staff_moved_order_no_longer_moves_with_the_clock(shop: Shop) -> None:
    order_id = _order(shop, {"MILK-001": 1})
    ops = _ops(shop)
    ops.prepare(order_id)
    shop.clock.set(shop.clock.now().replace(day=28, hour=18))  # after the slot ended
    assert ops.get(order_id).status == "IN_PREPARATION", "the clock does not guess past what staff said"
    speech = shop.shopper().say("TrackOrderIntent")
    assert "being packed" in speech


def test_staff_progress_mode_stops_the_clock_for_every_order(shop: Shop) -> None:
    order_id = _order(shop, {"MILK-001": 1})
    ops = _ops(shop, replace(shop.config, order_progress="staff"))
    shop.clock.set(shop.clock.now().replace(day=29))
    assert ops.get(order_id).status == "CONFIRMED"
    ops.ship(order_id, "UPS 1Z999")
    assert ops.get(order_id).status == "SHIPPED"


def test_shopper_hears_the_state_staff_set(shop: Shop) -> None:
    order_id = _order(shop, {"MILK-001": 1})
    _ops(shop).ship(order_id, "van 2")
    speech = shop.shopper().say("TrackOrderIntent")
    assert "out for delivery" in speech
    assert "already shipped" in shop.shopper().say("CancelOrderIntent")


def test_cancel_refunds_what_is_left_restocks_and_frees_the_slot(shop: Shop) -> None:
    before = shop.stock("MILK-001"), shop.stock("EGGS-001")
    order_id = _order(shop, {"MILK-001": 2, "EGGS-001": 1})
    booked = shop.count("SELECT booked FROM delivery_slots WHERE slot_id = '2026-11-28-morning'")
    ops = _ops(shop)
    order = ops.refund_line(order_id, "EGGS-001", reason="sold out at packing")
    assert shop.stock("EGGS-001") == before[1], "unshipped goods go back into stock"
    first = _refunds(shop)[0]
    cancelled = ops.cancel_order(order_id, "shopper called")
    assert cancelled.status == "CANCELLED"
    assert sum(_refunds(shop)) == order.total_cents and _refunds(shop)[1] == order.total_cents - first
    assert (shop.stock("MILK-001"), shop.stock("EGGS-001")) == before, "nothing restocked twice"
    assert shop.count("SELECT booked FROM delivery_slots WHERE slot_id = '2026-11-28-morning'") == booked - 1
    last = ops.events(order_id)[-1]
    assert (last.status, last.actor, last.note, last.amount_cents) == (
        "CANCELLED", "staff", "shopper called", order.total_cents - first
    )


def test_partial_refund_of_a_delivered_line_with_its_tax(shop: Shop) -> None:
    order_id = _order(shop, {"MILK-001": 3, "EGGS-001": 1})
    ops = _ops(shop)
    for step in (ops.prepare, ops.ship, ops.deliver):
        step(order_id)
    stock = shop.stock("MILK-001")
    ops.refund_line(order_id, "MILK-001", 1, "carton leaked")
    price = shop.count("SELECT unit_price_cents FROM order_items WHERE order_id = ? AND sku = 'MILK-001'", order_id)
    assert _refunds(shop) == [price + round(price * shop.config.tax_rate)]
    assert shop.stock("MILK-001") == stock, "delivered goods are not restocked"
    with pytest.raises(RefundTooLarge, match="2 of 3 left to refund, not 5"):
        ops.refund_line(order_id, "MILK-001", 5)
    ops.refund_line(order_id, "MILK-001")
    total = ops.get(order_id).total_cents
    ops.refund_line(order_id, "EGGS-001")
    assert sum(_refunds(shop)) == total, "the last units refund the rest, delivery fee included"
    refunded, lines = ops.refunded(order_id)
    assert refunded == total and lines == {"MILK-001": 3, "EGGS-001": 1}
    with pytest.raises(RefundTooLarge):
        ops.refund_line(order_id, "EGGS-001")


def test_shopper_cancel_after_a_staff_refund_refunds_only_the_rest(shop: Shop) -> None:
    order_id = _order(shop, {"MILK-001": 2, "EGGS-001": 1})
    ops = _ops(shop)
    ops.refund_line(order_id, "EGGS-001")
    shopper = shop.shopper()
    shopper.say("CancelOrderIntent")
    shopper.yes()
    assert ops.get(order_id).status == "CANCELLED"
    assert sum(_refunds(shop)) == ops.get(order_id).total_cents


def test_find_filters_by_status_user_and_date(shop: Shop) -> None:
    first = _order(shop, {"MILK-001": 1})
    shop.clock.set(shop.clock.now().replace(hour=16))
    second = _order(shop, {"EGGS-001": 1})
    ops = _ops(shop)
    ops.prepare(second)
    assert [o.order_id for o in ops.find()] == [second, first]
    assert [o.order_id for o in ops.find(status="CONFIRMED")] == [first]
    assert [o.order_id for o in ops.find(since=shop.clock.now().replace(hour=15, minute=30))] == [second]
    assert ops.find(user_id="someone-else") == []


def test_cli_operations_with_json_and_one_line_refusals(shop: Shop) -> None:
    order_id = _order(shop, {"MILK-001": 2})
    db = str(shop.config.database)
    at = ["--at", "2026-11-27T16:00:00Z"]
    runner = CliRunner()
    shipped = runner.invoke(cli, ["orders", "ship", order_id, "--tracking", "UPS 1Z999", "--db", db, "--json", *at])
    assert shipped.exit_code == 0, shipped.output
    data = json.loads(shipped.output)
    assert data["status"] == "SHIPPED" and data["events"][-1]["note"] == "UPS 1Z999"
    refused = runner.invoke(cli, ["orders", "cancel", order_id, "--db", db, *at])
    assert refused.exit_code == 2
    assert refused.output == f"error: order {order_id} is SHIPPED: only a CREATED, CONFIRMED or IN_PREPARATION order can be cancelled\n"
    listed = runner.invoke(cli, ["orders", "list", "--status", "shipped", "--db", db, "--json", *at])
    assert [o["order_id"] for o in json.loads(listed.output)] == [order_id]
    assert set(json.loads(listed.output)[0]) == {"order_id", "user_id", "status", "total_cents", "items", "delivery"}
    none = runner.invoke(cli, ["orders", "list", "--status", "DELIVERED", "--db", db, *at])
    assert none.output.strip() == "no orders"
    shown = runner.invoke(cli, ["orders", "show", order_id, "--db", db, *at])
    assert "SHIPPED" in shown.output and "UPS 1Z999" in shown.output and "staff" in shown.output
    refund = runner.invoke(cli, ["orders", "refund", order_id, "--sku", "MILK-001", "--quantity", "1", "--db", db, *at])
    assert refund.exit_code == 0 and "refunded $" in refund.output
    bad = runner.invoke(cli, ["orders", "list", "--since", "yesterday", "--db", db])
    assert bad.exit_code == 2 and bad.output.startswith("error: --since 'yesterday' is not an ISO-8601")
