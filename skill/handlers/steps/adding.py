"""Putting products in the cart, or changing a line, by the quantity rules, spoken before anything is
stored: at least one; never more than is in stock (the cart service says how many are left); ten or
more (or an expensive line) are confirmed first with a yes/no question.

Session attributes: `queue` (the rest of a several-item request, asked about one at a time),
`adding` (set while a search answers a request to add, so "the first one" then adds it).
"""

from __future__ import annotations

import re
from typing import Literal

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.handlers.base import (
    prompts,
    say_first,
    services,
    session,
    set_pending,
    slot_id,
    speak,
    user_id,
)
from skill.handlers.phrasing import brief, what
from skill.handlers.questions import AskQuantity, ConfirmQuantity, DidYouMean
from skill.handlers.steps.changes import last_change, record_change, undo_change
from skill.handlers.steps.offers import out_of_stock, present_results
from skill.handlers.steps.results import find_products, remember_results
from skill.prompts import Prompts, Raw
from skill.services.cart import CartOutcome, Fit
from skill.services.catalog import ShopResult
from skill.services.names import spoken_name
from skill.services.number_words import DOZEN, cardinals_to, korean_count
from skill.services.types import Product

CONFIRM_AT = 10
"""Quantities from this one up are confirmed before they go in the cart (a misheard "two" is often "ten")."""
MAX_ITEMS = 6
"""Items handled from one sentence; more are named back and left for the shopper to say again."""

_NUMBER_WORDS = {**cardinals_to(12), "a": 1, "an": 1, "dozen": DOZEN}


class Unclear:
    """A quantity slot that was filled with something that is not a number (Alexa sends "?")."""


UNCLEAR = Unclear()


def parse_quantity(value: str | None) -> int | None | Unclear:
    """The quantity slot: an int (possibly zero or negative), None when not given, UNCLEAR when not a number."""
    if value is None or not value.strip():
        return None
    text = value.strip().lower()
    if re.fullmatch(r"[-+]?\d+", text):
        return int(text)
    if text in _NUMBER_WORDS:
        return _NUMBER_WORDS[text]
    return UNCLEAR


def stock_refusal(p: Prompts, outcome: CartOutcome) -> str:
    """What to say when a quantity did not fit the stock: out of stock, none left to add, or how many are."""
    title = outcome.product.title
    if outcome.fit is Fit.OUT_OF_STOCK:
        return p.say("cart_out_of_stock", title=title)
    if outcome.available <= 0:
        return p.say("cart_no_more_left", have=outcome.held, title=title)
    if outcome.held:
        return p.say("cart_only_more", have=outcome.held, title=title, count=outcome.available)
    return p.say("cart_only_left", count=outcome.available, title=title)


def add_product(
    handler_input: HandlerInput, product: Product, quantity: int | None, *, confirmed: bool = False
) -> Response:
    """Add `quantity` (1 when not said) of `product`, applying the quantity rules."""
    p = prompts(handler_input)
    cart = services(handler_input).cart
    uid = user_id(handler_input)
    quantity = 1 if quantity is None else quantity
    session(handler_input)["selected"] = product.sku
    if quantity <= 0:
        return ask_quantity(handler_input, product, "add", p.say("cart_quantity_invalid"))
    fit = cart.try_add(uid, product.sku, quantity, check_only=True)
    if fit.fit is Fit.OUT_OF_STOCK:
        return out_of_stock(handler_input, product, quantity)
    if not fit.fits:
        return ask_quantity(handler_input, product, "add", stock_refusal(p, fit))
    costly = quantity * product.effective_price_cents >= services(handler_input).config.confirm_add_cents
    if (quantity >= CONFIRM_AT or costly) and not confirmed:
        set_pending(handler_input, ConfirmQuantity(sku=product.sku, quantity=quantity, mode="add"))
        return speak(
            handler_input,
            p.say("cart_confirm_add", what=what(p, product, quantity)),
            p.say("cart_confirm_reprompt"),
        )
    added = cart.try_add(uid, product.sku, quantity)
    if not added.fits:  # stock moved since we looked
        return ask_quantity(handler_input, product, "add", stock_refusal(p, added))
    have = added.held
    record_change(handler_input, product.sku, have, have + quantity, added=quantity)
    queued = continue_queue(handler_input, p.say("cart_added_short", what=what(p, product, quantity)))
    if queued is not None:
        return queued
    if have:
        # "two more", "another one": say how many there are now
        now = what(p, product, have + quantity, title=spoken_name(product))
        return speak(handler_input, p.say("cart_added_more", count=quantity, what=now), p.say("cart_added_reprompt"))
    return speak(
        handler_input, p.say("cart_added", what=what(p, product, quantity)), p.say("cart_added_reprompt")
    )


