"""Handlers for hearing the cart: "what's in my cart" reads a long cart in pages ("... and 3 more. Want
to hear the rest?"), "yes" / "next" / "the rest" go on, and "read me everything" reads every line.

Pending question asked here: `cart_rest` {offset} (the first line not read yet).
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill.handlers.base import (
    clear_pending,
    pending,
    pending_is,
    prompts,
    services,
    set_pending,
    speak,
    user_id,
)
from skill.handlers.phrasing import count_items, join, what
from skill.handlers.questions import CartRest
from skill.prompts import Raw
from skill.services.types import CartLine

VIEW_LINES = 4
"""A cart this long is read whole; a longer one is read in pages of PAGE_LINES."""
PAGE_LINES = 3
"""Cart lines read in one breath when the cart is long: a listener keeps about three in mind."""


def _spoken(handler_input: HandlerInput, lines: list[CartLine]) -> list[Raw]:
    p = prompts(handler_input)
    return [what(p, line.product, line.quantity) for line in lines]


def read_cart(handler_input: HandlerInput, *, everything: bool = False) -> Response:
    """The cart's count, lines and total: every line when it is short or `everything` was asked for,
    else the first page and "want to hear the rest?"."""
    p = prompts(handler_input)
    clear_pending(handler_input)
    cart = services(handler_input).cart
    uid = user_id(handler_input)
    lines = cart.items(uid)
    if not lines:
        return speak(handler_input, p.say("cart_empty"), p.say("cart_ask_product_reprompt"))
    params = {
        "count": count_items(p, sum(line.quantity for line in lines)),
        "total": p.price(cart.subtotal_cents(uid)),
    }
    if everything or len(lines) <= VIEW_LINES:
        speech = p.say("cart_view", lines=join(p, _spoken(handler_input, lines)), **params)
        return speak(handler_input, speech, p.say("cart_view_reprompt"))
    first = _spoken(handler_input, lines[:PAGE_LINES])
    set_pending(handler_input, CartRest(offset=PAGE_LINES))
    speech = p.say("cart_view_more", lines=Raw(", ".join(first)), more=len(lines) - PAGE_LINES, **params)
    return speak(handler_input, speech, p.say("cart_rest_reprompt"))


def read_rest(handler_input: HandlerInput, offset: int) -> Response:
    """The lines from `offset` on, a page at a time; the last page says what to do next."""
    p = prompts(handler_input)
    clear_pending(handler_input)
    lines = services(handler_input).cart.items(user_id(handler_input))
    offset = max(0, offset)
    if offset >= len(lines):
        # the cart shrank since the first page: read it again from the top
        return read_cart(handler_input, everything=True)
    page = lines[offset : offset + PAGE_LINES]
    left = len(lines) - offset - len(page)
    spoken = _spoken(handler_input, page)
    if left > 0:
        set_pending(handler_input, CartRest(offset=offset + len(page)))
        speech = p.say("cart_rest_more", lines=Raw(", ".join(spoken)), more=left)
        return speak(handler_input, speech, p.say("cart_rest_reprompt"))
    return speak(handler_input, p.say("cart_rest_last", lines=join(p, spoken)), p.say("cart_view_reprompt"))


def _offset(handler_input: HandlerInput) -> int:
    asked = pending(handler_input)
    value = asked.offset if isinstance(asked, CartRest) else None
    return value if value is not None else PAGE_LINES


class ViewCartIntentHandler(AbstractRequestHandler):
    """ "what's in my cart": the count, the lines (a page of a long cart) and the total."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ViewCartIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return read_cart(handler_input)


class ReadWholeCartIntentHandler(AbstractRequestHandler):
    """ "read me everything in my cart": every line; after a first page, "the rest" goes on from it."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ReadWholeCartIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        if pending_is(CartRest)(handler_input):
            return read_rest(handler_input, _offset(handler_input))
        return read_cart(handler_input, everything=True)


class CartRestHandler(AbstractRequestHandler):
    """Yes, "next" or "more" to "want to hear the rest?": the next page of the cart."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return pending_is(CartRest)(handler_input) and (
            is_intent_name("AMAZON.YesIntent")(handler_input) or is_intent_name("AMAZON.NextIntent")(handler_input)
        )

    def handle(self, handler_input: HandlerInput) -> Response:
        return read_rest(handler_input, _offset(handler_input))


class CartRestNoHandler(AbstractRequestHandler):
    """No to "want to hear the rest?": nothing more is read."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return pending_is(CartRest)(handler_input) and is_intent_name("AMAZON.NoIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p = prompts(handler_input)
        clear_pending(handler_input)
        return speak(handler_input, p.say("cart_rest_declined"), p.say("cart_view_reprompt"))


HANDLERS: list[AbstractRequestHandler] = [
    CartRestHandler(),
    CartRestNoHandler(),
    ReadWholeCartIntentHandler(),
    ViewCartIntentHandler(),
]
