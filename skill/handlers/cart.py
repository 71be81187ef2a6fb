"""Handlers for the cart: add, remove, change a quantity, empty it, and the yes/no answers to the
cart's own questions (hearing the cart is `skill.handlers.cart_read`). The quantity rules are applied
by `skill.handlers.steps.adding`.

Pending questions asked about the cart (session `pending`): `offer_add` {sku} ("would you like to add
it?", also asked by search), `choose_to_add` {quantity} (which of several to add; answered by SelectItem
or "add the second one"), `did_you_mean` {sku, quantity}, `confirm_quantity` {sku, quantity, mode},
`ask_quantity` {sku, mode}, `confirm_clear`.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill.handlers.base import (
    answer_to,
    ask_again,
    clear_pending,
    pending_is,
    prompts,
    services,
    session,
    set_pending,
    slot_id,
    slot_value,
    slot_values,
    speak,
    user_id,
)
from skill.handlers.phrasing import count_items, what
from skill.handlers.questions import (
    AskQuantity,
    ChooseToAdd,
    ConfirmClear,
    ConfirmQuantity,
    DidYouMean,
    OfferAdd,
    Question,
    asked_quantity,
)
from skill.handlers.steps.adding import (
    Unclear,
    add_by_name,
    add_product,
    add_several,
    ask_quantity,
    continue_queue,
    parse_quantity,
    replace_last_add,
    set_line,
)
from skill.handlers.steps.changes import record_change
from skill.handlers.steps.choosing import choose_by_words
from skill.handlers.steps.offers import offer_product
from skill.handlers.steps.results import (
    LAST,
    current_page,
    find_products,
    parse_position,
    product_at,
    selected_product,
)
from skill.services.cart import match_lines
from skill.services.names import spoken_name
from skill.services.types import CartLine


def _line_at(lines: list[CartLine], position: int) -> CartLine | None:
    index = len(lines) - 1 if position == LAST else position - 1
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


class AddToCartIntentHandler(AbstractRequestHandler):
    """ "add two bottles of milk", "add it", "add the second one"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AddToCartIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p = prompts(handler_input)
        asked = clear_pending(handler_input)
        quantity = parse_quantity(slot_value(handler_input, "quantity"))
        if isinstance(quantity, Unclear):
            return speak(handler_input, p.say("cart_quantity_unclear"), p.say("cart_quantity_reprompt"))
        if quantity is not None and quantity <= 0:
            return speak(handler_input, p.say("cart_quantity_invalid"), p.say("cart_quantity_reprompt"))
        position = parse_position(slot_value(handler_input, "position"))
        query = slot_value(handler_input, "product")
        named = bool(query or slot_id(handler_input, "product"))
        if quantity is None and isinstance(asked, ChooseToAdd) and not named:
            # a quantity said for the choice being made; never carried to another product
            quantity = asked.quantity
        session(handler_input).pop("queue", None)
        items = slot_values(handler_input, "product")
        if len(items) > 1:
            return add_several(handler_input, items, quantity)
        feature = slot_value(handler_input, "feature")
        if feature and named:
            query = f"{feature} {query or ''}".strip()
        if position is not None:
            product = product_at(services(handler_input).catalog, session(handler_input), position)
            if product is None:
                count = len(current_page(session(handler_input)))
                if count:  # something was read, just not that many
                    return speak(handler_input, p.say("select_bad_position", count=count), p.say("search_which_reprompt"))
                return speak(handler_input, p.say("select_nothing"), p.say("search_ask_product_reprompt"))
            return add_product(handler_input, product, quantity)
        if named:
            return self._by_name(handler_input, query or "", quantity)
        if feature and session(handler_input).get("results"):
            return choose_by_words(handler_input, feature, adding=True, quantity=quantity)
        product = selected_product(services(handler_input).catalog, session(handler_input))
        if product is None:
            return speak(handler_input, p.say("cart_ask_product"), p.say("cart_ask_product_reprompt"))
        if quantity is None and isinstance(asked, (OfferAdd, DidYouMean)) and asked.sku == product.sku:
            # "add it" to "six bottles of cola? I'd pick Coca-Cola" adds the six asked for, as "yes" does
            quantity = asked.quantity
        return add_product(handler_input, product, quantity)

    @staticmethod
    def _by_name(handler_input: HandlerInput, query: str, quantity: int | None) -> Response:
        return add_by_name(handler_input, query, quantity, slot_id(handler_input, "product"), slot_id(handler_input, "unit"))


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


