"""Checkout: from a filled cart to the read-back, the explicit yes, the voice code and the order.

The checkout in progress is kept by the server, in the store's `checkouts` table keyed by user and
checkout id (`CheckoutService.load` / `save`): its stage, the read-back's total and fingerprint,
whether the voice code was given in this checkout, and the checkout question just asked. The client
only carries the id back in the session attribute `checkout` (`{"id": "9f2c..."}`), a hint that
can point at a record of this user and this session and nothing else: whatever else a client sends
(a stage, a `code_ok`, a pending question) never authorises anything, so edited attributes get the
normal flow, the read-back and the code asked for.

Stages: collecting -> confirming (read back, waiting for yes) -> code (yes said, waiting for the
voice code) -> confirmed (yes and code given; placing, or retrying a declined card) -> placed.

`next_step` says what is missing (address, slot, card) or that the checkout is ready to read back;
`place` places the order under the idempotency key `checkout:<user>:<id>`, so the same confirming
request sent twice (or by eight threads at once) places one order and charges once. Inside the
order's transaction, at the moment of charging, the record is read again and the account's lock and
voice-code requirement are checked (`OrderService.place_order(authorise=...)`).
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from typing import TYPE_CHECKING, Any

from skill.errors import NotFound
from skill.services.accounts import PurchaseSettings
from skill.services.delivery import Address, Slot, SlotUnavailable
from skill.services.orders import CheckoutNotAgreed, PlacedOrder, Totals, cart_fingerprint, price
from skill.services.payments import Card
from skill.services.types import CartLine
from skill.store.db import transaction

if TYPE_CHECKING:
    from skill.services import Services

__all__ = ["CheckoutService", "CheckoutState", "Next", "Quote", "Step"]

STAGES = ("collecting", "confirming", "code", "confirmed", "placed")
_CHECKOUT_ID = re.compile(r"[0-9a-f]{16}")
"""The shape of an id made by `CheckoutState.new`; a session hint of any other shape is ignored."""
KEEP_FOR = timedelta(days=2)
"""Checkout records older than this are deleted when a new checkout starts (a session lasts minutes)."""


@dataclass
class CheckoutState:
    """The checkout in progress, as the server keeps it (a row of `checkouts`)."""

    id: str
    """Random; with the user id it makes the order's idempotency key."""
    address_id: int | None = None
    slot_id: str | None = None
    card_id: int | None = None
    stage: str = "collecting"
    """One of `STAGES`."""
    total_cents: int | None = None
    """The total read back, which the yes agreed to."""
    fingerprint: str | None = None
    """The cart as it was read back (`cart_fingerprint`)."""
    code_ok: bool = False
    """The voice code was given right in this checkout."""
    started: bool = False
    """The shopper asked to check out; False while the state only holds choices made beforehand
    ("deliver it tomorrow morning" before "check out")."""
    pending: dict[str, Any] | None = None
    """The checkout question just asked ({"kind": "confirm_order"}, {"kind": "voice_code"},
    {"kind": "retry_payment", "card_id": 2}); a yes or a code answers only the question kept here."""
    order_id: str | None = None
    """The order placed (stage "placed")."""
    stored: bool = False
    """The record exists in the store (False for a checkout not saved yet)."""

    @classmethod
    def new(cls) -> CheckoutState:
        return cls(id=secrets.token_hex(8))

    @staticmethod
    def id_hint(data: Any) -> str | None:
        """The checkout id a session attribute points at, when it has the shape of one."""
        value = data.get("id") if isinstance(data, dict) else None
        return value if isinstance(value, str) and _CHECKOUT_ID.fullmatch(value) else None

    def to_session(self) -> dict[str, Any]:
        """What the client carries between turns: only the id (a pointer, never a proof)."""
        return {"id": self.id}

    def pending_is(self, kind: str) -> bool:
        return self.pending is not None and self.pending.get("kind") == kind

    def reset_agreement(self) -> None:
        """Anything that changes the order makes the yes given so far void."""
        self.stage = "collecting"
        self.total_cents = None
        self.fingerprint = None
        self.code_ok = False
        self.pending = None


_COLUMNS = (
    "checkout_id, address_id, slot_id, card_id, stage, total_cents, fingerprint, code_ok, started,"
    " pending, order_id"
)


def _state_from_row(row: Any) -> CheckoutState:
    pending = json.loads(row[9]) if row[9] else None
    return CheckoutState(
        id=row[0],
        address_id=row[1],
        slot_id=row[2],
        card_id=row[3],
        stage=row[4],
        total_cents=row[5],
        fingerprint=row[6],
        code_ok=bool(row[7]),
        started=bool(row[8]),
        pending=pending if isinstance(pending, dict) else None,
        order_id=row[10],
        stored=True,
    )


