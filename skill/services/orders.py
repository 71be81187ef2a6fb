"""Orders: placing one (stock, delivery slot, charge and cart in ONE transaction), tracking,
cancelling with a refund, and buying again.

An order's state moves on with time, derived from the clock and its delivery slot: CONFIRMED when it
is paid, IN_PREPARATION `PREPARATION_LEAD` before the slot, SHIPPED when the slot starts, DELIVERED
when it ends. The events are written (with the time they happened, not the time they were noticed)
whenever an order is read, so tracking answers change as a `FixedClock` moves. CANCELLED and
RETURNED are set by the shopper or the shop.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from skill.clock import Clock
from skill.config import SkillConfig
from skill.errors import NotFound, PaymentDeclined, SkillError
from skill.services.accounts import AccountService
from skill.services.cart import cart_lines
from skill.services.delivery import DeliveryService, Slot
from skill.services.payments import PaymentGateway, record_decline
from skill.services.types import CartLine, Product
from skill.store.db import Database, transaction

__all__ = [
    "CANCELLABLE",
    "STATES",
    "CartChanged",
    "CheckoutNotAgreed",
    "EmptyCart",
    "Order",
    "OrderLine",
    "OrderNotCancellable",
    "OrderService",
    "OutOfStock",
    "PlacedOrder",
    "ReorderResult",
    "SpendingLimitExceeded",
    "Totals",
    "VoiceCodeRequired",
    "VoicePurchasingLocked",
    "cart_fingerprint",
    "price",
]

STATES = ("CREATED", "CONFIRMED", "IN_PREPARATION", "SHIPPED", "DELIVERED", "CANCELLED", "RETURNED")
CANCELLABLE = frozenset({"CREATED", "CONFIRMED", "IN_PREPARATION"})
"""An order can be cancelled until it has shipped."""
PREPARATION_LEAD = timedelta(hours=3)
"""How long before its slot an order is picked and packed."""
_PROGRESS = ("CONFIRMED", "IN_PREPARATION", "SHIPPED", "DELIVERED")


class EmptyCart(SkillError):
    """There is nothing in the cart to order."""


class CartChanged(SkillError):
    """The cart (or its prices) is no longer what was read back and agreed to."""


class CheckoutNotAgreed(SkillError):
    """The server's checkout record does not say that this order was read back and agreed to."""


class VoicePurchasingLocked(SkillError):
    """Voice purchasing is locked (too many wrong codes): nothing is charged until it is reset."""


class VoiceCodeRequired(SkillError):
    """The account asks for the voice code before every order, and it was not given for this one."""


class SpendingLimitExceeded(SkillError):
    """The order costs more than the user's per-order voice purchasing limit."""

    def __init__(self, total_cents: int, limit_cents: int) -> None:
        super().__init__(f"total {total_cents} is over the limit {limit_cents}")
        self.total_cents = total_cents
        self.limit_cents = limit_cents


class OutOfStock(SkillError):
    """Some products no longer have the quantity ordered; `lines` are (product, quantity wanted)."""

    def __init__(self, lines: list[tuple[Product, int]]) -> None:
        super().__init__("out of stock: " + ", ".join(p.sku for p, _ in lines))
        self.lines = lines


class OrderNotCancellable(SkillError):
    """The order has shipped (or is already cancelled, delivered or returned)."""

    def __init__(self, order: Order) -> None:
        super().__init__(f"order {order.order_id} is {order.status}")
        self.order = order


@dataclass(frozen=True)
class Totals:
    """What an order costs, in cents."""

    subtotal_cents: int
    tax_cents: int
    delivery_fee_cents: int
    total_cents: int


def price(lines: list[CartLine], config: SkillConfig) -> Totals:
    """Subtotal, tax (rounded half up), delivery fee (waived at `free_delivery_cents`) and total."""
    subtotal = sum(line.line_total_cents for line in lines)
    tax = int(
        (Decimal(subtotal) * Decimal(str(config.tax_rate))).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    )
    fee = 0 if subtotal >= config.free_delivery_cents or subtotal == 0 else config.delivery_fee_cents
    return Totals(subtotal, tax, fee, subtotal + tax + fee)


