"""Korean shop fixes found by the Korean holdout conversations (tests/conversations-ko-holdout), each tested
here by text through the ko-KR NLU and the in-process skill."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.app import create_invoker
from skill.config import SkillConfig
from skill.handlers.steps.adding import prefer_unit
from skill.prompts import Prompts
from skill.services.types import Product
from speech.cloud import VoiceCloud
from speech.interaction_model import load_interaction_model, model_path_for
from speech.nlu.compiler import CompiledNLU, compile_model

MODEL_PATH = model_path_for("ko-KR")


@pytest.fixture(scope="module")
def ko_nlu() -> CompiledNLU:
    return compile_model(MODEL_PATH, "ko-KR")


@pytest.fixture
def cloud(tmp_path: Path, ko_nlu: CompiledNLU) -> VoiceCloud:
    invoke = create_invoker(SkillConfig(db_path=tmp_path / "shop.db", demo_accounts=True))
    shop = VoiceCloud(ko_nlu, invoke, load_interaction_model(MODEL_PATH), locale="ko-KR")
    shop.hear("보이스 샵 열어 줘")
    return shop


def _product(sku: str, size: str, unit: str) -> Product:
    return Product(sku, "풀무원", sku, "tofu", size, unit, 1000, None, "두부", 5)


def test_the_general_counter_prefers_no_product() -> None:
    loose, pack = _product("KTOF-003", "350g", "봉지"), _product("KTOF-004", "250g 2개입", "묶음")
    assert prefer_unit([loose, pack], "개") == [loose, pack]
    assert prefer_unit([loose, pack], "묶음") == [pack]


def test_a_product_named_with_a_count_in_개_is_the_one_added(cloud: VoiceCloud) -> None:
    added = cloud.hear("풀무원 순두부 3개 담아 주세요").speech
    assert "순두부 3" in added and "연두부" not in added and "담았어요" in added


@pytest.mark.parametrize(
    ("said", "wanted"),
    [("냉동 만두 뭐 있어요", "냉동 만두는 없어요"), ("유기농 라면 있어", "유기농 라면은 없어요")],
)
def test_an_unmet_want_is_said_in_korean(cloud: VoiceCloud, said: str, wanted: str) -> None:
    answer = cloud.hear(said).speech
    assert wanted in answer and "가장 비슷한 건" in answer
    assert not any(w in answer for w in ("dumplings", "ramen", "organic"))


def test_a_form_word_is_met_by_the_counter_in_a_korean_size(cloud: VoiceCloud) -> None:
    answer = cloud.hear("코카콜라 제로 캔으로 하나 넣어 줘").speech  # 355ml 6캔
    assert "코카콜라 제로 1묶음을 담았어요" in answer and "없어요" not in answer


def test_the_card_is_named_after_카드는(cloud: VoiceCloud) -> None:
    cloud.hear("삼다수 작은 병 하나 담아 줘")
    assert "마스터" in cloud.hear("카드는 마스터로").speech
    cloud.hear("결제할게요")
    assert "마스터" in cloud.hear("내일 오전").speech  # the read-back names the card chosen


def test_some_taken_off_by_their_counter(cloud: VoiceCloud) -> None:
    assert "3박스" in cloud.hear("오리온 초코파이 세 상자 넣어 줘").speech
    assert "이제 오리온 초코파이 1박스" in cloud.hear("두 상자는 빼 주세요").speech  # two taken off, not set to two
    assert "뺐어요" in cloud.hear("한 박스 더 빼 줘").speech  # none left: the line goes


def test_a_count_in_개_put_in_with_넣어_adds(cloud: VoiceCloud) -> None:
    assert "진라면 매운맛 2봉지를 담았어요" in cloud.hear("진라면 두 개 넣어 줄래").speech


def test_fillers_before_a_stop_are_passed_over(cloud: VoiceCloud) -> None:
    assert "안녕히" in cloud.hear("잠깐만 이제 그만할게요").speech


@pytest.mark.parametrize(("said", "position"), [("맨 처음 걸로 할게", "1"), ("맨 끝에 있는 거 줘", "last")])
def test_맨_처음_and_맨_끝_say_a_position(ko_nlu: CompiledNLU, said: str, position: str) -> None:
    res = ko_nlu.resolve(said)
    assert res.intent in ("SelectItemIntent", "AddToCartIntent") and res.slots["position"].value == position


def test_a_particle_after_latin_letters_follows_their_korean_reading() -> None:
    p = Prompts({"k": "{a}을/를 {a}으로/로"}, "ko-KR")
    assert p.say("k", a="신라면 큰사발, 114g") == "신라면 큰사발, 114g을 신라면 큰사발, 114g으로"  # 그램
    assert p.say("k", a="코카콜라, 1.5L") == "코카콜라, 1.5L를 코카콜라, 1.5L로"  # 리터
    assert p.say("k", a="맛있는 우유 GT") == "맛있는 우유 GT를 맛있는 우유 GT로"  # 지티
    assert p.say("k", a="팬티 XL") == "팬티 XL을 팬티 XL로"  # 엑스엘: ㄹ takes 로
    assert p.say("k", a="앨범 M") == "앨범 M을 앨범 M으로"  # 엠


@pytest.mark.parametrize("said", ["제일 많이 들은 걸로", "양 많은 거로 줘"])
def test_the_most_in_the_pack_is_the_biggest(cloud: VoiceCloud, said: str) -> None:
    cloud.hear("햇반 좀 보여 줘")
    answer = cloud.hear(said).speech
    assert "담을까요" in answer and "없어요" not in answer
    assert "작은공기" not in answer and ("백미밥" in answer or "오뚜기밥" in answer)  # the 210g x12 packs
