"""Handlers for checkout and payment: CheckoutIntent, the read-back and its yes/no, the voice code,
SetPaymentMethodIntent, and recovering from a declined card.

The checkout's progress is the server's record (`skill.services.checkout`); the session attributes
`checkout` (its id) and `pending` are hints that can only narrow: a yes or a code counts only when the
record says the same question is open, so edited attributes get the read-back and the code asked for.

Flow (`pending` kinds, kept in the record too for confirm_order, voice_code and retry_payment):

    CheckoutIntent -> missing address?  ask   (pending checkout_address  -> SetDeliveryAddressIntent)
                   -> missing card?     ask   (pending checkout_payment  -> SetPaymentMethodIntent)
                   -> missing slot?     ask   (pending delivery_slot     -> ScheduleDeliveryIntent)
                   -> slot gone?        offer (pending accept_slot       -> yes / ScheduleDeliveryIntent)
                   -> read back items, address, slot, subtotal, tax, fee, total, card
                                               (pending confirm_order {checkout_id, total_cents})
    yes            -> cart changed? read back again; voice code on? ask (pending voice_code)
    code right     -> place the order (one transaction) -> confirmation + receipt card
    declined       -> offer the other card / a retry  (pending retry_payment {card_id})
    no / cancel    -> the checkout is dropped, never an order; the cart stays.
"""

from __future__ import annotations

import re
from html import unescape

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response
from ask_sdk_model.ui import SimpleCard

from skill.errors import NotFound, PaymentDeclined
from skill.handlers.base import (
    answer_to,
    ask_again,
    clear_pending,
    elicit,
    pending,
    pending_is,
    prompts,
    question_open,
    services,
    session,
    session_id,
    set_pending,
    slot_id,
    slot_value,
    speak,
    user_id,
)
from skill.handlers.phrasing import join, slot_phrase
from skill.handlers.questions import (
    CHECKOUT_QUESTIONS,
    AboutOrder,
    AcceptSlot,
    CheckoutAddress,
    CheckoutPayment,
    ConfirmOrder,
    DeliverySlot,
    Kind,
    Question,
    RetryPayment,
    VoiceCode,
)
from skill.handlers.steps.checking_out import (
    SAVED,
    advance,
    ask_checkout,
    card_phrase,
    current_checkout,
    drop_checkout,
    offer_slots,
    open_checkout,
    save_checkout,
)
from skill.prompts import Raw
from skill.services.accounts import CodeCheck
from skill.services.checkout import CheckoutState
from skill.services.delivery import SlotUnavailable
from skill.services.orders import (
    CartChanged,
    CheckoutNotAgreed,
    EmptyCart,
    Order,
    OutOfStock,
    SpendingLimitExceeded,
    VoiceCodeRequired,
    VoicePurchasingLocked,
)
from skill.services.payments import card_expired


def _place(handler_input: HandlerInput, state: CheckoutState) -> Response:
    """The yes (and code) are given: place the order and say how it went."""
    p, svc, uid = prompts(handler_input), services(handler_input), user_id(handler_input)
    state.stage = "confirmed"
    state.pending = None
    save_checkout(handler_input, state)
    try:
        placed = svc.checkout.place(uid, session_id(handler_input), state)
    except PaymentDeclined as declined:
        return _declined(handler_input, state, declined.reason)
    except VoicePurchasingLocked:
        drop_checkout(handler_input, state)
        return speak(handler_input, p.say("checkout_locked"), p.say("checkout_anything_else"))
    except VoiceCodeRequired:
        state.stage = "code"
        state.code_ok = False
        ask_checkout(handler_input, state, VoiceCode())
        return _ask_code(handler_input, p.say("checkout_ask_code"))
    except CheckoutNotAgreed:
        return advance(handler_input, state)
    except CartChanged:
        return advance(handler_input, state, p.say("checkout_cart_changed"))
    except EmptyCart:
        return advance(handler_input, state)
    except SpendingLimitExceeded:
        return advance(handler_input, state)
    except SlotUnavailable as problem:
        state.slot_id = None
        state.reset_agreement()
        save_checkout(handler_input, state)
        return offer_slots(handler_input, problem)
    except OutOfStock as short:
        drop_checkout(handler_input, state)
        names = [
            p.say(
                "checkout_out_of_stock_item",
                name=product.title,
                available=_stock_now(handler_input, product.sku),
            )
            for product, _ in short.lines
        ]
        return speak(
            handler_input,
            p.say("checkout_out_of_stock", items=join(p, names)),
            p.say("checkout_anything_else"),
        )
    return _placed(handler_input, placed.order)


