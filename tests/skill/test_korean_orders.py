"""The ko-KR shop after an order, by text: the last order, its number, one item or the usual again, the
delivery fee and free times, thanks and a forgotten voice code, and a long cart read in pages, all in
Korean, in won and with Korean dates."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlite_utils

from skill.app import create_invoker
from skill.clock import FixedClock
from skill.config import SkillConfig
from skill.prompts import prompts_for
from skill.store.db import locale_path
from speech.cloud import Turn, VoiceCloud
from speech.interaction_model import load_interaction_model, model_path_for
from speech.nlu.compiler import compile_model

MODEL_PATH = model_path_for("ko-KR")
NOW = datetime(2026, 12, 8, 1, 0, tzinfo=UTC)
"""Tuesday 8 December 2026, 10 AM in Seoul: today's morning window is under way."""


@pytest.fixture(scope="module")
def ko_nlu():  # type: ignore[no-untyped-def]
    return compile_model(MODEL_PATH, "ko-KR")


def cloud_for(db_path: Path, nlu) -> VoiceCloud:  # type: ignore[no-untyped-def]
    clock = FixedClock(NOW)
    invoke = create_invoker(SkillConfig(db_path=db_path, demo_accounts=True), clock=clock)
    return VoiceCloud(nlu, invoke, load_interaction_model(MODEL_PATH), locale="ko-KR", clock=clock)


def ko_db(db_path: Path) -> sqlite_utils.Database:
    return sqlite_utils.Database(locale_path(db_path, "ko-KR"))


def order(cloud: VoiceCloud, *adds: str) -> None:
    """Adds each product (its search's top pick, taken with a yes) and orders them for tomorrow morning."""
    for add in adds:
        cloud.hear(f"{add} 담아 줘")
        assert "담았어요" in cloud.hear("응").speech
    cloud.hear("결제할게")
    assert "주문할까요" in cloud.hear("내일 오전").speech
    cloud.hear("네")
    assert "주문이 완료됐어요" in cloud.hear("일이삼사").speech


def intent_of(turn: Turn) -> str | None:
    """The intent the turn's request carried to the skill."""
    return ((turn.request or {}).get("request") or {}).get("intent", {}).get("name")


def cart(db_path: Path) -> list[tuple[str, int]]:
    return [(sku, qty) for sku, qty in ko_db(db_path).execute("SELECT sku, quantity FROM cart_items ORDER BY sku")]


def test_the_last_order_is_read_in_won_with_its_items(tmp_path: Path, ko_nlu) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "shop.db"
    cloud = cloud_for(db, ko_nlu)
    cloud.hear("보이스 샵 열어 줘")
    assert "아직 주문이 없어요" in cloud.hear("지난번에 뭐 샀었지").speech
    order(cloud, "라면")
    (total,) = ko_db(db).execute("SELECT total_cents FROM orders").fetchone()
    said = cloud.hear("저번 주문 얼마였더라").speech
    assert f"지난 주문은 {total:,}원이었어요" in said and "신라면 1봉지" in said and "$" not in said


def test_the_order_number_is_read_digit_by_digit_only_when_asked(tmp_path: Path, ko_nlu) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "shop.db"
    cloud = cloud_for(db, ko_nlu)
    cloud.hear("보이스 샵 열어 줘")
    order(cloud, "두부")
    (number,) = ko_db(db).execute("SELECT order_id FROM orders").fetchone()
    turn = cloud.hear("주문번호 다시 알려 줄래요")
    assert intent_of(turn) == "OrderNumberIntent"
    ssml = (turn.response or {})["response"]["outputSpeech"]["ssml"]
    assert f'<say-as interpret-as="digits">{number}</say-as>번이에요' in ssml


