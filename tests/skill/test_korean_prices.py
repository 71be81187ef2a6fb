"""Price limits in the locale's money: "만 원 이하 라면" searches with a limit in won, and a limit nothing
meets is said in won; en-US keeps its dollars (cents)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlite_utils

from skill.app import create_invoker
from skill.config import SkillConfig
from skill.services.money import format_price, minor_units
from skill.store.db import locale_path
from speech.cloud import VoiceCloud
from speech.interaction_model import load_interaction_model, model_path_for
from speech.nlu.compiler import compile_model

MODEL_PATH = model_path_for("ko-KR")


@pytest.fixture(scope="module")
def ko_nlu():  # type: ignore[no-untyped-def]
    return compile_model(MODEL_PATH, "ko-KR")


def _cloud(db: Path, nlu) -> VoiceCloud:  # type: ignore[no-untyped-def]
    invoke = create_invoker(SkillConfig(db_path=db, demo_accounts=True))
    return VoiceCloud(nlu, invoke, load_interaction_model(MODEL_PATH), locale="ko-KR")


def _won(speech: str) -> list[int]:
    """Every amount in won said ('9,980원' -> 9980)."""
    return [int(m.replace(",", "")) for m in re.findall(r"([\d,]+)원", speech)]


def _cart(db: Path) -> dict[str, int]:
    rows = sqlite_utils.Database(locale_path(db, "ko-KR")).execute(
        "SELECT p.brand || ' ' || p.name, c.quantity FROM cart_items c JOIN products p ON p.sku = c.sku"
    ).fetchall()
    return {name: quantity for name, quantity in rows}


def test_an_amount_said_is_the_stores_units_of_the_locales_money() -> None:
    assert minor_units("4.99") == 499 and minor_units("5", "en-US") == 500
    assert minor_units("15000", "ko-KR") == 15000 and minor_units("15,000", "ko-KR") == 15000
    assert minor_units("다섯", "ko-KR") is None and minor_units(None) is None and minor_units("0", "ko-KR") is None
    assert format_price(100, exact=True) == "$1.00" and format_price(100) == "$1"
    assert format_price(12900, "ko-KR", exact=True) == "12,900원"


@pytest.mark.parametrize(
    ("said", "limit", "kind"),
    [
        ("김치 만 원 넘지 않는 거 있어요", 10000, "김치"),
        ("우유 삼천 원 아래로 보여 줄래", 3000, "우유"),
        ("1만2천원 밑으로 세제 있나요", 12000, "세제"),
        ("과자 이천 원보다 싼 거 찾아 줘", 2000, "과자"),
    ],
)
def test_a_korean_price_limit_finds_only_what_costs_no_more(tmp_path: Path, ko_nlu, said: str, limit: int, kind: str) -> None:  # type: ignore[no-untyped-def]
    cloud = _cloud(tmp_path / "shop.db", ko_nlu)
    cloud.hear("보이스 샵 열어 줘")
    speech = cloud.hear(said).speech
    assert "없어요" not in speech and "$" not in speech, speech
    offered = _won(speech)
    if "추천" in speech:  # a top pick names the limit heard first
        assert speech.startswith(f"{limit:,}원 이하 {kind} 중에서는"), speech
        offered = offered[1:]
    assert offered and all(0 < amount <= limit for amount in offered), speech
    more = cloud.hear("다른 것도 들려 줘").speech
    assert all(amount <= limit for amount in _won(more)), more


def test_a_limit_nothing_meets_is_said_in_won_with_the_cheapest_offered(tmp_path: Path, ko_nlu) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "shop.db"
    cloud = _cloud(db, ko_nlu)
    cloud.hear("보이스 샵 열어 줘")
    speech = cloud.hear("라면 천오백 원 이하로 있어?").speech
    # the cheapest ramen of the Korean catalog is 삼양라면, 3,780원
    assert speech.startswith("1,500원 이하 라면은 없어요"), speech
    assert "삼양라면, 3,780원" in speech and "$" not in speech
    cloud.hear("응")
    assert _cart(db) == {"삼양 삼양라면": 1}


def test_an_unmet_korean_tag_is_said_in_korean(tmp_path: Path, ko_nlu) -> None:  # type: ignore[no-untyped-def]
    cloud = _cloud(tmp_path / "shop.db", ko_nlu)
    cloud.hear("보이스 샵 열어 줘")
    speech = cloud.hear("유기농 라면 있어요?").speech
    assert speech.startswith("유기농 라면은 없어요"), speech
    assert "organic" not in speech and "ramen" not in speech


def test_a_limit_said_before_the_product_is_kept_while_the_product_is_asked(tmp_path: Path, ko_nlu) -> None:  # type: ignore[no-untyped-def]
    cloud = _cloud(tmp_path / "shop.db", ko_nlu)
    cloud.hear("보이스 샵 열어 줘")
    asked = cloud.hear("이천 원 밑으로 뭐 좀 찾아 줄래").speech
    assert "검색" in asked or "찾으세요" in asked, asked
    # of the tofu only 풀무원 순두부 (1,680원) costs 2,000원 or less
    assert "순두부, 1,680원" in cloud.hear("두부").speech


def test_a_typed_amount_with_commas_is_one_number(tmp_path: Path, ko_nlu) -> None:  # type: ignore[no-untyped-def]
    cloud = _cloud(tmp_path / "shop.db", ko_nlu)
    cloud.hear("보이스 샵 열어 줘")
    speech = cloud.hear("13,000원 이하 커피 보여줘").speech
    assert "없어요" not in speech, speech  # read as 13000, not as 13 and 000
    assert "스타벅스" in speech and "12,900원" in speech


def test_english_limits_stay_in_dollars(tmp_path: Path) -> None:
    nlu = compile_model(model_path_for("en-US"), "en-US")
    invoke = create_invoker(SkillConfig(db_path=tmp_path / "shop.db", demo_accounts=True))
    cloud = VoiceCloud(nlu, invoke, load_interaction_model(model_path_for("en-US")))
    cloud.hear("open voice shop")
    assert cloud.hear("find me coffee under 2 dollars").speech.startswith("I don't have coffee under $2.00.")
    cloud.hear("no")
    found = cloud.hear("do you have milk under 20 dollars").speech
    assert "$" in found and "원" not in found and "don't have" not in found
