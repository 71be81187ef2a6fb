"""How the skill phrases things it says in many places: lists joined, quantities of a product, a product
in brief, a page of results read, a delivery slot. Handler modules share these instead of importing
one another; every word comes from the locale's prompt file.
"""

from __future__ import annotations

from collections.abc import Sequence

from skill.prompts import Prompts, Raw
from skill.services.delivery import DeliveryService, Slot
from skill.services.money import BARE_UNITS, SILENT_UNITS, plural_unit
from skill.services.names import spoken_name
from skill.services.types import Product

__all__ = ["PAGE_SIZE", "join", "what", "count_items", "brief", "read_items", "slot_phrase"]

PAGE_SIZE = 3
"""Results read per turn: a listener keeps about three in mind."""


def join(p: Prompts, parts: Sequence[str], key: str = "checkout_list_many") -> Raw:
    """'a', 'a and b', 'a, b, and c' (parts are SSML already); `key` 'checkout_list_or' for 'a, b or c'."""
    if not parts:
        return Raw("")
    if len(parts) == 1:
        return Raw(parts[0])
    if len(parts) == 2 and key == "checkout_list_many":
        return Raw(p.say("checkout_list_two", first=Raw(parts[0]), second=Raw(parts[1])))
    return Raw(p.say(key, head=Raw(", ".join(parts[:-1])), last=Raw(parts[-1])))


def what(p: Prompts, product: Product, count: int, *, title: str | None = None) -> Raw:
    """'2 bottles of Acme Whole Milk' (SSML-safe); `title` instead of the product's full one."""
    title = product.title if title is None else title
    unit = product.unit.strip().lower()
    if unit in SILENT_UNITS:
        return Raw(p.say("quantity_no_unit", count=count, title=title))
    key = "quantity_bare_unit" if unit in BARE_UNITS else "quantity_with_unit"
    return Raw(p.say(key, count=count, unit=plural_unit(product.unit, count), title=title))


def count_items(p: Prompts, count: int) -> Raw:
    return Raw(p.say("count_items_one") if count == 1 else p.say("count_items", count=count))


def brief(p: Prompts, product: Product, among: list[Product] | None = None) -> str:
    """'Horizon Organic milk, $4.99' (SSML-safe): the short spoken name, told apart from `among`."""
    name = spoken_name(product, among or [])
    if product.deal_price_cents:
        return p.say("product_brief_deal", title=name, price=p.price(product.deal_price_cents))
    return p.say("product_brief", title=name, price=p.price(product.price_cents))


def read_items(p: Prompts, products: list[Product]) -> Raw:
    """'First: A, $3. Second: ...' for up to PAGE_SIZE products."""
    shown = products[:PAGE_SIZE]
    parts = [
        p.say("result_item", ordinal=p.say(f"ordinal_{i}"), product=Raw(brief(p, product, shown)))
        for i, product in enumerate(shown, start=1)
    ]
    return Raw(" ".join(parts))


def slot_phrase(p: Prompts, delivery: DeliveryService, slot: Slot, *, relative: bool = True) -> Raw:
    """'tomorrow between 8 AM and noon', 'on Saturday, November 28, between noon and 5 PM'
    (always the second form with `relative=False`, for a receipt read later)."""
    window = Raw(p.say(f"delivery_window_{slot.window}"))
    today = delivery.today()
    if relative and slot.date == today:
        return Raw(p.say("delivery_slot_today", window=window))
    if relative and (slot.date - today).days == 1:
        return Raw(p.say("delivery_slot_tomorrow", window=window))
    return Raw(
        p.say(
            "delivery_slot_day",
            weekday=Raw(p.say(f"delivery_weekday_{slot.date.weekday()}")),
            month=Raw(p.say(f"delivery_month_{slot.date.month}")),
            day=slot.date.day,
            window=window,
        )
    )
