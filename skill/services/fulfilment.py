"""The shop's side of an order: staff find orders, move them on, cancel and refund them.

Every operation runs in one transaction: the order is brought up to date first, its state checked
against what the operation allows (`OrderStateError` names both when it does not), then the change, the
refund or restock it implies, and an event saying who did it and why are written together.

An order that staff have moved is no longer moved by the clock (`OrderService` skips it), and with
`SkillConfig.order_progress = "staff"` the clock moves none: the shop's real operations set what a
shopper hears when they ask where their order is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from skill.errors import NotFound, SkillError
from skill.services.orders import STATES, Order, OrderService
from skill.store.db import transaction

__all__ = ["OrderEvent", "OrderOperations", "OrderStateError", "RefundTooLarge"]

_ALLOWED = {
    "prepare": ("CONFIRMED",),
    "ship": ("CONFIRMED", "IN_PREPARATION"),
    "deliver": ("SHIPPED",),
    "cancel": ("CREATED", "CONFIRMED", "IN_PREPARATION"),
    "refund": ("CONFIRMED", "IN_PREPARATION", "SHIPPED", "DELIVERED"),
}
_RESTOCKED = ("CONFIRMED", "IN_PREPARATION")
"""States in which refunded goods are still in the shop, so they go back into stock."""


class OrderStateError(SkillError):
    """The order's state does not allow the operation."""

    def __init__(self, order: Order, operation: str) -> None:
        states = _ALLOWED[operation]
        allowed = states[0] if len(states) == 1 else f"{', '.join(states[:-1])} or {states[-1]}"
        super().__init__(f"order {order.order_id} is {order.status}: only a {allowed} order can be {_PAST[operation]}")
        self.order = order
        self.operation = operation


class RefundTooLarge(SkillError):
    """More units asked back than the line has left to refund."""


_PAST = {"prepare": "prepared", "ship": "shipped", "deliver": "delivered", "cancel": "cancelled", "refund": "refunded"}


@dataclass(frozen=True)
class OrderEvent:
    """One thing that happened to an order."""

    status: str
    """The state it moved to, or LINE_REFUNDED for a partial refund."""
    at: datetime
    actor: str
    """'staff', 'clock' or 'system' (the shopper's own placing and cancelling)."""
    note: str = ""
    """A tracking note, a reason, or the line refunded."""
    amount_cents: int | None = None
    """Money given back by this event."""


