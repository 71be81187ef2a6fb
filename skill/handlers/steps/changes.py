"""The cart changes this session made, newest last, for "undo" and corrections.

A change is acted on only while the cart still holds what it left (`last_change`): a line changed
since (by an order, another device, "empty my cart") is never "undone" into something the shopper did
not ask for.
"""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput

from skill.errors import InvalidQuantity
from skill.handlers.base import prompts, say_first, services, session, user_id
from skill.handlers.phrasing import what
from skill.services.names import spoken_name

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
    product = services(handler_input).catalog.lookup(sku)
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
