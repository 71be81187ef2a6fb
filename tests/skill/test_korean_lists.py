"""Several products in one Korean request: each item's own count said after it ("우유 두 개", "계란 한 판"),
the request's quantity only for the first item, an item not found said in Korean while the rest are
added; through the skill with Alexa request JSON, and end to end from the Korean sentence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from skill.app import create_invoker
from skill.config import SkillConfig
from skill.handlers.steps.adding import _trailing_quantity
from skill.services.number_words import korean_count
from skill.store.db import locale_path
from speech.cloud import VoiceCloud
from speech.interaction_model import load_interaction_model, model_path_for
from speech.nlu.compiler import compile_model
from tests.support.skill import Shopper, listed_slot

MODEL_PATH = model_path_for("ko-KR")


@pytest.fixture(scope="module")
def ko_nlu():  # type: ignore[no-untyped-def]
    return compile_model(MODEL_PATH, "ko-KR")


@pytest.fixture
def shop(tmp_path: Path) -> tuple[Shopper, Path]:
    config = SkillConfig(db_path=tmp_path / "shop.db", demo_accounts=True)
    shopper = Shopper(create_invoker(config), user_id="amzn1.ask.account.KO-LISTS", locale="ko-KR")
    shopper.launch()
    return shopper, locale_path(config.db_path, "ko-KR")


def _listed(shopper: Shopper, values: list[tuple[str, str | None]], **extra: Any) -> str:
    """AddToCartIntent with a multiple-value product slot, as Alexa sends it."""
    product = listed_slot(values)
    return shopper.say("AddToCartIntent", product=product, **extra)


def _cart(db: Path) -> dict[str, int]:
    """The cart by kind: {'milk': 2, 'eggs': 1}."""
    rows = sqlite_utils.Database(db).execute(
        "SELECT p.generic, c.quantity FROM cart_items c JOIN products p ON p.sku = c.sku"
    ).fetchall()
    return {generic: quantity for generic, quantity in rows}


def test_korean_counts_in_digits_and_native_words() -> None:
    assert [korean_count(w) for w in ("2", "하나", "한", "두", "셋", "네", "다섯", "열", "열두", "스무", "스물셋")] == [
        2, 1, 1, 2, 3, 4, 5, 10, 12, 20, 23,
    ]
    assert [korean_count(w) for w in ("우유", "이", "삼", "열열", "")] == [None] * 5


@pytest.mark.parametrize(
    ("said", "count", "name"),
    [
        ("우유 두 개", 2, "우유"),
        ("계란 한 판", 1, "계란"),
        ("생수 여섯 병", 6, "생수"),
        ("우유 하나", 1, "우유"),
        ("신라면 2봉지", 2, "신라면"),
        ("햇반 열두 개", 12, "햇반"),
        ("계란 좀 두 판", 2, "계란"),
        ("사과 다섯", 5, "사과"),
        ("두부 세", None, "두부 세"),  # 세 before no counter is no count ("세제" misheard, a name)
        ("삼다수 2l", None, "삼다수 2l"),
        ("우유", None, "우유"),
        ("eggs 12", None, "eggs 12"),  # not Korean: English counts are said before
    ],
)
def test_a_korean_item_count_follows_the_item(said: str, count: int | None, name: str) -> None:
    assert _trailing_quantity(said) == (count, name)


def test_each_item_gets_its_own_count_and_the_first_the_requests(shop: tuple[Shopper, Path]) -> None:
    shopper, db = shop
    said = _listed(shopper, [("계란", "eggs"), ("우유 두 개", "milk")], quantity="1")
    assert "계란 중에서는" in said and "추천해요" in said
    said = shopper.yes()
    assert "1판을 담았어요" in said and "우유 중에서는" in said
    said = shopper.yes()
    assert "2팩을 담았어요" in said
    assert _cart(db) == {"eggs": 1, "milk": 2}


def test_a_quantity_of_the_request_never_goes_to_a_later_item(shop: tuple[Shopper, Path]) -> None:
    shopper, db = shop
    _listed(shopper, [("두부", "tofu"), ("김치", "kimchi")], quantity="3")
    shopper.yes()
    shopper.yes()
    assert _cart(db) == {"tofu": 3, "kimchi": 1}


def test_an_item_not_found_is_said_in_korean_and_the_rest_added(shop: tuple[Shopper, Path]) -> None:
    shopper, db = shop
    said = _listed(shopper, [("망고스틴", None), ("우유 하나", "milk")])
    assert said.startswith("망고스틴은 찾지 못했어요.") and "우유 중에서는" in said
    assert "담았어요" in shopper.yes()
    assert _cart(db) == {"milk": 1}
    shopper.new_session()
    shopper.launch()
    said = _listed(shopper, [("라면 두 봉지", "ramen"), ("두리안 세 개", None)])
    assert "라면 중에서는" in said
    said = shopper.yes()
    assert "2봉지를 담았어요" in said and "두리안은 찾지 못했어요" in said
    assert "$" not in said
    assert _cart(db) == {"milk": 1, "ramen": 2}


def test_korean_sentences_end_to_end(tmp_path: Path, ko_nlu) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "shop.db"
    invoke = create_invoker(SkillConfig(db_path=db, demo_accounts=True))
    cloud = VoiceCloud(ko_nlu, invoke, load_interaction_model(MODEL_PATH), locale="ko-KR")
    cloud.hear("보이스 샵 열어 줘")
    first = cloud.hear("라면 두 개하고 생수 한 병 넣어 줘").speech
    assert "라면 중에서는" in first
    second = cloud.hear("네").speech
    assert "2봉지를 담았어요" in second and "생수 중에서는" in second
    assert "1묶음을 담았어요" in cloud.hear("응").speech
    said = cloud.hear("사과 세 개랑 배 두 개").speech
    assert "사과 중에서는" in said
    assert "배 중에서는" in cloud.hear("네").speech
    cloud.hear("네")
    assert _cart(locale_path(db, "ko-KR")) == {"ramen": 2, "water": 1, "apple": 3, "pear": 2}
