"""Handlers for search: find products, read a page of results, pick one, hear details.

Session attributes written here: `results` (SKUs of the last search, best first), `page` (0-based page
of PAGE_SIZE being read), `query` (what was searched, as heard), `selected` (the SKU picked last).
"The second one" counts within the page just read, as a listener would.
"""

from __future__ import annotations

import re

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill.errors import NotFound
from skill.handlers.base import (
    clear_pending,
    prompts,
    services,
    session,
    set_pending,
    slot_id,
    slot_value,
    speak,
)
from skill.prompts import Prompts, Raw
from skill.services.catalog import SearchResult
from skill.services.types import Product

PAGE_SIZE = 3
"""Results read per turn: a listener keeps about three in mind."""
MAX_RESULTS = 9
"""Results kept for "next" and "the second one"."""

_ORDINAL_WORDS = {
    "first": 1, "one": 1, "second": 2, "two": 2, "third": 3, "three": 3, "fourth": 4, "four": 4,
    "fifth": 5, "five": 5, "sixth": 6, "six": 6, "seventh": 7, "seven": 7, "eighth": 8, "eight": 8,
    "ninth": 9, "nine": 9, "tenth": 10, "ten": 10,
}  # fmt: skip
_LAST = -1


# -- reading slots ----------------------------------------------------------------------------


def parse_position(value: str | None) -> int | None:
    """1-based position from "2", "2nd", "second" or "the second"; `_LAST` for "last"; None when unclear."""
    if not value:
        return None
    text = value.strip().lower()
    digits = re.match(r"^(\d+)(st|nd|rd|th)?$", text)
    if digits:
        number = int(digits.group(1))
        return number if number > 0 else None
    for word in re.findall(r"[a-z]+", text):
        if word == "last":
            return _LAST
        if word in _ORDINAL_WORDS:
            return _ORDINAL_WORDS[word]
    return None


# -- speaking products ----------------------------------------------------------------------------


def brief(p: Prompts, product: Product) -> str:
    """'Horizon Organic Whole Milk, half gallon, $4.99' (SSML-safe)."""
    if product.deal_price_cents:
        return p.say(
            "product_brief_deal",
            title=product.title,
            size=product.size,
            price=p.price(product.deal_price_cents),
        )
    return p.say(
        "product_brief",
        title=product.title,
        size=product.size,
        price=p.price(product.price_cents),
    )


def read_items(p: Prompts, products: list[Product]) -> Raw:
    """'First: A, 12 oz, $3. Second: ...' for up to PAGE_SIZE products."""
    parts = [
        p.say("result_item", ordinal=p.say(f"ordinal_{i}"), product=Raw(brief(p, product)))
        for i, product in enumerate(products[:PAGE_SIZE], start=1)
    ]
    return Raw(" ".join(parts))


# -- session state --------------------------------------------------------------------------------


def remember_results(handler_input: HandlerInput, products: list[Product], query: str) -> None:
    attrs = session(handler_input)
    attrs["results"] = [product.sku for product in products[:MAX_RESULTS]]
    attrs["page"] = 0
    attrs["query"] = query
    attrs.pop("selected", None)


def forget_results(handler_input: HandlerInput) -> None:
    for key in ("results", "page", "query", "selected"):
        session(handler_input).pop(key, None)


def current_page(handler_input: HandlerInput) -> list[str]:
    attrs = session(handler_input)
    results = attrs.get("results") or []
    page = int(attrs.get("page") or 0)
    return list(results[page * PAGE_SIZE : (page + 1) * PAGE_SIZE])


def product_at(handler_input: HandlerInput, position: int) -> Product | None:
    """The product at a 1-based position of the page just read (or the last one of it)."""
    skus = current_page(handler_input)
    if not skus:
        return None
    index = len(skus) - 1 if position == _LAST else position - 1
    if not 0 <= index < len(skus):
        return None
    try:
        return services(handler_input).catalog.get(skus[index])
    except NotFound:
        return None


def selected_product(handler_input: HandlerInput) -> Product | None:
    """What "it" means: the product picked last, or the only result of the last search."""
    sku = session(handler_input).get("selected")
    if not sku:
        results = session(handler_input).get("results") or []
        sku = results[0] if len(results) == 1 else None
    if not sku:
        return None
    try:
        return services(handler_input).catalog.get(sku)
    except NotFound:
        return None


def find_products(handler_input: HandlerInput, query: str | None) -> SearchResult:
    """Search by the product slot: its entity-resolution id when it has one, else the words heard."""
    catalog = services(handler_input).catalog
    generic = slot_id(handler_input, "product")
    if generic:
        found = catalog.by_generic(generic, limit=MAX_RESULTS)
        if found:
            return SearchResult(found, generic)
    return catalog.find(query or "", limit=MAX_RESULTS)


