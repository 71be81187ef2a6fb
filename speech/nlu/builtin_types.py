"""Amazon's built-in slot types: where they occur in an utterance, and their values as Alexa sends them.

    builtin_value("AMAZON.NUMBER", "a hundred and twelve")            # '112'
    builtin_value("AMAZON.FOUR_DIGIT_NUMBER", "twelve thirty four")   # '1234'
    builtin_value("AMAZON.DATE", "this weekend", ref)                 # '2026-W48-WE'
    find_builtin_spans(tokens("add two milks tomorrow"), today)       # [Span(1, 2, 'NUM', '2'), ...]

Span kinds: NUM (a cardinal), ORD (an ordinal), DIGITS (a spoken four-digit code), DATE and TIME.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from speech.nlu.dates import date_at, date_value, time_at, time_value
from speech.nlu.numbers import (
    digit_run_at,
    number_at,
    ordinal_at,
    parse_four_digit,
    parse_number,
    parse_ordinal,
)

__all__ = [
    "Span",
    "BUILTIN_KINDS",
    "find_builtin_spans",
    "builtin_value",
    "parse_number",
    "parse_ordinal",
    "parse_four_digit",
    "date_value",
    "time_value",
]


@dataclass(frozen=True)
class Span:
    """A candidate slot value found in an utterance (built-in or from the gazetteer)."""

    start: int
    """Index of the first word."""
    end: int
    """Index one past the last word."""
    kind: str
    """NUM, ORD, DIGITS, DATE, TIME, or a custom slot type's name."""
    value: str
    """The slot value: the normalised number/date for built-ins, the heard words for custom types."""
    id: str | None = None
    """Entity-resolution id (custom types)."""
    resolved: str | None = None
    """Canonical value name (custom types)."""
    score: float = 1.0
    """1.0 for an exact match; below for a fuzzy gazetteer match."""


BUILTIN_KINDS = {
    "AMAZON.NUMBER": "NUM",
    "AMAZON.Ordinal": "ORD",
    "AMAZON.FOUR_DIGIT_NUMBER": "DIGITS",
    "AMAZON.DATE": "DATE",
    "AMAZON.TIME": "TIME",
}
"""Built-in slot type -> the span kind that fills it best."""

# "the second one", "that one": here "one" is a pronoun, not the number 1.
_PRONOUN_BEFORE = frozenset(
    [
        "this",
        "that",
        "the",
        "which",
        "last",
        "other",
        "another",
        "first",
        "cheap",
        "cheaper",
        "cheapest",
        "big",
        "bigger",
        "biggest",
        "small",
        "smaller",
        "smallest",
        "same",
        "next",
        "previous",
    ]
)


def _is_pronoun_one(words: list[str], i: int) -> bool:
    if words[i] not in ("one", "ones") or i == 0:
        return False
    prev = words[i - 1]
    return prev in _PRONOUN_BEFORE or ordinal_at(words, i - 1) is not None


def find_builtin_spans(words: list[str], today: date, kinds: frozenset[str] | None = None) -> list[Span]:
    """Every number, ordinal, four-digit code, date and time in `words` (kinds limits which)."""
    want = kinds or frozenset(BUILTIN_KINDS.values())
    spans: list[Span] = []
    n = len(words)
    i = 0
    num_end = 0
    while i < n:
        if "NUM" in want and i >= num_end and not _is_pronoun_one(words, i):
            got = number_at(words, i)
            if got and not (words[i] in ("a", "an") and got[1] == i + 1):
                spans.append(Span(i, got[1], "NUM", str(got[0])))
                num_end = got[1]
        if "ORD" in want:
            o = ordinal_at(words, i)
            if o:
                spans.append(Span(i, o[1], "ORD", str(o[0])))
        if "DIGITS" in want:
            d = digit_run_at(words, i)
            if d and len(d[0]) == 4 and not (i > 0 and number_at(words, i - 1)):
                spans.append(Span(i, d[1], "DIGITS", d[0]))
        if "DATE" in want:
            dt = date_at(words, i, today)
            if dt:
                spans.append(Span(i, dt[1], "DATE", dt[0]))
        if "TIME" in want:
            t = time_at(words, i)
            if t:
                spans.append(Span(i, t[1], "TIME", t[0]))
        i += 1
    return spans


def builtin_value(slot_type: str, text: str, reference_time: datetime | date | None = None) -> str | None:
    """The value Alexa would send for `text` in a slot of the built-in `slot_type`, or None."""
    if slot_type == "AMAZON.NUMBER":
        n = parse_number(text)
        return None if n is None else str(n)
    if slot_type == "AMAZON.Ordinal":
        o = parse_ordinal(text)
        return None if o is None else str(o)
    if slot_type == "AMAZON.FOUR_DIGIT_NUMBER":
        return parse_four_digit(text)
    if slot_type == "AMAZON.DATE":
        return date_value(text, reference_time)
    if slot_type == "AMAZON.TIME":
        return time_value(text)
    return None