def _placed(handler_input: HandlerInput, order: Order) -> Response:
    """The checkout is over: the session forgets it (its record stays, marked placed) and the order
    is confirmed."""
    session(handler_input).pop("checkout", None)
    clear_pending(handler_input)
    handler_input.attributes_manager.request_attributes[SAVED] = True
    session(handler_input)["last_order"] = order.order_id
    return _confirmation(handler_input, order)


def _replayed(handler_input: HandlerInput, state: CheckoutState) -> Response:
    """The confirming request of a checkout already placed came again: the same order, never a new one."""
    try:
        order = services(handler_input).orders.get(state.order_id or "", user_id(handler_input))
    except NotFound:
        return advance(handler_input, CheckoutState.new())
    return _placed(handler_input, order)


def _stock_now(handler_input: HandlerInput, sku: str) -> int:
    try:
        return services(handler_input).catalog.get(sku).stock
    except NotFound:
        return 0


def _confirmation(handler_input: HandlerInput, order: Order) -> Response:
    p, svc = prompts(handler_input), services(handler_input)
    assert order.slot is not None
    slot = slot_phrase(p, svc.delivery, order.slot)
    speech = p.say(
        "checkout_placed", order_number=order.order_id, address=p.label("address", order.address_label or ""), slot=slot
    )
    card = svc.accounts.card(order.user_id, order.payment_method_id) if order.payment_method_id else None
    lines = [
        p.say(
            "checkout_receipt_line",
            quantity=i.quantity,
            name=i.name,
            amount=p.price(i.quantity * i.unit_price_cents),
        )
        for i in order.items
    ]
    totals = p.say(
        "checkout_receipt_totals",
        subtotal=p.price(order.subtotal_cents),
        tax=p.price(order.tax_cents),
        fee=p.price(order.delivery_fee_cents),
        total=p.price(order.total_cents),
        card=p.say("checkout_receipt_card", brand=p.label("card", card.brand), last4=card.last4) if card else "",
        address=order.address_label or "",
        slot=Raw(_plain(slot_phrase(p, svc.delivery, order.slot, relative=False))),
    )
    title = p.say("checkout_receipt_title", order_number=order.order_id)
    handler_input.response_builder.set_card(
        SimpleCard(_plain(title), _plain("\n".join([*lines, "", totals])))
    )
    set_pending(handler_input, AboutOrder(order_id=order.order_id))  # "oh, cancel it" means this order
    return speak(handler_input, speech, p.say("checkout_placed_reprompt"))


def _plain(ssml: str) -> str:
    """Card text is plain: no SSML tags, no XML escapes."""
    return unescape(re.sub(r"<[^>]+>", "", ssml))


def _declined(handler_input: HandlerInput, state: CheckoutState, reason: str) -> Response:
    """Explain the decline and recover: the other card, a retry later, or stop with the cart kept."""
    p, svc, uid = prompts(handler_input), services(handler_input), user_id(handler_input)
    assert state.card_id is not None
    card = svc.accounts.card(uid, state.card_id)
    key = f"checkout_declined_{reason}"
    why = Raw(p.say(key if p.has(key) else "checkout_declined_card_declined", card=card_phrase(p, card)))
    now = svc.clock.now()
    others = [c for c in svc.accounts.cards(uid) if c.id != card.id and not card_expired(c, now)]
    if others:
        ask_checkout(handler_input, state, RetryPayment(card_id=others[0].id))
        speech = p.say("checkout_offer_other_card", reason=why, other=card_phrase(p, others[0]))
        return speak(handler_input, speech, p.say("checkout_retry_reprompt"))
    if reason == "processing_error":
        ask_checkout(handler_input, state, RetryPayment(card_id=card.id))
        return speak(
            handler_input, p.say("checkout_offer_retry", reason=why), p.say("checkout_retry_reprompt")
        )
    drop_checkout(handler_input, state)
    return speak(handler_input, p.say("checkout_no_other_card", reason=why), p.say("checkout_anything_else"))


