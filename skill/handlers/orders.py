"""Handlers for orders: tracking, cancelling (with a yes), buying again, and today's deals."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill.errors import NotFound
from skill.handlers.base import (
    answer_to,
    clear_pending,
    pending_is,
    prompts,
    services,
    session,
    set_pending,
    slot_id,
    slot_value,
    speak,
    user_id,
)
from skill.handlers.phrasing import join, slot_phrase, what
from skill.handlers.questions import AboutOrder, ConfirmCancel
from skill.handlers.steps.checking_out import advance
from skill.prompts import Raw
from skill.services.checkout import CheckoutState
from skill.services.orders import Order, OrderLine, OrderNotCancellable

_DEALS_SPOKEN = 3


def _find_order(handler_input: HandlerInput) -> tuple[Order | None, str | None]:
    """The order named by the orderNumber slot, else the last one; (None, number) when not found."""
    svc, uid = services(handler_input), user_id(handler_input)
    number = "".join(ch for ch in (slot_value(handler_input, "orderNumber") or "") if ch.isdigit())
    if number:
        try:
            return svc.orders.get(number, uid), number
        except NotFound:
            return None, number
    return svc.orders.last(uid), None


def _no_order(handler_input: HandlerInput, number: str | None) -> Response:
    p = prompts(handler_input)
    speech = p.say("orders_not_found", number=number) if number else p.say("orders_none")
    return speak(handler_input, speech, p.say("orders_reprompt"))


def _when(handler_input: HandlerInput, order: Order) -> Raw:
    svc = services(handler_input)
    return slot_phrase(prompts(handler_input), svc.delivery, order.slot) if order.slot else Raw("")


class TrackOrderHandler(AbstractRequestHandler):
    """'Where is my order': its state and delivery window, as of now."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("TrackOrderIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p = prompts(handler_input)
        order, number = _find_order(handler_input)
        if order is None:
            return _no_order(handler_input, number)
        speech = p.say(
            f"orders_status_{order.status}", number=order.order_id, slot=_when(handler_input, order)
        )
        set_pending(handler_input, AboutOrder(order_id=order.order_id))
        return speak(handler_input, speech, p.say("orders_reprompt"))


class CancelOrderHandler(AbstractRequestHandler):
    """'Cancel my last order': refused once shipped, otherwise asks for a yes first."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("CancelOrderIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        order, number = _find_order(handler_input)
        if order is None:
            return _no_order(handler_input, number)
        return _ask_to_cancel(handler_input, order)


class CancelOrderTalkedAboutHandler(AbstractRequestHandler):
    """ "Cancel it" (AMAZON.CancelIntent) right after an order was talked about: that order, asked first."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return answer_to("AMAZON.CancelIntent", AboutOrder)(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        asked = clear_pending(handler_input)
        order_id = asked.order_id if isinstance(asked, AboutOrder) else ""
        try:
            order = services(handler_input).orders.get(order_id, user_id(handler_input))
        except NotFound:
            return _no_order(handler_input, order_id)
        return _ask_to_cancel(handler_input, order)


def _ask_to_cancel(handler_input: HandlerInput, order: Order) -> Response:
    """ "Your order of $14.69 arriving tomorrow: cancel it?", or why it can no longer be cancelled."""
    p = prompts(handler_input)
    refusal = _refusal(handler_input, order)
    if refusal is not None:
        return refusal
    set_pending(handler_input, ConfirmCancel(order_id=order.order_id))
    speech = p.say(
        "orders_cancel_confirm",
        number=order.order_id,
        total=p.price(order.total_cents),
        slot=_when(handler_input, order),
    )
    return speak(handler_input, speech, p.say("orders_cancel_confirm_reprompt", number=order.order_id))


def _refusal(handler_input: HandlerInput, order: Order) -> Response | None:
    p = prompts(handler_input)
    key = {
        "SHIPPED": "orders_cancel_shipped",
        "DELIVERED": "orders_cancel_delivered",
        "RETURNED": "orders_cancel_delivered",
        "CANCELLED": "orders_cancel_already",
    }.get(order.status)
    if key is None:
        return None
    clear_pending(handler_input)
    return speak(handler_input, p.say(key, number=order.order_id), p.say("orders_reprompt"))


class CancelOrderYesHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: HandlerInput) -> bool:
        return answer_to("AMAZON.YesIntent", ConfirmCancel)(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p, svc, uid = prompts(handler_input), services(handler_input), user_id(handler_input)
        asked = clear_pending(handler_input)
        order_id = asked.order_id if isinstance(asked, ConfirmCancel) else ""
        try:
            order = svc.orders.cancel(uid, order_id)
        except NotFound:
            return _no_order(handler_input, order_id)
        except OrderNotCancellable as refused:
            return _refusal(handler_input, refused.order) or speak(
                handler_input, p.say("orders_cancel_already", number=order_id), p.say("orders_reprompt")
            )
        speech = p.say("orders_cancel_done", number=order.order_id, total=p.price(order.total_cents))
        return speak(handler_input, speech, p.say("orders_reprompt"))


class CancelOrderNoHandler(AbstractRequestHandler):
    """No (or cancel) to 'do you want to cancel it?' keeps the order."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return (
            is_intent_name("AMAZON.NoIntent")(handler_input)
            or is_intent_name("AMAZON.CancelIntent")(handler_input)
        ) and pending_is(ConfirmCancel)(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p = prompts(handler_input)
        asked = clear_pending(handler_input)
        order_id = asked.order_id if isinstance(asked, ConfirmCancel) else ""
        return speak(handler_input, p.say("orders_cancel_kept", number=order_id), p.say("orders_reprompt"))


class ReorderHandler(AbstractRequestHandler):
    """'Buy it again': the last order back in the cart (what is in stock), then on to checkout."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ReorderIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p, svc, uid = prompts(handler_input), services(handler_input), user_id(handler_input)
        try:
            result = svc.orders.reorder(uid)
        except NotFound:
            return speak(handler_input, p.say("orders_reorder_none"), p.say("orders_reprompt"))

        def counted(line: OrderLine, quantity: int) -> str:
            """'2 gallons of Horizon Organic Whole Milk': the name as ordered, the product's unit (an
            ordered product stays in the catalog: order_items references it)."""
            return what(p, svc.catalog.get(line.sku), quantity, title=line.name)

        missing = join(p, [counted(ln, ln.quantity) for ln in result.missing])
        if not result.added:
            return speak(
                handler_input, p.say("orders_reorder_nothing", items=missing), p.say("orders_reprompt")
            )
        added = join(p, [counted(ln, q) for ln, q in result.added])
        said = p.say("orders_reorder_added", items=added)
        if result.missing:
            said += " " + p.say("orders_reorder_missing", items=missing)
        return advance(handler_input, CheckoutState.new(), said)


_SUMMARY_ITEMS = 3


def _short_lines(handler_input: HandlerInput, lines: list[tuple[OrderLine, int]]) -> list[str]:
    """'2 bags of Dunkin' coffee' for each (line, quantity): the short spoken name, the product's unit."""
    p, svc = prompts(handler_input), services(handler_input)
    spoken: list[str] = []
    for line, quantity in lines:
        product = svc.catalog.get(line.sku)
        spoken.append(what(p, product, quantity, title=product.short_title))
    return spoken


class LastOrderHandler(AbstractRequestHandler):
    """'How much was my last order', 'what was in it': its total and (up to three of) its items."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("LastOrderIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p = prompts(handler_input)
        order = services(handler_input).orders.last(user_id(handler_input))
        if order is None:
            return _no_order(handler_input, None)
        spoken = _short_lines(handler_input, [(ln, ln.quantity) for ln in order.items[:_SUMMARY_ITEMS]])
        items = join(p, spoken)
        if len(order.items) > _SUMMARY_ITEMS:
            items = Raw(p.say("orders_items_more", items=Raw(", ".join(spoken)), count=len(order.items) - 3))
        speech = p.say("orders_last_summary", total=p.price(order.total_cents), items=items)
        set_pending(handler_input, AboutOrder(order_id=order.order_id))
        return speak(handler_input, speech, p.say("orders_reprompt"))


class OrderNumberHandler(AbstractRequestHandler):
    """'What's my order number': the one answer that reads it, digit by digit (the order just placed,
    else the last one)."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("OrderNumberIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p = prompts(handler_input)
        order = services(handler_input).orders.last(user_id(handler_input))
        if order is None:
            return _no_order(handler_input, None)
        set_pending(handler_input, AboutOrder(order_id=order.order_id))
        return speak(handler_input, p.say("orders_number", order_number=order.order_id), p.say("orders_reprompt"))


