"""Spoken numbers, ordinals and four-digit codes, read from normalised tokens.

    parse_number("a hundred and twelve")     # 112
    parse_number("twenty five")              # 25
    parse_ordinal("the second")              # 2
    parse_four_digit("twelve thirty four")   # '1234'

The `*_at(words, i)` forms read at a position and return (value, end) so the matcher can find every
number in an utterance; the string forms accept a whole phrase and return None when it is not one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from speech.nlu.normalize import tokens
from speech.number_words import (
    COUNT_WORDS,
    ORDINAL_WORDS,
    SCALE_ORDINAL_WORDS,
    SCALE_WORDS,
    TEN_MISSPELLINGS,
    TEN_ORDINAL_WORDS,
    TEN_WORDS,
    UNIT_WORDS,
    ZERO_LETTERS,
)

__all__ = [
    "UNITS",
    "TENS",
    "SCALES",
    "ORDINALS",
    "number_at",
    "ordinal_at",
    "digit_run_at",
    "parse_number",
    "parse_ordinal",
    "parse_four_digit",
]

UNITS = {w: i for i, w in enumerate(UNIT_WORDS)}
TENS = {**{w: 20 + 10 * i for i, w in enumerate(TEN_WORDS)}, **TEN_MISSPELLINGS}
SCALES = SCALE_WORDS
_COUNTS = COUNT_WORDS

ORDINALS = {
    **{w: i + 1 for i, w in enumerate(ORDINAL_WORDS)},
    **{w: 20 + 10 * i for i, w in enumerate(TEN_ORDINAL_WORDS)},
    **SCALE_ORDINAL_WORDS,
}
_DIGITS = re.compile(r"\d+")
_DIGIT_ORDINAL = re.compile(r"(\d+)(st|nd|rd|th)")
_SPOKEN_DIGITS = {**{w: i for i, w in enumerate(UNIT_WORDS[:10])}, **dict.fromkeys(ZERO_LETTERS, 0)}


def _small_at(words: list[str], i: int) -> tuple[int, int] | None:
    """A number below 100 in words ("seven", "forty two", "forty-two" after splitting)."""
    if i >= len(words):
        return None
    w = words[i]
    if w in UNITS:
        return UNITS[w], i + 1
    if w in TENS:
        if i + 1 < len(words) and words[i + 1] in UNITS and 0 < UNITS[words[i + 1]] < 10:
            return TENS[w] + UNITS[words[i + 1]], i + 2
        return TENS[w], i + 1
    return None


def number_at(words: list[str], i: int) -> tuple[int, int] | None:
    """Read a cardinal number starting at `words[i]`; returns (value, end index) or None.

    Handles digits ("25", "2500"), words of any size with "and" ("two thousand and five"), "a hundred",
    "a dozen", "half a dozen", "a couple of". A leading "a" alone is not a number.
    """
    n = len(words)
    if i >= n:
        return None
    w = words[i]
    if _DIGITS.fullmatch(w):
        return int(w), i + 1
    if w == "half" and words[i + 1 : i + 3] == ["a", "dozen"]:
        return 6, i + 3
    if w in ("a", "an", "one") and i + 1 < n and words[i + 1] in _COUNTS:
        end = i + 2
        if words[i + 1] in ("couple", "pair"):
            if w == "one":
                return None
            if end < n and words[end] == "of":
                end += 1
        return _COUNTS[words[i + 1]], end
    total = 0
    current = 0
    pos = i
    last = ""  # "" at the start, then "small", "scale" or "and"
    if w in ("a", "an") and i + 1 < n and words[i + 1] in SCALES:
        current, pos, last = 1, i + 1, "small"
    while pos < n:
        word = words[pos]
        if word in SCALES:
            after_hundred = last == "scale" and words[pos - 1] == "hundred" and SCALES[word] > 100
            if last != "small" and not after_hundred:
                break
            scale = SCALES[word]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0
            pos, last = pos + 1, "scale"
            continue
        if word == "and" and last == "scale" and _small_at(words, pos + 1) is not None:
            pos, last = pos + 1, "and"
            continue
        small = _small_at(words, pos)
        # "one two" is two numbers, not three: a finished group takes only a scale after it.
        if small is None or last == "small":
            break
        current += small[0]
        pos, last = small[1], "small"
    seen = last in ("small", "scale")
    if last == "and":
        pos -= 1
    if not seen:
        return None
    return total + current, pos


def ordinal_at(words: list[str], i: int) -> tuple[int, int] | None:
    """Read an ordinal ("second", "2nd", "twenty first", "hundredth") at `words[i]`."""
    n = len(words)
    if i >= n:
        return None
    w = words[i]
    m = _DIGIT_ORDINAL.fullmatch(w)
    if m:
        return int(m.group(1)), i + 1
    if w in ORDINALS:
        return ORDINALS[w], i + 1
    if w in TENS and i + 1 < n and words[i + 1] in ORDINALS and ORDINALS[words[i + 1]] < 10:
        return TENS[w] + ORDINALS[words[i + 1]], i + 2
    return None


def digit_run_at(words: list[str], i: int, *, max_groups: int = 8) -> tuple[str, int] | None:
    """Read a code spoken as digits or digit groups: "one two three four", "twelve thirty four",
    "one oh one two", "1234". Returns (the digits, end) or None."""
    digits = ""
    pos = i
    n = len(words)
    groups = 0
    while pos < n and groups < max_groups:
        w = words[pos]
        if _DIGITS.fullmatch(w):
            digits += w
            pos += 1
        elif w in ("oh", "o") and digits:
            digits += "0"
            pos += 1
        elif w in ("double", "triple") and pos + 1 < n and words[pos + 1] in _SPOKEN_DIGITS:
            digits += str(_SPOKEN_DIGITS[words[pos + 1]]) * (2 if w == "double" else 3)
            pos += 2
        else:
            small = _small_at(words, pos)
            if small is None:
                break
            value, end = small
            # "twelve hundred thirty four" is a number, read it whole.
            if end < n and words[end] in SCALES:
                whole = number_at(words, pos)
                if whole is None:
                    break
                value, end = whole
            digits += str(value)
            pos = end
        groups += 1
    if not digits:
        return None
    return digits, pos


def _whole(text: str, reader: Callable[[list[str], int], tuple[Any, int] | None]) -> object | None:
    words = [w for w in tokens(text) if w not in ("the", "number")]
    if not words:
        return None
    got = reader(words, 0)
    if got is None or got[1] != len(words):
        return None
    return got[0]


def parse_number(text: str) -> int | None:
    """The whole of `text` as a cardinal number ("twenty five" -> 25, "25" -> 25), else None."""
    value = _whole(text, number_at)
    return value if isinstance(value, int) else None


def parse_ordinal(text: str) -> int | None:
    """The whole of `text` as an ordinal ("the second" -> 2, "3rd" -> 3), else None."""
    value = _whole(text, ordinal_at)
    return value if isinstance(value, int) else None


def parse_digits(text: str) -> str | None:
    """The whole of `text` as a run of digits of any length ("one two three" -> "123"), else None."""
    value = _whole(text, digit_run_at)
    return value if isinstance(value, str) else None


def parse_four_digit(text: str) -> str | None:
    """The whole of `text` as a four-digit code ("one two three four" -> "1234"), else None."""
    value = parse_digits(text)
    return value if value is not None and len(value) == 4 else None