class Step(Enum):
    """What the checkout needs next."""

    EMPTY = "empty"
    LOCKED = "locked"
    NEED_ADDRESS = "need_address"
    NEED_SLOT = "need_slot"
    NEED_CARD = "need_card"
    OVER_LIMIT = "over_limit"
    READY = "ready"


@dataclass(frozen=True)
class Quote:
    """Everything the read-back says."""

    lines: list[CartLine]
    totals: Totals
    fingerprint: str
    address: Address
    slot: Slot
    card: Card


@dataclass(frozen=True)
class Next:
    """The answer of `next_step`."""

    step: Step
    settings: PurchaseSettings
    quote: Quote | None = None
    """Set when READY (and OVER_LIMIT, which needs the total)."""
    totals: Totals | None = None
    slot_problem: SlotUnavailable | None = None
    """Set with NEED_SLOT when the slot chosen earlier can no longer be booked."""
    addresses: list[Address] | None = None
    cards: list[Card] | None = None


class CheckoutService:
    def __init__(self, services: Services) -> None:
        self.svc = services

    def next_step(self, user_id: str, state: CheckoutState) -> Next:
        """Fill in the defaults (default address and card) and say what is still missing."""
        accounts, delivery = self.svc.accounts, self.svc.delivery
        settings = accounts.purchase_settings(user_id)
        lines = self.svc.orders.cart_lines(user_id)
        if not lines:
            return Next(Step.EMPTY, settings)
        if settings.locked:
            return Next(Step.LOCKED, settings)
        totals = price(lines, self.svc.config)
        if totals.total_cents > settings.spending_limit_cents:
            return Next(Step.OVER_LIMIT, settings, totals=totals)
        if state.address_id is None:
            default = delivery.default_address(user_id)
            if default is None:
                return Next(Step.NEED_ADDRESS, settings, addresses=delivery.addresses(user_id))
            state.address_id = default.id
        if state.card_id is None:
            card = accounts.default_card(user_id)
            if card is None:
                return Next(Step.NEED_CARD, settings, cards=accounts.cards(user_id))
            state.card_id = card.id
        if state.slot_id is None:
            return Next(Step.NEED_SLOT, settings)
        slot = delivery.get(state.slot_id)
        if not delivery.bookable(slot):
            state.slot_id = None
            problem = SlotUnavailable(
                "full" if slot.free <= 0 else "past", slot, delivery.nearest(slot.starts_at)
            )
            return Next(Step.NEED_SLOT, settings, slot_problem=problem)
        quote = Quote(
            lines=lines,
            totals=totals,
            fingerprint=cart_fingerprint(lines),
            address=delivery.address(user_id, state.address_id),
            slot=slot,
            card=accounts.card(user_id, state.card_id),
        )
        return Next(Step.READY, settings, quote=quote, totals=totals)

    def read_back(self, state: CheckoutState, quote: Quote) -> None:
        """The quote was spoken: a yes now agrees to exactly this cart and total."""
        state.stage = "confirming"
        state.total_cents = quote.totals.total_cents
        state.fingerprint = quote.fingerprint
        state.code_ok = False
        state.pending = {"kind": "confirm_order"}

    def still_agreed(self, user_id: str, state: CheckoutState) -> bool:
        """The cart and total are still what was read back."""
        lines = self.svc.orders.cart_lines(user_id)
        return (
            bool(lines)
            and state.fingerprint == cart_fingerprint(lines)
            and state.total_cents == price(lines, self.svc.config).total_cents
        )

    def needs_code(self, user_id: str) -> bool:
        settings = self.svc.accounts.purchase_settings(user_id)
        return settings.voice_code_required and settings.has_code

    def idempotency_key(self, user_id: str, state: CheckoutState) -> str:
        return f"checkout:{user_id}:{state.id}"

    # -- the record in the store ---------------------------------------------------------------

    def load(self, user_id: str, session_id: str, checkout_id: Any) -> CheckoutState | None:
        """The checkout record `checkout_id` (a client's hint) of this user started in this session;
        None for anything else (another session's, another user's, unknown, malformed)."""
        hint = CheckoutState.id_hint({"id": checkout_id})
        if hint is None:
            return None
        row = self.svc.db.execute(
            f"SELECT {_COLUMNS} FROM checkouts WHERE user_id = ? AND checkout_id = ? AND session_id = ?",
            (user_id, hint, session_id),
        ).fetchone()
        return _state_from_row(row) if row else None

    def save(self, user_id: str, session_id: str, state: CheckoutState) -> None:
        """Write the record (created on first save, then updated; a new one sweeps out stale ones)."""
        if state.stage not in STAGES:
            raise ValueError(f"unknown checkout stage {state.stage!r}")
        now = self.svc.clock.now()
        values = (
            state.address_id,
            state.slot_id,
            state.card_id,
            state.stage,
            state.total_cents,
            state.fingerprint,
            int(state.code_ok),
            int(state.started),
            json.dumps(state.pending) if state.pending else None,
            state.order_id,
            now.isoformat(),
        )
        db = self.svc.db
        with transaction(db):
            if not state.stored:
                db.execute("DELETE FROM checkouts WHERE updated_at < ?", ((now - KEEP_FOR).isoformat(),))
            db.execute(
                "INSERT INTO checkouts (user_id, checkout_id, session_id, address_id, slot_id, card_id, stage,"
                " total_cents, fingerprint, code_ok, started, pending, order_id, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (user_id, checkout_id) DO UPDATE SET address_id = excluded.address_id,"
                " slot_id = excluded.slot_id, card_id = excluded.card_id, stage = excluded.stage,"
                " total_cents = excluded.total_cents, fingerprint = excluded.fingerprint,"
                " code_ok = excluded.code_ok, started = excluded.started, pending = excluded.pending,"
                " order_id = excluded.order_id, updated_at = excluded.updated_at"
                " WHERE checkouts.session_id = excluded.session_id AND checkouts.stage != 'placed'",
                (user_id, state.id, session_id, *values),
            )
            # One open question a session: a question asked in another checkout of it is void.
            db.execute(
                "UPDATE checkouts SET pending = NULL WHERE user_id = ? AND session_id = ?"
                " AND checkout_id != ? AND pending IS NOT NULL",
                (user_id, session_id, state.id),
            )
        state.stored = True

    def drop(self, user_id: str, state: CheckoutState) -> None:
        """The checkout is abandoned (no, cancel, locked, nothing to order): its record goes."""
        with transaction(self.svc.db):
            self.svc.db.execute(
                "DELETE FROM checkouts WHERE user_id = ? AND checkout_id = ? AND stage != 'placed'",
                (user_id, state.id),
            )

    def forget_question(self, user_id: str, session_id: str) -> None:
        """A turn of this session went elsewhere: no checkout question of it is still open, so a
        later yes or code cannot answer a question asked turns ago."""
        db = self.svc.db
        row = db.execute(
            "SELECT 1 FROM checkouts WHERE user_id = ? AND session_id = ? AND pending IS NOT NULL LIMIT 1",
            (user_id, session_id),
        ).fetchone()
        if row is not None:
            with transaction(db):
                db.execute(
                    "UPDATE checkouts SET pending = NULL WHERE user_id = ? AND session_id = ?",
                    (user_id, session_id),
                )

    # -- placing -------------------------------------------------------------------------------

    def place(self, user_id: str, session_id: str, state: CheckoutState) -> PlacedOrder:
        """Place the agreed order (see `OrderService.place_order` for what can go wrong).

        The record is read again inside the order's transaction: only a checkout the server itself
        moved to "confirmed" (read back, yes heard, and the code given when one is required) is charged.
        """
        if (
            state.address_id is None
            or state.slot_id is None
            or state.card_id is None
            or state.total_cents is None
        ):
            raise NotFound("the checkout is missing an address, slot, card or agreed total")

        def authorise() -> bool:
            kept = self.load(user_id, session_id, state.id)
            if (
                kept is None
                or kept.stage != "confirmed"
                or kept.total_cents != state.total_cents
                or kept.fingerprint != state.fingerprint
                or kept.card_id != state.card_id
                or kept.address_id != state.address_id
                or kept.slot_id != state.slot_id
            ):
                raise CheckoutNotAgreed("the checkout record does not say this order was agreed")
            return kept.code_ok

        placed = self.svc.orders.place_order(
            user_id,
            idempotency_key=self.idempotency_key(user_id, state),
            address_id=state.address_id,
            slot_id=state.slot_id,
            card_id=state.card_id,
            expected_total_cents=state.total_cents,
            expected_fingerprint=state.fingerprint,
            authorise=authorise,
        )
        state.stage = "placed"
        state.order_id = placed.order.order_id
        state.pending = None
        with transaction(self.svc.db):
            self.svc.db.execute(
                "UPDATE checkouts SET stage = 'placed', order_id = ?, pending = NULL, updated_at = ?"
                " WHERE user_id = ? AND checkout_id = ?",
                (placed.order.order_id, self.svc.clock.now().isoformat(), user_id, state.id),
            )
        return placed
