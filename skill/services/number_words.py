"""English number words and ordinals as the skill reads them in slot values and requests: the one list
`wants`, the cart handlers' quantities and the search handlers' positions read (`skill/` never imports
`speech/`, whose own list is `speech/number_words.py`); and the native Korean numbers a count is said
with ("우유 두 개", "계란 한 판", "생수 여섯 병").

    CARDINALS["twenty"]   # 20
    ORDINALS["third"]     # 3
    korean_count("열두")  # 12
"""

from __future__ import annotations

__all__ = [
    "UNIT_WORDS", "TEN_WORDS", "ORDINAL_WORDS", "CARDINALS", "ORDINALS", "DOZEN", "cardinals_to", "korean_count",
]

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


_KOREAN_UNITS = {"하나": 1, "한": 1, "둘": 2, "두": 2, "셋": 3, "세": 3, "석": 3, "넷": 4, "네": 4, "넉": 4, "다섯": 5,
                 "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9}
_KOREAN_TENS = {"열": 10, "스물": 20, "스무": 20, "서른": 30, "마흔": 40, "쉰": 50}
"""Native Korean numbers, the ones counts are said with (a determiner form before a counter: 한, 두, 세,
네, 스무; a bare form on its own: 하나, 둘, 셋, 넷)."""


def korean_count(word: str) -> int | None:
    """A count said in digits or native Korean: '2' -> 2, '두' -> 2, '하나' -> 1, '열두' -> 12, '스무' -> 20;
    None when `word` is not one."""
    if word.isdigit():
        return int(word)
    for tens, value in sorted(_KOREAN_TENS.items(), key=lambda kv: -len(kv[0])):
        if word.startswith(tens):
            rest = word[len(tens):]
            if not rest:
                return value
            unit = _KOREAN_UNITS.get(rest)
            return None if unit is None else value + unit
    return _KOREAN_UNITS.get(word)
