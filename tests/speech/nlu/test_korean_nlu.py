"""The ko-KR NLU: Korean words from Kiwi, both number systems, the sentence set's accuracy, bad input."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from speech.interaction_model import load_interaction_model, model_path_for
from speech.nlu.compiler import CompiledNLU, UnsupportedLocaleError, compile_model
from speech.nlu.evaluate import evaluate, load_sentence_dir, load_sentence_file, sentence_files, slot_matches
from speech.nlu.korean import (
    Analyser,
    analyser_for,
    find_korean_spans,
    korean_tokens,
    native_number,
    sino_number,
)
from tests.support.korean_samples import is_sample, sample_patterns

DATA = Path(__file__).resolve().parent / "ko-KR"
MODEL_PATH = model_path_for("ko-KR")
MODEL = load_interaction_model(MODEL_PATH)
REFERENCE_TIME = datetime(2026, 11, 27, 21, 0)  # a Friday, as for the en-US sentences
SENTENCES = load_sentence_dir(DATA)


@pytest.fixture(scope="module")
def nlu() -> CompiledNLU:
    return compile_model(MODEL_PATH, "ko-KR")


@pytest.fixture(scope="module")
def shop() -> Analyser:
    """The analyser taught the shop's nouns and no model's words."""
    return analyser_for()


def test_korean_tokens_drop_particles_endings_and_politeness(shop: Analyser) -> None:
    assert korean_tokens("우유를 두 개 장바구니에 담아 주세요", shop) == ["우유", "2", "개", "장바구니", "담다"]
    # casual, polite, spaced and unspaced say the same words
    forms = ["장바구니에 담아 줘", "장바구니에 담아줘", "장바구니에담아줘", "장바구니 에 담아 주세요", "장바구니에 담아요"]
    assert {tuple(korean_tokens(f, shop)) for f in forms} == {("장바구니", "담다")}
    assert korean_tokens("결제해 줘", shop) == korean_tokens("결제할게요", shop) == ["결제"]
    # the analyser keeps some unspaced verb + 주다 as one word ("보여주다"): read as the spaced form
    assert korean_tokens("다른 거 보여줘", shop) == korean_tokens("다른 거 보여 줘", shop) == ["다른", "거", "보이다"]
    assert korean_tokens("도와줘", shop) == korean_tokens("도와 줘", shop) == ["돕다"]


def test_korean_numbers_in_both_systems(nlu: CompiledNLU) -> None:
    read = nlu.reader.tokens  # the model teaches its analyser its names (진라면)
    assert native_number("열두") == 12 and native_number("스물다섯") == 25 and native_number("셋") == 3
    assert sino_number("이천구백") == 2900 and sino_number("만이천") == 12000 and sino_number("십이") == 12
    assert sino_number("일이") is None  # two digits in a row are a code
    assert read("라면 세 봉지") == ["라면", "3", "봉지"]
    assert read("진라면 네 봉지") == ["진라면", "4", "봉지"]  # '네' before a counter is four, not yes
    assert read("일이삼사") == read("하나 둘 셋 넷") == read("1234")[:0] + ["1", "2", "3", "4"]
    assert read("사 삼 이 일") == ["4", "3", "2", "1"]
    assert read("사이다 두 병") == ["사이다", "2", "병"]  # a word that starts with digit syllables
    assert read("12,900원") == ["12900", "원"]


def test_korean_spans_read_ordinals_codes_and_dates(shop: Analyser) -> None:
    today = date(2026, 11, 27)  # Friday

    def spans(text: str) -> dict[str, str]:
        """Each kind's longest span."""
        found = sorted(find_korean_spans(korean_tokens(text, shop), today), key=lambda s: s.end - s.start)
        return {s.kind: s.value for s in found}

    assert spans("두번째 거")["ORD"] == "2" and spans("두 번째 거")["ORD"] == "2"
    assert spans("첫 번째")["ORD"] == "1" and spans("마지막 거")["ORD"] == "last"
    assert spans("일이삼사")["DIGITS"] == "1234"
    assert spans("내일 오전")["DATE"] == "2026-11-28"
    assert spans("모레")["DATE"] == "2026-11-29"
    assert spans("토요일 오후")["DATE"] == "2026-11-28"
    assert spans("금요일")["DATE"] == "2026-12-04"  # said on a Friday: the coming one
    assert spans("다음 주 화요일")["DATE"] == "2026-12-01"
    assert spans("십이월 오일")["DATE"] == "2026-12-05"
    assert spans("삼월 오일")["DATE"] == "2027-03-05"
    assert spans("오후 세 시 반")["TIME"] == "15:30"


