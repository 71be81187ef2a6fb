"""Checkout: from a filled cart to the read-back, the explicit yes, the voice code and the order.

The checkout in progress lives in the session attribute `checkout` (`CheckoutState.to_session()`):

    {"id": "9f2c...", "address_id": 1, "slot_id": "2026-11-28-morning", "card_id": 1,
     "stage": "collecting" | "confirming" | "code" | "confirmed",
     "total_cents": 1849, "fingerprint": "ab12...", "code_ok": false}

`next_step` says what is missing (address, slot, card) or that the checkout is ready to read back;
`place` places the order under the idempotency key `checkout:<user>:<id>`, so the same confirming
request sent twice (or by eight threads at once) places one order and charges once.
"""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from skill.errors import NotFound
from skill.services.accounts import PurchaseSettings
from skill.services.delivery import Address, Slot, SlotUnavailable
from skill.services.orders import PlacedOrder, Totals, cart_fingerprint, price
from skill.services.payments import Card
from skill.services.types import CartLine

if TYPE_CHECKING:
    from skill.services import Services

__all__ = ["CheckoutService", "CheckoutState", "Next", "Quote", "Step"]


@dataclass
class CheckoutState:
    """The checkout in progress (kept in the session between turns)."""

    id: str
    """Random; with the user id it makes the order's idempotency key."""
    address_id: int | None = None
    slot_id: str | None = None
    card_id: int | None = None
    stage: str = "collecting"
    """collecting -> confirming (read back, waiting for yes) -> code (yes said, waiting for the
    voice code) -> confirmed (yes and code given; placing, or retrying a declined card)."""
    total_cents: int | None = None
    """The total read back, which the yes agreed to."""
    fingerprint: str | None = None
    """The cart as it was read back (`cart_fingerprint`)."""
    code_ok: bool = False
    """The voice code was given right in this session."""
    started: bool = False
    """The shopper asked to check out; False while the state only holds choices made beforehand
    ("deliver it tomorrow morning" before "check out")."""

    @classmethod
    def new(cls) -> CheckoutState:
        return cls(id=secrets.token_hex(8))

    @classmethod
    def from_session(cls, data: dict[str, Any] | None) -> CheckoutState | None:
        if not data or "id" not in data:
            return None
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def to_session(self) -> dict[str, Any]:
        return asdict(self)

    def reset_agreement(self) -> None:
        """Anything that changes the order makes the yes given so far void."""
        self.stage = "collecting"
        self.total_cents = None
        self.fingerprint = None
        self.code_ok = False


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

    def place(self, user_id: str, state: CheckoutState) -> PlacedOrder:
        """Place the agreed order (see `OrderService.place_order` for what can go wrong)."""
        if (
            state.address_id is None
            or state.slot_id is None
            or state.card_id is None
            or state.total_cents is None
        ):
            raise NotFound("the checkout is missing an address, slot, card or agreed total")
        return self.svc.orders.place_order(
            user_id,
            idempotency_key=self.idempotency_key(user_id, state),
            address_id=state.address_id,
            slot_id=state.slot_id,
            card_id=state.card_id,
            expected_total_cents=state.total_cents,
            expected_fingerprint=state.fingerprint,
        )
