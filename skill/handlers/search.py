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
    ask_again,
    clear_pending,
    pending,
    prompts,
    services,
    session,
    set_pending,
    slot_id,
    slot_value,
    speak,
    user_id,
)
from skill.handlers.phrasing import PAGE_SIZE, brief, read_items
from skill.prompts import Raw
from skill.services.catalog import CatalogService, ShopResult
from skill.services.names import kind_name, spoken_name
from skill.services.number_words import ORDINALS, cardinals_to
from skill.services.types import Product

MAX_RESULTS = 9
"""Results kept for "next" and "the second one"."""

_ORDINAL_WORDS = {**ORDINALS, **cardinals_to(len(ORDINALS), least=1)}
"""Words that name a position in a list read: "the second", "number two"."""
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



# -- session state --------------------------------------------------------------------------------


def remember_results(handler_input: HandlerInput, products: list[Product], query: str, read: int = PAGE_SIZE) -> None:
    """Keep what a search found; `read` of them (from the top) were just read aloud."""
    attrs = session(handler_input)
    attrs["results"] = [product.sku for product in products[:MAX_RESULTS]]
    attrs["read"] = attrs["results"][:read]
    attrs["offset"] = min(read, len(attrs["results"]))
    attrs["query"] = query
    attrs.pop("page", None)
    attrs.pop("selected", None)


def forget_results(handler_input: HandlerInput) -> None:
    for key in ("results", "page", "query", "selected", "read", "offset"):
        session(handler_input).pop(key, None)


def current_page(handler_input: HandlerInput) -> list[str]:
    """The SKUs read aloud last: what "the second one" counts in."""
    attrs = session(handler_input)
    if "read" in attrs:
        return list(attrs.get("read") or [])
    results = attrs.get("results") or []
    page = int(attrs.get("page") or 0)
    return list(results[page * PAGE_SIZE : (page + 1) * PAGE_SIZE])


def product_at(handler_input: HandlerInput, position: int) -> Product | None:
    """The product at a 1-based position of what was just read (or the last one of it)."""
    skus = current_page(handler_input)
    if not skus:
        return None
    if len(skus) == 1 and position != _LAST and position > 1:
        # one top pick was read: "the second one" means the search's second
        skus = list(session(handler_input).get("results") or skus)
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


def find_products(handler_input: HandlerInput, query: str | None, generic: str | None = None) -> ShopResult:
    """Search by every word said (and the product slot's entity-resolution id when it has one)."""
    catalog = services(handler_input).catalog
    if generic is None:
        generic = slot_id(handler_input, "product")
    return catalog.shop(query or "", generic, limit=MAX_RESULTS, user_id=user_id(handler_input))


def wanted_phrase(result: ShopResult, query: str) -> str:
    """What was asked and not found, as said: 'gluten free bread', 'coffee under $3.00'."""
    if not result.generic:
        return query
    kind = result.generic.replace("_", " ")
    before = [u for u in result.unmet if not u.startswith("under ") and u != "on sale"]
    after = [u for u in result.unmet if u.startswith("under ") or u == "on sale"]
    return " ".join([*before, kind, *after])


def present_results(
    handler_input: HandlerInput, result: ShopResult, query: str, *, quantity: int | None = None
) -> Response:
    """Answer a search: nothing; the closest when a requirement went unmet (said honestly); the one
    product named; or, for a kind, one top pick (the shopper's own past purchase first) with other
    options on request (or a list of three when the shop's `search_reads` says so)."""
    p = prompts(handler_input)
    products = result.products
    if not products:
        forget_results(handler_input)
        return speak(handler_input, p.say("search_none", query=query), p.say("search_none_reprompt"))
    reads = max(1, min(PAGE_SIZE, services(handler_input).config.search_reads))
    prefix = p.say("search_corrected", query=result.corrected) + " " if result.corrected else ""
    if result.unmet:
        remember_results(handler_input, products, query, read=1)
        return _offer(handler_input, products[0], "search_unmet", quantity, wanted=wanted_phrase(result, query))
    in_stock = [x for x in products if x.stock > 0]
    if len(products) == 1 or result.exact:
        remember_results(handler_input, products, query, read=1)
        if products[0].stock <= 0:
            return out_of_stock(handler_input, products[0])
        return _offer(handler_input, products[0], "search_one", quantity, prefix=prefix)
    if not in_stock:
        remember_results(handler_input, products, query, read=1)
        return out_of_stock(handler_input, products[0])
    if reads == 1:
        remember_results(handler_input, in_stock, query, read=1)
        bought = services(handler_input).catalog.past_purchases(user_id(handler_input), [in_stock[0].sku])
        key = "search_top_pick_again" if bought else "search_top_pick"
        kind = kind_name(in_stock[0]) if result.generic else query
        return _offer(handler_input, in_stock[0], key, quantity, prefix=prefix, query=kind)
    remember_results(handler_input, in_stock, query)
    if quantity is not None or session(handler_input).get("adding"):
        set_pending(handler_input, "choose_to_add", quantity=quantity)
    key = "search_many_next" if len(in_stock) > PAGE_SIZE else "search_many"
    speech = p.say(key, count=len(in_stock), query=result.corrected or query, items=read_items(p, in_stock))
    return speak(handler_input, prefix + speech, p.say("search_which_reprompt"))


