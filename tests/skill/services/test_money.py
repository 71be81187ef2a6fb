"""How amounts are spoken: prices and counted units."""

from __future__ import annotations

import pytest

from skill.services.money import format_price, plural_unit


@pytest.mark.parametrize(
    ("cents", "said"),
    [(349, "$3.49"), (300, "$3"), (5, "$0.05"), (125050, "$1,250.50"), (-199, "-$1.99"), (0, "$0")],
)
def test_format_price(cents: int, said: str) -> None:
    assert format_price(cents) == said


@pytest.mark.parametrize(
    ("unit", "count", "said"),
    [
        ("bottle", 1, "bottle"), ("bottle", 2, "bottles"), ("box", 3, "boxes"), ("bunch", 2, "bunches"),
        ("loaf", 2, "loaves"), ("dozen", 2, "dozen"), ("dozen", 1, "dozen"), ("each", 4, "each"),
        ("canister", 2, "canisters"), ("", 2, ""),
    ],
)
def test_plural_unit(unit: str, count: int, said: str) -> None:
    assert plural_unit(unit, count) == said
