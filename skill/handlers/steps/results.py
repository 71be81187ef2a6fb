"""What the last search found, kept in the session, and the catalog look-ups over it.

Session attributes: `results` (SKUs of the last search, best first), `read` (the SKUs read aloud
last), `offset` (the first result not read yet), `query` (what was searched, as heard), `selected`
(the SKU picked last). "The second one" counts within what was just read, as a listener would.
"""

from __future__ import annotations

import re
from typing import Any

from skill.handlers.phrasing import PAGE_SIZE
from skill.services.catalog import CatalogService, ShopResult
from skill.services.number_words import ORDINALS, cardinals_to
from skill.services.types import Product

MAX_RESULTS = 9
"""Results kept for "next" and "the second one"."""

_ORDINAL_WORDS = {**ORDINALS, **cardinals_to(len(ORDINALS), least=1)}
"""Words that name a position in a list read: "the second", "number two"."""
LAST = -1
"""The position "the last one"."""


def parse_position(value: str | None) -> int | None:
    """1-based position from "2", "2nd", "second" or "the second"; `LAST` for "last"; None when unclear."""
    if not value:
        return None
    text = value.strip().lower()
    digits = re.match(r"^(\d+)(st|nd|rd|th)?$", text)
    if digits:
        number = int(digits.group(1))
        return number if number > 0 else None
    for word in re.findall(r"[a-z]+", text):
        if word == "last":
            return LAST
        if word in _ORDINAL_WORDS:
            return _ORDINAL_WORDS[word]
    return None


def remember_results(attrs: dict[str, Any], products: list[Product], query: str, read: int = PAGE_SIZE) -> None:
    """Keep what a search found; `read` of them (from the top) were just read aloud."""
    attrs["results"] = [product.sku for product in products[:MAX_RESULTS]]
    attrs["read"] = attrs["results"][:read]
    attrs["offset"] = min(read, len(attrs["results"]))
    attrs["query"] = query
    attrs.pop("page", None)
    attrs.pop("selected", None)


def forget_results(attrs: dict[str, Any]) -> None:
    for key in ("results", "page", "query", "selected", "read", "offset"):
        attrs.pop(key, None)


def current_page(attrs: dict[str, Any]) -> list[str]:
    """The SKUs read aloud last: what "the second one" counts in."""
    if "read" in attrs:
        return list(attrs.get("read") or [])
    results = attrs.get("results") or []
    page = int(attrs.get("page") or 0)
    return list(results[page * PAGE_SIZE : (page + 1) * PAGE_SIZE])


def product_at(catalog: CatalogService, attrs: dict[str, Any], position: int) -> Product | None:
    """The product at a 1-based position of what was just read (or the last one of it)."""
    skus = current_page(attrs)
    if not skus:
        return None
    if len(skus) == 1 and position != LAST and position > 1:
        # one top pick was read: "the second one" means the search's second
        skus = list(attrs.get("results") or skus)
    index = len(skus) - 1 if position == LAST else position - 1
    if not 0 <= index < len(skus):
        return None
    return catalog.lookup(skus[index])


def selected_product(catalog: CatalogService, attrs: dict[str, Any]) -> Product | None:
    """What "it" means: the product picked last, or the only result of the last search."""
    sku = attrs.get("selected")
    if not sku:
        results = attrs.get("results") or []
        sku = results[0] if len(results) == 1 else None
    return catalog.lookup(sku) if sku else None


def candidates(catalog: CatalogService, attrs: dict[str, Any]) -> list[Product]:
    """What a description picks among: what was just read, or (with fewer than two read) every
    result the search kept."""
    skus = current_page(attrs)
    if len(skus) < 2:
        skus = list(attrs.get("results") or [])
    found = (catalog.lookup(sku) for sku in skus)
    return [product for product in found if product is not None]


def find_products(
    catalog: CatalogService, query: str | None, generic: str | None, *, user_id: str, max_price: int | None = None
) -> ShopResult:
    """Search by every word said and the product slot's entity-resolution id, when it has one, with a
    price limit (`max_price`, in the store's money units) when one was given apart from the words."""
    return catalog.shop(query or "", generic, limit=MAX_RESULTS, user_id=user_id, max_price=max_price)