def _words(text: str) -> set[str]:
    return {w for w in "".join(c if c.isalnum() else " " for c in text.lower().replace("'", "")).split()}


class ReorderItemHandler(AbstractRequestHandler):
    """'Order just the coffee again': that one line of the newest order holding it, in the quantity
    bought then; nothing else from that order."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("ReorderItemIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p, svc, uid = prompts(handler_input), services(handler_input), user_id(handler_input)
        heard = slot_value(handler_input, "product")
        if not heard:
            return speak(handler_input, p.say("orders_reorder_item_ask"), p.say("orders_reprompt"))
        kind = slot_id(handler_input, "product")
        wanted = _words(heard)

        def matches(line: OrderLine) -> bool:
            product = svc.catalog.get(line.sku)
            if kind is not None and product.generic == kind:
                return True
            said = _words(f"{product.brand} {product.name} {product.generic.replace('_', ' ')}")
            return bool(wanted) and wanted <= said

        found = svc.orders.find_bought(uid, matches)
        if found is None:
            return speak(
                handler_input, p.say("orders_reorder_item_unknown", query=heard), p.say("orders_reprompt")
            )
        order, line = found
        result = svc.orders.put_back(uid, order, [line])
        if not result.added:
            title = svc.catalog.get(line.sku).short_title
            return speak(handler_input, p.say("orders_reorder_item_gone", title=title), p.say("orders_reprompt"))
        (spoken,) = _short_lines(handler_input, result.added)
        return speak(
            handler_input, p.say("orders_reorder_item_added", what=Raw(spoken)), p.say("cart_added_reprompt")
        )


class UsualOrderHandler(AbstractRequestHandler):
    """'My usual': what the shopper buys in most of their recent orders, back in the cart."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("UsualOrderIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p, svc, uid = prompts(handler_input), services(handler_input), user_id(handler_input)
        usual = svc.orders.usual(uid)
        if usual is None or not usual[1]:
            return speak(handler_input, p.say("orders_reorder_none"), p.say("orders_reprompt"))
        order, lines = usual
        result = svc.orders.put_back(uid, order, lines)
        missing = join(p, _short_lines(handler_input, [(ln, ln.quantity) for ln in result.missing]))
        if not result.added:
            return speak(handler_input, p.say("orders_reorder_nothing", items=missing), p.say("orders_reprompt"))
        said = p.say("orders_usual_added", items=join(p, _short_lines(handler_input, result.added)))
        if result.missing:
            said += " " + p.say("orders_reorder_missing", items=missing)
        return speak(handler_input, said, p.say("cart_added_reprompt"))


class DealsHandler(AbstractRequestHandler):
    """'What are today's deals': the best few, kept as the last results so 'add the first one' works."""

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name("DealsIntent")(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        p, svc = prompts(handler_input), services(handler_input)
        deals = svc.catalog.deals(limit=_DEALS_SPOKEN)
        if not deals:
            return speak(handler_input, p.say("orders_no_deals"), p.say("orders_reprompt"))
        session(handler_input)["results"] = [d.sku for d in deals]
        session(handler_input)["page"] = 0
        spoken = [
            p.say(
                "orders_deal_item",
                title=d.title,
                price=p.price(d.effective_price_cents),
                was=p.price(d.price_cents),
            )
            for d in deals
        ]
        return speak(handler_input, p.say("orders_deals", deals=join(p, spoken)), p.say("orders_reprompt"))


HANDLERS: list[AbstractRequestHandler] = [
    TrackOrderHandler(),
    CancelOrderHandler(),
    CancelOrderTalkedAboutHandler(),
    CancelOrderYesHandler(),
    CancelOrderNoHandler(),
    ReorderHandler(),
    LastOrderHandler(),
    OrderNumberHandler(),
    ReorderItemHandler(),
    UsualOrderHandler(),
    DealsHandler(),
]