def cart_fingerprint(lines: list[CartLine]) -> str:
    """A short digest of what is in the cart at which price: a changed cart changes it."""
    text = ";".join(
        f"{line.product.sku}x{line.quantity}@{line.product.effective_price_cents}"
        for line in sorted(lines, key=lambda x: x.product.sku)
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class OrderLine:
    """One product of an order, at the price paid."""

    sku: str
    name: str
    quantity: int
    unit_price_cents: int


@dataclass(frozen=True)
class Order:
    """An order with its lines, delivery slot and address label."""

    order_id: str
    """Six digits, spoken one by one."""
    user_id: str
    status: str
    subtotal_cents: int
    tax_cents: int
    delivery_fee_cents: int
    total_cents: int
    address_id: int | None
    payment_method_id: int | None
    slot_id: str | None
    idempotency_key: str
    created_at: datetime
    charge_id: str | None
    items: tuple[OrderLine, ...] = ()
    slot: Slot | None = None
    address_label: str | None = None
    events: tuple[tuple[str, datetime], ...] = ()
    """(status, when) in the order they happened."""


@dataclass(frozen=True)
class PlacedOrder:
    """The result of `place_order`."""

    order: Order
    replayed: bool
    """True when this idempotency key had already placed the order: nothing new was charged."""


@dataclass(frozen=True)
class ReorderResult:
    """What `reorder` put back in the cart."""

    order: Order
    """The order bought again."""
    added: list[tuple[OrderLine, int]] = field(default_factory=list)
    """(line, quantity added), possibly fewer than ordered when stock is short."""
    missing: list[OrderLine] = field(default_factory=list)
    """Lines that are out of stock (or no longer sold)."""


class OrderService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        config: SkillConfig,
        gateway: PaymentGateway,
        *,
        delivery: DeliveryService,
        accounts: AccountService,
    ) -> None:
        """Built by `skill.services.Services`, which hands it the delivery and account services."""
        self.db = db
        self.clock = clock
        self.config = config
        # The sandbox keeps its ledger in this database: bind it to this connection so the charge is
        # part of the order's transaction. A remote processor has no `bind` and is used as it is.
        bind = getattr(gateway, "bind", None)
        self.gateway: PaymentGateway = bind(db) if callable(bind) else gateway
        self.delivery = delivery
        self.accounts = accounts

    # -- the cart, read the way an order needs it ---------------------------------------------

    def cart_lines(self, user_id: str) -> list[CartLine]:
        """The user's cart with current products and prices (read inside the order transaction)."""
        return cart_lines(self.db, user_id)

    # -- placing -------------------------------------------------------------------------------

    def place_order(
        self,
        user_id: str,
        *,
        idempotency_key: str,
        address_id: int,
        slot_id: str,
        card_id: int,
        expected_total_cents: int | None = None,
        expected_fingerprint: str | None = None,
        authorise: Callable[[], bool] | None = None,
        code_given: bool = False,
    ) -> PlacedOrder:
        """Turn the cart into a paid order: all of it, or (on any error) none of it.

        In one BEGIN IMMEDIATE transaction: the idempotency key is looked up first (a repeated
        request gets the order it already placed, and nothing is charged again); then, at the moment
        of charging, the account's lock and voice-code requirement are read (`VoicePurchasingLocked`,
        `VoiceCodeRequired`: whether the code was given is what `authorise()` returns, which also
        raises when the caller's own record of the agreement disagrees, or `code_given` without it);
        the cart is priced and compared with what the shopper agreed to; stock is taken with
        conditional updates; the slot is booked; the card is charged; the cart is emptied.
        """
        card = self.accounts.card(user_id, card_id)
        address = self.delivery.address(user_id, address_id)
        self.delivery.ensure_slots()
        charge_key = f"{idempotency_key}/charge"
        now = self.clock.now()
        try:
            with transaction(self.db):
                # Confirmations of one checkout arriving at several servers at once wait here in turn.
                self.db.lock(f"order:{idempotency_key}")
                existing = self._order_id_for_key(idempotency_key)
                if existing is not None:
                    return PlacedOrder(self._load(existing), replayed=True)
                given = authorise() if authorise is not None else code_given
                settings = self.accounts.purchase_settings(user_id)
                if settings.locked:
                    raise VoicePurchasingLocked("voice purchasing is locked")
                if settings.voice_code_required and settings.has_code and not given:
                    raise VoiceCodeRequired("the voice code was not given for this order")
                lines = self.cart_lines(user_id)
                if not lines:
                    raise EmptyCart("the cart is empty")
                totals = price(lines, self.config)
                if expected_total_cents is not None and totals.total_cents != expected_total_cents:
                    raise CartChanged(f"total is {totals.total_cents}, agreed {expected_total_cents}")
                if expected_fingerprint is not None and cart_fingerprint(lines) != expected_fingerprint:
                    raise CartChanged("the cart changed since it was read back")
                if totals.total_cents > settings.spending_limit_cents:
                    raise SpendingLimitExceeded(totals.total_cents, settings.spending_limit_cents)
                order_id = self._new_order_id()
                stamp = now.isoformat()
                self.db.execute(
                    "INSERT INTO orders (order_id, user_id, status, subtotal_cents, tax_cents, delivery_fee_cents,"
                    " total_cents, address_id, payment_method_id, slot_id, idempotency_key, created_at, updated_at)"
                    " VALUES (?, ?, 'CREATED', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        order_id,
                        user_id,
                        totals.subtotal_cents,
                        totals.tax_cents,
                        totals.delivery_fee_cents,
                        totals.total_cents,
                        address.id,
                        card.id,
                        slot_id,
                        idempotency_key,
                        stamp,
                        stamp,
                    ),
                )
                self.db.executemany(
                    "INSERT INTO order_items (order_id, sku, name, quantity, unit_price_cents) VALUES (?, ?, ?, ?, ?)",
                    [
                        (
                            order_id,
                            ln.product.sku,
                            ln.product.title,
                            ln.quantity,
                            ln.product.effective_price_cents,
                        )
                        for ln in lines
                    ],
                )
                self._event(order_id, "CREATED", now)
                self._take_stock(lines)
                self.delivery.book(slot_id)
                result = self.gateway.charge(
                    totals.total_cents, card.token, charge_key, user_id=user_id, order_id=order_id, card=card
                )
                if not result.succeeded:
                    raise PaymentDeclined(result.decline_reason or "card_declined")
                self.db.execute(
                    "UPDATE orders SET status = 'CONFIRMED', charge_id = ?, updated_at = ? WHERE order_id = ?",
                    (result.charge_id, stamp, order_id),
                )
                self._event(order_id, "CONFIRMED", now)
                self.db.execute("DELETE FROM cart_items WHERE user_id = ?", (user_id,))
        except PaymentDeclined as declined:
            with transaction(self.db):
                record_decline(
                    self.db,
                    self.clock,
                    user_id=user_id,
                    amount_cents=totals.total_cents,
                    card_id=card.id,
                    idempotency_key=charge_key,
                    reason=declined.reason,
                )
            raise
        return PlacedOrder(self._load(order_id), replayed=False)

    def _take_stock(self, lines: list[CartLine]) -> None:
        short: list[tuple[Product, int]] = []
        # Rows are locked in sku order, the same in every transaction, so two orders never deadlock.
        for line in sorted(lines, key=lambda ln: ln.product.sku):
            cur = self.db.execute(
                "UPDATE products SET stock = stock - ? WHERE sku = ? AND stock >= ?",
                (line.quantity, line.product.sku, line.quantity),
            )
            if cur.rowcount != 1:
                short.append((line.product, line.quantity))
        if short:
            raise OutOfStock(short)

    def _new_order_id(self) -> str:
        while True:
            candidate = str(100000 + secrets.randbelow(900000))
            if not self.db.execute("SELECT 1 FROM orders WHERE order_id = ?", (candidate,)).fetchone():
                return candidate

    def _order_id_for_key(self, key: str) -> str | None:
        row = self.db.execute("SELECT order_id FROM orders WHERE idempotency_key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _refund_in_full(self, order: Order) -> None:
        """Refund what is left of the order's charge (inside the caller's transaction; lines the shop
        already refunded are not refunded twice); the key makes a retry a no-op."""
        refunded = self.db.execute(
            "SELECT refunded_cents FROM orders WHERE order_id = ?", (order.order_id,)
        ).fetchone()[0]
        amount = order.total_cents - refunded
        if order.charge_id and amount > 0:
            self.gateway.refund(
                order.charge_id,
                amount,
                f"{order.idempotency_key}/refund",
                user_id=order.user_id,
                order_id=order.order_id,
            )
            self.db.execute(
                "UPDATE orders SET refunded_cents = refunded_cents + ? WHERE order_id = ?", (amount, order.order_id)
            )

    def _close(self, order_id: str, status: str) -> None:
        """Move the order to a final state (CANCELLED or RETURNED), with its event."""
        now = self.clock.now()
        self.db.execute(
            "UPDATE orders SET status = ?, updated_at = ? WHERE order_id = ?", (status, now.isoformat(), order_id)
        )
        self._event(order_id, status, now)

    def _event(self, order_id: str, status: str, at: datetime, actor: str = "system") -> None:
        self.db.execute(
            "INSERT INTO order_events (order_id, status, at, actor) VALUES (?, ?, ?, ?)",
            (order_id, status, at.isoformat(), actor),
        )

    # -- reading, and time moving on -----------------------------------------------------------

    def get(self, order_id: str, user_id: str | None = None) -> Order:
        """The order, its state brought up to now. With `user_id`, another user's order is NotFound."""
        order_id = "".join(ch for ch in order_id if ch.isalnum())
        row = self.db.execute("SELECT user_id FROM orders WHERE order_id = ?", (order_id,)).fetchone()
        if row is None or (user_id is not None and row[0] != user_id):
            raise NotFound(f"no order {order_id}")
        self.refresh(order_id)
        return self._load(order_id)

    def last(self, user_id: str) -> Order | None:
        row = self.db.execute(
            "SELECT order_id FROM orders WHERE user_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1",
            (user_id,),
        ).fetchone()
        return self.get(row[0]) if row else None

    def list_orders(self, user_id: str | None = None) -> list[Order]:
        """Every order (of one user), newest first, states brought up to now."""
        if user_id is None:
            rows = self.db.execute(
                "SELECT order_id FROM orders ORDER BY created_at DESC, rowid DESC"
            ).fetchall()
        else:
            rows = self.db.execute(
                "SELECT order_id FROM orders WHERE user_id = ? ORDER BY created_at DESC, rowid DESC",
                (user_id,),
            ).fetchall()
        return [self.get(r[0]) for r in rows]

    def refresh(self, order_id: str) -> str:
        """Write the events that are due by now; returns the status."""
        status = self._status(order_id)
        if not self._due(order_id, status):
            return status
        with transaction(self.db):
            return self._advance(order_id)

    def _status(self, order_id: str) -> str:
        return self.db.execute("SELECT status FROM orders WHERE order_id = ?", (order_id,)).fetchone()[0]

    def _due(self, order_id: str, status: str) -> list[tuple[str, datetime]]:
        if status not in _PROGRESS or self.config.order_progress == "staff":
            return []
        if self.db.execute(
            "SELECT 1 FROM order_events WHERE order_id = ? AND actor = 'staff' LIMIT 1", (order_id,)
        ).fetchone():
            return []  # the shop's staff move this order now; the clock no longer guesses
        row = self.db.execute(
            "SELECT o.created_at, s.starts_at, s.ends_at FROM orders o LEFT JOIN delivery_slots s"
            " ON s.slot_id = o.slot_id WHERE o.order_id = ?",
            (order_id,),
        ).fetchone()
        if row is None or row[1] is None:
            return []
        created, starts, ends = (datetime.fromisoformat(v) for v in row)
        timeline = [
            ("IN_PREPARATION", max(created, starts - PREPARATION_LEAD)),
            ("SHIPPED", starts),
            ("DELIVERED", ends),
        ]
        now = self.clock.now()
        done = _PROGRESS.index(status)
        return [(s, at) for s, at in timeline if _PROGRESS.index(s) > done and at <= now]

    def _advance(self, order_id: str) -> str:
        """Inside a transaction: re-read the status (another request may have moved it) and move it on.
        The order's row stays locked until the transaction ends, so two requests never both move it."""
        status = self.db.execute(
            "SELECT status FROM orders WHERE order_id = ? FOR UPDATE", (order_id,)
        ).fetchone()[0]
        for new_status, at in self._due(order_id, status):
            self._event(order_id, new_status, at, actor="clock")
            status = new_status
        self.db.execute(
            "UPDATE orders SET status = ?, updated_at = ? WHERE order_id = ? AND status != ?",
            (status, self.clock.now().isoformat(), order_id, status),
        )
        return status

    def _load(self, order_id: str) -> Order:
        row = self.db.execute(
            "SELECT o.order_id, o.user_id, o.status, o.subtotal_cents, o.tax_cents, o.delivery_fee_cents,"
            " o.total_cents, o.address_id, o.payment_method_id, o.slot_id, o.idempotency_key, o.created_at,"
            " o.charge_id, a.label FROM orders o LEFT JOIN addresses a ON a.id = o.address_id WHERE o.order_id = ?",
            (order_id,),
        ).fetchone()
        if row is None:
            raise NotFound(f"no order {order_id}")
        items = tuple(
            OrderLine(*r)
            for r in self.db.execute(
                "SELECT sku, name, quantity, unit_price_cents FROM order_items WHERE order_id = ? ORDER BY rowid",
                (order_id,),
            ).fetchall()
        )
        events = tuple(
            (r[0], datetime.fromisoformat(r[1]))
            for r in self.db.execute(
                "SELECT status, at FROM order_events WHERE order_id = ? ORDER BY id", (order_id,)
            ).fetchall()
        )
        slot = None
        if row[9]:
            try:
                slot = self.delivery.get(row[9])
            except NotFound:
                slot = None
        return Order(
            order_id=row[0],
            user_id=row[1],
            status=row[2],
            subtotal_cents=row[3],
            tax_cents=row[4],
            delivery_fee_cents=row[5],
            total_cents=row[6],
            address_id=row[7],
            payment_method_id=row[8],
            slot_id=row[9],
            idempotency_key=row[10],
            created_at=datetime.fromisoformat(row[11]),
            charge_id=row[12],
            items=items,
            slot=slot,
            address_label=row[13],
            events=events,
        )

    # -- cancelling, returning, buying again ---------------------------------------------------

    def cancel(self, user_id: str, order_id: str) -> Order:
        """Cancel an order that has not shipped: refund, restock and free the slot, in one transaction."""
        self.get(order_id, user_id)  # NotFound for someone else's order
        with transaction(self.db):
            status = self._advance(order_id)
            order = self._load(order_id)
            if status not in CANCELLABLE:
                raise OrderNotCancellable(order)
            self._refund_in_full(order)
            # Units the shop already refunded (and restocked) are not put back twice.
            self.db.executemany(
                "UPDATE products SET stock = stock + (SELECT quantity - refunded_quantity FROM order_items"
                " WHERE order_id = ? AND sku = ?) WHERE sku = ?",
                [(order_id, line.sku, line.sku) for line in sorted(order.items, key=lambda ln: ln.sku)],
            )
            if order.slot_id:
                self.delivery.release(order.slot_id)
            self._close(order_id, "CANCELLED")
        return self._load(order_id)

    def mark_returned(self, order_id: str) -> Order:
        """The shop took a delivered order back (refunded in full)."""
        with transaction(self.db):
            status = self._advance(order_id)
            order = self._load(order_id)
            if status != "DELIVERED":
                raise OrderNotCancellable(order)
            self._refund_in_full(order)
            self._close(order_id, "RETURNED")
        return self._load(order_id)

    def reorder(self, user_id: str) -> ReorderResult:
        """Put the last order's products back in the cart (as many as are in stock)."""
        order = self.last(user_id)
        if order is None:
            raise NotFound("no previous order")
        return self.put_back(user_id, order, list(order.items))

    def put_back(self, user_id: str, order: Order, lines: list[OrderLine]) -> ReorderResult:
        """Put `lines` (of `order`, or of several orders) back in the cart, as many as are in stock."""
        result = ReorderResult(order)
        now = self.clock.now().isoformat()
        with transaction(self.db):
            for line in lines:
                row = self.db.execute(
                    "SELECT p.stock, COALESCE(c.quantity, 0) FROM products p LEFT JOIN cart_items c"
                    " ON c.sku = p.sku AND c.user_id = ? WHERE p.sku = ?",
                    (user_id, line.sku),
                ).fetchone()
                room = (row[0] - row[1]) if row else 0
                quantity = min(line.quantity, room)
                if quantity <= 0:
                    result.missing.append(line)
                    continue
                self.db.execute(
                    "INSERT INTO cart_items (user_id, sku, quantity, added_at) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT(user_id, sku) DO UPDATE SET quantity = cart_items.quantity + excluded.quantity",
                    (user_id, line.sku, quantity, now),
                )
                result.added.append((line, quantity))
        return result

    def bought(self, user_id: str, recent: int = 10) -> list[Order]:
        """The shopper's recent orders that were not cancelled or returned, newest first."""
        orders = self.list_orders(user_id)[:recent]
        return [o for o in orders if o.status not in ("CANCELLED", "RETURNED")]

    def find_bought(self, user_id: str, matches: Callable[[OrderLine], bool]) -> tuple[Order, OrderLine] | None:
        """The newest order line the shopper bought that `matches`, with its order."""
        for order in self.bought(user_id):
            for line in order.items:
                if matches(line):
                    return order, line
        return None

    def usual(self, user_id: str, recent: int = 5) -> tuple[Order, list[OrderLine]] | None:
        """'My usual': what is in at least half of the last few orders (all of the only one), each in
        the quantity bought most often; with the newest order. None without an order."""
        orders = self.bought(user_id, recent)
        if not orders:
            return None
        seen: dict[str, list[OrderLine]] = {}
        for order in orders:
            for line in order.items:
                seen.setdefault(line.sku, []).append(line)
        needed = (len(orders) + 1) // 2
        usual = []
        for lines in seen.values():
            if len(lines) >= needed:
                quantities = [ln.quantity for ln in lines]
                quantity = max(quantities, key=lambda q: (quantities.count(q), -quantities.index(q)))
                usual.append(OrderLine(lines[0].sku, lines[0].name, quantity, lines[0].unit_price_cents))
        return orders[0], usual