def test_korean_model_resolves_a_shopping_turn(nlu: CompiledNLU) -> None:
    r = nlu.resolve("신라면 세 봉지 장바구니에 넣어줘", reference_time=REFERENCE_TIME)
    assert r.intent == "AddToCartIntent"
    assert r.slots["product"].id == "ramen" and r.slots["quantity"].value == "3" and r.slots["unit"].id == "봉지"
    r = nlu.resolve("내일 오전에 배송해 주세요", reference_time=REFERENCE_TIME)
    assert r.intent == "ScheduleDeliveryIntent"
    assert r.slots["date"].value == "2026-11-28" and r.slots["timeSlot"].id == "morning"
    assert nlu.resolve("하나 둘 셋 넷").slots["voiceCode"].value == "1234"


# The same floors as en-US (test_sentences.py): 95% intent, 90% slots, 90% out-of-domain.
def test_korean_sentences_meet_the_accuracy_floors(nlu: CompiledNLU) -> None:
    report = evaluate(nlu, SENTENCES, reference_time=REFERENCE_TIME)
    assert report.intent_total >= 300
    assert report.ood_total >= 50
    assert report.intent_accuracy >= 0.95, report.failures
    assert report.slot_accuracy >= 0.90, report.failures
    assert report.ood_rejection >= 0.90, report.failures


@pytest.mark.parametrize("path", sentence_files(DATA), ids=lambda p: p.stem)
def test_korean_sentence_file_mostly_resolves(nlu: CompiledNLU, path: Path) -> None:
    sentences = load_sentence_file(path)
    right = sum(
        1
        for s in sentences
        if (r := nlu.resolve(s.text, reference_time=REFERENCE_TIME)).intent == s.intent
        and all(slot_matches(r, n, spec) for n, spec in s.slots.items())
    )
    assert right / len(sentences) >= 0.75, f"{path.name}: {right}/{len(sentences)}"


def test_korean_sentences_cover_every_intent() -> None:
    have = {s.intent for s in SENTENCES}
    assert {i.name for i in MODEL.intents} <= have


def test_korean_sentences_are_not_model_samples() -> None:
    """No test sentence is a sample with values filled in (spacing aside): they test generalisation."""
    patterns = sample_patterns(MODEL)
    for s in SENTENCES:
        assert not is_sample(s.text, patterns), f"'{s.text}' is a sample"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("우유 two 개 담아 줘", "AddToCartIntent"),  # mixed Korean and English
        ("牛乳 주세요", "AMAZON.FallbackIntent"),  # Hanja: a word the model does not know
        ("ㅇㅇ", "AMAZON.YesIntent"),  # chat shorthand for yes
        ("ㄴㄴ", "AMAZON.NoIntent"),
        ("ㅋㅋㅋ", "AMAZON.FallbackIntent"),  # other bare consonants: nothing to understand
        ("👍", "AMAZON.FallbackIntent"),
        ("우유 👍 담아 줘", "AddToCartIntent"),  # emoji dropped
        ("ＵＳＢ 우유 담아줘", "AddToCartIntent"),  # full-width letters folded
        ("", "AMAZON.FallbackIntent"),
        ("豆腐 찾아 줘", "SearchProductIntent"),  # Hanja in a sentence: searched for as said, found or not
        ("ㅎㅎㅎ", "AMAZON.FallbackIntent"),  # a laugh in bare consonants
        ("ㄹㅏㅁㅕㄴ", "AMAZON.FallbackIntent"),  # a word typed letter by letter is not read
        ("🍜🍜🍜", "AMAZON.FallbackIntent"),
        ("\ue000\u200b\x00", "AMAZON.FallbackIntent"),  # private-use, zero-width and control characters only
        ("???!!!", "AMAZON.FallbackIntent"),
    ],
)
def test_korean_bad_input_has_a_clear_outcome(nlu: CompiledNLU, text: str, intent: str) -> None:
    assert nlu.resolve(text).intent == intent


def test_korean_mixed_english_number_counts(nlu: CompiledNLU) -> None:
    assert nlu.resolve("우유 two 개 담아 줘").slots["quantity"].value == "2"
    three = nlu.resolve("라면 three 봉지 넣어 줘")
    assert three.slots["quantity"].value == "3" and three.slots["product"].id == "ramen"


@pytest.mark.parametrize(
    "text",
    [
        "우유\u200b두 개 담아 줘",  # a zero-width space between words
        "\x00우유 두 개 담아 줘",
        "🥛 우유 🥛 두 개 담아 줘",
        "우유 ２개 담아줘",  # a full-width digit
    ],
)
def test_korean_stray_characters_leave_the_sentence_as_said(nlu: CompiledNLU, text: str) -> None:
    r = nlu.resolve(text)
    assert r.intent == "AddToCartIntent"
    assert (r.slots["product"].value, r.slots["product"].id, r.slots["quantity"].value) == ("우유", "milk", "2")


def test_korean_decomposed_hangul_reads_as_composed(nlu: CompiledNLU) -> None:
    import unicodedata

    said = "우유 두 개 장바구니에 담아 줘"
    a, b = nlu.resolve(said), nlu.resolve(unicodedata.normalize("NFD", said))  # as some keyboards send it
    assert (a.intent, {k: v.value for k, v in a.slots.items()}) == (b.intent, {k: v.value for k, v in b.slots.items()})


