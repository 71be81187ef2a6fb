"""Handlers for the cart: add, remove, change a quantity, read it back, empty it, and the yes/no
answers to the cart's own questions.

Quantity rules, spoken before anything is stored: at least one; never more than is in stock (the
answer says how many are left); ten or more are confirmed first with a yes/no question.
Pending questions asked here (session `pending`): `offer_add` {sku} ("would you like to add it?",
also asked by search), `choose_to_add` {quantity} (which of several to add; answered by SelectItem or
"add the second one"), `did_you_mean` {sku, quantity}, `confirm_quantity` {sku, quantity, mode}, `confirm_clear`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill.errors import InvalidQuantity, NotFound
from skill.handlers.base import (
    ask_again,
    clear_pending,
    pending_is,
    prompts,
    say_first,
    services,
    session,
    set_pending,
    slot_id,
    slot_value,
    slot_values,
    speak,
    user_id,
)
from skill.handlers.phrasing import brief, count_items, what
from skill.handlers.search import (
    _LAST,
    current_page,
    find_products,
    out_of_stock,
    parse_position,
    present_results,
    product_at,
    remember_results,
    selected_product,
)
from skill.prompts import Prompts, Raw
from skill.services.cart import NotEnoughStock, match_lines
from skill.services.catalog import ShopResult
from skill.services.names import spoken_name
from skill.services.number_words import DOZEN, cardinals_to
from skill.services.types import CartLine, Product

CONFIRM_AT = 10
"""Quantities from this one up are confirmed before they go in the cart (a misheard "two" is often "ten")."""

_NUMBER_WORDS = {**cardinals_to(12), "a": 1, "an": 1, "dozen": DOZEN}

class _Unclear:
    """A quantity slot that was filled with something that is not a number (Alexa sends "?")."""


UNCLEAR = _Unclear()


def parse_quantity(value: str | None) -> int | None | _Unclear:
    """The quantity slot: an int (possibly zero or negative), None when not given, UNCLEAR when not a number."""
    if value is None or not value.strip():
        return None
    text = value.strip().lower()
    if re.fullmatch(r"[-+]?\d+", text):
        return int(text)
    if text in _NUMBER_WORDS:
        return _NUMBER_WORDS[text]
    return UNCLEAR


# -- speaking -------------------------------------------------------------------------------------



# -- what was changed, for "undo" and corrections -------------------------------------------------

CHANGES_KEPT = 10
"""Cart changes remembered in the session, newest last ("undo" twice undoes two)."""


def record_change(
    handler_input: HandlerInput, sku: str, before: int, after: int, *, added: int | None = None
) -> None:
    """Remember that the line of `sku` went from `before` to `after` (`added` for an add)."""
    changes = [c for c in session(handler_input).get("changes") or [] if isinstance(c, dict)]
    change: dict[str, object] = {"sku": sku, "before": before, "after": after}
    if added:
        change["added"] = added
    session(handler_input)["changes"] = [*changes, change][-CHANGES_KEPT:]


def last_change(handler_input: HandlerInput) -> dict[str, object] | None:
    """The newest change whose line the cart still holds as that change left it; changes overtaken
    since (an order placed, the cart emptied, a line edited elsewhere) are forgotten, never undone."""
    attrs = session(handler_input)
    changes = [c for c in attrs.get("changes") or [] if isinstance(c, dict)]
    cart = services(handler_input).cart
    uid = user_id(handler_input)
    while changes:
        change = changes[-1]
        after = change.get("after")
        if isinstance(after, int) and cart.quantity_of(uid, str(change.get("sku") or "")) == after:
            break
        changes.pop()
    attrs["changes"] = changes
    return changes[-1] if changes else None


def undo_change(handler_input: HandlerInput, change: dict[str, object]) -> bool:
    """Put the line of `change` back as it was before it and say so first (the answer follows);
    False when that cannot be done (the product is gone, or too few are left in stock)."""
    p = prompts(handler_input)
    sku = str(change.get("sku") or "")
    product = _product(handler_input, sku)
    before = change.get("before")
    if product is None or not isinstance(before, int):
        return False
    cart = services(handler_input).cart
    uid = user_id(handler_input)
    now = cart.quantity_of(uid, sku)
    name = spoken_name(product)
    if before <= 0:
        cart.remove(uid, sku)
        say_first(handler_input, p.say("cart_undone_add", what=what(p, product, now, title=name)))
    else:
        try:
            cart.set_quantity(uid, sku, before)
        except InvalidQuantity:  # stock moved since: leave the line as it is
            return False
        key = "cart_undone_set" if now else "cart_undone_remove"
        say_first(handler_input, p.say(key, title=name, count=before))
    changes = list(session(handler_input).get("changes") or [])
    session(handler_input)["changes"] = changes[:-1] if changes and changes[-1] == change else changes
    return True


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


# -- the shared steps -----------------------------------------------------------------------------


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
    if product.stock <= 0:
        return out_of_stock(handler_input, product, quantity)
    have = cart.quantity_of(uid, product.sku)
    refusal = _over_stock(p, product, quantity, have)
    if refusal:
        return ask_quantity(handler_input, product, "add", refusal)
    costly = quantity * product.effective_price_cents >= services(handler_input).config.confirm_add_cents
    if (quantity >= CONFIRM_AT or costly) and not confirmed:
        set_pending(handler_input, "confirm_quantity", sku=product.sku, quantity=quantity, mode="add")
        return speak(
            handler_input,
            p.say("cart_confirm_add", what=what(p, product, quantity)),
            p.say("cart_confirm_reprompt"),
        )
    try:
        cart.add(uid, product.sku, quantity)
        record_change(handler_input, product.sku, have, have + quantity, added=quantity)
    except NotEnoughStock as exc:  # stock moved since we looked
        return ask_quantity(
            handler_input,
            product,
            "add",
            _over_stock(p, exc.product, quantity, exc.product.stock - exc.available)
            or p.say("cart_out_of_stock", title=product.title),
        )
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


def ask_quantity(handler_input: HandlerInput, product: Product, mode: str, speech: str) -> Response:
    """Ask how many of `product` (after a count that cannot be taken): a number said next answers it,
    adding that many (`mode` "add") or making the line that many ("set")."""
    set_pending(handler_input, "ask_quantity", sku=product.sku, mode=mode)
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
    refusal = _over_stock(p, product, quantity, 0)
    if refusal:
        return ask_quantity(handler_input, product, "set", refusal)
    more = (quantity - before) * product.effective_price_cents
    costly = more > 0 and more >= services(handler_input).config.confirm_add_cents
    if (quantity >= CONFIRM_AT or costly) and not confirmed:
        set_pending(handler_input, "confirm_quantity", sku=product.sku, quantity=quantity, mode="set")
        return speak(
            handler_input,
            p.say("cart_confirm_set", title=product.title, count=quantity),
            p.say("cart_confirm_reprompt"),
        )
    try:
        cart.set_quantity(uid, product.sku, quantity)
        record_change(handler_input, product.sku, before, quantity)
    except NotEnoughStock as exc:
        return ask_quantity(handler_input, product, "set", _over_stock(p, exc.product, quantity, 0) or "")
    return speak(
        handler_input, p.say("cart_updated", what=what(p, product, quantity)), p.say("cart_anything_else")
    )


def _over_stock(p: Prompts, product: Product, quantity: int, have: int) -> str | None:
    """The refusal when `have` in the cart plus `quantity` is more than the stock, else None."""
    available = product.stock - have
    if quantity <= available:
        return None
    if product.stock <= 0:
        return p.say("cart_out_of_stock", title=product.title)
    if available <= 0:
        return p.say("cart_no_more_left", have=have, title=product.title)
    if have:
        return p.say("cart_only_more", have=have, title=product.title, count=available)
    return p.say("cart_only_left", count=available, title=product.title)


def _product(handler_input: HandlerInput, sku: str | None) -> Product | None:
    if not sku:
        return None
    try:
        return services(handler_input).catalog.get(sku)
    except NotFound:
        return None


def _line_at(lines: list[CartLine], position: int) -> CartLine | None:
    index = len(lines) - 1 if position == _LAST else position - 1
    return lines[index] if 0 <= index < len(lines) else None


def _target_lines(handler_input: HandlerInput, lines: list[CartLine]) -> list[CartLine] | None:
    """The cart lines a remove/update means: by position (as read by "what's in my cart"), by name,
    or "it" (the selected product). None when the user named nothing."""
    position = parse_position(slot_value(handler_input, "position"))
    if position is not None:
        line = _line_at(lines, position)
        return [line] if line else []
    query = slot_value(handler_input, "product")
    generic = slot_id(handler_input, "product")
    if query or generic:
        return match_lines(lines, services(handler_input).catalog, query, generic)
    selected = session(handler_input).get("selected")
    if selected:
        return [line for line in lines if line.product.sku == selected]
    return None


def _names(lines: list[CartLine]) -> str:
    return ", ".join(line.product.title for line in lines[:3])


# -- intent handlers ------------------------------------------------------------------------------


def prefer_unit(products: list[Product], unit_id: str | None) -> list[Product]:
    """ "two bottles of milk", "a gallon of milk": the products sold by that unit, when there are any."""
    if not unit_id:
        return products
    word = unit_id.replace("_", " ")
    matching = [p for p in products if p.unit.lower() == word or word in p.size.lower()]
    return matching or products


class AddToCartIntentHandler(AbstractRequestHandler):
    """ "add two bottles of milk", "add it", "add the second one"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AddToCartIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p = prompts(handler_input)
        asked = clear_pending(handler_input) or {}
        quantity = parse_quantity(slot_value(handler_input, "quantity"))
        if isinstance(quantity, _Unclear):
            return speak(handler_input, p.say("cart_quantity_unclear"), p.say("cart_quantity_reprompt"))
        if quantity is not None and quantity <= 0:
            return speak(handler_input, p.say("cart_quantity_invalid"), p.say("cart_quantity_reprompt"))
        position = parse_position(slot_value(handler_input, "position"))
        query = slot_value(handler_input, "product")
        named = bool(query or slot_id(handler_input, "product"))
        if quantity is None and asked.get("kind") == "choose_to_add" and not named:
            # a quantity said for the choice being made; never carried to another product
            quantity = asked.get("quantity")
        session(handler_input).pop("queue", None)
        items = slot_values(handler_input, "product")
        if len(items) > 1:
            return add_several(handler_input, items, quantity)
        feature = slot_value(handler_input, "feature")
        if feature and named:
            query = f"{feature} {query or ''}".strip()
        if position is not None:
            product = product_at(handler_input, position)
            if product is None:
                count = len(current_page(handler_input))
                if count:  # something was read, just not that many
                    return speak(handler_input, p.say("select_bad_position", count=count), p.say("search_which_reprompt"))
                return speak(handler_input, p.say("select_nothing"), p.say("search_ask_product_reprompt"))
            return add_product(handler_input, product, quantity)
        if named:
            return self._by_name(handler_input, query or "", quantity)
        if feature and session(handler_input).get("results"):
            from skill.handlers.choose import choose_by_words

            return choose_by_words(handler_input, feature, adding=True, quantity=quantity)
        product = selected_product(handler_input)
        if product is None:
            return speak(handler_input, p.say("cart_ask_product"), p.say("cart_ask_product_reprompt"))
        return add_product(handler_input, product, quantity)

    @staticmethod
    def _by_name(handler_input: HandlerInput, query: str, quantity: int | None) -> Response:
        return add_by_name(handler_input, query, quantity, slot_id(handler_input, "product"), slot_id(handler_input, "unit"))


