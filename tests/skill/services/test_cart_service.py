"""CartService on a real SQLite file: quantities, stock, totals, persistence across connections."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils

from skill.clock import FixedClock
from skill.config import SkillConfig
from skill.errors import InvalidQuantity, NotFound
from skill.services.accounts import AccountService
from skill.services.cart import CartService, Fit, NotEnoughStock, match_lines
from skill.services.catalog import CatalogService
from skill.services.types import CartLine
from skill.store.db import open_database

pytestmark = pytest.mark.both_stores

USER = "amzn1.ask.account.CARTUSER"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 27, 12, 0, tzinfo=UTC))


@pytest.fixture
def cart(small_catalog_db: sqlite_utils.Database, clock: FixedClock, db_path: Path) -> CartService:
    AccountService(small_catalog_db, clock, SkillConfig(db_path=db_path)).create_user(USER)
    return CartService(small_catalog_db, clock, catalog=CatalogService(small_catalog_db))


def test_cart_add_creates_then_adds_to_the_line(cart: CartService, clock: FixedClock) -> None:
    assert cart.add(USER, "MILK-001", 2).quantity == 2
    clock.advance(timedelta(minutes=1))
    cart.add(USER, "EGGS-001", 1)
    line = cart.add(USER, "MILK-001", 3)
    assert line.quantity == 5
    assert [(line.product.sku, line.quantity) for line in cart.items(USER)] == [
        ("MILK-001", 5),
        ("EGGS-001", 1),
    ]


@pytest.mark.parametrize("quantity", [0, -1, -1000])
def test_cart_add_refuses_zero_and_negative(cart: CartService, quantity: int) -> None:
    with pytest.raises(InvalidQuantity):
        cart.add(USER, "MILK-001", quantity)
    assert cart.items(USER) == []


def test_cart_add_never_more_than_in_stock(cart: CartService) -> None:
    stock = CatalogService(cart.db).get("PAPT-001").stock
    cart.add(USER, "PAPT-001", stock - 2)
    with pytest.raises(NotEnoughStock) as info:
        cart.add(USER, "PAPT-001", 3)
    assert info.value.available == 2
    assert isinstance(info.value, InvalidQuantity)
    assert cart.quantity_of(USER, "PAPT-001") == stock - 2
    with pytest.raises(NotEnoughStock):
        cart.add(USER, "PAPT-001", 1_000_000)
    with pytest.raises(NotEnoughStock):
        cart.add(USER, "PAPT-001", 10**30)  # larger than SQLite's integers: refused before any SQL
    with pytest.raises(NotEnoughStock) as info:
        cart.add(USER, "MILK-003", 1)  # out of stock
    assert info.value.available == 0


def test_cart_try_add_says_how_a_quantity_fits_the_stock(cart: CartService) -> None:
    stock = CatalogService(cart.db).get("PAPT-001").stock
    checked = cart.try_add(USER, "PAPT-001", stock, check_only=True)
    assert checked.fit is Fit.FITS and checked.line is None and cart.quantity_of(USER, "PAPT-001") == 0
    added = cart.try_add(USER, "PAPT-001", stock - 3)
    assert added.fits and added.held == 0 and added.line is not None and added.line.quantity == stock - 3
    over = cart.try_add(USER, "PAPT-001", 5)
    assert (over.fit, over.held, over.available, over.line) == (Fit.OVER_STOCK, stock - 3, 3, None)
    assert cart.quantity_of(USER, "PAPT-001") == stock - 3
    gone = cart.try_add(USER, "MILK-003", 1)
    assert (gone.fit, gone.available) == (Fit.OUT_OF_STOCK, 0)
    setting = cart.try_set(USER, "PAPT-001", stock + 1)
    assert (setting.fit, setting.held, setting.available) == (Fit.OVER_STOCK, 0, stock)
    assert cart.try_set(USER, "PAPT-001", 2).line == CartLine(setting.product, 2)
    assert cart.quantity_of(USER, "PAPT-001") == 2


def test_cart_unknown_sku_is_not_found(cart: CartService) -> None:
    with pytest.raises(NotFound):
        cart.add(USER, "NOPE-1", 1)


def test_cart_set_quantity_remove_and_clear(cart: CartService) -> None:
    cart.add(USER, "MILK-001", 2)
    cart.add(USER, "BANA-001", 1)
    assert cart.set_quantity(USER, "MILK-001", 4).quantity == 4
    assert cart.quantity_of(USER, "MILK-001") == 4
    with pytest.raises(InvalidQuantity):
        cart.set_quantity(USER, "MILK-001", 0)
    with pytest.raises(NotEnoughStock):
        cart.set_quantity(USER, "MILK-001", 41)
    cart.remove(USER, "BANA-001")
    cart.remove(USER, "BANA-001")  # nothing there: no error
    assert [line.product.sku for line in cart.items(USER)] == ["MILK-001"]
    cart.add(USER, "EGGS-001", 1)
    assert cart.clear(USER) == 2
    assert cart.items(USER) == []
    assert cart.clear(USER) == 0


def test_cart_subtotal_uses_deal_prices(cart: CartService) -> None:
    cart.add(USER, "MILK-002", 2)  # 429, on deal at 389
    cart.add(USER, "MILK-001", 1)  # 499
    assert cart.subtotal_cents(USER) == 2 * 389 + 499
    assert sum(line.line_total_cents for line in cart.items(USER)) == cart.subtotal_cents(USER)
    assert cart.count_units(USER) == 3


def test_cart_is_per_user_and_survives_a_new_connection(
    cart: CartService, db_path: Path, clock: FixedClock
) -> None:
    cart.add(USER, "TEA-001", 2)
    other_db = open_database(db_path)
    other = CartService(other_db, clock, catalog=CatalogService(other_db))
    assert [(line.product.sku, line.quantity) for line in other.items(USER)] == [("TEA-001", 2)]
    assert other.items("amzn1.ask.account.SOMEONE-ELSE") == []
    assert other.subtotal_cents("amzn1.ask.account.SOMEONE-ELSE") == 0


def test_cart_match_lines_by_id_name_and_sound(cart: CartService) -> None:
    cart.add(USER, "MILK-001", 1)
    cart.add(USER, "OATM-001", 1)
    cart.add(USER, "CAND-001", 1)
    lines = cart.items(USER)
    catalog = CatalogService(cart.db)
    assert [line.product.sku for line in match_lines(lines, catalog, "milk")] == ["MILK-001"]
    assert [line.product.sku for line in match_lines(lines, catalog, "whatever", "oat_milk")] == ["OATM-001"]
    assert [line.product.sku for line in match_lines(lines, catalog, "oatly")] == ["OATM-001"]
    assert [line.product.sku for line in match_lines(lines, catalog, "m and m's")] == ["CAND-001"]
    assert match_lines(lines, catalog, "dog food") == []
    assert match_lines([], catalog, "milk") == []
