"""Short spoken product names: what a shop assistant would say, not the catalog's full title.

`spoken_name(product)` is brand and kind ("Horizon Organic milk", "Dole bananas"); given the other
products being read in the same breath (`among`), it adds the variety ("Horizon Organic whole milk")
or, when the names are the same, the size ("Bounty paper towels, 12 double rolls") only where that
is what tells them apart. Store labels on loose produce ("Fresh Produce") are not said.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from skill.services.types import Product

__all__ = ["HOUSE_LABELS", "kind_name", "spoken_name", "spoken_names"]

HOUSE_LABELS = frozenset({"fresh produce", "fresh meat", "fresh seafood"})
"""Brand fields that are a shelf label, not a brand anyone says."""
_WORD = re.compile(r"[\w'%.]+")


def kind_name(product: Product) -> str:
    """The product kind as said: 'oat milk' for generic 'oat_milk'. A Korean product's kind key is an
    English id: its catalog lists the kind's Korean name first among its synonyms ('우유')."""
    if not product.name.isascii():
        first = re.split(r"[;]|\s", (product.synonyms or "").strip(), maxsplit=1)[0].strip()
        return first or product.name
    return product.generic.replace("_", " ")


def _brand(product: Product) -> str:
    brand = product.brand.strip()
    return "" if brand.lower() in HOUSE_LABELS else brand


def _base(product: Product) -> str:
    brand, kind = _brand(product), kind_name(product)
    if not brand:  # loose produce: its own name says what it is ("organic bananas")
        return product.name.strip().lower() or kind
    if kind.lower() in brand.lower():
        # the brand says the kind ("Dave's Killer Bread"): the variety says which
        variety = _variety(product, [])
        return f"{brand} {variety}".strip() if variety else brand
    return f"{brand} {kind}"


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _variety(product: Product, others: Sequence[Product]) -> str:
    """The words of the product's name that the others' names lack, without brand or kind words."""
    skip = {w.lower() for w in _words(product.brand)} | {w.lower() for w in _words(kind_name(product))}
    skip |= {w.lower().rstrip("s") for w in _words(kind_name(product))}
    theirs = {w.lower() for other in others for w in _words(other.name)}
    own = [w for w in _words(product.name) if w.lower() not in skip and w.lower().rstrip("s") not in skip]
    distinct = [w for w in own if w.lower() not in theirs]
    return " ".join(distinct[:2])


def spoken_name(product: Product, among: Sequence[Product] = ()) -> str:
    """Brand and kind, plus variety or size only when another product in `among` would sound the same."""
    if not product.name.isascii():  # a Korean product: brand and name as the shop writes them ('농심 신라면')
        clash = any(o.sku != product.sku and o.title == product.title for o in among)
        return f"{product.title}, {product.size}" if clash else product.title
    base = _base(product)
    clashing = [o for o in among if o.sku != product.sku and _base(o).lower() == base.lower()]
    if not clashing:
        return base
    variety = _variety(product, clashing)
    if variety:
        brand, kind = _brand(product), kind_name(product)
        if not brand:
            return base
        if kind.lower() in brand.lower():
            return f"{brand} {variety}"
        return f"{brand} {variety} {kind}".strip()
    return f"{base}, {product.size}"


def spoken_names(products: Sequence[Product]) -> list[str]:
    """The short names of products read together, each told apart from the others."""
    return [spoken_name(p, products) for p in products]