MAX_ITEMS = 6
"""Items handled from one sentence; more are named back and left for the shopper to say again."""


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


def add_several(handler_input: HandlerInput, items: list[tuple[str, str | None]], quantity: int | None) -> Response:
    """'add milk, eggs and bread': each item in turn; those naming one product are added, the others
    wait in `queue` and are asked about one at a time. The first item takes the quantity said before it."""
    p = prompts(handler_input)
    skipped = [value for value, _ in items[MAX_ITEMS:]]
    queue: list[dict[str, object]] = []
    for index, (value, ident) in enumerate(items[:MAX_ITEMS]):
        own, words = _leading_quantity(value)
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
    result = find_products(handler_input, query, generic)
    candidates = result.products
    if not candidates:
        missing = p.say("cart_not_found_short", query=query)
        queued = continue_queue(handler_input, missing)
        if queued is not None:
            return queued
        return speak(handler_input, p.say("cart_not_found", query=query), p.say("cart_not_found_reprompt"))
    in_stock = [c for c in candidates if c.stock > 0]
    if not in_stock:
        remember_results(handler_input, candidates, query, read=1)
        return out_of_stock(handler_input, candidates[0], quantity)
    if unit_id is None and quantity and quantity % 12 == 0 and any(c.unit == "dozen" for c in in_stock):
        # "a dozen eggs", "twenty four eggs": counted one by one, sold by the dozen.
        quantity, unit_id = quantity // 12, "dozen"
    in_stock = prefer_unit(in_stock, unit_id)
    if quantity:
        # the pick must have as many as asked for, when some product does
        in_stock = [c for c in in_stock if c.stock >= quantity] or in_stock
    if result.corrected:
        # What we heard was not in the catalog: check before buying something else.
        set_pending(handler_input, "did_you_mean", sku=in_stock[0].sku, quantity=quantity)
        session(handler_input)["selected"] = in_stock[0].sku
        return speak(
            handler_input,
            p.say("cart_did_you_mean", product=Raw(brief(p, in_stock[0]))),
            p.say("cart_did_you_mean_reprompt"),
        )
    if not result.unmet and (len(in_stock) == 1 or result.exact):
        remember_results(handler_input, in_stock, query, read=1)
        return add_product(handler_input, in_stock[0], quantity)
    shown = ShopResult(in_stock, result.wants, result.generic, None, result.unmet, result.exact, result.several)
    session(handler_input)["adding"] = True
    try:
        return present_results(handler_input, shown, query, quantity=quantity)
    finally:
        session(handler_input).pop("adding", None)


