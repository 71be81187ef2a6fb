"""Every prompt, filled with realistic values, stays short enough to be heard: a typical answer is under
30 words; the few that must say more have their own budget here, with the reason."""

from __future__ import annotations

import re
import string

import pytest

from skill.prompts import prompts_for

BUDGET = 30
"""Words a spoken answer may take."""
LONGER: dict[str, tuple[int, str]] = {
    "checkout_read_back": (38, "complete (items, delivery, total, card) in about half the words it took before"),
    "search_many_next": (36, "three products with sizes and prices, and how to hear more"),
}
"""Prompts that may run longer, each with why (only while it is needed: one that fits fails the test)."""

TITLE = "Dunkin' coffee"
BRIEF = "Dunkin' coffee, 12 oz, $8.99"
THREE_RESULTS = (
    "First: Dunkin' coffee, 12 oz, $8.99. Second: Starbucks coffee, 12 oz, $9.99. "
    "Third: Peet's coffee, 18 oz, $13.99."
)
TWO_ITEMS = "2 bags of Dunkin' coffee and 1 bunch of Dole bananas"
THREE_LINES = "2 bags of Dunkin' coffee, 1 bunch of Dole bananas, and 1 gallon of Great Value milk"
SLOT = "tomorrow between 5 and 9 PM"
CARD = "Visa ending in 4242"

VALUES: dict[str, object] = {
    "what": "2 bags of Dunkin' coffee",
    "title": TITLE,
    "product": BRIEF,
    "query": "oat milk",
    "count": 3,
    "have": 2,
    "more": 2,
    "left": 2,
    "unit": "bags",
    "available": 1,
    "name": TITLE,
    "items": TWO_ITEMS,
    "lines": THREE_LINES,
    "names": "Dunkin' coffee or Starbucks coffee",
    "total": "$26.23",
    "subtotal": "$19.67",
    "tax": "$1.57",
    "fee": "delivery is $4.99",
    "limit": "$500.00",
    "address": "home",
    "slot": SLOT,
    "card": CARD,
    "other": "Mastercard ending in 4444",
    "choices": "home or work",
    "label": "work",
    "reason": "Your Visa ending in 4242 was declined by the bank.",
    "problem": "Sorry, tomorrow evening is fully booked.",
    "first": SLOT,
    "second": "Thursday between 8 AM and noon",
    "window": "between 5 and 9 PM",
    "weekday": "Thursday",
    "month": "December",
    "day": 10,
    "number": "116791",
    "order_number": "116791",
    "brand": "Visa",
    "last4": "4242",
    "price": "$8.99",
    "was": "$10.49",
    "deals": "Dunkin' coffee at $8.99, Dole bananas at $1.29, and Oatly oat milk at $4.49",
    "description": "Medium roast ground coffee from Dunkin', 12 ounces, in Coffee and Tea.",
    "ordinal": "First",
    "head": "Dunkin' coffee, Dole bananas",
    "last": "Oatly oat milk",
    "corrected": "oat milk",
    "amount": "$17.98",
    "quantity": 2,
    "free": "$35.00",
    "rest": "Dole bananas and Oatly oat milk",
    "wanted": "gluten-free bread",
    "feature": "organic",
    "others": "Starbucks coffee",
    "change": "Okay, I'll charge your Mastercard ending in 4444.",
}
PER_KEY: dict[str, dict[str, object]] = {
    "search_many": {"items": THREE_RESULTS, "count": 7, "query": "coffee"},
    "search_many_next": {"items": THREE_RESULTS, "count": 7, "query": "coffee"},
    "cart_which": {"items": THREE_RESULTS},
    "search_several": {"items": THREE_RESULTS},
    "next_page": {"items": THREE_RESULTS},
    "next_page_more": {"items": THREE_RESULTS},
    "checkout_read_back": {"card": "Visa 4242"},
    "search_wanted": {"described": "gluten free", "kind": "bread", "limits": "under $3.00"},
    "search_query_under": {"query": "coffee", "amount": "5"},
    "search_kind_under": {"kind": "coffee"},
}
NOT_SPOKEN = {
    "checkout_receipt_title",
    "checkout_receipt_line",
    "checkout_receipt_totals",
    "checkout_receipt_card",
}


def _rendered() -> list[tuple[str, str]]:
    p = prompts_for("en-US")
    out = []
    for key, template in sorted(p.table.items()):
        if key in NOT_SPOKEN:
            continue
        for variant in template if isinstance(template, list) else [template]:
            names = {f for _, f, _, _ in string.Formatter().parse(variant) if f}
            values = {**VALUES, **PER_KEY.get(key, {})}
            missing = names - set(values)
            assert not missing, f"prompt {key!r}: give {sorted(missing)} a realistic value in this test"
            text = variant.format(**{n: values[n] for n in names})
            out.append((key, re.sub(r"<[^>]+>", "", text)))
    return out


RENDERED = _rendered()


@pytest.mark.parametrize(("key", "text"), RENDERED, ids=[k for k, _ in RENDERED])
def test_prompt_fits_its_word_budget(key: str, text: str) -> None:
    budget = LONGER.get(key, (BUDGET, ""))[0]
    assert len(text.split()) <= budget, f"{len(text.split())} words: {text}"


def test_longer_budgets_are_still_needed() -> None:
    longest = {}
    for key, text in RENDERED:
        longest[key] = max(longest.get(key, 0), len(text.split()))
    for key in LONGER:
        assert key in longest, f"{key} is no prompt any more: drop it from LONGER"
        assert longest[key] > BUDGET, f"{key} fits in {BUDGET} words now: drop it from LONGER"


def test_order_numbers_are_read_digit_by_digit_only_when_asked() -> None:
    p = prompts_for("en-US")
    digits = sorted(
        k
        for k, v in p.table.items()
        if 'interpret-as="digits">{number}' in str(v) or 'interpret-as="digits">{order_number}' in str(v)
    )
    # said when the shopper asks for it ("what's my order number") or names an order by its number;
    # never when the order is placed (the receipt in the app has it), nor in status, cancel or summaries
    assert digits == ["orders_not_found", "orders_number"]
