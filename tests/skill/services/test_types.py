"""skill.services.types: how a product is named when spoken."""

from __future__ import annotations

from skill.services.types import CartLine, Product


def _product(brand: str, name: str, deal: int | None = None) -> Product:
    return Product("SKU-1", brand, name, "milk", "1 gallon", "gallon", 499, deal, "dairy", 5)


def test_product_title_drops_word_shared_by_brand_and_name() -> None:
    assert _product("Horizon Organic", "Organic Whole Milk").title == "Horizon Organic Whole Milk"


def test_product_title_keeps_distinct_words() -> None:
    assert _product("Oatly", "Oat Milk").title == "Oatly Oat Milk"
    assert _product("", "Bananas").title == "Bananas"


def test_cart_line_total_uses_deal_price() -> None:
    assert CartLine(_product("Oatly", "Oat Milk", deal=399), 3).line_total_cents == 1197


def test_product_title_name_starting_with_brand_is_said_alone() -> None:
    assert _product("Cheerios", "Cheerios Honey Nut").title == "Cheerios Honey Nut"


def test_product_short_title_is_brand_and_kind() -> None:
    cheese = Product("SKU-2", "Tillamook", "Medium Cheddar Block", "cheddar_cheese", "8 oz", "block", 399, None, "dairy", 5)
    assert cheese.short_title == "Tillamook cheddar cheese"
    assert "_" not in cheese.short_title
