"""Value objects shared by the services: products and cart lines, and the one way a row becomes one."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class Product:
    """One catalog product (a row of `products`)."""

    sku: str
    brand: str
    name: str
    """Display name without the brand, e.g. 'Organic Whole Milk'."""
    generic: str
    """The product-slot id it answers to, e.g. 'milk'."""
    size: str
    """e.g. '1 gallon'."""
    unit: str
    """Counting unit: bottle, carton, bag, loaf, pack, ..."""
    price_cents: int
    deal_price_cents: int | None
    category: str
    stock: int
    synonyms: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    """What the product is, as the catalog says: 'organic', 'gluten-free', 'decaf', ..."""

    @property
    def effective_price_cents(self) -> int:
        """What one unit costs today (the deal price when there is one)."""
        return self.deal_price_cents or self.price_cents

    @property
    def title(self) -> str:
        """How the product is spoken: brand and name, without saying a word twice where they meet
        ('Horizon Organic' + 'Organic Whole Milk' is 'Horizon Organic Whole Milk'); a name that
        already starts with the brand is said alone, and so is a Korean name that starts with a part of
        a brand word ('진로' of '하이트진로', '삼다수' of '제주삼다수'): Korean writes a brand and a word
        together, where an English name that starts like its brand ('Oatly' 'Oat Milk') is a word apart."""
        if not self.brand.strip() or self.name.lower().startswith(self.brand.strip().lower()):
            return self.name.strip() or self.brand.strip()
        brand, name = self.brand.split(), self.name.split()
        if name and not name[0].isascii() and _part_of_a_word(name[0], brand):
            return " ".join(name)
        for overlap in range(min(len(brand), len(name)), 0, -1):
            if [w.lower() for w in brand[-overlap:]] == [w.lower() for w in name[:overlap]]:
                name = name[overlap:]
                break
        return " ".join(brand + name)

    @property
    def short_title(self) -> str:
        """Brand and kind, for read-backs of several items: 'Tillamook cheddar cheese'."""
        if not self.name.isascii():  # a Korean product: its kind is an English id; its title is what is said
            return self.title
        kind = self.generic.replace("_", " ")
        return f"{self.brand} {kind}".strip() if kind.lower() not in self.brand.lower() else self.brand

    def has_tag(self, tag: str) -> bool:
        return tag in self.tags

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Product:
        values = {k: row[k] for k in cls.__dataclass_fields__ if k in row}
        if "tags" in values:
            values["tags"] = parse_tags(values["tags"])
        return cls(**values)


def _part_of_a_word(word: str, words: list[str]) -> bool:
    """`word` (two letters or more) begins or ends one of `words` without being all of it."""
    return len(word) >= 2 and any(w != word and (w.startswith(word) or w.endswith(word)) for w in words)


def parse_tags(raw: Any) -> tuple[str, ...]:
    """The `tags` column (a JSON list) as a tuple; anything unreadable is no tags."""
    if isinstance(raw, (list, tuple)):
        return tuple(str(t) for t in raw)
    try:
        value = json.loads(raw or "[]")
    except (TypeError, ValueError):
        return ()
    return tuple(str(t) for t in value) if isinstance(value, list) else ()


PRODUCT_COLUMNS = ", ".join(f"p.{f.name}" for f in fields(Product))
"""The `products` columns a `Product` is read from, for `SELECT ... FROM products p`."""


def products_from(cursor: Any) -> list[Product]:
    """Every row of a query selecting `PRODUCT_COLUMNS`, as products."""
    names = [d[0] for d in cursor.description]
    return [Product.from_row(dict(zip(names, row, strict=True))) for row in cursor.fetchall()]


def cart_lines_from(cursor: Any) -> list[CartLine]:
    """Every row of a query selecting `PRODUCT_COLUMNS` and then a `quantity`, as cart lines."""
    names = [d[0] for d in cursor.description]
    lines = []
    for row in cursor.fetchall():
        data = dict(zip(names, row, strict=True))
        lines.append(CartLine(Product.from_row(data), int(data["quantity"])))
    return lines


@dataclass(frozen=True)
class CartLine:
    """A product in a cart with its quantity."""

    product: Product
    quantity: int

    @property
    def line_total_cents(self) -> int:
        return self.product.effective_price_cents * self.quantity
