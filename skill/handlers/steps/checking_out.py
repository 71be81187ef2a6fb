"""The checkout as the handlers see it: the server's record of it (the session only points at it),
and `advance`, which asks for what the checkout still needs or reads the order back for the yes.

The record is `skill.services.checkout.CheckoutState`: a yes or a code counts only when the record
says the same question is open, so edited session attributes get the read-back and the code asked for.
"""

from __future__ import annotations

from dataclasses import replace
from xml.sax.saxutils import escape

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.handlers.base import (
    clear_pending,
    elicit,
    prompts,
    services,
    session,
    session_id,
    set_pending,
    speak,
    user_id,
)
from skill.handlers.phrasing import join, slot_phrase, what
from skill.handlers.questions import (
    AcceptSlot,
    CheckoutAddress,
    CheckoutPayment,
    CheckoutQuestion,
    ConfirmOrder,
    DeliverySlot,
)
from skill.prompts import Prompts, Raw
from skill.services.checkout import CheckoutState, Next, Quote, Step
from skill.services.delivery import DeliveryService, SlotUnavailable
from skill.services.payments import Card
from skill.services.types import CartLine

_ITEMS_SPOKEN = 4


# -- speaking the pieces of an order ---------------------------------------------------------


def items_phrase(p: Prompts, lines: list[CartLine]) -> Raw:
    """'2 bottles of Horizon Organic milk and 1 block of Tillamook cheddar cheese', the first few lines
    and 'and N more'."""
    spoken = [what(p, ln.product, ln.quantity, title=ln.product.short_title) for ln in lines[:_ITEMS_SPOKEN]]
    if len(lines) > _ITEMS_SPOKEN:
        return Raw(
            p.say("checkout_items_more", items=Raw(", ".join(spoken)), count=len(lines) - _ITEMS_SPOKEN)
        )
    return join(p, spoken)


def card_phrase(p: Prompts, card: Card) -> Raw:
    return Raw(p.say("checkout_card", brand=p.label("card", card.brand), last4=card.last4))


def ask_delivery_time(handler_input: HandlerInput, speech: str) -> Response:
    """Ask when to deliver as ScheduleDeliveryIntent's time of day (Dialog.ElicitSlot): its elicitation
    samples ("morning", "in the afternoon") are then heard as answers, and a day ("saturday") fills the
    intent's date; the handler takes either or both."""
    return elicit(handler_input, "ScheduleDeliveryIntent", "timeSlot", speech,
                  prompts(handler_input).say("checkout_ask_slot_reprompt"))


def offer_slots(handler_input: HandlerInput, problem: SlotUnavailable, prefix: str = "") -> Response:
    """Say why the slot cannot be had and offer the nearest free ones (pending accept_slot)."""
    p, svc = prompts(handler_input), services(handler_input)
    if problem.reason == "too_far" or problem.requested is None:
        why = (
            p.say("delivery_too_far") if problem.reason == "too_far" else p.say("delivery_past", slot=Raw(""))
        )
    else:
        why = p.say(f"delivery_{problem.reason}", slot=slot_phrase(p, svc.delivery, problem.requested))
    why = Raw(f"{prefix} {why}".strip())
    alternatives = problem.alternatives
    if not alternatives:
        clear_pending(handler_input)
        return speak(handler_input, p.say("delivery_none_free", problem=why), p.say("delivery_reprompt"))
    first = slot_phrase(p, svc.delivery, alternatives[0])
    set_pending(handler_input, AcceptSlot(slot_id=alternatives[0].slot_id))
    if len(alternatives) == 1:
        speech = p.say("delivery_offer_one", problem=why, first=first)
    else:
        speech = p.say(
            "delivery_offer_two",
            problem=why,
            first=first,
            second=slot_phrase(p, svc.delivery, alternatives[1]),
        )
    return speak(handler_input, speech, p.say("delivery_offer_reprompt", first=first))


# -- the checkout, kept by the server ---------------------------------------------------------

_LOADED = "checkout_state"
"""Request attribute: the record loaded this turn (absent: not looked up yet)."""
SAVED = "checkout_saved"
"""Request attribute: this turn wrote the checkout record (so its open question is this turn's)."""


