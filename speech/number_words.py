"""English number words and ordinals as said: the one list the NLU's number parsers and normaliser, the ASR
grammar, the snapper and the rescorer read (the skill keeps its own in `skill/services/number_words.py`).

    UNIT_WORDS[7]        # 'seven'    (zero to nineteen: a word's index is its value)
    TEN_WORDS[2]         # 'forty'    (value 20 + 10 * index)
    ORDINAL_WORDS[2]     # 'third'    (first to nineteenth: value index + 1)
"""

from __future__ import annotations

__all__ = [
    "UNIT_WORDS",
    "TEN_WORDS",
    "TEN_MISSPELLINGS",
    "SCALE_WORDS",
    "COUNT_WORDS",
    "ORDINAL_WORDS",
    "TEN_ORDINAL_WORDS",
    "SCALE_ORDINAL_WORDS",
    "CODE_DIGIT_WORDS",
    "ZERO_LETTERS",
]

UNIT_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)  # fmt: skip
"""Zero to nineteen, in order: a word's index is its value."""
TEN_WORDS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
"""Twenty to ninety, in order: a word's value is 20 + 10 * its index."""
TEN_MISSPELLINGS = {"fourty": 40}
"""Tens as they are often typed, read but never said."""
SCALE_WORDS = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
COUNT_WORDS = {"dozen": 12, "couple": 2, "pair": 2}
"""Words that count like a number after "a" ("a dozen", "a couple of")."""

ORDINAL_WORDS = (
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
    "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth",
)  # fmt: skip
"""First to nineteenth, in order: a word's value is its index + 1."""
TEN_ORDINAL_WORDS = ("twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth", "eightieth",
                     "ninetieth")
"""Twentieth to ninetieth, in order: a word's value is 20 + 10 * its index."""
SCALE_ORDINAL_WORDS = {"hundredth": 100, "thousandth": 1000}

ZERO_LETTERS = ("oh", "o")
"""Zero said or typed as the letter inside a code ("one oh four")."""
CODE_DIGIT_WORDS = (UNIT_WORDS[0], ZERO_LETTERS[0], *UNIT_WORDS[1:10])
"""How each digit of a code is said: zero, oh, one to nine."""
