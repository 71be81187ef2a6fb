"""Handlers for choosing by description: "the Lactaid one", "the cheaper one", "the six roll one",
"other options", "is it organic", "which is cheaper" (corrections, undo and "one less" are in
`skill.handlers.edit`).

Picks count among what was just read (or, with only one read, everything the search kept). A pack
size is a choice of product, never a quantity.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill.errors import NotFound
from skill.handlers.base import (
    clear_pending,
    pending,
    prompts,
    services,
    session,
    set_pending,
    slot_id,
    slot_value,
    speak,
)
from skill.handlers.cart import add_product
from skill.handlers.phrasing import brief, read_items
from skill.handlers.search import (
    _offer,
    current_page,
    find_products,
    parse_position,
    present_results,
    product_at,
    read_more,
    selected_product,
)
from skill.prompts import Prompts, Raw
from skill.services.catalog import has_tag
from skill.services.names import spoken_name
from skill.services.types import Product
from skill.services.wants import size_amount, tag_spoken


def _candidates(handler_input: HandlerInput) -> list[Product]:
    attrs = session(handler_input)
    skus = current_page(handler_input)
    if len(skus) < 2:
        skus = list(attrs.get("results") or [])
    catalog = services(handler_input).catalog
    out = []
    for sku in skus:
        try:
            out.append(catalog.get(sku))
        except NotFound:
            continue
    return out


def pick(handler_input: HandlerInput, text: str, candidates: list[Product]) -> list[Product]:
    """The candidates that fit a description, best first (empty when none does)."""
    return services(handler_input).catalog.pick(text, candidates)


def _adding(handler_input: HandlerInput) -> tuple[bool, int | None]:
    asked = pending(handler_input) or {}
    adding = asked.get("kind") == "choose_to_add" or bool(asked.get("adding"))
    quantity = asked.get("quantity")
    return adding, quantity if isinstance(quantity, int) else None


def choose_by_words(
    handler_input: HandlerInput, text: str, *, adding: bool | None = None, quantity: int | None = None
) -> Response:
    """Pick from what was read by a description; add it while adding, else offer it."""
    p = prompts(handler_input)
    candidates = _candidates(handler_input)
    if not candidates:
        return speak(handler_input, p.say("select_nothing"), p.say("search_ask_product_reprompt"))
    was_adding, asked_quantity = _adding(handler_input)
    adding = was_adding if adding is None else adding or was_adding
    quantity = quantity if quantity is not None else asked_quantity
    fits = pick(handler_input, text, candidates)
    if not fits:
        return speak(
            handler_input,
            p.say("choose_none_fits", wanted=text, items=read_items(p, candidates[:3])),
            p.say("search_which_reprompt"),
        )
    if len(fits) > 1:
        attrs = session(handler_input)
        attrs["read"] = [x.sku for x in fits[:3]]
        if adding:
            set_pending(handler_input, "choose_to_add", quantity=quantity)
        return speak(handler_input, p.say("choose_which", items=read_items(p, fits)), p.say("search_which_reprompt"))
    product = fits[0]
    clear_pending(handler_input)
    if adding:
        session(handler_input)["selected"] = product.sku
        return add_product(handler_input, product, quantity)
    return _offer(handler_input, product, "select_done", quantity)


class ChooseProductIntentHandler(AbstractRequestHandler):
    """ "the Lactaid one", "the cheaper one", "the six roll one", "the one on sale"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ChooseProductIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        size = slot_value(handler_input, "size")
        unit = slot_value(handler_input, "unit")
        feature = slot_value(handler_input, "feature")
        parts = [feature or "", slot_value(handler_input, "product") or ""]
        if unit and size and size.isdigit() and int(size) > 1:
            parts.append(f"{size} {unit}")  # a pack size: a choice of product, never a quantity
        elif unit and not feature:
            parts.append(unit)  # "the gallon one"; "the bigger bottle" is said by its order word
        text = " ".join(x for x in parts if x).strip()
        if not session(handler_input).get("results") and slot_value(handler_input, "product"):
            return present_results(handler_input, find_products(handler_input, text), text)
        if not text:
            p = prompts(handler_input)
            return speak(handler_input, p.say("select_ask_position"), p.say("search_which_reprompt"))
        return choose_by_words(handler_input, text)


