"""Several products in one Korean sentence: the joining particles (랑/이랑/하고/와/과) and commas cut a list,
a count said after an item stays with that item, and what is no list stays one request."""

from __future__ import annotations

import pytest

from speech.interaction_model import load_interaction_model, model_path_for
from speech.nlu.compiler import CompiledNLU, compile_model
from speech.nlu.korean import KOREAN_JOINER, analyser_for, korean_listing, korean_tokens
from speech.nlu.types import Resolution

MODEL_PATH = model_path_for("ko-KR")


@pytest.fixture(scope="module")
def nlu() -> CompiledNLU:
    return compile_model(MODEL_PATH, "ko-KR")


def _items(res: Resolution) -> list[tuple[str, str | None]]:
    product = res.slots.get("product")
    assert product is not None and product.values is not None, f"not a list: {res.to_json()}"
    return [(v.value, v.id) for v in product.values]


def test_the_add_intents_product_slot_takes_a_list() -> None:
    model = load_interaction_model(MODEL_PATH)
    add = model.intent("AddToCartIntent")
    assert add is not None and add.slot("product").multiple_values  # type: ignore[union-attr]
    for other in ("SearchProductIntent", "RemoveFromCartIntent", "UpdateQuantityIntent"):
        intent = model.intent(other)
        assert intent is not None and not intent.slot("product").multiple_values  # type: ignore[union-attr]


def test_joining_particles_are_kept_only_when_a_list_is_read() -> None:
    shop = analyser_for()
    said, words = korean_listing("두부와 김치, 계란 한 판이랑 라면 하나하고 생수", shop)
    assert [w for w, _, _ in words] == [
        "두부", KOREAN_JOINER, "김치", KOREAN_JOINER, "계란", "1", "판", KOREAN_JOINER, "라면", "1", KOREAN_JOINER, "생수",
    ]
    # each word keeps the characters it was read from
    assert [said[a:b] for w, a, b in words if w != KOREAN_JOINER] == ["두부", "김치", "계란", "한", "판", "라면", "하나", "생수"]
    # the words every other reading uses are the same less the joiners: the particles are dropped
    for text in ("두부와 김치 주세요", "계란 한 판이랑 우유 두 개 담아줘", "라면 하나하고 생수 넣어 줘"):
        listed = [w for w, _, _ in korean_listing(text, shop)[1]]
        assert KOREAN_JOINER in listed
        assert korean_tokens(text, shop) == [w for w in listed if w != KOREAN_JOINER]
    # a verb's -고 ("사고") is no joiner
    assert KOREAN_JOINER not in [w for w, _, _ in korean_listing("우유 하나 사고 싶어", shop)[1]]


@pytest.mark.parametrize(
    ("said", "items"),
    [
        ("우유랑 계란 담아 줘", [("우유", "milk"), ("계란", "eggs")]),
        ("우유랑계란담아줘", [("우유", "milk"), ("계란", "eggs")]),
        ("두부와 김치 주세요", [("두부", "tofu"), ("김치", "kimchi")]),
        ("햇반이랑 김이랑 참치캔 장바구니에 넣어 주세요", [("햇반", "instant_rice"), ("김", "laver"), ("참치캔", "tuna_can")]),
        ("생수, 휴지, 세제 좀 담아 줄래", [("생수", "water"), ("휴지", "toilet_paper"), ("세제", "laundry_detergent")]),
        ("우유 그리고 빵 사야 돼", [("우유", "milk"), ("빵", "bread")]),
    ],
)
def test_a_list_fills_the_product_slot_with_each_item(nlu: CompiledNLU, said: str, items: list[tuple[str, str]]) -> None:
    res = nlu.resolve(said)
    assert res.intent == "AddToCartIntent"
    assert _items(res) == items
    assert "quantity" not in res.slots


def test_each_count_stays_with_its_item_as_said(nlu: CompiledNLU) -> None:
    res = nlu.resolve("계란 한 판이랑 우유 두 개 담아줘")
    # the first item's count is the request's quantity, the others' are their own words, as said
    assert _items(res) == [("계란", "eggs"), ("우유 두 개", "milk")]
    assert res.slots["quantity"].value == "1" and res.slots["unit"].value == "판"
    res = nlu.resolve("라면 두 개하고 생수 한 병 넣어 줘")
    assert _items(res) == [("라면", "ramen"), ("생수 한 병", "water")]
    assert res.slots["quantity"].value == "2"
    res = nlu.resolve("우유랑 신라면 다섯 봉지랑 계란 한 판 주문해 줘")
    assert _items(res) == [("우유", "milk"), ("신라면 다섯 봉지", "ramen"), ("계란 한 판", "eggs")]
    assert "quantity" not in res.slots, "the later items' counts are not the first one's"


def test_a_count_after_the_whole_list_is_given_to_no_one_item(nlu: CompiledNLU) -> None:
    res = nlu.resolve("우유랑 계란 담아 줘 두 개씩")
    assert _items(res) == [("우유", "milk"), ("계란", "eggs")]
    assert "quantity" not in res.slots


def test_a_list_said_on_its_own_is_an_add(nlu: CompiledNLU) -> None:
    # "사과 세 개" alone also reads as a change of count, which has no place for the second item
    res = nlu.resolve("사과 세 개랑 배 두 개")
    assert res.intent == "AddToCartIntent"
    assert _items(res) == [("사과", "apple"), ("배 두 개", "pear")]
    assert res.slots["quantity"].value == "3"


def test_an_item_the_model_does_not_know_is_kept_for_the_skill_to_say(nlu: CompiledNLU) -> None:
    res = nlu.resolve("우유랑 망고스틴 담아 줘")
    assert _items(res) == [("우유", "milk"), ("망고스틴", None)]


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("우유 하나 사고 싶어", None),  # 사고: a verb, not 하고
        ("우유 주문하고 계란도 사 줘", None),  # 주문하고, read 주문 + 하고: a joiner after no item
        ("신라면이랑 진라면 중에 뭐가 더 싸", "CompareProductsIntent"),
        ("참기름이랑 간장 중에 참기름 담아 줘", "AddToCartIntent"),  # a choice among two, one product
        ("두부하고 김치 중에 뭐가 더 싸", "CompareProductsIntent"),
    ],
)
def test_what_is_no_list_stays_one_request(nlu: CompiledNLU, said: str, intent: str | None) -> None:
    res = nlu.resolve(said)
    if intent is not None:
        assert res.intent == intent
    for slot in res.slots.values():
        assert slot.values is None, f"{said!r} read as a list: {res.to_json()}"


def test_the_list_is_said_back_in_korean(nlu: CompiledNLU) -> None:
    line = nlu.resolve("라면 두 개하고 생수 한 병 넣어 줘").to_json()["slots"]["product"]
    assert line["values"] == [{"value": "라면", "id": "ramen"}, {"value": "생수 한 병", "id": "water"}]
    assert line["value"] == f"라면 {KOREAN_JOINER} 생수 한 병"