def _quantity_answer(handler_input: HandlerInput, asked: Question | None) -> Response | None:
    """A bare count ("two", "just one") said to the question just asked about one product: "how many?"
    (added or set as that question said), or an offer of a product not in the cart yet (that many
    added). None when the count is not such an answer."""
    named = slot_value(handler_input, "product") or slot_id(handler_input, "product")
    quantity = parse_quantity(slot_value(handler_input, "quantity"))
    if named or not isinstance(quantity, int) or not isinstance(asked, (AskQuantity, OfferAdd, DidYouMean)):
        return None
    product = services(handler_input).catalog.lookup(asked.sku)
    if product is None:
        return None
    if isinstance(asked, AskQuantity) and asked.mode == "set":
        return set_line(handler_input, product, quantity)
    if not isinstance(asked, AskQuantity) and services(handler_input).cart.quantity_of(user_id(handler_input), product.sku):
        return None
    return add_product(handler_input, product, quantity)


def _offer_missing(handler_input: HandlerInput, quantity: int | Unclear | None) -> Response | None:
    """ "Make it two coffees" (Korean "우유 두 개") naming a product the cart does not hold: that many of
    the product are offered, and a yes adds them. None when no product or count was said, or none is in stock."""
    heard = slot_value(handler_input, "product")
    if not heard or not isinstance(quantity, int) or quantity <= 0:
        return None
    found = find_products(
        services(handler_input).catalog, heard, slot_id(handler_input, "product"), user_id=user_id(handler_input)
    ).products
    product = next((x for x in found if x.stock > 0), None)
    if product is None:
        return None
    p = prompts(handler_input)
    items = what(p, product, quantity, title=spoken_name(product, found))
    return offer_product(handler_input, product, "cart_not_in_cart_offer", quantity, query=heard, items=items)


class UpdateQuantityIntentHandler(AbstractRequestHandler):
    """ "change the milk to three"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("UpdateQuantityIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p = prompts(handler_input)
        answer = _quantity_answer(handler_input, clear_pending(handler_input))
        if answer is not None:
            return answer
        lines = services(handler_input).cart.items(user_id(handler_input))
        quantity = parse_quantity(slot_value(handler_input, "quantity"))
        targets = _target_lines(handler_input, lines) if lines else []
        if not targets:
            offered = _offer_missing(handler_input, quantity)
            if offered is not None:
                return offered
        if not lines:
            return speak(handler_input, p.say("cart_empty"), p.say("cart_ask_product_reprompt"))
        if targets is None:
            targets = lines if len(lines) == 1 else None
        if targets is None:
            return speak(handler_input, p.say("cart_update_ask"), p.say("cart_update_ask"))
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
        if quantity is None or isinstance(quantity, Unclear):
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
        set_pending(handler_input, ConfirmClear())
        return speak(
            handler_input,
            p.say("cart_confirm_clear", count=count_items(p, units)),
            p.say("cart_confirm_reprompt"),
        )


# -- yes/no to the cart's questions ---------------------------------------------------------------


class OfferAddYesHandler(AbstractRequestHandler):
    """Yes to "would you like to add it to your cart?" or "did you mean Acme Paper Towels?": add it."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return answer_to("AMAZON.YesIntent", OfferAdd, DidYouMean)(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        asked = clear_pending(handler_input)
        product = services(handler_input).catalog.lookup(asked.sku) if isinstance(asked, (OfferAdd, DidYouMean)) else None
        if product is None:
            p = prompts(handler_input)
            return speak(handler_input, p.say("cart_ask_product"), p.say("cart_ask_product_reprompt"))
        return add_product(handler_input, product, asked_quantity(asked))


class ConfirmQuantityYesHandler(AbstractRequestHandler):
    """Yes to "just to check: add 12 bottles of ...?"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return answer_to("AMAZON.YesIntent", ConfirmQuantity)(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        asked = clear_pending(handler_input)
        product = services(handler_input).catalog.lookup(asked.sku) if isinstance(asked, ConfirmQuantity) else None
        quantity = asked.quantity if isinstance(asked, ConfirmQuantity) else None
        if product is None or quantity is None:
            p = prompts(handler_input)
            return speak(handler_input, p.say("cart_ask_product"), p.say("cart_ask_product_reprompt"))
        if isinstance(asked, ConfirmQuantity) and asked.mode == "set":
            return set_line(handler_input, product, quantity, confirmed=True)
        return add_product(handler_input, product, quantity, confirmed=True)


class ConfirmClearYesHandler(AbstractRequestHandler):
    """Yes to "remove all 3 items from your cart?"."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return answer_to("AMAZON.YesIntent", ConfirmClear)(handler_input)

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
        ) and pending_is(ChooseToAdd)(handler_input)

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

    _REPLIES: dict[type[Question], str] = {
        OfferAdd: "cart_offer_declined",
        DidYouMean: "cart_did_you_mean_no",
        ConfirmQuantity: "cart_confirm_declined",
        ConfirmClear: "cart_clear_kept",
    }

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("AMAZON.NoIntent")(handler_input) and pending_is(*self._REPLIES)(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p = prompts(handler_input)
        asked = clear_pending(handler_input)
        assert asked is not None  # can_handle saw one of _REPLIES
        reply = p.say(self._REPLIES[type(asked)])
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
