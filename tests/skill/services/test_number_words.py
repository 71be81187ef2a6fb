"""The skill's number words (`skill/services/number_words.py`) and what reads them: quantities, positions
and the numbers inside a request. The speech side keeps its own list; the two must say the same."""

from __future__ import annotations

from skill.handlers.steps.adding import UNCLEAR, parse_quantity
from skill.handlers.steps.results import parse_position
from skill.services import number_words as skill_words
from skill.services.wants import number_value
from speech import number_words as speech_words


def test_number_words_the_skill_and_the_speech_side_agree() -> None:
    assert skill_words.UNIT_WORDS == speech_words.UNIT_WORDS
    assert skill_words.TEN_WORDS == speech_words.TEN_WORDS
    ours, theirs = skill_words.ORDINAL_WORDS, speech_words.ORDINAL_WORDS
    assert ours == theirs[: len(ours)]  # the skill reads positions up to tenth


def test_cardinals_read_every_word_at_its_value() -> None:
    assert skill_words.CARDINALS["nineteen"] == 19
    assert skill_words.CARDINALS["seventy"] == 70
    assert skill_words.cardinals_to(3, least=1) == {"one": 1, "two": 2, "three": 3}


def test_parse_quantity_reads_words_up_to_a_dozen() -> None:
    assert parse_quantity("an") == 1
    assert parse_quantity("eleven") == 11
    assert parse_quantity("dozen") == 12
    assert parse_quantity("lots") is UNCLEAR


def test_parse_position_reads_ordinals_and_numbers_up_to_ten() -> None:
    assert parse_position("the ninth") == 9
    assert parse_position("number seven") == 7
    assert parse_position("tenth") == 10
    assert parse_position("eleventh") is None


def test_number_value_reads_tens_and_units_and_prices() -> None:
    assert number_value(["seventy", "five"]) == 75
    assert number_value(["dozen"]) == 12
    assert number_value(["three", "fifty"]) == 3.5
    assert number_value(["half"]) is None
