"""Handlers for choosing by description: "the Lactaid one", "the cheaper one", "the six roll one",
"is it organic", "which is cheaper" ("other options" is `skill.handlers.search.MoreResultsHandler`;
corrections, undo and "one less" are in `skill.handlers.edit`).

Picks count among what was just read (or, with only one read, everything the search kept). A pack
size is a choice of product, never a quantity.
"""

from __future__ import annotations

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
from skill.handlers.questions import OfferAdd
from skill.handlers.steps.choosing import choose_by_words
from skill.handlers.steps.offers import offer_product, out_of_stock, present_results
from skill.handlers.steps.results import (
    candidates,
    find_products,
    parse_position,
    product_at,
    selected_product,
)
from skill.prompts import Prompts, Raw
from skill.services.catalog import has_tag
from skill.services.names import spoken_name
from skill.services.types import Product
from skill.services.wants import size_amount, tag_spoken


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
        feature_id = slot_id(handler_input, "feature") or ""
        brand = feature_id.removeprefix("brand:") if feature_id.startswith("brand:") else ""
        if brand:
            text = " ".join(x for x in (brand, slot_value(handler_input, "product")) if x)  # the brand, as known
        catalog, attrs = services(handler_input).catalog, session(handler_input)
        nothing_read = not attrs.get("results")
        if (nothing_read and (slot_value(handler_input, "product") or brand)) or (
            brand and not catalog.pick(text, candidates(catalog, attrs))
        ):
            # nothing was read to choose from, or a brand nothing read is made by ("서울우유 담아 줘" after
            # the ramen): the words name what to look for
            found = find_products(catalog, text, slot_id(handler_input, "product"), user_id=user_id(handler_input))
            return present_results(handler_input, found, text)
        if not text:
            p = prompts(handler_input)
            return speak(handler_input, p.say("select_ask_position"), p.say("search_which_reprompt"))
        return choose_by_words(handler_input, text)


