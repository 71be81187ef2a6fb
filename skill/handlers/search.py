"""Handlers for search: find products, hear the next few, pick one by its place in what was read,
hear details. What a search found is kept in the session (`skill.handlers.steps.results`).
"""

from __future__ import annotations

from xml.sax.saxutils import unescape

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill.handlers.base import (
    clear_pending,
    prompts,
    services,
    session,
    set_pending,
    slot_id,
    slot_value,
    speak,
    user_id,
)
from skill.handlers.phrasing import brief
from skill.handlers.questions import OfferAdd, asked_quantity, while_adding
from skill.handlers.steps.adding import add_product
from skill.handlers.steps.offers import offer, present_results, read_more
from skill.handlers.steps.results import (
    current_page,
    find_products,
    parse_position,
    product_at,
    selected_product,
)
from skill.prompts import Raw
from skill.services.money import minor_units
from skill.services.types import Product


class SearchProductIntentHandler(AbstractRequestHandler):
    """ "search for coffee": read up to three with brand, size and price, and ask which."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("SearchProductIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        clear_pending(handler_input)
        p = prompts(handler_input)
        query = slot_value(handler_input, "product")
        feature = slot_value(handler_input, "feature")
        price = slot_value(handler_input, "maxPrice")
        # a price limit in the locale's money ("under ten dollars" in cents, "만 원 이하" in won)
        limit = minor_units(price, p.locale)
        generic = slot_id(handler_input, "product")
        if (query or generic) and (feature or limit is not None):
            # "the cheapest coffee": every word counts
            query = f"{feature or ''} {query or ''}".strip()
        if not query and not generic:
            return speak(handler_input, p.say("search_ask_product"), p.say("search_ask_product_reprompt"))
        result = find_products(services(handler_input).catalog, query, generic, user_id=user_id(handler_input), max_price=limit)
        heard = query or result.generic or ""
        if limit is not None and price:
            # as heard, in plain words ("coffee under 5 dollars", "10,000원 이하 라면"): answers escape it
            heard = unescape(p.say("search_query_under", query=heard, amount=price, price=p.price(limit)))
        return present_results(handler_input, result, heard)


class SelectItemIntentHandler(AbstractRequestHandler):
    """ "the second one": picks from the page just read; while choosing what to add, adds it."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("SelectItemIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p = prompts(handler_input)
        attrs = session(handler_input)
        if not current_page(attrs):
            return speak(handler_input, p.say("select_nothing"), p.say("search_ask_product_reprompt"))
        position = parse_position(slot_value(handler_input, "position"))
        if position is None:
            return speak(handler_input, p.say("select_ask_position"), p.say("search_which_reprompt"))
        product = product_at(services(handler_input).catalog, attrs, position)
        if product is None:
            count = len(current_page(attrs))
            return speak(
                handler_input, p.say("select_bad_position", count=count), p.say("search_which_reprompt")
            )
        asked = clear_pending(handler_input)
        if while_adding(asked):
            attrs["selected"] = product.sku
            return add_product(handler_input, product, asked_quantity(asked))
        return offer(handler_input, product)


class MoreResultsHandler(AbstractRequestHandler):
    """ "next", "other options", "what else", "none of those": the next results not read yet.

    AMAZON.NextIntent and OtherOptionsIntent alike. "Next" after "want to hear the rest?" of a long
    cart is the cart's (`skill.handlers.cart_read.CartRestHandler`, earlier in the list)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.NextIntent")(handler_input) or is_intent_name("OtherOptionsIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return read_more(handler_input)


class ProductDetailsIntentHandler(AbstractRequestHandler):
    """ "tell me more about the first one", "how much is the oat milk": details and price."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ProductDetailsIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p = prompts(handler_input)
        clear_pending(handler_input)
        product: Product | None = None
        position = parse_position(slot_value(handler_input, "position"))
        query = slot_value(handler_input, "product")
        catalog, attrs = services(handler_input).catalog, session(handler_input)
        if position is not None:
            product = product_at(catalog, attrs, position)
            if product is None:
                count = len(current_page(attrs))
                if not count:
                    return speak(handler_input, p.say("select_nothing"), p.say("search_ask_product_reprompt"))
                return speak(
                    handler_input, p.say("select_bad_position", count=count), p.say("search_which_reprompt")
                )
        elif query or slot_id(handler_input, "product"):
            found = find_products(catalog, query, slot_id(handler_input, "product"), user_id=user_id(handler_input)).products
            if not found:
                return speak(
                    handler_input, p.say("search_none", query=query or ""), p.say("search_none_reprompt")
                )
            product = found[0]
        else:
            product = selected_product(catalog, attrs)
        if product is None:
            return speak(handler_input, p.say("details_ask"), p.say("search_ask_product_reprompt"))
        attrs["selected"] = product.sku
        described = Raw(brief(p, product))
        if product.stock <= 0:
            return speak(
                handler_input,
                p.say("details_out_of_stock", product=described, description=product.description),
                p.say("search_none_reprompt"),
            )
        set_pending(handler_input, OfferAdd(sku=product.sku))
        if product.stock <= 5:
            speech = p.say(
                "details_low_stock", product=described, description=product.description, count=product.stock
            )
        else:
            speech = p.say("details", product=described, description=product.description)
        return speak(handler_input, speech, p.say("add_offer_reprompt"))


HANDLERS: list[AbstractRequestHandler] = [
    SearchProductIntentHandler(),
    SelectItemIntentHandler(),
    MoreResultsHandler(),
    ProductDetailsIntentHandler(),
]