class OrderOperations(OrderService):
    """`OrderService` plus what the shop's staff do to orders."""

    # -- finding ----------------------------------------------------------------------------

    def find(
        self,
        *,
        status: str | None = None,
        user_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = None,
    ) -> list[Order]:
        """Orders newest first, filtered by state (as of now), user and when they were placed."""
        if status is not None and status not in STATES:
            raise SkillError(f"no order status {status!r}; the statuses are {', '.join(STATES)}")
        clauses, params = [], []
        if user_id is not None:
            clauses.append("user_id = ?")
            params.append(user_id)
        if since is not None:
            clauses.append("created_at >= ?")
            params.append(since.isoformat())
        if until is not None:
            clauses.append("created_at < ?")
            params.append(until.isoformat())
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self.db.execute(f"SELECT order_id FROM orders{where} ORDER BY created_at DESC, order_id DESC", params)
        found: list[Order] = []
        for (order_id,) in rows.fetchall():
            order = self.get(order_id)  # brought up to date, so the status filter sees the state of now
            if status is None or order.status == status:
                found.append(order)
                if limit is not None and len(found) >= limit:
                    break
        return found

    def events(self, order_id: str) -> list[OrderEvent]:
        """The order's events, oldest first."""
        rows = self.db.execute(
            "SELECT status, at, actor, note, amount_cents FROM order_events WHERE order_id = ? ORDER BY id",
            (order_id,),
        ).fetchall()
        return [OrderEvent(r[0], datetime.fromisoformat(r[1]), r[2], r[3], r[4]) for r in rows]

    def refunded(self, order_id: str) -> tuple[int, dict[str, int]]:
        """Cents refunded so far, and units refunded per sku."""
        total = self.db.execute("SELECT refunded_cents FROM orders WHERE order_id = ?", (order_id,)).fetchone()
        if total is None:
            raise NotFound(f"no order {order_id}")
        lines = self.db.execute(
            "SELECT sku, refunded_quantity FROM order_items WHERE order_id = ?", (order_id,)
        ).fetchall()
        return int(total[0]), {sku: int(q) for sku, q in lines}

    # -- moving on --------------------------------------------------------------------------

    def prepare(self, order_id: str, note: str = "") -> Order:
        """Picking and packing has started."""
        return self._move(order_id, "prepare", "IN_PREPARATION", note)

    def ship(self, order_id: str, tracking: str = "") -> Order:
        """Handed to the driver or carrier; `tracking` is kept on the event (carrier and number)."""
        return self._move(order_id, "ship", "SHIPPED", tracking)

    def deliver(self, order_id: str, note: str = "") -> Order:
        """Delivered to the shopper."""
        return self._move(order_id, "deliver", "DELIVERED", note)

    def _move(self, order_id: str, operation: str, status: str, note: str) -> Order:
        order_id = self._known(order_id)
        now = self.clock.now()
        with transaction(self.db):
            order = self._current(order_id)
            if order.status not in _ALLOWED[operation]:
                raise OrderStateError(order, operation)
            self._set_status(order_id, status, now)
            self._staff_event(order_id, status, now, note)
        return self._load(order_id)

    # -- cancelling and refunding -----------------------------------------------------------

    def cancel_order(self, order_id: str, reason: str = "") -> Order:
        """Cancel an order that has not shipped: what is left of the charge refunded, stock back, slot freed."""
        order_id = self._known(order_id)
        now = self.clock.now()
        with transaction(self.db):
            order = self._current(order_id)
            if order.status not in _ALLOWED["cancel"]:
                raise OrderStateError(order, "cancel")
            refunded, per_line = self.refunded(order_id)
            amount = order.total_cents - refunded
            if amount > 0 and order.charge_id:
                self.gateway.refund(
                    order.charge_id, amount, f"{order.idempotency_key}/refund",
                    user_id=order.user_id, order_id=order_id,
                )  # fmt: skip
                self.db.execute(
                    "UPDATE orders SET refunded_cents = refunded_cents + ? WHERE order_id = ?", (amount, order_id)
                )
            self.db.executemany(
                "UPDATE products SET stock = stock + ? WHERE sku = ?",
                [(line.quantity - per_line.get(line.sku, 0), line.sku) for line in order.items],
            )
            if order.slot_id:
                self.delivery.release(order.slot_id)
            self._set_status(order_id, "CANCELLED", now)
            self._staff_event(order_id, "CANCELLED", now, reason, amount if order.charge_id else None)
        return self._load(order_id)

    def refund_line(self, order_id: str, sku: str, quantity: int | None = None, reason: str = "") -> Order:
        """Give back `quantity` units of one line (all that are left by default), with their share of the tax.

        When no unit is left unrefunded the rest of the charge (tax rounding, delivery fee) goes back too.
        Goods not yet shipped go back into stock.
        """
        order_id = self._known(order_id)
        now = self.clock.now()
        with transaction(self.db):
            order = self._current(order_id)
            if order.status not in _ALLOWED["refund"]:
                raise OrderStateError(order, "refund")
            line = next((ln for ln in order.items if ln.sku == sku), None)
            if line is None:
                raise NotFound(f"order {order_id} has no line {sku}")
            refunded, per_line = self.refunded(order_id)
            left = line.quantity - per_line.get(sku, 0)
            quantity = left if quantity is None else quantity
            if quantity <= 0 or quantity > left:
                raise RefundTooLarge(
                    f"order {order_id} line {sku}: {left} of {line.quantity} left to refund, not {quantity}"
                )
            goods = line.unit_price_cents * quantity
            tax = int((Decimal(goods) * Decimal(str(self.config.tax_rate))).quantize(Decimal(1), ROUND_HALF_UP))
            units_left = sum(ln.quantity - per_line.get(ln.sku, 0) for ln in order.items) - quantity
            amount = order.total_cents - refunded if units_left == 0 else min(goods + tax, order.total_cents - refunded)
            if amount > 0 and order.charge_id:
                key = f"{order.idempotency_key}/refund/{sku}/{line.quantity - left}+{quantity}"
                self.gateway.refund(order.charge_id, amount, key, user_id=order.user_id, order_id=order_id)
            self.db.execute(
                "UPDATE orders SET refunded_cents = refunded_cents + ?, updated_at = ? WHERE order_id = ?",
                (amount, now.isoformat(), order_id),
            )
            self.db.execute(
                "UPDATE order_items SET refunded_quantity = refunded_quantity + ? WHERE order_id = ? AND sku = ?",
                (quantity, order_id, sku),
            )
            if order.status in _RESTOCKED:
                self.db.execute("UPDATE products SET stock = stock + ? WHERE sku = ?", (quantity, sku))
            note = f"{quantity} x {sku}" + (f": {reason}" if reason else "")
            self._staff_event(order_id, "LINE_REFUNDED", now, note, amount)
        return self._load(order_id)

    # -- helpers ----------------------------------------------------------------------------

    def _known(self, order_id: str) -> str:
        order_id = "".join(ch for ch in order_id if ch.isalnum())
        if not self.db.execute("SELECT 1 FROM orders WHERE order_id = ?", (order_id,)).fetchone():
            raise NotFound(f"no order {order_id}")
        return order_id

    def _current(self, order_id: str) -> Order:
        """Inside the transaction: the clock's due events written, then the order as it is."""
        self._advance(order_id)
        return self._load(order_id)

    def _set_status(self, order_id: str, status: str, now: datetime) -> None:
        self.db.execute(
            "UPDATE orders SET status = ?, updated_at = ? WHERE order_id = ?", (status, now.isoformat(), order_id)
        )

    def _staff_event(
        self, order_id: str, status: str, at: datetime, note: str, amount_cents: int | None = None
    ) -> None:
        self.db.execute(
            "INSERT INTO order_events (order_id, status, at, actor, note, amount_cents) VALUES (?, ?, ?, 'staff', ?, ?)",
            (order_id, status, at.isoformat(), note.strip(), amount_cents),
        )