def ask_quantity(handler_input: HandlerInput, product: Product, mode: Literal["add", "set"], speech: str) -> Response:
    """Ask how many of `product` (after a count that cannot be taken): a number said next answers it,
    adding that many (`mode` "add") or making the line that many ("set")."""
    set_pending(handler_input, AskQuantity(sku=product.sku, mode=mode))
    return speak(handler_input, speech, prompts(handler_input).say("cart_quantity_reprompt"))


def continue_queue(handler_input: HandlerInput, done: str) -> Response | None:
    """After one item of a several-item request is settled, the next one that needs a choice (one
    question at a time); None when nothing is waiting."""
    attrs = session(handler_input)
    queue = attrs.get("queue") or []
    if not queue:
        return None
    item = queue.pop(0)
    attrs["queue"] = queue
    say_first(handler_input, done)
    return add_by_name(handler_input, item["query"], item.get("quantity"), item.get("id"), None)


def set_line(
    handler_input: HandlerInput, product: Product, quantity: int, *, confirmed: bool = False
) -> Response:
    """Change the cart line of `product` to exactly `quantity` (0 removes it)."""
    p = prompts(handler_input)
    cart = services(handler_input).cart
    uid = user_id(handler_input)
    session(handler_input)["selected"] = product.sku
    before = cart.quantity_of(uid, product.sku)
    if quantity == 0:
        cart.remove(uid, product.sku)
        record_change(handler_input, product.sku, before, 0)
        return speak(
            handler_input, p.say("cart_removed", title=product.title), p.say("cart_anything_else")
        )
    if quantity < 0:
        return ask_quantity(handler_input, product, "set", p.say("cart_quantity_invalid"))
    fit = cart.try_set(uid, product.sku, quantity, check_only=True)
    if not fit.fits:
        return ask_quantity(handler_input, product, "set", stock_refusal(p, fit))
    more = (quantity - before) * product.effective_price_cents
    costly = more > 0 and more >= services(handler_input).config.confirm_add_cents
    if (quantity >= CONFIRM_AT or costly) and not confirmed:
        set_pending(handler_input, ConfirmQuantity(sku=product.sku, quantity=quantity, mode="set"))
        return speak(
            handler_input,
            p.say("cart_confirm_set", title=product.title, count=quantity),
            p.say("cart_confirm_reprompt"),
        )
    done = cart.try_set(uid, product.sku, quantity)
    if not done.fits:  # stock moved since we looked
        return ask_quantity(handler_input, product, "set", stock_refusal(p, done))
    record_change(handler_input, product.sku, before, quantity)
    return speak(
        handler_input, p.say("cart_updated", what=what(p, product, quantity)), p.say("cart_anything_else")
    )


GENERAL_COUNTERS = frozenset({"개"})
"""Counters that count anything (Korean 개: "새우깡 다섯 개"), so they say nothing about how a product is sold."""


def prefer_unit(products: list[Product], unit_id: str | None) -> list[Product]:
    """ "two bottles of milk", "a gallon of milk": the products sold by that unit, when there are any."""
    if not unit_id or unit_id in GENERAL_COUNTERS:
        return products
    word = unit_id.replace("_", " ")
    matching = [p for p in products if p.unit.lower() == word or word in p.size.lower()]
    return matching or products


def _leading_quantity(text: str) -> tuple[int | None, str]:
    """'two bottles of milk' -> (2, 'bottles of milk'); 'a dozen eggs' -> (12, 'eggs')."""
    words = text.split()
    if len(words) > 1:
        if words[0] in ("a", "an") and words[1] == "dozen":
            return 12, " ".join(words[2:])
        amount = parse_quantity(words[0])
        if isinstance(amount, int) and words[0] not in ("a", "an"):
            return amount, " ".join(words[1:])
        if words[0] in ("a", "an", "some"):
            return None, " ".join(words[1:])
    return None, text


_KOREAN_COUNTERS = ("개", "병", "봉지", "봉", "팩", "캔", "박스", "상자", "묶음", "통", "판", "송이", "포대", "망", "마리", "모",
                    "단", "포기", "롤", "세트", "줄", "알", "장", "켤레", "잔", "인분", "봉투", "개입")
"""Korean counter nouns a count is said with after what it counts ("계란 두 판", "생수 여섯 병")."""
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_KOREAN_TRAILING = re.compile(
    r"^(?P<name>.*?[\uac00-\ud7a3A-Za-z].*?)(?:\s+좀)?\s+(?P<count>\d+|[\uac00-\ud7a3]+?)\s*"
    rf"(?P<counter>{'|'.join(sorted(_KOREAN_COUNTERS, key=len, reverse=True))})?$"
)