def present_results(handler_input: HandlerInput, result: SearchResult, query: str) -> Response:
    """Read the first page of a search and ask which one; one result is offered for the cart directly."""
    p = prompts(handler_input)
    products = result.products
    if not products:
        forget_results(handler_input)
        return speak(handler_input, p.say("search_none", query=query), p.say("search_none_reprompt"))
    remember_results(handler_input, products, query)
    prefix = p.say("search_corrected", query=result.corrected) + " " if result.corrected else ""
    if len(products) == 1:
        session(handler_input)["selected"] = products[0].sku
        set_pending(handler_input, "offer_add", sku=products[0].sku)
        return speak(
            handler_input,
            prefix + p.say("search_one", product=Raw(brief(p, products[0]))),
            p.say("search_one_reprompt"),
        )
    key = "search_many_next" if len(products) > PAGE_SIZE else "search_many"
    speech = p.say(key, count=len(products), query=result.corrected or query, items=read_items(p, products))
    return speak(handler_input, speech, p.say("search_which_reprompt"))


def offer(handler_input: HandlerInput, product: Product, key: str = "select_done") -> Response:
    """Select `product` and ask whether to add it."""
    p = prompts(handler_input)
    session(handler_input)["selected"] = product.sku
    set_pending(handler_input, "offer_add", sku=product.sku)
    return speak(handler_input, p.say(key, product=Raw(brief(p, product))), p.say("add_offer_reprompt"))


# -- handlers -------------------------------------------------------------------------------------


class SearchProductIntentHandler(AbstractRequestHandler):
    """ "search for coffee": read up to three with brand, size and price, and ask which."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("SearchProductIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        clear_pending(handler_input)
        query = slot_value(handler_input, "product")
        if not query and not slot_id(handler_input, "product"):
            p = prompts(handler_input)
            return speak(handler_input, p.say("search_ask_product"), p.say("search_ask_product_reprompt"))
        result = find_products(handler_input, query)
        return present_results(handler_input, result, query or result.generic or "")


class SelectItemIntentHandler(AbstractRequestHandler):
    """ "the second one": picks from the page just read; while choosing what to add, adds it."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("SelectItemIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p = prompts(handler_input)
        if not current_page(handler_input):
            return speak(handler_input, p.say("select_nothing"), p.say("search_ask_product_reprompt"))
        position = parse_position(slot_value(handler_input, "position"))
        if position is None:
            return speak(handler_input, p.say("select_ask_position"), p.say("search_which_reprompt"))
        product = product_at(handler_input, position)
        if product is None:
            count = len(current_page(handler_input))
            return speak(
                handler_input, p.say("select_bad_position", count=count), p.say("search_which_reprompt")
            )
        asked = clear_pending(handler_input) or {}
        if asked.get("kind") == "choose_to_add":
            from skill.handlers.cart import add_product  # cart handlers build on these helpers

            session(handler_input)["selected"] = product.sku
            return add_product(handler_input, product, asked.get("quantity"))
        return offer(handler_input, product)


class NextIntentHandler(AbstractRequestHandler):
    """AMAZON.NextIntent: the next page of results."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.NextIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p = prompts(handler_input)
        attrs = session(handler_input)
        results = attrs.get("results") or []
        if not results:
            return speak(handler_input, p.say("next_nothing"), p.say("search_ask_product_reprompt"))
        page = int(attrs.get("page") or 0) + 1
        if page * PAGE_SIZE >= len(results):
            return speak(handler_input, p.say("next_end"), p.say("search_which_reprompt"))
        attrs["page"] = page
        catalog = services(handler_input).catalog
        products = [catalog.get(sku) for sku in results[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]]
        key = "next_page_more" if (page + 1) * PAGE_SIZE < len(results) else "next_page"
        return speak(handler_input, p.say(key, items=read_items(p, products)), p.say("search_which_reprompt"))


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
        if position is not None:
            product = product_at(handler_input, position)
            if product is None:
                count = len(current_page(handler_input))
                if not count:
                    return speak(handler_input, p.say("select_nothing"), p.say("search_ask_product_reprompt"))
                return speak(
                    handler_input, p.say("select_bad_position", count=count), p.say("search_which_reprompt")
                )
        elif query or slot_id(handler_input, "product"):
            found = find_products(handler_input, query).products
            if not found:
                return speak(
                    handler_input, p.say("search_none", query=query or ""), p.say("search_none_reprompt")
                )
            product = found[0]
        else:
            product = selected_product(handler_input)
        if product is None:
            return speak(handler_input, p.say("details_ask"), p.say("search_ask_product_reprompt"))
        session(handler_input)["selected"] = product.sku
        described = Raw(brief(p, product))
        if product.stock <= 0:
            return speak(
                handler_input,
                p.say("details_out_of_stock", product=described, description=product.description),
                p.say("search_none_reprompt"),
            )
        set_pending(handler_input, "offer_add", sku=product.sku)
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
    NextIntentHandler(),
    ProductDetailsIntentHandler(),
]