class ProductQuestionIntentHandler(AbstractRequestHandler):
    """ "is it organic", "is it in stock", "is the second one on sale"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ProductQuestionIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p = prompts(handler_input)
        feature = slot_id(handler_input, "feature") or "in_stock"
        words, ident = slot_value(handler_input, "product"), slot_id(handler_input, "product")
        catalog, attrs = services(handler_input).catalog, session(handler_input)
        if feature in _COMPARATIVE:
            # "is it cheaper?": compared with what was read alongside it; "the big bibigo dumplings",
            # when none of them was read, among those
            named = _named_elsewhere(handler_input, feature)
            if len(named) == 1:
                return offer_product(handler_input, named[0], "select_done", None)
            return compare(handler_input, named, feature, slot_value(handler_input, "feature") or "")
        position = parse_position(slot_value(handler_input, "position"))
        if position is not None:
            product = product_at(catalog, attrs, position)
        elif words or ident:
            # "is the oat milk organic": the product named, the one just talked about when it fits
            found = find_products(catalog, words, ident, user_id=user_id(handler_input)).products
            chosen = selected_product(catalog, attrs)
            product = chosen if chosen is not None and chosen in found else next(
                (x for x in found if x.stock > 0), found[0] if found else None
            )
        else:
            product = selected_product(catalog, attrs)
        if product is None:
            return speak(handler_input, p.say("details_ask"), p.say("search_ask_product_reprompt"))
        attrs["selected"] = product.sku
        heard = slot_value(handler_input, "feature") or tag_spoken(feature)
        name = spoken_name(product)
        if feature == "in_stock":
            if product.stock > 0:
                set_pending(handler_input, OfferAdd(sku=product.sku, quantity=None))
                return speak(handler_input, p.say("question_in_stock", title=name), p.say("add_offer_reprompt"))
            return out_of_stock(handler_input, product)
        if feature == "on_sale":
            key = "question_yes_sale" if product.deal_price_cents else "question_no_sale"
            set_pending(handler_input, OfferAdd(sku=product.sku, quantity=None))
            return speak(handler_input, p.say(key, product=Raw(brief(p, product))), p.say("add_offer_reprompt"))
        if has_feature(product, feature):
            set_pending(handler_input, OfferAdd(sku=product.sku, quantity=None))
            return speak(handler_input, p.say("question_yes", title=name, feature=heard), p.say("add_offer_reprompt"))
        other = next(
            (
                o for o in catalog.by_generic(product.generic, limit=30)
                if has_feature(o, feature) and o.stock > 0
            ),
            None,
        )
        if other is None:
            clear_pending(handler_input)
            return speak(handler_input, p.say("question_no_none", title=name, feature=heard), p.say("cart_anything_else"))
        return offer_product(handler_input, other, "question_no_other", None, title=name, feature=heard)


class CompareProductsIntentHandler(AbstractRequestHandler):
    """ "which is cheaper, the oat milk or the almond milk", "which one is bigger"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("CompareProductsIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        products: list[Product] = []
        catalog, uid = services(handler_input).catalog, user_id(handler_input)
        for name in ("product", "otherProduct"):
            words, ident = slot_value(handler_input, name), slot_id(handler_input, name)
            if words or ident:
                # a name without an id of its own searches with the product slot's
                generic = ident if ident is not None else slot_id(handler_input, "product")
                found = find_products(catalog, words, generic, user_id=uid).products
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


def _named_elsewhere(handler_input: HandlerInput, feature: str) -> list[Product]:
    """The products a comparative question names when none of them was just read, best three first
    ("비비고 만두 큰 거" after colas were read); empty when nothing is named or the name is among them."""
    words, ident = slot_value(handler_input, "product"), slot_id(handler_input, "product")
    if not (words or ident):
        return []
    catalog = services(handler_input).catalog
    found = [x for x in find_products(catalog, words, ident, user_id=user_id(handler_input)).products if x.stock > 0]
    read = {x.sku for x in candidates(catalog, session(handler_input))}
    if not found or any(x.sku in read for x in found):
        return []
    return _ordered(found, feature)[:3]


def _ordered(products: list[Product], feature: str) -> list[Product]:
    """`products`, the one that best has `feature` first (cheapest, biggest, organic ...)."""
    if feature in ("cheapest", "priciest"):
        return sorted(products, key=lambda x: x.effective_price_cents, reverse=feature == "priciest")
    if feature in ("biggest", "smallest"):
        return sorted(products, key=lambda x: (size_amount(x.size) or ("", 0.0))[1], reverse=feature == "biggest")
    return sorted(products, key=lambda x: not has_feature(x, feature))


def compare(handler_input: HandlerInput, products: list[Product], feature: str, heard: str) -> Response:
    """Which of `products` (or, with fewer than two named, of what was just read) is cheaper, bigger,
    organic, in stock ...; the best is offered."""
    p = prompts(handler_input)
    if len(products) < 2:
        products = candidates(services(handler_input).catalog, session(handler_input))[:3]
    if len(products) < 2:
        return speak(handler_input, p.say("compare_need_two"), p.say("search_ask_product_reprompt"))
    said = heard or tag_spoken(feature)
    ordered = _ordered(products, feature)
    if feature not in _COMPARATIVE and not has_feature(ordered[0], feature):
        return speak(handler_input, p.say("compare_none", feature=said), p.say("cart_anything_else"))
    best = ordered[0]
    session(handler_input)["results"] = [x.sku for x in ordered]
    session(handler_input)["read"] = [x.sku for x in ordered]
    session(handler_input)["offset"] = len(ordered)
    names = [brief(p, x, ordered) for x in ordered]
    if feature in _COMPARATIVE:
        return offer_product(
            handler_input, best, "compare_answer", None, first=Raw(names[0]),
            feature=p.say(_COMPARATIVE[feature]), others=_either(p, names[1:]),
        )
    lacking = [name for x, name in zip(ordered, names, strict=True) if not has_feature(x, feature)]
    if not lacking:
        return offer_product(handler_input, best, "compare_all", None, first=Raw(names[0]), feature=said)
    if len(lacking) > 1:
        return offer_product(handler_input, best, "compare_only", None, first=Raw(names[0]), feature=said)
    return offer_product(handler_input, best, "compare_tag", None, first=Raw(names[0]), feature=said, others=Raw(lacking[0]))


def _either(p: Prompts, names: list[str]) -> Raw:
    """'A', or 'A, B or C'."""
    if len(names) == 1:
        return Raw(names[0])
    return Raw(p.say("checkout_list_or", head=Raw(", ".join(names[:-1])), last=Raw(names[-1])))


_COMPARATIVE = {"cheapest": "compare_cheaper", "priciest": "compare_pricier", "biggest": "compare_bigger",
                "smallest": "compare_smaller"}


HANDLERS: list[AbstractRequestHandler] = [
    ChooseProductIntentHandler(),
    ProductQuestionIntentHandler(),
    CompareProductsIntentHandler(),
]
