"""Handlers for delivery: choosing a slot ("tomorrow morning", "Saturday afternoon") and an address.

During a checkout (the shopper said "check out") each choice sends the checkout on (`advance`):
the order is read back again with it. Before a checkout, the choice is kept for when it starts.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill.errors import NotFound
from skill.handlers.base import (
    answer_to,
    clear_pending,
    pending,
    pending_is,
    prompts,
    services,
    set_pending,
    slot_id,
    slot_value,
    speak,
    user_id,
)
from skill.handlers.phrasing import join, slot_phrase
from skill.handlers.questions import AcceptSlot, CheckoutAddress, DeliverySlot
from skill.handlers.steps.checking_out import (
    advance,
    ask_delivery_time,
    offer_slots,
    open_checkout,
    save_checkout,
)
from skill.services.checkout import CheckoutState
from skill.services.delivery import WINDOWS, Slot, SlotRequest, SlotUnavailable, parse_alexa_date


def _window(handler_input: HandlerInput) -> str | None:
    raw = slot_id(handler_input, "timeSlot") or slot_value(handler_input, "timeSlot")
    if not raw:
        return None
    raw = raw.strip().lower()
    for window in WINDOWS:
        if window in raw:
            return window
    return {"noon": "afternoon", "night": "evening", "tonight": "evening"}.get(raw)


def _use_slot(handler_input: HandlerInput, slot: Slot) -> Response:
    """Keep the slot in the checkout; go on with the checkout if one is under way."""
    p, svc = prompts(handler_input), services(handler_input)
    state = open_checkout(handler_input) or CheckoutState.new()
    state.slot_id = slot.slot_id
    clear_pending(handler_input)
    phrase = slot_phrase(p, svc.delivery, slot)
    if state.started:
        # the read-back says the slot; after a read-back, the new slot and the total are enough
        return advance(handler_input, state, change=p.say("delivery_slot_changed", slot=phrase))
    save_checkout(handler_input, state)
    return speak(handler_input, p.say("delivery_slot_set_later", slot=phrase), p.say("delivery_reprompt"))


class ScheduleDeliveryHandler(AbstractRequestHandler):
    """ScheduleDeliveryIntent: a day (AMAZON.DATE: a day, a week, a weekend) and/or a window."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ScheduleDeliveryIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p, svc = prompts(handler_input), services(handler_input)
        date_value = slot_value(handler_input, "date")
        days = parse_alexa_date(date_value, svc.delivery.today())
        request = SlotRequest(days, _window(handler_input))
        if request.empty or (date_value and not days and not _is_past_week(date_value)):
            set_pending(handler_input, DeliverySlot())
            return ask_delivery_time(handler_input, p.say("delivery_not_understood"))
        if date_value and not days:
            # A week that is over: nothing left to pick from, so offer the nearest free days.
            request = SlotRequest((svc.delivery.today(),), request.window)
        try:
            slot = svc.delivery.choose(request)
        except SlotUnavailable as problem:
            return offer_slots(handler_input, problem)
        return _use_slot(handler_input, slot)


def _is_past_week(value: str) -> bool:
    return "-W" in value