class OtherOptionsIntentHandler(AbstractRequestHandler):
    """ "other options", "what else", "none of those": the next results not read yet."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("OtherOptionsIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        return read_more(handler_input)


class ProductQuestionIntentHandler(AbstractRequestHandler):
    """ "is it organic", "is it in stock", "is the second one on sale"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ProductQuestionIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p = prompts(handler_input)
        feature = slot_id(handler_input, "feature") or "in_stock"
        if feature in _COMPARATIVE:
            # "is it cheaper?": compared with what was read alongside it
            return compare(handler_input, [], feature, slot_value(handler_input, "feature") or "")
        position = parse_position(slot_value(handler_input, "position"))
        words, ident = slot_value(handler_input, "product"), slot_id(handler_input, "product")
        if position is not None:
            product = product_at(handler_input, position)
        elif words or ident:
            # "is the oat milk organic": the product named, the one just talked about when it fits
            found = find_products(handler_input, words, ident).products
            chosen = selected_product(handler_input)
            product = chosen if chosen is not None and chosen in found else next(
                (x for x in found if x.stock > 0), found[0] if found else None
            )
        else:
            product = selected_product(handler_input)
        if product is None:
            return speak(handler_input, p.say("details_ask"), p.say("search_ask_product_reprompt"))
        session(handler_input)["selected"] = product.sku
        heard = slot_value(handler_input, "feature") or tag_spoken(feature)
        name = spoken_name(product)
        if feature == "in_stock":
            if product.stock > 0:
                set_pending(handler_input, "offer_add", sku=product.sku, quantity=None)
                return speak(handler_input, p.say("question_in_stock", title=name), p.say("add_offer_reprompt"))
            from skill.handlers.search import out_of_stock

            return out_of_stock(handler_input, product)
        if feature == "on_sale":
            key = "question_yes_sale" if product.deal_price_cents else "question_no_sale"
            set_pending(handler_input, "offer_add", sku=product.sku, quantity=None)
            return speak(handler_input, p.say(key, product=Raw(brief(p, product))), p.say("add_offer_reprompt"))
        if has_feature(product, feature):
            set_pending(handler_input, "offer_add", sku=product.sku, quantity=None)
            return speak(handler_input, p.say("question_yes", title=name, feature=heard), p.say("add_offer_reprompt"))
        other = next(
            (
                o for o in services(handler_input).catalog.by_generic(product.generic, limit=30)
                if has_feature(o, feature) and o.stock > 0
            ),
            None,
        )
        if other is None:
            clear_pending(handler_input)
            return speak(handler_input, p.say("question_no_none", title=name, feature=heard), p.say("cart_anything_else"))
        return _offer(handler_input, other, "question_no_other", None, title=name, feature=heard)


class CompareProductsIntentHandler(AbstractRequestHandler):
    """ "which is cheaper, the oat milk or the almond milk", "which one is bigger"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("CompareProductsIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        products: list[Product] = []
        for name in ("product", "otherProduct"):
            words, ident = slot_value(handler_input, name), slot_id(handler_input, name)
            if words or ident:
                found = find_products(handler_input, words, ident).products
                # two names that find the same product ("jif or skippy peanut butter") are two products
                fresh = [x for x in found if x not in products]
                in_stock = [x for x in fresh if x.stock > 0] or fresh
                if in_stock:
                    products.append(in_stock[0])
        feature = slot_id(handler_input, "feature") or "cheapest"
        return compare(handler_input, products, feature, slot_value(handler_input, "feature") or "")


def has_feature(product: Product, feature: str) -> bool:
    """Whether `product` is what a follow-up asks about: in stock, on sale, or carrying the tag (or its
    name saying it: "곰곰 유기농 바나나" is organic)."""
    if feature == "in_stock":
        return product.stock > 0
    if feature == "on_sale":
        return bool(product.deal_price_cents)
    return has_tag(product, feature)


def compare(handler_input: HandlerInput, products: list[Product], feature: str, heard: str) -> Response:
    """Which of `products` (or, with fewer than two named, of what was just read) is cheaper, bigger,
    organic, in stock ...; the best is offered."""
    p = prompts(handler_input)
    if len(products) < 2:
        products = _candidates(handler_input)[:3]
    if len(products) < 2:
        return speak(handler_input, p.say("compare_need_two"), p.say("search_ask_product_reprompt"))
    said = heard or tag_spoken(feature)
    if feature in ("cheapest", "priciest"):
        ordered = sorted(products, key=lambda x: x.effective_price_cents, reverse=feature == "priciest")
    elif feature in ("biggest", "smallest"):
        ordered = sorted(
            products,
            key=lambda x: (size_amount(x.size) or ("", 0.0))[1],
            reverse=feature == "biggest",
        )
    else:
        ordered = sorted(products, key=lambda x: not has_feature(x, feature))
        if not has_feature(ordered[0], feature):
            return speak(handler_input, p.say("compare_none", feature=said), p.say("cart_anything_else"))
    best = ordered[0]
    session(handler_input)["results"] = [x.sku for x in ordered]
    session(handler_input)["read"] = [x.sku for x in ordered]
    session(handler_input)["offset"] = len(ordered)
    names = [brief(p, x, ordered) for x in ordered]
    if feature in _COMPARATIVE:
        return _offer(
            handler_input, best, "compare_answer", None, first=Raw(names[0]),
            feature=p.say(_COMPARATIVE[feature]), others=_either(p, names[1:]),
        )
    lacking = [name for x, name in zip(ordered, names, strict=True) if not has_feature(x, feature)]
    if not lacking:
        return _offer(handler_input, best, "compare_all", None, first=Raw(names[0]), feature=said)
    if len(lacking) > 1:
        return _offer(handler_input, best, "compare_only", None, first=Raw(names[0]), feature=said)
    return _offer(handler_input, best, "compare_tag", None, first=Raw(names[0]), feature=said, others=Raw(lacking[0]))


def _either(p: Prompts, names: list[str]) -> Raw:
    """'A', or 'A, B or C'."""
    if len(names) == 1:
        return Raw(names[0])
    return Raw(p.say("checkout_list_or", head=Raw(", ".join(names[:-1])), last=Raw(names[-1])))


_COMPARATIVE = {"cheapest": "compare_cheaper", "priciest": "compare_pricier", "biggest": "compare_bigger",
                "smallest": "compare_smaller"}


HANDLERS: list[AbstractRequestHandler] = [
    ChooseProductIntentHandler(),
    OtherOptionsIntentHandler(),
    ProductQuestionIntentHandler(),
    CompareProductsIntentHandler(),
]
