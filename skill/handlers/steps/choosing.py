"""Picking one of the products just read by a description ("the Lactaid one", "the cheaper one"):
added while the shopper is choosing what to add, else offered."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.handlers.base import (
    clear_pending,
    pending,
    prompts,
    services,
    session,
    set_pending,
    speak,
)
from skill.handlers.phrasing import read_items
from skill.handlers.questions import ChooseToAdd, OfferAdd, asked_quantity, while_adding
from skill.handlers.steps.adding import add_product
from skill.handlers.steps.offers import offer_product
from skill.handlers.steps.results import candidates


def choose_by_words(
    handler_input: HandlerInput, text: str, *, adding: bool | None = None, quantity: int | None = None
) -> Response:
    """Pick from what was read by a description; add it while adding, else offer it."""
    p = prompts(handler_input)
    catalog = services(handler_input).catalog
    among = candidates(catalog, session(handler_input))
    if not among:
        return speak(handler_input, p.say("select_nothing"), p.say("search_ask_product_reprompt"))
    asked = pending(handler_input)
    was_adding = while_adding(asked)
    adding = was_adding if adding is None else adding or was_adding
    quantity = quantity if quantity is not None else asked_quantity(asked)
    fits = catalog.pick(text, among)
    if not fits:
        return speak(
            handler_input,
            p.say("choose_none_fits", wanted=text, items=read_items(p, among[:3])),
            p.say("search_which_reprompt"),
        )
    if len(fits) > 1:
        attrs = session(handler_input)
        attrs["read"] = [x.sku for x in fits[:3]]
        if adding:
            set_pending(handler_input, ChooseToAdd(quantity=quantity))
        return speak(handler_input, p.say("choose_which", items=read_items(p, fits)), p.say("search_which_reprompt"))
    product = fits[0]
    clear_pending(handler_input)
    if len(among) == 1 and isinstance(asked, OfferAdd) and asked.sku == product.sku:
        # "the cheaper one" when the one just offered is all there is: say so, not offer it as new
        return offer_product(handler_input, product, "choose_only_one", quantity)
    if adding:
        session(handler_input)["selected"] = product.sku
        return add_product(handler_input, product, quantity)
    return offer_product(handler_input, product, "select_done", quantity)
