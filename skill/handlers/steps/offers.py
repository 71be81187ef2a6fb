"""Answering with products: a search's results, an offer to add one (named apart from the others),
out of stock with a named stand-in, and the next few results not read yet."""

from __future__ import annotations

from xml.sax.saxutils import escape

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.handlers.base import (
    ask_again,
    clear_pending,
    pending,
    prompts,
    services,
    session,
    set_pending,
    speak,
    user_id,
)
from skill.handlers.phrasing import PAGE_SIZE, brief, read_items
from skill.handlers.questions import ChooseToAdd, OfferAdd, asked_quantity, while_adding
from skill.handlers.steps.results import forget_results, remember_results
from skill.prompts import Prompts, Raw, xml_safe
from skill.services.catalog import CatalogService, ShopResult, Unmet
from skill.services.names import kind_name, spoken_name
from skill.services.types import Product
from skill.services.wants import tag_spoken


def wanted_phrase(p: Prompts, result: ShopResult, query: str) -> str:
    """What was asked and not found (SSML), said the locale's way: 'gluten free bread', 'coffee under $3.00';
    '유기농 라면', '10,000원 이하 라면'. Descriptions (words, tags, pack) and limits (sale, price) go where
    the locale's `search_wanted` puts them around the kind."""
    if not result.generic:
        return escape(xml_safe(query))
    first = result.products[0] if result.products else None
    kind = kind_name(first) if first is not None and first.generic == result.generic else result.generic.replace("_", " ")
    described = [_unmet_said(p, u) for u in result.unmet if u.kind not in ("sale", "price")]
    limits = [_unmet_said(p, u) for u in result.unmet if u.kind in ("sale", "price")]
    said = p.say("search_wanted", described=Raw(" ".join(described)), kind=kind, limits=Raw(" ".join(limits)))
    return " ".join(said.split())


def _unmet_said(p: Prompts, unmet: Unmet) -> str:
    """One requirement nothing met, as the locale says it."""
    if unmet.kind == "tag":
        key = f"label_tag_{unmet.value}"
        return p.say(key) if p.has(key) else tag_spoken(unmet.value)
    if unmet.kind == "sale":
        return p.say("search_wanted_sale")
    if unmet.kind == "pack":
        return p.say("search_wanted_pack", count=unmet.amount, unit=unmet.value)
    if unmet.kind == "price":
        return p.say("search_wanted_price", price=p.price(unmet.amount, exact=True))
    return escape(xml_safe(unmet.value))