def current_checkout(handler_input: HandlerInput) -> CheckoutState | None:
    """The server's record of the checkout the session points at: None when the session points at
    nothing, or at something that is not a record of this user and this session."""
    attrs = handler_input.attributes_manager.request_attributes
    if _LOADED not in attrs:
        hint = CheckoutState.id_hint(session(handler_input).get("checkout"))
        attrs[_LOADED] = (
            services(handler_input).checkout.load(user_id(handler_input), session_id(handler_input), hint)
            if hint is not None
            else None
        )
    state = attrs[_LOADED]
    return state if isinstance(state, CheckoutState) else None


def open_checkout(handler_input: HandlerInput) -> CheckoutState | None:
    """The checkout under way (not one already placed)."""
    state = current_checkout(handler_input)
    return state if state is not None and state.stage != "placed" else None


def save_checkout(handler_input: HandlerInput, state: CheckoutState | None) -> None:
    """Write the record and point the session at it (None: the checkout is dropped)."""
    attrs = handler_input.attributes_manager.request_attributes
    attrs[SAVED] = True
    if state is None:
        dropped = current_checkout(handler_input)
        if dropped is not None:
            services(handler_input).checkout.drop(user_id(handler_input), dropped)
        session(handler_input).pop("checkout", None)
        attrs[_LOADED] = None
        return
    services(handler_input).checkout.save(user_id(handler_input), session_id(handler_input), state)
    session(handler_input)["checkout"] = state.to_session()
    attrs[_LOADED] = state


def ask_checkout(handler_input: HandlerInput, state: CheckoutState, question: CheckoutQuestion) -> None:
    """Ask a checkout question: it is open in the record (what a yes or code is checked against)
    and in the session (the hint, with the checkout's id, that routes the answer to its handler)."""
    state.pending = question.to_record()
    save_checkout(handler_input, state)
    set_pending(handler_input, replace(question, checkout_id=state.id))


def drop_checkout(handler_input: HandlerInput, state: CheckoutState | None = None) -> None:
    """The checkout is over without an order: its record goes, and so does its question."""
    if state is not None and state.stored:
        services(handler_input).checkout.drop(user_id(handler_input), state)
    save_checkout(handler_input, None)
    clear_pending(handler_input)


# -- going on with the checkout ---------------------------------------------------------------


def advance(
    handler_input: HandlerInput,
    state: CheckoutState,
    prefix: str = "",
    *,
    details: bool = False,
    change: str | None = None,
) -> Response:
    """Ask for what the checkout still needs, or read it back and ask for the yes: in short (items,
    delivery, total and card), or with `details` the breakdown (subtotal, tax, fee, total, card).
    `change` says what this turn changed ("Okay, I'll charge your Mastercard"): when the order was
    read back already and its cart is the same, only the change and the total are said again."""
    if state.stage == "placed":
        state = CheckoutState.new()
    state.started = True
    read_cart = state.fingerprint if state.stage in ("confirming", "code") else None
    read_total = state.total_cents
    if state.stage != "collecting" or state.pending is not None:
        state.reset_agreement()
    step: Next = services(handler_input).checkout.next_step(user_id(handler_input), state)
    lead = f"{prefix} " if prefix else ""
    if step.step in (Step.EMPTY, Step.LOCKED, Step.OVER_LIMIT):
        return _cannot_check_out(handler_input, state, step, lead)
    save_checkout(handler_input, state)
    if step.step is Step.NEED_ADDRESS:
        return _ask_address(handler_input, state, step, lead)
    if step.step is Step.NEED_CARD:
        return _ask_card(handler_input, state, step, lead)
    if step.step is Step.NEED_SLOT:
        if step.slot_problem is not None:
            return offer_slots(handler_input, step.slot_problem, prefix)
        set_pending(handler_input, DeliverySlot())
        return ask_delivery_time(handler_input, lead + prompts(handler_input).say("checkout_ask_slot"))
    assert step.quote is not None
    if change and not details and read_cart is not None and read_cart == step.quote.fingerprint:
        # the items were read and are the same: the change and the total are what is new
        return _read_back(handler_input, state, step.quote, changed=(change, read_total))
    return _read_back(handler_input, state, step.quote, lead, details=details)


