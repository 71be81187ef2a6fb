"""Korean amounts of money as the NLU reads them: Sino-Korean numbers with 만/천/백, digits with unit
words as on a price tag, digit groups; and a product word after a limit is not taken for an ending."""

from __future__ import annotations

import pytest

from speech.interaction_model import model_path_for
from speech.nlu.compiler import compile_model
from speech.nlu.korean import analyser_for, korean_tokens, sino_number


@pytest.fixture(scope="module")
def ko_nlu():  # type: ignore[no-untyped-def]
    return compile_model(model_path_for("ko-KR"), "ko-KR")


def test_sino_korean_amounts_with_digits_written_before_unit_words() -> None:
    assert sino_number("1만5천") == 15000 and sino_number("2천5백") == 2500 and sino_number("1만2000") == 12000
    assert sino_number("만오천") == 15000 and sino_number("12") == 12
    assert sino_number("우유") is None and sino_number("1만원") is None


@pytest.mark.parametrize(
    ("said", "words"),
    [
        ("1만5천원", ["15000", "원"]),
        ("1만 5천 원", ["15000", "원"]),
        ("2만 원", ["20000", "원"]),
        ("만 오천 원", ["15000", "원"]),
        ("삼천 오백 원", ["3500", "원"]),
        ("15,000원", ["15000", "원"]),
    ],
)
def test_korean_amounts_are_one_number(said: str, words: list[str]) -> None:
    assert korean_tokens(said, analyser_for()) == words


def test_a_product_after_a_limit_stays_a_product(ko_nlu) -> None:  # type: ignore[no-untyped-def]
    read = ko_nlu.reader.tokens  # the model's analyser, taught 라면
    # Kiwi alone reads "이하 라면" as 이하 + copula + the ending "-라면" (if it is): the ramen was lost
    assert read("만 원 이하 라면") == ["10000", "원", "이하", "라면"]
    assert read("팔천원 이하 라면 있어") == ["8000", "원", "이하", "라면", "있다"]
    # an ending that belongs to the word before it is left alone
    assert read("찾아 줘") == ["찾다"]


@pytest.mark.parametrize(
    ("said", "product", "limit"),
    [
        ("두부 이천 원 이하로 있어요?", "tofu", "2000"),
        ("칠천원 안 넘는 계란 보여 줄래", "eggs", "7000"),
        ("만 오천 원 밑으로 샴푸 찾아봐", "shampoo", "15000"),
        ("2만원보다 싼 커피 있나", "coffee", "20000"),
    ],
)
def test_a_price_limit_fills_max_price_in_won(ko_nlu, said: str, product: str, limit: str) -> None:  # type: ignore[no-untyped-def]
    heard = ko_nlu.resolve(said)
    assert heard.intent == "SearchProductIntent"
    assert heard.slots["product"].id == product and heard.slots["maxPrice"].value == limit
