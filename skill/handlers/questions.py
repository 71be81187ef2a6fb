"""The questions the skill asks and waits for an answer to: one declared set of kinds (`Kind`), each
with a typed payload, the data its answer needs.

A handler asks with `set_pending(handler_input, OfferAdd(sku=..., quantity=...))` and reads the
question back, typed, with `pending(handler_input)`. The session keeps it as JSON,
`{"kind": "offer_add", "sku": "MILK-001", "quantity": 2}`, the shape sessions have always had, so
sessions saved before still load. What a client sends back is a hint: a field of the wrong type reads
as its default and an unknown kind as no question. For the checkout's questions the server's record
(`skill.services.checkout.CheckoutState.pending`) is what counts; the session only routes the answer.
"""

from __future__ import annotations

import types
from dataclasses import MISSING, dataclass, field, fields, replace
from enum import StrEnum
from typing import Any, ClassVar, Literal, Union, get_args, get_origin, get_type_hints

__all__ = [
    "AboutOrder",
    "AcceptSlot",
    "AskQuantity",
    "CHECKOUT_QUESTIONS",
    "CartRest",
    "CheckoutAddress",
    "CheckoutPayment",
    "CheckoutQuestion",
    "ChooseToAdd",
    "ConfirmCancel",
    "ConfirmClear",
    "ConfirmOrder",
    "ConfirmQuantity",
    "DeliverySlot",
    "DidYouMean",
    "Kind",
    "OfferAdd",
    "QUESTIONS",
    "Question",
    "RetryPayment",
    "VoiceCode",
    "asked_quantity",
    "from_session",
    "while_adding",
]


class Kind(StrEnum):
    """Every question the skill asks, by the name the session keeps it under."""

    OFFER_ADD = "offer_add"
    CHOOSE_TO_ADD = "choose_to_add"
    DID_YOU_MEAN = "did_you_mean"
    CONFIRM_QUANTITY = "confirm_quantity"
    ASK_QUANTITY = "ask_quantity"
    CONFIRM_CLEAR = "confirm_clear"
    CART_REST = "cart_rest"
    CONFIRM_ORDER = "confirm_order"
    VOICE_CODE = "voice_code"
    RETRY_PAYMENT = "retry_payment"
    CHECKOUT_ADDRESS = "checkout_address"
    CHECKOUT_PAYMENT = "checkout_payment"
    DELIVERY_SLOT = "delivery_slot"
    ACCEPT_SLOT = "accept_slot"
    CONFIRM_CANCEL = "confirm_cancel"
    ABOUT_ORDER = "about_order"


_ONLY_WHEN_SET = {"only_when_set": True}
"""Field metadata: the session gets the field only when it differs from its default."""


@dataclass(frozen=True, kw_only=True)
class Question:
    """A question asked; each kind is a subclass naming its `kind`."""

    kind: ClassVar[Kind]

    def to_session(self) -> dict[str, Any]:
        """The session's JSON for it: {"kind": ..., field: value, ...}."""
        data: dict[str, Any] = {"kind": self.kind.value}
        for f in fields(self):
            value = getattr(self, f.name)
            if not (f.metadata.get("only_when_set") and value == f.default):
                data[f.name] = value
        return data


# -- the cart's questions ---------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class OfferAdd(Question):
    """ "Would you like to add it?" about one product."""

    kind = Kind.OFFER_ADD
    sku: str = ""
    quantity: int | None = None
    """How many were asked for, when a number was said."""
    adding: bool = field(default=False, metadata=_ONLY_WHEN_SET)
    """Offered while adding: "the first one" then adds it."""


@dataclass(frozen=True, kw_only=True)
class ChooseToAdd(Question):
    """Which of the products just read to add ("the second one", "the cheaper one")."""

    kind = Kind.CHOOSE_TO_ADD
    quantity: int | None = None


@dataclass(frozen=True, kw_only=True)
class DidYouMean(Question):
    """ "Did you mean Acme paper towels?" when what was heard is not in the catalog."""

    kind = Kind.DID_YOU_MEAN
    sku: str = ""
    quantity: int | None = None


@dataclass(frozen=True, kw_only=True)
class ConfirmQuantity(Question):
    """ "Just to check: add 12 bottles of ...?" for a large or expensive quantity."""

    kind = Kind.CONFIRM_QUANTITY
    sku: str = ""
    quantity: int | None = None
    mode: Literal["add", "set"] = "add"
    """Add that many, or make the line that many."""


@dataclass(frozen=True, kw_only=True)
class AskQuantity(Question):
    """ "How many?" after a count that could not be taken."""

    kind = Kind.ASK_QUANTITY
    sku: str = ""
    mode: Literal["add", "set"] = "add"


@dataclass(frozen=True, kw_only=True)
class ConfirmClear(Question):
    """ "Remove all 3 items from your cart?"."""

    kind = Kind.CONFIRM_CLEAR


@dataclass(frozen=True, kw_only=True)
class CartRest(Question):
    """ "... and 3 more. Want to hear the rest?" of a long cart."""

    kind = Kind.CART_REST
    offset: int | None = None
    """The first line not read yet."""


