"""The ko-KR shop end to end by text: Korean prompts, prices in won, Korean dates, its own store."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils

from skill.app import create_invoker
from skill.config import SkillConfig, config_for
from skill.prompts import Prompts, prompts_for, supported_locales
from skill.services.money import format_price, plural_unit
from skill.store.db import locale_path
from speech.cloud import VoiceCloud, parse_invocation
from speech.interaction_model import load_interaction_model, model_path_for
from speech.nlu.compiler import compile_model
from tests.support.skill import Shopper, record_purchase

MODEL_PATH = model_path_for("ko-KR")


@pytest.fixture(scope="module")
def ko_nlu():  # type: ignore[no-untyped-def]
    return compile_model(MODEL_PATH, "ko-KR")


def cloud_for(db_path: Path, nlu, locale: str = "ko-KR") -> VoiceCloud:  # type: ignore[no-untyped-def]
    invoke = create_invoker(SkillConfig(db_path=db_path, demo_accounts=True))
    return VoiceCloud(nlu, invoke, load_interaction_model(MODEL_PATH), locale=locale)


def test_won_have_no_minor_unit() -> None:
    assert format_price(12900, "ko-KR") == "12,900원"
    assert format_price(349) == "$3.49"
    assert plural_unit("봉지", 3) == "봉지" and plural_unit("bottle", 2) == "bottles"


def test_korean_particles_follow_the_word_before_them() -> None:
    p = Prompts({"k": "{a}을/를 담았어요. {b}이/가 {c}으로/로"}, "ko-KR")
    assert p.say("k", a="신라면", b="우유 2개", c="서울") == "신라면을 담았어요. 2개가 서울로".replace("2개가", "우유 2개가")
    assert p.say("k", a="우유", b="3병", c="집") == "우유를 담았어요. 3병이 집으로"
    # a card's last digits: 일, 칠 and 팔 end in ㄹ and take 로; 삼 takes 으로, 이 takes 로
    card = Prompts({"k": "{n}으로/로 결제할게요"}, "ko-KR")
    assert [card.say("k", n=n) for n in ("4421", "0007", "1238", "5553", "9992")] == [
        "4421로 결제할게요", "0007로 결제할게요", "1238로 결제할게요", "5553으로 결제할게요", "9992로 결제할게요",
    ]
    named = Prompts({"k": "{label}이라는/라는 카드"}, "ko-KR")
    assert (named.say("k", label="신한"), named.say("k", label="비자")) == ("신한이라는 카드", "비자라는 카드")


def test_ko_kr_is_supported_by_its_prompt_folder() -> None:
    assert {"en-US", "ko-KR"} <= supported_locales()
    assert prompts_for("ko-KR").say("delivery_slot_tomorrow", window="오전") == "내일 오전"
    assert prompts_for("xx-YY").say("delivery_slot_tomorrow", window="x") == "tomorrow x"


def test_each_locale_has_its_own_store_and_settings(tmp_path: Path) -> None:
    assert locale_path(tmp_path / "shop.db", "en-US") == tmp_path / "shop.db"
    assert locale_path(tmp_path / "shop.db", "ko-KR") == tmp_path / "shop.ko-KR.db"
    ko = config_for(SkillConfig(db_path=tmp_path / "shop.db"), "ko-KR")
    assert ko.timezone == "Asia/Seoul" and ko.tax_rate == 0.0 and ko.delivery_fee_cents == 3000


def test_korean_invocations() -> None:
    assert parse_invocation("보이스 샵 열어 줘", "보이스 샵").kind == "launch"  # type: ignore[union-attr]
    assert parse_invocation("보이스샵", "보이스 샵").kind == "launch"  # type: ignore[union-attr]
    one = parse_invocation("보이스 샵에서 우유 담아 줘", "보이스 샵")
    assert one is not None and one.kind == "oneshot" and one.rest == "우유 담아 줘"
    assert parse_invocation("우유 담아 줘", "보이스 샵") is None


def test_korean_order_end_to_end_by_text(tmp_path: Path, ko_nlu) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "shop.db"
    cloud = cloud_for(db, ko_nlu)
    assert "보이스 샵입니다" in cloud.hear("보이스 샵 열어 줘").speech
    found = cloud.hear("라면 찾아 줘").speech
    assert "라면 중에서는" in found and "원" in found and "$" not in found
    added = cloud.hear("첫 번째 거 두 봉지 담아 줘").speech  # 8,960원: too little to confirm first
    assert "2봉지를 담았어요" in added
    view = cloud.hear("장바구니에 뭐 있어").speech
    assert "합계는" in view and "원이에요" in view
    assert "언제 받으시겠어요" in cloud.hear("결제할게").speech
    read_back = cloud.hear("내일 오전에 배송해 줘").speech
    assert "내일 오전" in read_back and "원" in read_back and "주문할까요" in read_back
    assert "음성 코드" in cloud.hear("네").speech
    placed = cloud.hear("일이삼사").speech
    assert "주문이 완료됐어요" in placed
    # the order is in the ko-KR store, in won; the en-US store has none
    ko_db = sqlite_utils.Database(locale_path(db, "ko-KR"))
    (total,) = ko_db.execute("SELECT total_cents FROM orders").fetchone()
    (ramen,) = ko_db.execute("SELECT price_cents FROM products WHERE sku = 'KRMN-001'").fetchone()
    assert total == 2 * ramen + 3000
    if db.exists():
        assert sqlite_utils.Database(db).execute("SELECT count(*) FROM orders").fetchone()[0] == 0


def test_nothing_is_ordered_without_a_yes(tmp_path: Path, ko_nlu) -> None:  # type: ignore[no-untyped-def]
    cloud = cloud_for(tmp_path / "shop.db", ko_nlu)
    assert "할까요" in cloud.hear("보이스 샵에서 우유 담아 줘").speech
    assert "담았어요" in cloud.hear("응").speech
    cloud.hear("결제할게")
    cloud.hear("토요일 오후")
    assert "주문하지 않았어요" in cloud.hear("아니요").speech
    assert "음성 코드를 기다리는 주문이 없어요" in cloud.hear("일이삼사").speech


def test_korean_shop_answers_a_busy_store_and_a_too_long_request_in_korean(tmp_path: Path) -> None:
    import sqlite3

    config = SkillConfig(db_path=tmp_path / "shop.db", demo_accounts=True)
    invoke = create_invoker(config)
    first = Shopper(invoke, user_id="amzn1.ask.account.KO-FIRST", locale="ko-KR")
    first.launch()
    first.new_session()
    assert "어떤 상품을 찾으세요" in first.say("SearchProductIntent", product="우유 라면 " * 400)
    holder = sqlite3.connect(str(locale_path(config.db_path, "ko-KR")), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the ko-KR store
    try:
        busy = Shopper(invoke, user_id="amzn1.ask.account.KO-BUSY", locale="ko-KR").launch()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "잠시 후에 다시 말씀해 주세요" in busy


@pytest.mark.parametrize("answer", ["주문해 줘", "주문할게", "그걸로 해 줘", "그걸로 주문해 줘"])
def test_a_bare_order_it_at_the_read_back_is_the_yes(tmp_path: Path, ko_nlu, answer: str) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "shop.db"
    cloud = cloud_for(db, ko_nlu)
    cloud.hear("보이스 샵에서 두부 담아 줘")
    assert "담았어요" in cloud.hear("응").speech
    cloud.hear("결제할게")
    assert "주문할까요" in cloud.hear("내일 저녁").speech
    assert "음성 코드" in cloud.hear(answer).speech
    assert "주문이 완료됐어요" in cloud.hear("일이삼사").speech
    ko_db = sqlite_utils.Database(locale_path(db, "ko-KR"))
    assert ko_db.execute("SELECT count(*) FROM orders").fetchone()[0] == 1


def test_order_it_before_a_read_back_only_starts_the_checkout(tmp_path: Path, ko_nlu) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "shop.db"
    cloud = cloud_for(db, ko_nlu)
    cloud.hear("보이스 샵에서 두부 담아 줘")
    cloud.hear("응")
    cloud.hear("내일 저녁")  # the slot is chosen, nothing is read back yet
    read_back = cloud.hear("주문해 줘").speech
    assert "주문할까요" in read_back and "음성 코드" not in read_back
    assert "주문하지 않았어요" in cloud.hear("아니 아직이야").speech
    assert "기다리는 주문이 없어요" in cloud.hear("일이삼사").speech
    assert sqlite_utils.Database(locale_path(db, "ko-KR")).execute("SELECT count(*) FROM orders").fetchone()[0] == 0


def test_a_costly_add_is_confirmed_by_its_won_amount(tmp_path: Path, ko_nlu) -> None:  # type: ignore[no-untyped-def]
    assert config_for(SkillConfig(), "ko-KR").confirm_add_cents == 70000  # about the en-US $50, in won
    cloud = cloud_for(tmp_path / "shop.db", ko_nlu)
    cloud.hear("보이스 샵에서 라면 다섯 봉지 담아 줘")
    assert "5봉지를 담았어요" in cloud.hear("응").speech  # 22,400원 goes straight in
    cloud.hear("한우 세 개 담아 줘")
    assert "확인할게요" in cloud.hear("응").speech  # 98,700원 is checked first
    assert "3팩을 담았어요" in cloud.hear("응").speech


def _cart(db: Path) -> dict[str, int]:
    rows = sqlite_utils.Database(locale_path(db, "ko-KR")).execute(
        "SELECT p.brand || ' ' || p.name, c.quantity FROM cart_items c JOIN products p ON p.sku = c.sku"
    ).fetchall()
    return {name: quantity for name, quantity in rows}


def test_korean_choosing_by_order_word_and_brand(tmp_path: Path, ko_nlu) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "shop.db"
    cloud = cloud_for(db, ko_nlu)
    cloud.hear("보이스 샵 열어 줘")
    cloud.hear("라면 좀 찾아 줘")
    listed = cloud.hear("다른 거 있어?").speech
    assert "진라면" in listed and "삼양라면" in listed
    # the cheapest of those read: 삼양라면 3,780원
    assert "삼양라면" in cloud.hear("그중에 제일 싼 걸로").speech
    assert "담았어요" in cloud.hear("응 담아 줘").speech
    cloud.hear("우유 찾아 줘")
    cloud.hear("다른 것도 알려 줘")
    offered = cloud.hear("서울우유로 할게").speech
    assert "서울우유 저지방 우유" in offered
    assert _cart(db) == {"삼양 삼양라면": 1}


def test_korean_question_compare_undo_and_one_less(tmp_path: Path, ko_nlu) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "shop.db"
    cloud = cloud_for(db, ko_nlu)
    cloud.hear("보이스 샵 열어 줘")
    cloud.hear("바나나 찾아 줘")
    said = cloud.hear("곰곰 유기농 바나나 얼마야").speech
    assert "원" in said
    assert "유기농이에요" in cloud.hear("그거 유기농이야?").speech
    cheaper = cloud.hear("신라면이랑 진라면 중에 뭐가 더 싸?").speech
    assert cheaper.startswith("오뚜기 진라면") and "더 싸요" in cheaper
    cloud.hear("아니")
    cloud.hear("신라면 세 봉지 담아 줘")
    cloud.hear("응")
    assert _cart(db) == {"농심 신라면": 3}
    assert "이제 농심 신라면 2봉지" in cloud.hear("하나 빼 줘").speech
    assert _cart(db) == {"농심 신라면": 2}
    cloud.hear("되돌려 줘")
    assert _cart(db) == {"농심 신라면": 3}


def test_korean_sizes_and_descriptions_are_read() -> None:
    from skill.services.wants import read_wants, size_amount

    assert size_amount("2L 6병")[1] > size_amount("500ml 20병")[1] > size_amount("1.5L")[1]  # type: ignore[index]
    assert size_amount("10구") == ("count", 10.0)
    wants = read_wants("제일 저렴한 유기농")
    assert (wants.sort, wants.tags, wants.words) == ("cheapest", ["organic"], [])
    assert read_wants("5 개입").pack == (5, "개입")
    assert read_wants("세일 중인").on_sale


def test_a_korean_product_named_by_brand_and_name_is_the_one_added(tmp_path: Path, ko_nlu) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "shop.db"
    cloud = cloud_for(db, ko_nlu)
    cloud.hear("보이스샵 켜 줘")
    # the name said wins over the kind's top pick (농심 신라면)
    assert "오뚜기 진라면" in cloud.hear("오뚜기 진라면 하나 넣어줘").speech
    assert _cart(db) == {"오뚜기 진라면 매운맛": 1}
    cloud.hear("진라면 두 봉지 더 담아 줘")
    assert _cart(db) == {"오뚜기 진라면 매운맛": 3}
    assert "풀무원" in cloud.hear("풀무원 두부 한 모 주세요").speech


def test_a_brand_said_with_nothing_read_to_choose_from_is_looked_for(tmp_path: Path, ko_nlu) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "shop.db"
    cloud = cloud_for(db, ko_nlu)
    cloud.hear("보이스샵 열어")
    # nothing read yet: the brand is what to look for, not "search first"
    assert "서울우유" in cloud.hear("서울우유 걸로 줘").speech
    cloud.hear("아니요")
    cloud.hear("라면 보여 줘")
    cloud.hear("오뚜기 거로 할래")
    # a brand none of the ramen read is made by: looked for, not "none of those"
    said = cloud.hear("서울우유 담아 줘").speech
    assert "서울우유" in said and "없어요" not in said


def test_a_brand_that_names_a_kind_offers_that_kind_first(tmp_path: Path, ko_nlu) -> None:  # type: ignore[no-untyped-def]
    cloud = cloud_for(tmp_path / "shop.db", ko_nlu)
    cloud.hear("보이스 샵 열어 줘")
    # 서울우유 makes milk, butter and cheese; its name says milk, and its best-known milk comes first
    offer = cloud.hear("서울우유 거 넣어 줘").speech
    assert "서울우유 중에서는 서울우유 나100% 우유" in offer and "버터" not in offer
    rest = cloud.hear("다른 거 뭐 있어").speech
    assert rest.index("저지방 우유") < rest.index("버터")


def test_a_brand_alone_offers_what_it_is_most_bought_for_then_what_it_makes_most_of(tmp_path: Path, ko_nlu) -> None:  # type: ignore[no-untyped-def]
    from skill.services.catalog import CatalogService
    from skill.store.db import open_database

    db_path = tmp_path / "shop.db"
    cloud_for(db_path, ko_nlu).hear("보이스 샵 열어 줘")  # makes the Korean store
    catalog = CatalogService(open_database(locale_path(db_path, "ko-KR")))
    first = catalog.shop("풀무원", None).products
    assert first[0].generic == "tofu"  # three kinds of tofu, two of eggs, one of everything else
    record_purchase(catalog.db, "KEGG-005", 4)
    bought = catalog.shop("풀무원", None, user_id="someone else").products
    assert [p.sku for p in bought[:2]] == ["KEGG-005", "KEGG-001"]  # the eggs shoppers buy, then the other


def test_a_spoken_name_never_says_the_brand_twice() -> None:
    import json

    from skill.data.build_catalog_ko import CATALOG_PATH
    from skill.services.types import Product

    fields = Product.__dataclass_fields__
    products = [
        Product(**{k: v for k, v in row.items() if k in fields and k != "tags"})
        for row in json.loads(CATALOG_PATH.read_text(encoding="utf-8"))
    ]
    said = {p.sku: p.title for p in products}
    assert said["KWTR-001"] == "삼다수" and said["KSOJ-003"] == "진로 이즈 백"
    for p in products:
        words = p.title.split()
        brand = p.brand.split()
        if words[: len(brand)] == brand and len(words) > len(brand):
            after = words[len(brand)]
            assert not any(after != b and after in b for b in brand), p.title