class DeliveryInfoHandler(AbstractRequestHandler):
    """'How much is delivery': the fee, when it is free, and how far this cart is from free."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("DeliveryInfoIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p, svc = prompts(handler_input), services(handler_input)
        config = svc.config
        fee, free = p.price(config.delivery_fee_cents), p.price(config.free_delivery_cents)
        subtotal = svc.cart.subtotal_cents(user_id(handler_input))
        if subtotal >= config.free_delivery_cents:
            speech = p.say("delivery_fee_info_free", free=free)
        elif subtotal > 0:
            more = p.price(config.free_delivery_cents - subtotal)
            speech = p.say("delivery_fee_info_more", fee=fee, free=free, more=more)
        else:
            speech = p.say("delivery_fee_info", fee=fee, free=free)
        return speak(handler_input, speech, p.say("delivery_reprompt"))


class DeliveryTimesHandler(AbstractRequestHandler):
    """'When can you deliver': the two earliest free times; the answer books one as usual."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("DeliveryTimesIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p, svc = prompts(handler_input), services(handler_input)
        free = svc.delivery.upcoming()[:2]
        if not free:
            return speak(handler_input, p.say("delivery_none_free", problem=""), p.say("delivery_reprompt"))
        phrases = [slot_phrase(p, svc.delivery, slot) for slot in free]
        if len(free) == 1:
            set_pending(handler_input, AcceptSlot(slot_id=free[0].slot_id))
            return speak(
                handler_input, p.say("delivery_times_one", first=phrases[0]), p.say("delivery_times_reprompt")
            )
        if pending_is(DeliverySlot)(handler_input):
            # asked while checkout waits for a time ("the earliest you have"): a yes takes the first
            set_pending(handler_input, AcceptSlot(slot_id=free[0].slot_id))
            speech = p.say("delivery_times_two_take", first=phrases[0], second=phrases[1])
            return speak(handler_input, speech, p.say("delivery_times_reprompt"))
        speech = p.say("delivery_times_two", first=phrases[0], second=phrases[1])
        return speak(handler_input, speech, p.say("delivery_times_reprompt"))


class AcceptSlotYesHandler(AbstractRequestHandler):
    """Yes to 'the nearest free time is Saturday evening, would you like that?'."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return answer_to("AMAZON.YesIntent", AcceptSlot)(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        svc = services(handler_input)
        asked = pending(handler_input)
        offered = asked.slot_id if isinstance(asked, AcceptSlot) else ""
        try:
            slot = svc.delivery.get(offered)
        except NotFound:
            slot = None
        if slot is None or not svc.delivery.bookable(slot):
            around = slot.starts_at if slot else svc.clock.now()
            return offer_slots(handler_input, SlotUnavailable("full", slot, svc.delivery.nearest(around)))
        return _use_slot(handler_input, slot)


class AcceptSlotNoHandler(AbstractRequestHandler):
    """No to the offered time: ask for another."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return answer_to("AMAZON.NoIntent", AcceptSlot)(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p = prompts(handler_input)
        set_pending(handler_input, DeliverySlot())
        return ask_delivery_time(handler_input, p.say("checkout_ask_slot"))


class SetDeliveryAddressHandler(AbstractRequestHandler):
    """'Ship it to my work address'."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("SetDeliveryAddressIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p, svc, uid = prompts(handler_input), services(handler_input), user_id(handler_input)
        label = slot_id(handler_input, "addressLabel") or slot_value(handler_input, "addressLabel") or ""
        addresses = svc.delivery.addresses(uid)
        if not addresses:
            return speak(handler_input, p.say("delivery_no_addresses"), p.say("delivery_reprompt"))
        choices = join(p, [escape(p.label("address", a.label)) for a in addresses], "checkout_list_or")
        if label == "elsewhere":
            # somebody else's place: only a saved address can be delivered to
            set_pending(handler_input, CheckoutAddress())
            return speak(
                handler_input,
                p.say("delivery_address_elsewhere", choices=choices),
                p.say("checkout_ask_address_reprompt"),
            )
        if not label:
            set_pending(handler_input, CheckoutAddress())
            return speak(
                handler_input,
                p.say("delivery_address_missing", choices=choices),
                p.say("checkout_ask_address_reprompt"),
            )
        try:
            address = svc.delivery.address_by_label(uid, label)
        except NotFound:
            return speak(
                handler_input,
                p.say("delivery_address_unknown", label=label, choices=choices),
                p.say("checkout_ask_address_reprompt"),
            )
        state = open_checkout(handler_input) or CheckoutState.new()
        state.address_id = address.id
        if state.started:
            said = p.say("delivery_address_set", label=p.label("address", address.label))
            return advance(handler_input, state, said, change=said)
        save_checkout(handler_input, state)
        return speak(
            handler_input,
            p.say("delivery_address_set_later", label=p.label("address", address.label)),
            p.say("delivery_reprompt"),
        )


HANDLERS: list[AbstractRequestHandler] = [
    ScheduleDeliveryHandler(),
    AcceptSlotYesHandler(),
    AcceptSlotNoHandler(),
    SetDeliveryAddressHandler(),
    DeliveryInfoHandler(),
    DeliveryTimesHandler(),
]