def test_one_item_again_adds_only_that_line_in_the_quantity_bought(tmp_path: Path, ko_nlu) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "shop.db"
    cloud = _in_cart(db, ko_nlu, "라면 두 봉지")
    order(cloud, "두부")
    said = cloud.hear("지난번에 산 신라면만 다시 담아 줄래").speech
    assert "신라면 2봉지" in said and "담았어요" in said
    assert cart(db) == [("KRMN-001", 2)]
    assert "최근 주문에 우유는 없어요" in cloud.hear("우유만 다시 주문해 줘").speech
    assert cart(db) == [("KRMN-001", 2)]


def test_the_usual_is_what_most_recent_orders_hold(tmp_path: Path, ko_nlu) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "shop.db"
    cloud = cloud_for(db, ko_nlu)
    cloud.hear("보이스 샵 열어 줘")
    assert "다시 살 게 없어요" in cloud.hear("늘 사던 거 넣어 줘").speech
    order(cloud, "라면", "두부")
    order(cloud, "라면")
    order(cloud, "라면", "우유")
    said = cloud.hear("평소에 사던 걸로 담아 주세요").speech
    assert said.startswith("늘 사시던 걸로") and "신라면 1봉지" in said and "두부" not in said
    assert cart(db) == [("KRMN-001", 1)]


def test_the_delivery_fee_and_how_far_the_cart_is_from_free(tmp_path: Path, ko_nlu) -> None:  # type: ignore[no-untyped-def]
    cloud = cloud_for(tmp_path / "shop.db", ko_nlu)
    cloud.hear("보이스 샵 열어 줘")
    assert cloud.hear("배달비 따로 받아요").speech == "배송비는 3,000원이고, 40,000원 이상 주문하면 무료예요."
    cloud.hear("라면 담아 줘")
    cloud.hear("응")  # 4,480원
    said = cloud.hear("얼마 이상이면 무료 배송이에요").speech
    assert said == "배송비는 3,000원이고 40,000원부터 무료예요. 35,520원 더 담으면 무료가 돼요."
    cloud.hear("한우 두 팩 담아 줘")
    assert "담았어요" in cloud.hear("응").speech  # 65,800원: more than free delivery needs
    assert "배송비가 무료예요" in cloud.hear("택배비 내야 돼요").speech


def _in_cart(db: Path, ko_nlu, product: str):  # type: ignore[no-untyped-def]
    """A Korean session with `product` ("라면 두 봉지") asked for and its top pick taken."""
    cloud = cloud_for(db, ko_nlu)
    cloud.hear("보이스 샵 열어 줘")
    cloud.hear(f"{product} 담아 줘")
    cloud.hear("응")
    return cloud


def _checking_out(db: Path, ko_nlu, product: str):  # type: ignore[no-untyped-def]
    """A Korean session with `product` in the cart and checkout asking when to deliver."""
    cloud = _in_cart(db, ko_nlu, product)
    cloud.hear("결제할게")
    return cloud


def _particle_fits(word: str, ending: str) -> bool:
    """'오전이에요', '오후예요': 이에요 after a final consonant, 예요 after a vowel."""
    final = (ord(word[-1]) - 0xAC00) % 28
    return ending == ("이에요" if final else "예요")


def test_free_delivery_times_are_said_the_korean_way_and_one_is_booked(tmp_path: Path, ko_nlu) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "shop.db"
    cloud = cloud_for(db, ko_nlu)
    cloud.hear("보이스 샵 열어 줘")
    said = cloud.hear("언제 배달 가능해요").speech
    found = re.search(r"가장 빠른 배송은 (\S+ \S+), 아니면 (\S+ (\S+?))(이에요|예요)\.", said)
    assert found is not None, said
    assert found.group(1).split()[0] in ("오늘", "내일") and _particle_fits(found.group(3), found.group(4))
    assert "내일 저녁에 배송할게요" in cloud.hear("내일 저녁으로 해 줘").speech
    cloud.hear("라면 담아 줘")
    cloud.hear("응")
    assert "내일 저녁에 배송해요" in cloud.hear("결제할게").speech


