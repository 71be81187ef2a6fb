"""The built-in slot type parsers: numbers, ordinals, four-digit codes, dates and times."""

from __future__ import annotations

from datetime import datetime

import pytest

from speech.nlu.builtin_types import builtin_value, find_builtin_spans
from speech.nlu.dates import date_value, time_value
from speech.nlu.normalize import tokens
from speech.nlu.numbers import parse_four_digit, parse_number, parse_ordinal

FRIDAY = datetime(2026, 11, 27, 9, 30)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("twenty five", 25),
        ("25", 25),
        ("a hundred and twelve", 112),
        ("two thousand and five", 2005),
        ("a dozen", 12),
        ("half a dozen", 6),
        ("one hundred twenty three", 123),
        ("twenty-five", 25),
        ("nine hundred ninety nine thousand nine hundred and ninety nine", 999999),
        ("zero", 0),
        ("one million two hundred thousand", 1200000),
        ("twelve hundred", 1200),
        ("2,500", 2500),
        ("forty", 40),
        ("a thousand", 1000),
    ],
)
def test_parse_number_reads_spoken_and_written_numbers(text: str, value: int) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "one two", "hundred", "milk", "a", "and", "!!!"])
def test_parse_number_rejects_what_is_not_one_number(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("second", 2),
        ("2nd", 2),
        ("the third", 3),
        ("twenty first", 21),
        ("1st", 1),
        ("tenth", 10),
        ("33rd", 33),
    ],
)
def test_parse_ordinal(text: str, value: int) -> None:
    assert parse_ordinal(text) == value


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("one two three four", "1234"),
        ("twelve thirty four", "1234"),
        ("1234", "1234"),
        ("one oh one two", "1012"),
        ("12 34", "1234"),
        ("double five one two", "5512"),
        ("zero zero seven one", "0071"),
    ],
)
def test_parse_four_digit(text: str, code: str) -> None:
    assert parse_four_digit(text) == code


@pytest.mark.parametrize("text", ["one two three", "12345", "milk", ""])
def test_parse_four_digit_rejects_other_lengths(text: str) -> None:
    assert parse_four_digit(text) is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("today", "2026-11-27"),
        ("tomorrow", "2026-11-28"),
        ("the day after tomorrow", "2026-11-29"),
        ("saturday", "2026-11-28"),
        ("friday", "2026-11-27"),
        ("next friday", "2026-12-04"),
        ("this weekend", "2026-W48-WE"),
        ("next weekend", "2026-W49-WE"),
        ("next week", "2026-W49"),
        ("December 3rd", "2026-12-03"),
        ("december third", "2026-12-03"),
        ("3rd of December", "2026-12-03"),
        ("the 5th", "2026-12-05"),
        ("on the 30th", "2026-11-30"),
        ("january 2nd", "2027-01-02"),
        ("in three days", "2026-11-30"),
        ("in a week", "2026-12-04"),
        ("march 1 2027", "2027-03-01"),
    ],
)
def test_date_value_is_relative_to_the_reference_time(text: str, iso: str) -> None:
    assert date_value(text, FRIDAY) == iso


@pytest.mark.parametrize("text", ["february 30th", "milk", "", "the 40th"])
def test_date_value_rejects_impossible_or_no_dates(text: str) -> None:
    assert date_value(text, FRIDAY) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("7 pm", "19:00"),
        ("7pm", "19:00"),
        ("seven thirty p.m.", "19:30"),
        ("7:45", "07:45"),
        ("noon", "12:00"),
        ("midnight", "00:00"),
        ("morning", "MO"),
        ("in the afternoon", "AF"),
        ("evening", "EV"),
        ("half past six", "06:30"),
        ("quarter to eight", "07:45"),
        ("ten in the evening", "22:00"),
        ("7 o'clock", "07:00"),
        ("12 am", "00:00"),
    ],
)
def test_time_value(text: str, value: str) -> None:
    assert time_value(text) == value


def test_time_value_leaves_a_bare_number_alone() -> None:
    assert time_value("seven") is None
    assert time_value("13 pm") is None


def test_builtin_value_by_slot_type() -> None:
    assert builtin_value("AMAZON.NUMBER", "a hundred and twelve") == "112"
    assert builtin_value("AMAZON.Ordinal", "second") == "2"
    assert builtin_value("AMAZON.FOUR_DIGIT_NUMBER", "twelve thirty four") == "1234"
    assert builtin_value("AMAZON.DATE", "tomorrow", FRIDAY) == "2026-11-28"
    assert builtin_value("AMAZON.TIME", "7 pm") == "19:00"
    assert builtin_value("AMAZON.SearchQuery", "anything") is None


def test_find_builtin_spans_keeps_the_pronoun_one_out_of_numbers() -> None:
    spans = find_builtin_spans(tokens("add two of the second one"), FRIDAY.date())
    nums = [(s.start, s.value) for s in spans if s.kind == "NUM"]
    ords = [(s.start, s.value) for s in spans if s.kind == "ORD"]
    assert nums == [(1, "2")]
    assert ords == [(4, "2")]


def test_tokens_normalise_case_punctuation_contractions_and_accents() -> None:
    assert tokens("What's in my CART?!") == ["what", "is", "in", "my", "cart"]
    assert tokens("Café crème, please…") == ["cafe", "creme", "please"]
    assert tokens("deliver at 7pm") == ["deliver", "at", "7", "pm"]
    assert tokens("🛒🛒 !!! ...") == []