def _cannot_check_out(handler_input: HandlerInput, state: CheckoutState, step: Next, lead: str) -> Response:
    """The cart is empty, voice purchasing is off, or the order is over the spending limit: the
    checkout is dropped and the reason said."""
    p = prompts(handler_input)
    drop_checkout(handler_input, state)
    if step.step is Step.EMPTY:
        return speak(handler_input, lead + p.say("checkout_empty_cart"), p.say("checkout_empty_reprompt"))
    if step.step is Step.LOCKED:
        return speak(handler_input, lead + p.say("checkout_locked"), p.say("checkout_anything_else"))
    assert step.totals is not None
    speech = p.say(
        "checkout_over_limit",
        total=p.price(step.totals.total_cents),
        limit=p.price(step.settings.spending_limit_cents),
    )
    return speak(handler_input, lead + speech, p.say("checkout_anything_else"))


def _ask_address(handler_input: HandlerInput, state: CheckoutState, step: Next, lead: str) -> Response:
    """Which saved address to deliver to (the checkout stops when there is none)."""
    p = prompts(handler_input)
    labels = [p.label("address", a.label) for a in step.addresses or []]
    if not labels:
        drop_checkout(handler_input, state)
        return speak(handler_input, lead + p.say("checkout_no_address"), end_session=True)
    set_pending(handler_input, CheckoutAddress())
    speech = p.say("checkout_ask_address", choices=join(p, [escape(x) for x in labels], "checkout_list_or"))
    # as the address slot, so that "home" is an address here and not AMAZON.NavigateHomeIntent
    return elicit(handler_input, "SetDeliveryAddressIntent", "addressLabel", lead + speech,
                  p.say("checkout_ask_address_reprompt"))


def _ask_card(handler_input: HandlerInput, state: CheckoutState, step: Next, lead: str) -> Response:
    """Which saved card to pay with (the checkout stops when there is none)."""
    p = prompts(handler_input)
    cards = step.cards or []
    if not cards:
        drop_checkout(handler_input, state)
        return speak(handler_input, lead + p.say("checkout_no_card"), end_session=True)
    set_pending(handler_input, CheckoutPayment())
    choices = join(p, [card_phrase(p, c) for c in cards], "checkout_list_or")
    return elicit(handler_input, "SetPaymentMethodIntent", "paymentLabel",
                  lead + p.say("checkout_ask_card", choices=choices), p.say("checkout_ask_card_reprompt"))


def _read_back(
    handler_input: HandlerInput,
    state: CheckoutState,
    quote: Quote,
    lead: str = "",
    *,
    details: bool = False,
    changed: tuple[str, int | None] | None = None,
) -> Response:
    """Read the order back and ask for the yes (the question is kept in the record). `changed` is
    (what this turn changed, the total read before) when the same items were read back already."""
    p, svc = prompts(handler_input), services(handler_input)
    svc.checkout.read_back(state, quote)
    total = quote.totals.total_cents
    ask_checkout(handler_input, state, ConfirmOrder(total_cents=total))
    reprompt = p.say("checkout_read_back_reprompt", total=p.price(total))
    if changed is not None:
        change, read_total = changed
        key = "checkout_read_back_same" if read_total == total else "checkout_read_back_new_total"
        return speak(handler_input, p.say(key, change=Raw(change), total=p.price(total)), reprompt)
    return speak(handler_input, lead + read_back_speech(p, svc.delivery, quote, details=details), reprompt)


def read_back_speech(p: Prompts, delivery: DeliveryService, quote: Quote, *, details: bool) -> str:
    """The read-back: items, address, slot, total and card; with `details` the subtotal, tax and fee too."""
    totals = quote.totals
    fee = (
        p.say("checkout_fee", fee=p.price(totals.delivery_fee_cents))
        if totals.delivery_fee_cents
        else p.say("checkout_fee_free")
    )
    card = card_phrase(p, quote.card) if details else Raw(
        p.say("checkout_card_short", brand=p.label("card", quote.card.brand), last4=quote.card.last4)
    )
    return p.say(
        "checkout_read_back_details" if details else "checkout_read_back",
        items=items_phrase(p, quote.lines),
        address=p.label("address", quote.address.label),
        slot=slot_phrase(p, delivery, quote.slot),
        subtotal=p.price(totals.subtotal_cents),
        tax=p.price(totals.tax_cents),
        fee=Raw(fee),
        free=Raw(p.say("checkout_free_delivery") if not totals.delivery_fee_cents else ""),
        total=p.price(totals.total_cents),
        card=card,
    )
