"""Handlers for changing what was just done: "no, I meant oat milk", "not that one", "undo", "remove
the last thing", "one less", "remove one of the beans".

They act only on the cart changes this session made and only while the cart still holds what those
changes left (`skill.handlers.steps.changes.last_change`): a line changed since (by an order, another device,
"empty my cart") is never "undone" into something the shopper did not ask for.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill.handlers.base import (
    clear_pending,
    pending,
    prompts,
    services,
    session,
    slot_id,
    slot_value,
    speak,
    user_id,
)
from skill.handlers.questions import ChooseToAdd, DidYouMean, OfferAdd, asked_quantity
from skill.handlers.steps.adding import add_by_name, parse_quantity, replace_last_add, set_line
from skill.handlers.steps.changes import last_change, undo_change
from skill.handlers.steps.offers import present_results, read_more
from skill.handlers.steps.results import find_products
from skill.services.cart import match_lines
from skill.services.names import spoken_name


def _said_quantity(handler_input: HandlerInput) -> int | None:
    said = parse_quantity(slot_value(handler_input, "quantity"))
    return said if isinstance(said, int) and not isinstance(said, bool) and said > 0 else None


class CorrectionIntentHandler(AbstractRequestHandler):
    """ "no, I meant oat milk", "not that one", "that's the wrong one": what was just added is taken
    back (said), then what was meant is added in its place, with the same quantity unless a new one
    is said; while a choice is being offered, the offer is replaced instead."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("CorrectionIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p = prompts(handler_input)
        asked = pending(handler_input)
        words, ident = slot_value(handler_input, "product"), slot_id(handler_input, "product")
        quantity = _said_quantity(handler_input)
        change = last_change(handler_input)
        if isinstance(asked, (OfferAdd, ChooseToAdd, DidYouMean)):
            # the offer is what is wrong: nothing was added yet
            if quantity is None:
                quantity = asked_quantity(asked)
            if words or ident:
                clear_pending(handler_input)
                return add_by_name(handler_input, words or "", quantity, ident, None)
            return read_more(handler_input)  # the offer stands while the other options are read
        clear_pending(handler_input)
        swapped = replace_last_add(handler_input, words, ident, quantity)
        if swapped is not None:
            return swapped
        if change is not None and isinstance(change.get("added"), int) and undo_change(handler_input, change):
            # "that's the wrong one": taken back; the other options, or a question
            if session(handler_input).get("results"):
                return read_more(handler_input)
            return speak(handler_input, p.say("cart_what_instead"), p.say("cart_ask_product_reprompt"))
        if words or ident:
            # nothing of ours to correct: take it as the request it names
            found = find_products(services(handler_input).catalog, words, ident, user_id=user_id(handler_input))
            return present_results(handler_input, found, words or "")
        return speak(handler_input, p.say("cart_nothing_to_correct"), p.say("cart_ask_product_reprompt"))


class UndoIntentHandler(AbstractRequestHandler):
    """ "undo", "remove the last thing you added": the last cart change is put back, said; again
    for the one before it."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("UndoIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p = prompts(handler_input)
        clear_pending(handler_input)
        change = last_change(handler_input)
        if change is None or not undo_change(handler_input, change):
            return speak(handler_input, p.say("cart_nothing_to_undo"), p.say("cart_ask_product_reprompt"))
        return speak(handler_input, p.say("cart_anything_else"), p.say("cart_anything_else"))


class DecreaseQuantityIntentHandler(AbstractRequestHandler):
    """ "one less", "remove one of the beans", "two fewer apples": takes some off one line (the whole
    line only when none would be left), never the whole line for "one of"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("DecreaseQuantityIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p = prompts(handler_input)
        clear_pending(handler_input)
        lines = services(handler_input).cart.items(user_id(handler_input))
        if not lines:
            return speak(handler_input, p.say("cart_empty"), p.say("cart_ask_product_reprompt"))
        words, ident = slot_value(handler_input, "product"), slot_id(handler_input, "product")
        if words or ident:
            targets = match_lines(lines, services(handler_input).catalog, words, ident)
        else:
            # "one less": the product just talked about, else the line just changed, else the only line
            change = last_change(handler_input) or {}
            wanted = [session(handler_input).get("selected"), change.get("sku")]
            targets = next(
                ([ln for ln in lines if ln.product.sku == sku] for sku in wanted if sku and any(
                    ln.product.sku == sku for ln in lines
                )),
                lines if len(lines) == 1 else lines,
            )
        if not targets:
            return speak(handler_input, p.say("cart_not_in_cart", query=words or ""), p.say("cart_anything_else"))
        if len(targets) > 1:
            names = ", ".join(spoken_name(t.product) for t in targets[:3])
            return speak(handler_input, p.say("cart_update_which", names=names), p.say("cart_update_ask"))
        less = _said_quantity(handler_input) or 1
        line = targets[0]
        return set_line(handler_input, line.product, max(0, line.quantity - less))


HANDLERS: list[AbstractRequestHandler] = [
    CorrectionIntentHandler(),
    UndoIntentHandler(),
    DecreaseQuantityIntentHandler(),
]