# -- handlers ------------------------------------------------------------------------------------


class CheckoutIntentHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("CheckoutIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        # Choices made before ("deliver it tomorrow", "pay with my visa") are kept; any earlier yes is not.
        state = open_checkout(handler_input) or CheckoutState.new()
        return advance(handler_input, state)


class ConfirmOrderYesHandler(AbstractRequestHandler):
    """The yes after the read-back: only for the checkout and total that the server read back. Asked
    "shall I place the order?", a bare "place the order" / "주문해 줘" (CheckoutIntent) is the same yes."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return answer_to("AMAZON.YesIntent", ConfirmOrder)(handler_input) or answer_to(
            "CheckoutIntent", ConfirmOrder
        )(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p, svc, uid = prompts(handler_input), services(handler_input), user_id(handler_input)
        asked = pending(handler_input)
        state = current_checkout(handler_input)
        if state is not None and state.stage == "placed":
            return _replayed(handler_input, state)
        if (
            state is None
            or state.stage != "confirming"
            or not state.pending_is(Kind.CONFIRM_ORDER)
            or not isinstance(asked, ConfirmOrder)
            or state.id != asked.checkout_id
            or state.total_cents != asked.total_cents
        ):
            return advance(handler_input, state or CheckoutState.new())
        if not svc.checkout.still_agreed(uid, state):
            return advance(handler_input, state, p.say("checkout_cart_changed"))
        if svc.checkout.needs_code(uid) and not state.code_ok:
            state.stage = "code"
            ask_checkout(handler_input, state, VoiceCode())
            return _ask_code(handler_input, p.say("checkout_ask_code"))
        clear_pending(handler_input)
        return _place(handler_input, state)


class VoiceCodeHandler(AbstractRequestHandler):
    """The four-digit code after the yes. Never spoken back, never kept in the session."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ProvideVoiceCodeIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p, svc, uid = prompts(handler_input), services(handler_input), user_id(handler_input)
        state = current_checkout(handler_input)
        asked = pending_is(VoiceCode)(handler_input)
        if state is not None and state.stage == "placed" and asked:
            return _replayed(handler_input, state)
        if state is not None and state.stage == "confirmed" and state.code_ok and state.pending is None and asked:
            # A copy of the confirmation being placed right now (sent twice, or to two servers): it waits
            # for that order under the checkout's idempotency key and answers with it.
            return _place(handler_input, state)
        if state is None or state.stage != "code" or not state.pending_is(Kind.VOICE_CODE) or not asked:
            return speak(handler_input, p.say("checkout_no_code_needed"), p.say("checkout_anything_else"))
        code = "".join(ch for ch in (slot_value(handler_input, "voiceCode") or "") if ch.isdigit())
        if len(code) != 4:
            ask_again(handler_input)
            return _ask_code(handler_input, p.say("checkout_code_format"))
        check = svc.accounts.verify_voice_code(uid, code)
        if check is CodeCheck.LOCKED:
            drop_checkout(handler_input, state)
            return speak(handler_input, p.say("checkout_code_locked"), end_session=True)
        if check is CodeCheck.WRONG:
            left = svc.accounts.purchase_settings(uid).attempts_left
            ask_again(handler_input)
            speech = (
                p.say("checkout_wrong_code_last") if left == 1 else p.say("checkout_wrong_code", left=left)
            )
            return _ask_code(handler_input, speech)
        state.code_ok = True
        clear_pending(handler_input)
        return _place(handler_input, state)


def _ask_code(handler_input: HandlerInput, speech: str) -> Response:
    """Ask for the voice code as the code slot (Dialog.ElicitSlot), so the speaker listens for a code."""
    reprompt = prompts(handler_input).say("checkout_ask_code_reprompt")
    return elicit(handler_input, "ProvideVoiceCodeIntent", "voiceCode", speech, reprompt)


class RetryPaymentYesHandler(AbstractRequestHandler):
    """Yes to 'shall I use your other card / try again?' after a decline: the total was agreed already.
    The card is the one the server offered (kept in its record), never one named by the client."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return answer_to("AMAZON.YesIntent", RetryPayment)(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        svc, uid = services(handler_input), user_id(handler_input)
        clear_pending(handler_input)
        state = current_checkout(handler_input)
        if state is not None and state.stage == "placed":
            return _replayed(handler_input, state)
        offered = state.pending.get("card_id") if state is not None and state.pending else None
        if (
            state is None
            or state.stage != "confirmed"
            or not state.pending_is(Kind.RETRY_PAYMENT)
            or not isinstance(offered, int)
            or (svc.checkout.needs_code(uid) and not state.code_ok)
        ):
            return advance(handler_input, state or CheckoutState.new())
        state.card_id = offered
        return _place(handler_input, state)


class StillAskingYesHandler(AbstractRequestHandler):
    """A bare yes while the checkout waits for a code, an address, a card or a day: ask again."""

    _AGAIN: dict[type[Question], str] = {
        VoiceCode: "checkout_ask_code_reprompt",
        CheckoutAddress: "checkout_ask_address_reprompt",
        CheckoutPayment: "checkout_ask_card_reprompt",
        DeliverySlot: "checkout_ask_slot",
    }

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return answer_to("AMAZON.YesIntent", *self._AGAIN)(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p = prompts(handler_input)
        asked = pending(handler_input)
        assert asked is not None  # can_handle saw one of _AGAIN
        key = self._AGAIN[type(asked)]
        return speak(handler_input, p.say(key), p.say(key))


class AbandonCheckoutHandler(AbstractRequestHandler):
    """No or cancel during checkout drops the checkout (never an order); the cart stays."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        if is_intent_name("AMAZON.NoIntent")(handler_input):
            return pending_is(*CHECKOUT_QUESTIONS)(handler_input)
        if is_intent_name("AMAZON.CancelIntent")(handler_input):
            if pending_is(*CHECKOUT_QUESTIONS, AcceptSlot)(handler_input):
                return True
            # A started checkout with no question open; another domain's question keeps its cancel.
            state = open_checkout(handler_input)
            return not question_open(handler_input) and state is not None and state.started
        return False

    def handle(self, handler_input: HandlerInput) -> Response:
        p = prompts(handler_input)
        drop_checkout(handler_input, open_checkout(handler_input))
        return speak(handler_input, p.say("checkout_abandoned"), p.say("checkout_anything_else"))


class SetPaymentMethodHandler(AbstractRequestHandler):
    """'Pay with my mastercard': during checkout the order is read back again with that card."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("SetPaymentMethodIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p, svc, uid = prompts(handler_input), services(handler_input), user_id(handler_input)
        label = slot_id(handler_input, "paymentLabel") or slot_value(handler_input, "paymentLabel") or ""
        try:
            card = svc.accounts.card_by_label(uid, label)
        except NotFound:
            cards = svc.accounts.cards(uid)
            choices = join(p, [card_phrase(p, c) for c in cards], "checkout_list_or")
            reprompt = p.say("checkout_ask_card_reprompt")
            return speak(
                handler_input, p.say("checkout_card_unknown", label=label, choices=choices), reprompt
            )
        state = open_checkout(handler_input) or CheckoutState.new()
        state.card_id = card.id
        if state.started:
            said = p.say("checkout_card_set", card=card_phrase(p, card))
            return advance(handler_input, state, said, change=said)
        save_checkout(handler_input, state)
        return speak(
            handler_input,
            p.say("checkout_card_set_later", card=card_phrase(p, card)),
            p.say("checkout_anything_else"),
        )


class CheckoutDetailsHandler(AbstractRequestHandler):
    """'Tell me the details' after the read-back: the breakdown (subtotal, tax, fee), then the same
    question; a request about a product (it names one, or a position) is not this."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return (
            is_intent_name("ProductDetailsIntent")(handler_input)
            and pending_is(ConfirmOrder)(handler_input)
            and not slot_value(handler_input, "product")
            and not slot_value(handler_input, "position")
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        state = current_checkout(handler_input)
        if state is None:
            return CheckoutIntentHandler().handle(handler_input)
        return advance(handler_input, state, details=True)


HANDLERS: list[AbstractRequestHandler] = [
    ConfirmOrderYesHandler(),  # before CheckoutIntentHandler: "place the order" at the read-back is the yes
    CheckoutIntentHandler(),
    CheckoutDetailsHandler(),
    VoiceCodeHandler(),
    RetryPaymentYesHandler(),
    StillAskingYesHandler(),
    AbandonCheckoutHandler(),
    SetPaymentMethodHandler(),
]