def _offer(
    handler_input: HandlerInput, product: Product, key: str, quantity: int | None, *, prefix: str = "", **params: str
) -> Response:
    """Select `product` and ask whether to add it; while adding, "the first one" then adds it."""
    p = prompts(handler_input)
    session(handler_input)["selected"] = product.sku
    if session(handler_input).get("adding"):
        set_pending(handler_input, "offer_add", sku=product.sku, quantity=quantity, adding=True)
    else:
        set_pending(handler_input, "offer_add", sku=product.sku, quantity=quantity)
    speech = prefix + p.say(key, product=Raw(brief(p, product)), **params)
    return speak(handler_input, speech, p.say("add_offer_reprompt"))


def alternative(catalog: CatalogService, product: Product) -> Product | None:
    """An in-stock product of the same kind with the same tags (the closest stand-in), if any."""
    for other in catalog.by_generic(product.generic, limit=20):
        if other.sku != product.sku and other.stock > 0 and set(product.tags) <= set(other.tags):
            return other
    for other in catalog.by_generic(product.generic, limit=20):
        if other.sku != product.sku and other.stock > 0:
            return other
    return None


def out_of_stock(handler_input: HandlerInput, product: Product, quantity: int | None = None) -> Response:
    """Say that `product` is out of stock and offer a named alternative (never put one in silently)."""
    p = prompts(handler_input)
    other = alternative(services(handler_input).catalog, product)
    name = spoken_name(product, [product, other] if other else [])
    if other is None:
        clear_pending(handler_input)
        return speak(handler_input, p.say("search_out_of_stock_none", title=name), p.say("search_none_reprompt"))
    p_other = Raw(brief(p, other, [product, other]))
    session(handler_input)["selected"] = other.sku
    set_pending(handler_input, "offer_add", sku=other.sku, quantity=quantity)
    return speak(handler_input, p.say("search_out_of_stock", title=name, product=p_other), p.say("add_offer_reprompt"))


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
        feature = slot_value(handler_input, "feature")
        price = slot_value(handler_input, "maxPrice")
        if (query or slot_id(handler_input, "product")) and (feature or price):
            # "the cheapest coffee", "coffee under ten dollars": every word counts
            extra = f" under {price} dollars" if price and price.replace(".", "", 1).isdigit() else ""
            query = f"{feature or ''} {query or ''}{extra}".strip()
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
        if asked.get("kind") == "choose_to_add" or asked.get("adding"):
            from skill.handlers.cart import add_product  # cart handlers build on these helpers

            session(handler_input)["selected"] = product.sku
            return add_product(handler_input, product, asked.get("quantity"))
        return offer(handler_input, product)


def read_more(handler_input: HandlerInput) -> Response:
    """The next few results not read yet ("next", "other options")."""
    p = prompts(handler_input)
    attrs = session(handler_input)
    results = attrs.get("results") or []
    if not results:
        return speak(handler_input, p.say("next_nothing"), p.say("search_ask_product_reprompt"))
    offset = int(attrs.get("offset", len(attrs.get("read") or [])))
    if offset >= len(results):
        ask_again(handler_input)
        return speak(handler_input, p.say("next_end"), p.say("search_which_reprompt"))
    chunk = results[offset : offset + PAGE_SIZE]
    attrs["read"] = chunk
    attrs["offset"] = offset + len(chunk)
    catalog = services(handler_input).catalog
    products = [catalog.get(sku) for sku in chunk]
    asked = pending(handler_input) or {}
    adding = asked.get("kind") == "choose_to_add" or bool(asked.get("adding"))
    if adding:
        set_pending(handler_input, "choose_to_add", quantity=asked.get("quantity"))
    if len(products) == 1:
        attrs["adding"] = adding
        try:
            return _offer(handler_input, products[0], "select_done", asked.get("quantity"))
        finally:
            attrs.pop("adding", None)
    key = "next_page_more" if attrs["offset"] < len(results) else "next_page"
    return speak(handler_input, p.say(key, items=read_items(p, products)), p.say("search_which_reprompt"))


class NextIntentHandler(AbstractRequestHandler):
    """AMAZON.NextIntent: the next results."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.NextIntent")(handler_input)

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
