"""English number words and ordinals as the skill reads them in slot values and requests: the one list
`wants`, the cart handlers' quantities and the search handlers' positions read (`skill/` never imports
`speech/`, whose own list is `speech/number_words.py`).

    CARDINALS["twenty"]   # 20
    ORDINALS["third"]     # 3
"""

from __future__ import annotations

__all__ = ["UNIT_WORDS", "TEN_WORDS", "ORDINAL_WORDS", "CARDINALS", "ORDINALS", "DOZEN", "cardinals_to"]

UNIT_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)  # fmt: skip
"""Zero to nineteen, in order: a word's index is its value."""
TEN_WORDS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
"""Twenty to ninety, in order: a word's value is 20 + 10 * its index."""
ORDINAL_WORDS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
"""First to tenth, in order: a word's value is its index + 1 (a spoken list is never longer)."""

CARDINALS = {
    **{w: i for i, w in enumerate(UNIT_WORDS)},
    **{w: 20 + 10 * i for i, w in enumerate(TEN_WORDS)},
    "hundred": 100,
}
"""Every number word -> its value."""
ORDINALS = {w: i + 1 for i, w in enumerate(ORDINAL_WORDS)}
"""Every ordinal word -> its value."""
DOZEN = 12


def cardinals_to(most: int, least: int = 0) -> dict[str, int]:
    """The number words from `least` to `most` -> their values."""
    return {w: v for w, v in CARDINALS.items() if least <= v <= most}