def test_the_earliest_time_asked_for_at_checkout_is_offered_and_a_yes_takes_it(tmp_path: Path, ko_nlu) -> None:  # type: ignore[no-untyped-def]
    cloud = _checking_out(tmp_path / "shop.db", ko_nlu, "라면")
    said = cloud.hear("제일 빨리 받을 수 있는 때로").speech
    found = re.search(r"그다음은 .+\. (\S+ \S+?)(으로|로) 할까요\?", said)
    assert found is not None, said
    assert f"{found.group(1)}에 배송해요" in cloud.hear("응 그렇게 해").speech


def test_korean_slot_prompts_take_the_particle_of_the_window() -> None:
    p = prompts_for("ko-KR")
    assert p.say("delivery_full", slot="토요일 오후") == "죄송해요, 토요일 오후는 예약이 다 찼어요."
    assert p.say("delivery_past", slot="오늘 오전").startswith("죄송해요, 오늘 오전은")
    offer = p.say("delivery_offer_two", problem="", first="내일 오전", second="내일 오후")
    assert offer.endswith("내일 오전, 또는 내일 오후예요. 내일 오전으로 할까요?")
    assert p.say("delivery_offer_reprompt", first="내일 오후").startswith("내일 오후로 할까요?")
    assert p.say("delivery_times_two", first="오늘 저녁", second="내일 오전").startswith(
        "가장 빠른 배송은 오늘 저녁, 아니면 내일 오전이에요."
    )


def test_thanks_at_the_read_back_asks_again_and_orders_nothing(tmp_path: Path, ko_nlu) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "shop.db"
    cloud = cloud_for(db, ko_nlu)
    cloud.hear("보이스 샵 열어 줘")
    assert cloud.hear("감사해요").speech.startswith("천만에요!")
    cloud.hear("라면 담아 줘")
    cloud.hear("응")
    cloud.hear("결제할게")
    cloud.hear("모레 오후")
    thanks = cloud.hear("고마워요")
    assert intent_of(thanks) == "ThanksIntent" and "천만에요" in thanks.speech and "주문할까요" in thanks.speech
    assert ko_db(db).execute("SELECT count(*) FROM orders").fetchone()[0] == 0
    assert "음성 코드" in cloud.hear("네 감사합니다").speech  # a yes said with thanks is the yes


def test_a_forgotten_voice_code_is_explained_and_the_order_still_waits(tmp_path: Path, ko_nlu) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "shop.db"
    cloud = _checking_out(db, ko_nlu, "두부")
    cloud.hear("내일 오전")
    cloud.hear("네")
    forgot = cloud.hear("음성 코드가 기억이 안 나요")
    assert intent_of(forgot) == "ForgotVoiceCodeIntent" and "알렉사 앱" in forgot.speech
    assert ko_db(db).execute("SELECT count(*) FROM orders").fetchone()[0] == 0
    assert "주문이 완료됐어요" in cloud.hear("하나 둘 셋 넷").speech


def test_a_long_cart_is_read_three_lines_at_a_time(tmp_path: Path, ko_nlu) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "shop.db"
    cloud = cloud_for(db, ko_nlu)
    cloud.hear("보이스 샵 열어 줘")
    for product in ("라면", "두부", "우유", "바나나", "생수"):
        cloud.hear(f"{product} 담아 줘")
        cloud.hear("응")
    first = cloud.hear("장바구니에 뭐 들어 있어").speech
    assert "상품 5개" in first and "그리고 2개 더 있어요" in first and first.endswith("나머지도 들려드릴까요?")
    assert len(re.findall(r"[0-9,]+원", first)) == 1  # the total only, no price per line
    rest = cloud.hear("응 좋아").speech
    assert "바나나" in rest and "신라면" not in rest and "이게 전부예요" in rest
    cloud.hear("장바구니 보여 줘")
    declined = cloud.hear("아니 됐어요").speech
    assert "바나나" not in declined and "결제할까요" in declined


