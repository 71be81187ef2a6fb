"""The cart: one line per product per user, kept in the store so it survives the session.

Quantities are checked here, against the stock, inside one write transaction: a line never holds
zero, a negative number, or more than the shop has. `try_add` and `try_set` say how a quantity asked
for fits (`CartOutcome`: it fits, more than the stock with how many are available, or out of stock),
so callers never check the stock themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

from rapidfuzz import fuzz

from skill.clock import Clock
from skill.errors import InvalidQuantity
from skill.services.catalog import CatalogService, normalize
from skill.services.types import PRODUCT_COLUMNS, CartLine, Product, cart_lines_from
from skill.store.db import Database, transaction

__all__ = ["CartOutcome", "CartService", "Fit", "NotEnoughStock", "cart_lines", "match_lines"]


class NotEnoughStock(InvalidQuantity):
    """More than the shop has: `available` more can be added (0 when the cart already holds all of it)."""

    def __init__(self, product: Product, available: int) -> None:
        super().__init__(f"only {available} more of {product.sku} available")
        self.product = product
        self.available = available


class Fit(Enum):
    """How a quantity asked for one product fits its stock."""

    FITS = "fits"
    OVER_STOCK = "over_stock"
    """Some are in stock, fewer than asked for."""
    OUT_OF_STOCK = "out_of_stock"


@dataclass(frozen=True)
class CartOutcome:
    """What the cart made of a quantity asked for one product (`CartService.try_add` / `try_set`)."""

    fit: Fit
    product: Product
    """The product as the store has it now (its stock read in the same transaction)."""
    held: int
    """What counts against the stock besides the quantity asked: the line before an add; 0 for a set."""
    line: CartLine | None = None
    """The line after the change; None when refused or only checked."""

    @property
    def available(self) -> int:
        """How many can go in (more, for an add) within the stock."""
        return max(self.product.stock - self.held, 0)

    @property
    def fits(self) -> bool:
        return self.fit is Fit.FITS


class CartService:
    """Each user's cart."""

    def __init__(self, db: Database, clock: Clock, *, catalog: CatalogService) -> None:
        """Built by `skill.services.Services`, which hands it the catalog."""
        self.db = db
        self.clock = clock
        self.catalog = catalog

    def items(self, user_id: str) -> list[CartLine]:
        """The lines in the order they were first added."""
        return cart_lines(self.db, user_id)

    def quantity_of(self, user_id: str, sku: str) -> int:
        """How many of `sku` the cart holds (0 when none)."""
        row = self.db.execute(
            "SELECT quantity FROM cart_items WHERE user_id = ? AND sku = ?", (user_id, sku)
        ).fetchone()
        return int(row[0]) if row else 0

    def try_add(self, user_id: str, sku: str, quantity: int, *, check_only: bool = False) -> CartOutcome:
        """Add `quantity` to the line for `sku` (created if needed) when the stock allows it, and say how
        that went: it fits (added, unless `check_only`), more than the stock, or out of stock.
        InvalidQuantity for <= 0, NotFound for an unknown sku."""
        return self._put(user_id, sku, quantity, adding=True, check_only=check_only)

    def try_set(self, user_id: str, sku: str, quantity: int, *, check_only: bool = False) -> CartOutcome:
        """Set the line for `sku` to exactly `quantity` (creating it if needed) when the stock allows it;
        the same outcomes and errors as `try_add`."""
        return self._put(user_id, sku, quantity, adding=False, check_only=check_only)

    def _put(self, user_id: str, sku: str, quantity: int, *, adding: bool, check_only: bool) -> CartOutcome:
        _check_positive(quantity)
        if check_only:
            return self._fit(user_id, sku, quantity, adding=adding)
        with transaction(self.db):
            outcome = self._fit(user_id, sku, quantity, adding=adding)
            if not outcome.fits:
                return outcome
            kept = "cart_items.quantity + excluded.quantity" if adding else "excluded.quantity"
            self.db.execute(
                "INSERT INTO cart_items (user_id, sku, quantity, added_at) VALUES (?, ?, ?, ?)"
                f" ON CONFLICT(user_id, sku) DO UPDATE SET quantity = {kept}",
                (user_id, sku, quantity, self.clock.now().isoformat()),
            )
        return replace(outcome, line=CartLine(outcome.product, outcome.held + quantity))

    def _fit(self, user_id: str, sku: str, quantity: int, *, adding: bool) -> CartOutcome:
        """How `quantity` fits the stock of `sku`, on top of the line when `adding`."""
        product = self.catalog.get(sku)
        held = self.quantity_of(user_id, sku) if adding else 0
        if product.stock <= 0:
            return CartOutcome(Fit.OUT_OF_STOCK, product, held)
        if held + quantity > product.stock:
            return CartOutcome(Fit.OVER_STOCK, product, held)
        return CartOutcome(Fit.FITS, product, held)

    def add(self, user_id: str, sku: str, quantity: int) -> CartLine:
        """`try_add` that raises NotEnoughStock (an InvalidQuantity) when the line would hold more than the stock."""
        return _line_or_raise(self.try_add(user_id, sku, quantity))

    def set_quantity(self, user_id: str, sku: str, quantity: int) -> CartLine:
        """`try_set` that raises NotEnoughStock when `quantity` is more than the stock."""
        return _line_or_raise(self.try_set(user_id, sku, quantity))

    def remove(self, user_id: str, sku: str) -> None:
        """Remove the line for `sku`; nothing happens when there is none."""
        self.db.execute("DELETE FROM cart_items WHERE user_id = ? AND sku = ?", (user_id, sku))

    def clear(self, user_id: str) -> int:
        """Empty the cart; returns how many lines were removed."""
        with transaction(self.db):
            cursor = self.db.execute("DELETE FROM cart_items WHERE user_id = ?", (user_id,))
            return cursor.rowcount

    def subtotal_cents(self, user_id: str) -> int:
        """Sum of the lines at today's prices (deal prices where there are deals)."""
        row = self.db.execute(
            "SELECT coalesce(sum(c.quantity * coalesce(p.deal_price_cents, p.price_cents)), 0)"
            " FROM cart_items c JOIN products p ON p.sku = c.sku WHERE c.user_id = ?",
            (user_id,),
        ).fetchone()
        return int(row[0])

    def count_units(self, user_id: str) -> int:
        """Units in the cart ("3 items": two milks and a bread)."""
        row = self.db.execute(
            "SELECT coalesce(sum(quantity), 0) FROM cart_items WHERE user_id = ?", (user_id,)
        ).fetchone()
        return int(row[0])