def _trailing_quantity(text: str) -> tuple[int | None, str]:
    """A Korean count said after what it counts: '우유 두 개' -> (2, '우유'), '계란 한 판' -> (1, '계란'),
    '생수 여섯 병' -> (6, '생수'), '우유 하나' -> (1, '우유'), '라면 2봉지' -> (2, '라면'); else (None, text).
    A word that only looks like a count ('세 개' needs its counter: '라면 세' is no count) is left."""
    m = _KOREAN_TRAILING.match(text.strip()) if _HANGUL.search(text) else None
    if m is None:
        return None, text
    count = korean_count(m.group("count"))
    bare = m.group("count") in ("하나", "둘", "셋", "넷") or m.group("count").isdigit()
    if count is None or not (m.group("counter") or bare or count >= 5):
        return None, text
    return count, m.group("name").strip()


def add_several(handler_input: HandlerInput, items: list[tuple[str, str | None]], quantity: int | None) -> Response:
    """'add milk, eggs and bread', '우유랑 계란 두 판 담아 줘': each item in turn; those naming one product
    are added, the others wait in `queue` and are asked about one at a time. An item's own count (said
    before it in English, after it in Korean) is its quantity; the first item also takes the slot's
    quantity, which was said with it."""
    p = prompts(handler_input)
    skipped = [value for value, _ in items[MAX_ITEMS:]]
    queue: list[dict[str, object]] = []
    for index, (value, ident) in enumerate(items[:MAX_ITEMS]):
        own, words = _leading_quantity(value)
        if own is None and words == value:
            own, words = _trailing_quantity(value)
        amount = own if own is not None else (quantity if index == 0 else None)
        queue.append({"query": words or value, "id": ident, "quantity": amount})
    if skipped:
        say_first(handler_input, p.say("cart_too_many", count=MAX_ITEMS, rest=", ".join(skipped)))
    session(handler_input)["queue"] = queue[1:]
    first = queue[0]
    return add_by_name(handler_input, str(first["query"]), first["quantity"], first["id"], None)  # type: ignore[arg-type]


def add_by_name(
    handler_input: HandlerInput, query: str, quantity: int | None, generic: str | None, unit_id: str | None
) -> Response:
    """Add what `query` names: one product named is added; a kind gets one top pick (or a list, as the
    shop's `search_reads` says) to say yes to; an unmet requirement is said, with the closest offered;
    an out-of-stock product is named with an alternative. Nothing else is ever put in silently."""
    p = prompts(handler_input)
    if generic is None:  # an item without an id of its own searches with the product slot's
        generic = slot_id(handler_input, "product")
    result = find_products(services(handler_input).catalog, query, generic, user_id=user_id(handler_input))
    candidates = result.products
    if not candidates:
        missing = p.say("cart_not_found_short", query=query)
        queued = continue_queue(handler_input, missing)
        if queued is not None:
            return queued
        return speak(handler_input, p.say("cart_not_found", query=query), p.say("cart_not_found_reprompt"))
    in_stock = [c for c in candidates if c.stock > 0]
    if not in_stock:
        remember_results(session(handler_input), candidates, query, read=1)
        return out_of_stock(handler_input, candidates[0], quantity)
    if unit_id is None and quantity and quantity % 12 == 0 and any(c.unit == "dozen" for c in in_stock):
        # "a dozen eggs", "twenty four eggs": counted one by one, sold by the dozen.
        quantity, unit_id = quantity // 12, "dozen"
    if not result.exact:  # a product named stays the one named, whatever it is counted in
        in_stock = prefer_unit(in_stock, unit_id)
    if quantity:
        # the pick must have as many as asked for, when some product does
        in_stock = [c for c in in_stock if c.stock >= quantity] or in_stock
    if result.corrected:
        # What we heard was not in the catalog: check before buying something else.
        set_pending(handler_input, DidYouMean(sku=in_stock[0].sku, quantity=quantity))
        session(handler_input)["selected"] = in_stock[0].sku
        return speak(
            handler_input,
            p.say("cart_did_you_mean", product=Raw(brief(p, in_stock[0]))),
            p.say("cart_did_you_mean_reprompt"),
        )
    if not result.unmet and (len(in_stock) == 1 or result.exact):
        remember_results(session(handler_input), in_stock, query, read=1)
        return add_product(handler_input, in_stock[0], quantity)
    shown = ShopResult(in_stock, result.wants, result.generic, None, result.unmet, result.exact, result.several)
    session(handler_input)["adding"] = True
    try:
        return present_results(handler_input, shown, query, quantity=quantity)
    finally:
        session(handler_input).pop("adding", None)


def replace_last_add(
    handler_input: HandlerInput, words: str | None, ident: str | None, quantity: int | None
) -> Response | None:
    """ "No, I meant oat milk": the last add is taken back (said first) and what was meant is added in
    its place, as many as were added unless `quantity` says otherwise. None when the last change the
    cart still shows is no add."""
    change = last_change(handler_input)
    added = change.get("added") if change is not None else None
    if change is None or not isinstance(added, int) or not (words or ident):
        return None
    if not undo_change(handler_input, change):
        return None
    return add_by_name(handler_input, words or "", quantity or added, ident, None)