def test_korean_long_input_is_bounded(nlu: CompiledNLU) -> None:
    r = nlu.resolve("우유 담아 줘 " * 2000)  # judged on its start, like an English ramble
    assert r.intent in {"AddToCartIntent", "AMAZON.FallbackIntent"}


def test_unknown_locale_is_refused() -> None:
    with pytest.raises(UnsupportedLocaleError, match="ja-JP"):
        compile_model(MODEL_PATH, "ja-JP")


def test_a_slot_value_is_the_words_said_with_its_id(nlu: CompiledNLU) -> None:
    cheap = nlu.resolve("싼 라면을 찾아 줘")
    assert (cheap.slots["product"].value, cheap.slots["product"].id) == ("싼 라면", "ramen")
    pick = nlu.resolve("제일 싼걸로 할게요")
    assert pick.intent == "ChooseProductIntent"
    assert (pick.slots["feature"].value, pick.slots["feature"].id) == ("제일 싼", "cheapest")
    small = nlu.resolve("작은 거로 할래")
    assert (small.slots["feature"].value, small.slots["feature"].id) == ("작은", "smallest")
    # built-in values stay normalised
    assert nlu.resolve("신라면 세 봉지 담아 줘").slots["quantity"].value == "3"


def test_korean_surface_gives_the_characters_said(shop: Analyser) -> None:
    from speech.nlu.korean import korean_surface

    assert korean_surface("음 싼 라면을 찾아 줘", "싸다 라면", shop) == "싼 라면"
    assert korean_surface("작은걸로 주세요", "작다", shop) == "작은"
    assert korean_surface("라면 찾아 줘", "우유", shop) is None


def test_the_analyser_is_not_taught_describing_and_number_words() -> None:
    taught = analyser_for(["저렴한", "부드러운", "여섯", "열두", "고소한맛"])
    assert not {"저렴한", "부드러운", "여섯", "열두"} & taught.words
    assert "고소한맛" in taught.words  # a name that ends in a noun is taught
    assert korean_tokens("저렴한 거", taught)[0] in ("저렴", "저렴하다")  # an adjective, as in context
    assert korean_tokens("다섯 여섯 일곱 여덟이요", taught) == ["5", "6", "7", "8"]


def test_what_one_model_teaches_never_changes_how_another_reads(shop: Analyser, tmp_path: Path) -> None:
    taught = analyser_for(["백산수", "삼다수"])
    assert korean_tokens("백산수 두 병 주세요", taught)[0] == "백산수"
    assert korean_tokens("백산수 두 병 주세요", shop)[0] != "백산수"  # untaught: '백' + '산수'
    assert analyser_for(["삼다수", "백산수", "저렴한"]) is taught  # one set of words, one analyser
    # two compiled models, in either order: each reads with the words of its own
    small = tmp_path / "small.json"
    small.write_text(json.dumps({"interactionModel": {"languageModel": {
        "invocationName": "작은 가게",
        "intents": [{"name": "FindIntent", "slots": [{"name": "item", "type": "ITEM"}],
                     "samples": ["{item} 찾아 줘", "{item} 있어"]}],
        "types": [{"name": "ITEM", "values": [{"id": "water", "name": {"value": "생수", "synonyms": ["물"]}}]}],
    }}}, ensure_ascii=False), encoding="utf-8")
    shop_nlu = compile_model(MODEL_PATH, "ko-KR")
    small_nlu = compile_model(small, "ko-KR")
    assert shop_nlu.reader.tokens("백산수 찾아 줘")[0] == "백산수"
    assert small_nlu.reader.tokens("백산수 찾아 줘")[0] != "백산수"
    assert compile_model(MODEL_PATH, "ko-KR").reader.tokens("백산수 찾아 줘")[0] == "백산수"


@pytest.mark.parametrize(("text", "intent", "slots"), [
    ("서울우유로 할게", "ChooseProductIntent", {"feature": "brand:서울우유"}),
    ("유기농 걸로 주세요", "ChooseProductIntent", {"feature": "organic"}),
    ("다른 브랜드는 없어?", "OtherOptionsIntent", {}),
    ("그거 무가당이야?", "ProductQuestionIntent", {"feature": "unsweetened"}),
    ("진라면이랑 신라면 중에 어느 게 더 커", "CompareProductsIntent", {"feature": "biggest", "product": "ramen"}),
    ("장바구니 전부 읽어 주세요", "ReadWholeCartIntent", {}),
    ("방금 한 거 되돌려", "UndoIntent", {}),
    ("아니 두유 말고 우유", "CorrectionIntent", {"product": "milk"}),
    ("생수 하나만 빼 줘", "DecreaseQuantityIntent", {"product": "water"}),
])
def test_korean_follow_ups_of_en_us(nlu: CompiledNLU, text: str, intent: str, slots: dict[str, str]) -> None:
    res = nlu.resolve(text)
    assert res.intent == intent
    assert {name: res.slots[name].id for name in slots if name in res.slots} == slots