def _line_or_raise(outcome: CartOutcome) -> CartLine:
    if outcome.line is None:
        raise NotEnoughStock(outcome.product, outcome.available)
    return outcome.line


def cart_lines(db: Database, user_id: str) -> list[CartLine]:
    """The user's cart lines with current products and prices, in the order they were first added."""
    cursor = db.execute(
        f"SELECT {PRODUCT_COLUMNS}, c.quantity FROM cart_items c JOIN products p ON p.sku = c.sku"
        " WHERE c.user_id = ? ORDER BY c.added_at, c.rowid",
        (user_id,),
    )
    return cart_lines_from(cursor)


def _check_positive(quantity: int) -> None:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
        raise InvalidQuantity(f"quantity must be a positive whole number, got {quantity!r}")


def match_lines(
    lines: list[CartLine], catalog: CatalogService, query: str | None, generic_id: str | None = None
) -> list[CartLine]:
    """The cart lines the user means by "the milk" / "the Acme oat milk": by slot id, then by search,
    then by how closely the words sound like a line's name. Best first; empty when nothing fits."""
    if not lines:
        return []
    if generic_id:
        by_id = [line for line in lines if line.product.generic == generic_id]
        if by_id:
            return by_id
    if not query or not query.strip():
        return []
    key = normalize(query)
    exact = [line for line in lines if normalize(line.product.generic) == key]
    if exact:
        return exact
    in_cart = {line.product.sku: line for line in lines}
    found = [in_cart[p.sku] for p in catalog.search(query, limit=50) if p.sku in in_cart]
    if found:
        return found
    scored = [
        (fuzz.token_set_ratio(key, normalize(f"{line.product.title} {line.product.generic}")), line)
        for line in lines
    ]
    scored = [s for s in scored if s[0] >= 70]
    scored.sort(key=lambda s: -s[0])
    return [line for _, line in scored]