# -- the checkout's questions -----------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class CheckoutQuestion(Question):
    """A question whose answer counts only when the checkout's record has it open too."""

    checkout_id: str | None = field(default=None, metadata=_ONLY_WHEN_SET)
    """The checkout asking (in the session; the record is that checkout's own)."""

    def to_record(self) -> dict[str, Any]:
        """What the checkout's record keeps of it: the same, without the checkout id."""
        return replace(self, checkout_id=None).to_session()


@dataclass(frozen=True, kw_only=True)
class ConfirmOrder(CheckoutQuestion):
    """The read-back's "shall I place the order?"."""

    kind = Kind.CONFIRM_ORDER
    total_cents: int | None = None
    """The total read back, which the yes agrees to."""


@dataclass(frozen=True, kw_only=True)
class VoiceCode(CheckoutQuestion):
    """ "What's your voice code?" after the yes."""

    kind = Kind.VOICE_CODE


@dataclass(frozen=True, kw_only=True)
class RetryPayment(CheckoutQuestion):
    """ "Shall I use your other card / try again?" after a decline."""

    kind = Kind.RETRY_PAYMENT
    card_id: int | None = None
    """The card offered."""


@dataclass(frozen=True, kw_only=True)
class CheckoutAddress(Question):
    """ "Which address?" during checkout."""

    kind = Kind.CHECKOUT_ADDRESS


@dataclass(frozen=True, kw_only=True)
class CheckoutPayment(Question):
    """ "Which card?" during checkout."""

    kind = Kind.CHECKOUT_PAYMENT


@dataclass(frozen=True, kw_only=True)
class DeliverySlot(Question):
    """ "When would you like it delivered?"."""

    kind = Kind.DELIVERY_SLOT


@dataclass(frozen=True, kw_only=True)
class AcceptSlot(Question):
    """ "The nearest free time is Saturday evening, would you like that?"."""

    kind = Kind.ACCEPT_SLOT
    slot_id: str = ""


# -- orders -----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ConfirmCancel(Question):
    """ "Do you want to cancel order 1234?"."""

    kind = Kind.CONFIRM_CANCEL
    order_id: str = ""


@dataclass(frozen=True, kw_only=True)
class AboutOrder(Question):
    """An order was just talked about ("it arrives tomorrow"): "cancel it" next means that order, not
    "never mind". Nothing is answered yes or no to it; the next turn drops it like any question."""

    kind = Kind.ABOUT_ORDER
    order_id: str = ""


QUESTIONS: dict[Kind, type[Question]] = {
    cls.kind: cls
    for cls in (
        OfferAdd, ChooseToAdd, DidYouMean, ConfirmQuantity, AskQuantity, ConfirmClear, CartRest,
        ConfirmOrder, VoiceCode, RetryPayment, CheckoutAddress, CheckoutPayment, DeliverySlot,
        AcceptSlot, ConfirmCancel, AboutOrder,
    )
}
"""Each kind's question."""

CHECKOUT_QUESTIONS: tuple[type[Question], ...] = (
    ConfirmOrder, VoiceCode, RetryPayment, CheckoutAddress, CheckoutPayment, DeliverySlot
)
"""Questions asked during checkout; no / cancel to any of them drops the checkout."""

_HINTS = {cls: get_type_hints(cls) for cls in QUESTIONS.values()}
"""Each question's field types, for reading one back from the session."""


def from_session(raw: Any) -> Question | None:
    """The question a session's `pending` holds; None for anything that is not one of `Kind`. A field
    missing or of the wrong type reads as its default (the client's copy is only a hint)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("kind"), str):
        return None
    try:
        cls = QUESTIONS[Kind(raw["kind"])]
    except ValueError:
        return None
    hints = _HINTS[cls]
    values = {
        f.name: raw[f.name]
        for f in fields(cls)
        if f.name in raw and _accepts(hints[f.name], raw[f.name]) and f.default is not MISSING
    }
    return cls(**values)


def _accepts(hint: Any, value: Any) -> bool:
    """Whether `value` (from JSON) is of the type `hint` declares (a bool is no int here)."""
    options = get_args(hint) if get_origin(hint) in (Union, types.UnionType) else (hint,)
    for option in options:
        if option is type(None):
            if value is None:
                return True
        elif get_origin(option) is Literal:
            if isinstance(value, str) and value in get_args(option):
                return True
        elif option is int:
            if isinstance(value, int) and not isinstance(value, bool):
                return True
        elif isinstance(option, type) and isinstance(value, option):
            return True
    return False


def while_adding(question: Question | None) -> bool:
    """Whether `question` is which product to add: choosing among several, or one offered while adding."""
    return isinstance(question, ChooseToAdd) or (isinstance(question, OfferAdd) and question.adding)


def asked_quantity(question: Question | None) -> int | None:
    """The quantity said with a question about adding a product (None when there is none)."""
    if isinstance(question, (OfferAdd, ChooseToAdd, DidYouMean, ConfirmQuantity)):
        return question.quantity
    return None