def present_results(
    handler_input: HandlerInput, result: ShopResult, query: str, *, quantity: int | None = None
) -> Response:
    """Answer a search: nothing; the closest when a requirement went unmet (said honestly); the one
    product named; or, for a kind, one top pick (the shopper's own past purchase first) with other
    options on request (or a list of three when the shop's `search_reads` says so)."""
    p = prompts(handler_input)
    attrs = session(handler_input)
    products = result.products
    if not products:
        forget_results(attrs)
        return speak(handler_input, p.say("search_none", query=query), p.say("search_none_reprompt"))
    reads = max(1, min(PAGE_SIZE, services(handler_input).config.search_reads))
    prefix = p.say("search_corrected", query=result.corrected) + " " if result.corrected else ""
    if result.unmet:
        remember_results(attrs, products, query, read=1)
        return offer_product(handler_input, products[0], "search_unmet", quantity, wanted=Raw(wanted_phrase(p, result, query)))
    in_stock = [x for x in products if x.stock > 0]
    if result.several >= 2:
        # "pompeian or bertolli olive oil": each one asked for, so the shopper can choose between them
        shown = products[: min(result.several, PAGE_SIZE)]
        remember_results(attrs, products, query, read=len(shown))
        if quantity is not None or attrs.get("adding"):
            set_pending(handler_input, ChooseToAdd(quantity=quantity))
        speech = p.say("search_several", items=read_items(p, shown))
        return speak(handler_input, prefix + speech, p.say("search_which_reprompt"))
    if len(products) == 1 or result.exact:
        remember_results(attrs, products, query, read=1)
        if products[0].stock <= 0:
            return out_of_stock(handler_input, products[0])
        return offer_product(handler_input, products[0], "search_one", quantity, prefix=prefix, among=products)
    if not in_stock:
        remember_results(attrs, products, query, read=1)
        return out_of_stock(handler_input, products[0])
    if reads == 1:
        remember_results(attrs, in_stock, query, read=1)
        bought = services(handler_input).catalog.past_purchases(user_id(handler_input), [in_stock[0].sku])
        key = "search_top_pick_again" if bought else "search_top_pick"
        kind: str = query
        if result.generic:
            kind = kind_name(in_stock[0])
            if result.wants.max_price_cents is not None:
                # the limit heard, where the locale says it back ("10,000원 이하 라면 중에서는")
                kind = Raw(p.say("search_kind_under", kind=kind, price=p.price(result.wants.max_price_cents)))
        # told apart from the other matches: "starbucks" offers Starbucks Pike Place coffee
        return offer_product(handler_input, in_stock[0], key, quantity, prefix=prefix, among=products, query=kind)
    remember_results(attrs, in_stock, query)
    if quantity is not None or attrs.get("adding"):
        set_pending(handler_input, ChooseToAdd(quantity=quantity))
    key = "search_many_next" if len(in_stock) > PAGE_SIZE else "search_many"
    speech = p.say(key, count=len(in_stock), query=result.corrected or query, items=read_items(p, in_stock))
    return speak(handler_input, prefix + speech, p.say("search_which_reprompt"))


def offer_product(
    handler_input: HandlerInput,
    product: Product,
    key: str,
    quantity: int | None,
    *,
    prefix: str = "",
    among: list[Product] | None = None,
    **params: str,
) -> Response:
    """Select `product` and ask whether to add it (named apart from `among`); while adding, "the first
    one" then adds it."""
    p = prompts(handler_input)
    session(handler_input)["selected"] = product.sku
    adding = bool(session(handler_input).get("adding"))
    set_pending(handler_input, OfferAdd(sku=product.sku, quantity=quantity, adding=adding))
    speech = prefix + p.say(key, product=Raw(brief(p, product, among)), **params)
    return speak(handler_input, speech, p.say("add_offer_reprompt"))


def offer(handler_input: HandlerInput, product: Product, key: str = "select_done") -> Response:
    """Select `product` and ask whether to add it."""
    p = prompts(handler_input)
    session(handler_input)["selected"] = product.sku
    set_pending(handler_input, OfferAdd(sku=product.sku))
    return speak(handler_input, p.say(key, product=Raw(brief(p, product))), p.say("add_offer_reprompt"))


def alternative(catalog: CatalogService, product: Product) -> Product | None:
    """The closest in-stock stand-in of the same kind: with the same tags first (never decaf for
    regular), then of the same brand, then in catalog order; None when the kind has nothing in stock."""
    others = [o for o in catalog.by_generic(product.generic, limit=30) if o.sku != product.sku and o.stock > 0]
    if not others:
        return None
    return min(others, key=lambda o: (not set(product.tags) <= set(o.tags), o.brand != product.brand))


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
    set_pending(handler_input, OfferAdd(sku=other.sku, quantity=quantity))
    return speak(handler_input, p.say("search_out_of_stock", title=name, product=p_other), p.say("add_offer_reprompt"))


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
    asked = pending(handler_input)
    adding, quantity = while_adding(asked), asked_quantity(asked)
    if adding:
        set_pending(handler_input, ChooseToAdd(quantity=quantity))
    if len(products) == 1:
        attrs["adding"] = adding
        try:
            return offer_product(handler_input, products[0], "select_done", quantity)
        finally:
            attrs.pop("adding", None)
    key = "next_page_more" if attrs["offset"] < len(results) else "next_page"
    return speak(handler_input, p.say(key, items=read_items(p, products)), p.say("search_which_reprompt"))