def _ordered_slot(db_path: Path) -> str:
    (slot,) = ko_db(db_path).execute("SELECT slot_id FROM orders").fetchone()
    return str(slot)


def test_a_clock_time_books_the_window_that_holds_it(tmp_path: Path, ko_nlu) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "shop.db"
    cloud = _checking_out(db, ko_nlu, "두부")
    evening = cloud.hear("내일 저녁 여섯 시쯤 갖다 줄래")
    assert intent_of(evening) == "ScheduleDeliveryIntent" and "내일 저녁에 배송해요" in evening.speech
    changed = cloud.hear("아니다 모레 오후 두 시로 할게")
    assert "12월 10일 목요일 오후에 배송할게요" in changed.speech and "주문할까요" in changed.speech
    cloud.hear("네")
    assert "주문이 완료됐어요" in cloud.hear("일이삼사").speech
    assert _ordered_slot(db) == "2026-12-10-afternoon"


@pytest.mark.parametrize(
    ("said", "window"),
    [("세 시에 갖다 줘", "afternoon"), ("다섯 시쯤 받을게요", "evening"), ("아침 아홉 시에 와 주세요", "morning")],
)
def test_an_hour_said_alone_is_the_window_people_mean(tmp_path: Path, ko_nlu, said: str, window: str) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "shop.db"
    cloud = _checking_out(db, ko_nlu, "라면")
    cloud.hear(said)
    cloud.hear("네")
    cloud.hear("일이삼사")
    assert _ordered_slot(db).endswith(f"-{window}")


def test_seven_oclock_alone_is_the_evening_and_eight_asks_which(tmp_path: Path, ko_nlu) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "shop.db"
    cloud = _checking_out(db, ko_nlu, "두부")
    seven = cloud.hear("일곱시쯤 배송 부탁해요")
    assert intent_of(seven) == "ScheduleDeliveryIntent" and "저녁에 배송해요" in seven.speech
    which = cloud.hear("금요일 여덟 시로 바꿀래")
    assert which.speech.startswith("아침 여덟 시요, 저녁 여덟 시요?")
    assert "12월 11일 금요일 오전에 배송할게요" in cloud.hear("아침이요").speech  # the day said is kept
    cloud.hear("네")
    assert "주문이 완료됐어요" in cloud.hear("일이삼사").speech
    assert _ordered_slot(db) == "2026-12-11-morning"


def test_leave_it_is_a_no_and_taking_back_a_removal_puts_it_back(tmp_path: Path, ko_nlu) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "shop.db"
    cloud = cloud_for(db, ko_nlu)
    cloud.hear("보이스 샵 열어 줘")
    offer = cloud.hear("라면 담아 줘")
    assert "할까요" in offer.speech
    declined = cloud.hear("아냐 그냥 놔 둬")
    assert intent_of(declined) == "AMAZON.NoIntent" and cart(db) == []
    cloud.hear("두부 담아 줘")
    cloud.hear("응")
    cloud.hear("두부 빼 줘")
    assert cart(db) == []
    undone = cloud.hear("방금 뺀 두부 도로 넣어 줄래요")
    assert intent_of(undone) == "UndoIntent" and len(cart(db)) == 1
    read = cloud.hear("장바구니에 지금 뭐 담겼어")
    assert intent_of(read) == "ViewCartIntent" and "두부" in read.speech


def test_saying_empty_it_again_at_the_question_empties_the_cart(tmp_path: Path, ko_nlu) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "shop.db"
    cloud = _in_cart(db, ko_nlu, "라면")
    assert "뺄까요" in cloud.hear("장바구니 싹 비워 줄래").speech
    assert cart(db) != []
    assert "비웠어요" in cloud.hear("어 전부 다 지워 줘").speech
    assert cart(db) == []