class RemoveFromCartIntentHandler(AbstractRequestHandler):
    """ "remove the milk", "remove the second one"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("RemoveFromCartIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p = prompts(handler_input)
        clear_pending(handler_input)
        cart = services(handler_input).cart
        lines = cart.items(user_id(handler_input))
        if not lines:
            return speak(handler_input, p.say("cart_empty"), p.say("cart_ask_product_reprompt"))
        targets = _target_lines(handler_input, lines)
        if targets is None:
            return speak(handler_input, p.say("cart_remove_ask"), p.say("cart_remove_ask"))
        if not targets:
            heard = slot_value(handler_input, "product") or slot_value(handler_input, "position") or ""
            return speak(handler_input, p.say("cart_not_in_cart", query=heard), p.say("cart_anything_else"))
        if len(targets) > 1:
            return speak(
                handler_input, p.say("cart_remove_which", names=_names(targets)), p.say("cart_remove_ask")
            )
        product = targets[0].product
        cart.remove(user_id(handler_input), product.sku)
        session(handler_input).pop("selected", None)
        record_change(handler_input, product.sku, targets[0].quantity, 0)
        return speak(
            handler_input, p.say("cart_removed", title=product.title), p.say("cart_anything_else")
        )


def _quantity_answer(handler_input: HandlerInput, asked: dict[str, object]) -> Response | None:
    """A bare count ("two", "just one") said to the question just asked about one product: "how many?"
    (added or set as that question said), or an offer of a product not in the cart yet (that many
    added). None when the count is not such an answer."""
    named = slot_value(handler_input, "product") or slot_id(handler_input, "product")
    quantity = parse_quantity(slot_value(handler_input, "quantity"))
    if named or not isinstance(quantity, int) or asked.get("kind") not in ("ask_quantity", "offer_add", "did_you_mean"):
        return None
    product = _product(handler_input, str(asked.get("sku") or ""))
    if product is None:
        return None
    if asked.get("kind") == "ask_quantity" and asked.get("mode") == "set":
        return set_line(handler_input, product, quantity)
    if asked.get("kind") != "ask_quantity" and services(handler_input).cart.quantity_of(user_id(handler_input), product.sku):
        return None
    return add_product(handler_input, product, quantity)


class UpdateQuantityIntentHandler(AbstractRequestHandler):
    """ "change the milk to three"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("UpdateQuantityIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p = prompts(handler_input)
        asked = clear_pending(handler_input) or {}
        answer = _quantity_answer(handler_input, asked)
        if answer is not None:
            return answer
        lines = services(handler_input).cart.items(user_id(handler_input))
        if not lines:
            return speak(handler_input, p.say("cart_empty"), p.say("cart_ask_product_reprompt"))
        targets = _target_lines(handler_input, lines)
        if targets is None:
            targets = lines if len(lines) == 1 else None
        if targets is None:
            return speak(handler_input, p.say("cart_update_ask"), p.say("cart_update_ask"))
        quantity = parse_quantity(slot_value(handler_input, "quantity"))
        if not targets:
            heard = slot_value(handler_input, "product") or ""
            if quantity is None:
                # "change it to oat milk" right after adding something else: a correction
                swapped = replace_last_add(handler_input, heard, slot_id(handler_input, "product"), None)
                if swapped is not None:
                    return swapped
            return speak(handler_input, p.say("cart_not_in_cart", query=heard), p.say("cart_anything_else"))
        if len(targets) > 1:
            return speak(
                handler_input, p.say("cart_update_which", names=_names(targets)), p.say("cart_update_ask")
            )
        product = targets[0].product
        if quantity is None or isinstance(quantity, _Unclear):
            session(handler_input)["selected"] = product.sku
            return ask_quantity(handler_input, product, "set", p.say("cart_update_quantity_ask", title=product.title))
        return set_line(handler_input, product, quantity)


class ClearCartIntentHandler(AbstractRequestHandler):
    """ "empty my cart": asks first."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ClearCartIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p = prompts(handler_input)
        clear_pending(handler_input)
        units = services(handler_input).cart.count_units(user_id(handler_input))
        if not units:
            return speak(handler_input, p.say("cart_already_empty"), p.say("cart_ask_product_reprompt"))
        set_pending(handler_input, "confirm_clear")
        return speak(
            handler_input,
            p.say("cart_confirm_clear", count=count_items(p, units)),
            p.say("cart_confirm_reprompt"),
        )


# -- yes/no to the cart's questions ---------------------------------------------------------------


def _yes(kind: str) -> Callable[[HandlerInput], bool]:
    """AMAZON.YesIntent while the cart's question `kind` is pending."""

    def predicate(handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.YesIntent")(handler_input) and pending_is(kind)(handler_input)

    return predicate


class OfferAddYesHandler(AbstractRequestHandler):
    """Yes to "would you like to add it to your cart?" or "did you mean Acme Paper Towels?": add it."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _yes("offer_add")(handler_input) or _yes("did_you_mean")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        asked = clear_pending(handler_input) or {}
        product = _product(handler_input, asked.get("sku"))
        if product is None:
            p = prompts(handler_input)
            return speak(handler_input, p.say("cart_ask_product"), p.say("cart_ask_product_reprompt"))
        return add_product(handler_input, product, asked.get("quantity"))


class ConfirmQuantityYesHandler(AbstractRequestHandler):
    """Yes to "just to check: add 12 bottles of ...?"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _yes("confirm_quantity")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        asked = clear_pending(handler_input) or {}
        product = _product(handler_input, asked.get("sku"))
        quantity = asked.get("quantity")
        if product is None or not isinstance(quantity, int):
            p = prompts(handler_input)
            return speak(handler_input, p.say("cart_ask_product"), p.say("cart_ask_product_reprompt"))
        if asked.get("mode") == "set":
            return set_line(handler_input, product, quantity, confirmed=True)
        return add_product(handler_input, product, quantity, confirmed=True)


class ConfirmClearYesHandler(AbstractRequestHandler):
    """Yes to "remove all 3 items from your cart?"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return _yes("confirm_clear")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p = prompts(handler_input)
        clear_pending(handler_input)
        services(handler_input).cart.clear(user_id(handler_input))
        session(handler_input).pop("selected", None)
        return speak(handler_input, p.say("cart_cleared"), p.say("cart_ask_product_reprompt"))


class ChooseToAddYesNoHandler(AbstractRequestHandler):
    """Yes or no while we wait to hear which of several products to add: ask again, or drop it."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return (
            is_intent_name("AMAZON.YesIntent")(handler_input)
            or is_intent_name("AMAZON.NoIntent")(handler_input)
        ) and pending_is("choose_to_add")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p = prompts(handler_input)
        if is_intent_name("AMAZON.NoIntent")(handler_input):
            clear_pending(handler_input)
            queued = continue_queue(handler_input, p.say("cart_skipped_short"))
            if queued is not None:
                return queued
            return speak(handler_input, p.say("cart_offer_declined"), p.say("cart_anything_else"))
        ask_again(handler_input)
        return speak(handler_input, p.say("select_ask_position"), p.say("search_which_reprompt"))


class CartQuestionNoHandler(AbstractRequestHandler):
    """No to any of the cart's questions: nothing changes."""

    _REPLIES = {
        "offer_add": "cart_offer_declined",
        "did_you_mean": "cart_did_you_mean_no",
        "confirm_quantity": "cart_confirm_declined",
        "confirm_clear": "cart_clear_kept",
    }

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.NoIntent")(handler_input) and pending_is(*self._REPLIES)(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p = prompts(handler_input)
        asked = clear_pending(handler_input) or {}
        reply = p.say(self._REPLIES[asked["kind"]])
        queued = continue_queue(handler_input, p.say("cart_skipped_short"))
        if queued is not None:
            return queued
        return speak(handler_input, reply, p.say("cart_anything_else"))


HANDLERS: list[AbstractRequestHandler] = [
    OfferAddYesHandler(),
    ConfirmQuantityYesHandler(),
    ConfirmClearYesHandler(),
    ChooseToAddYesNoHandler(),
    CartQuestionNoHandler(),
    AddToCartIntentHandler(),
    RemoveFromCartIntentHandler(),
    UpdateQuantityIntentHandler(),
    ClearCartIntentHandler(),
]
