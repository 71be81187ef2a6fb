"""NLU benchmark: the compiled NLU against the template-matching baseline on the test sentences.

    .venv/bin/python bench/nlu.py [--model interaction_model.json] [--data tests/speech/nlu/data]
    .venv/bin/python bench/nlu.py --locale ko-KR    # the ko-KR model on tests/speech/nlu/ko-KR

Prints intent accuracy, slot accuracy and out-of-domain rejection for both, resolve time per utterance
(p50/p99) and model compile time: cold (in a new process, the analyser loading too), cached in memory,
and in a new process reading the disk cache (`compile_model(cache_dir=)`, as the commands do): how long
until the NLU is there, and until it has answered its first sentence (that waits for the analyser).
Targets: >= 95% intent, >= 90% slots, >= 90% of out-of-domain sentences to AMAZON.FallbackIntent, p50
under 2 ms, compile under 2 s.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from speech.interaction_model import load_interaction_model, model_path_for  # noqa: E402
from speech.nlu.baseline import TemplateMatcher  # noqa: E402
from speech.nlu.compiler import CompiledNLU, compile_model  # noqa: E402
from speech.nlu.evaluate import TestSentence, evaluate, load_sentence_dir, load_sentence_file  # noqa: E402

REFERENCE_TIME = datetime(2026, 11, 27, 21, 0)
"""The reference time the sentence files' dates are written for."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--locale", default="en-US", help="en-US (default) or ko-KR")
    parser.add_argument("--model", default=None, help="default: the locale's interaction model")
    parser.add_argument("--data", default=None, help="default: tests/speech/nlu/data (en-US), tests/speech/nlu/<locale>")
    parser.add_argument("--failures", action="store_true", help="list what the compiled NLU gets wrong")
    args = parser.parse_args()
    if args.locale not in ("en-US", "ko-KR"):
        parser.error(f"unknown locale {args.locale!r} (en-US or ko-KR)")
    args.model = args.model or str(model_path_for(args.locale))
    english = args.locale == "en-US"
    args.data = args.data or str(REPO / "tests" / "speech" / "nlu" / ("data" if english else args.locale))

    model = load_interaction_model(args.model)
    start = time.perf_counter()
    nlu = CompiledNLU(model, args.locale)
    cold = time.perf_counter() - start
    compile_model(args.model, args.locale)
    start = time.perf_counter()
    compile_model(args.model, args.locale)
    cached = time.perf_counter() - start
    baseline = TemplateMatcher(model)
    data = Path(args.data)
    sentences = load_sentence_dir(data)

    # the sentences the NLU was tuned against, and the held-out ones written before a change and
    # never tuned against (subfolder `heldout`): the second figure is the honest one
    # held-out: written before the NLU changes of 2026-11-27 (its failures were then looked at);
    # fresh (heldout/fresh): written after the first changes and never looked at while tuning
    def files(folder: Path) -> list[TestSentence]:
        return [s for p in sorted(folder.glob("*.yaml")) for s in load_sentence_file(p)]

    tuned = files(data)
    heldout = files(data / "heldout")
    fresh = files(data / "heldout" / "fresh") if english else files(data / "fresh")

    ours = evaluate(nlu, sentences, reference_time=REFERENCE_TIME)
    # time a second pass: the first one warms caches, as a running speaker would be
    ours_timed = evaluate(nlu, sentences, reference_time=REFERENCE_TIME)
    base = evaluate(baseline, sentences, reference_time=REFERENCE_TIME)

    print(
        f"sentences: {ours.intent_total} in-domain, {ours.ood_total} out-of-domain, {ours.slot_total} slots"
        f" ({len(heldout) + len(fresh)} of them held out)"
    )
    print(f"{'':28}{'compiled':>10}{'baseline':>10}{'target':>10}")
    for label, subset in (("all", sentences), ("tuned", tuned), ("held-out", heldout), ("fresh", fresh)):
        if not subset:
            continue
        a = evaluate(nlu, subset, reference_time=REFERENCE_TIME) if subset is not sentences else ours
        b = evaluate(baseline, subset, reference_time=REFERENCE_TIME) if subset is not sentences else base
        rows = [
            ("intent accuracy", a.intent_accuracy, b.intent_accuracy, ">= 95%"),
            ("slot accuracy", a.slot_accuracy, b.slot_accuracy, ">= 90%"),
            ("out-of-domain rejected", a.ood_rejection, b.ood_rejection, ">= 90%"),
        ]
        print(f"[{label}: {a.intent_total} in-domain, {a.ood_total} out-of-domain, {a.slot_total} slots]")
        for name, x, y, target in rows:
            print(f"  {name:26}{x:>9.1%}{y:>10.1%}{target:>10}")
    print(
        f"{'resolve p50 / p99 (ms)':28}{ours_timed.percentile(50) * 1000:>5.2f} /{ours_timed.percentile(99) * 1000:>5.2f}"
        f"   baseline {base.percentile(50) * 1000:.2f} / {base.percentile(99) * 1000:.2f}   target p50 < 2"
    )
    print(f"{'compile cold / cached (s)':28}{cold:>9.3f} / {cached:.6f}   target < 2")
    with tempfile.TemporaryDirectory(prefix="voiceshop-nlu-cache-") as folder:
        compiled_s, first = _in_new_process(args.model, args.locale, Path(folder))  # compiles and stores
        disk, first_disk = _in_new_process(args.model, args.locale, Path(folder))  # reads the store
    print(f"{'new process: compile (s)':28}{compiled_s:>9.3f}   first answer {first:.3f}")
    print(f"{'new process: disk cache (s)':28}{disk:>9.3f}   first answer {first_disk:.3f}   target < 2")
    if args.failures:
        print("\n".join(ours.failures))
    return 0


_TIMED = """
import json, sys, time
start = time.perf_counter()
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from speech.nlu.compiler import compile_model
nlu = compile_model(Path(sys.argv[2]), sys.argv[3], cache_dir=Path(sys.argv[4]))
ready = time.perf_counter() - start
nlu.resolve(sys.argv[5])
print(json.dumps([ready, time.perf_counter() - start]))
"""


def _in_new_process(model: str, locale: str, cache_dir: Path) -> tuple[float, float]:
    """Seconds from a new process's start (after Python itself) to its NLU, and to its first answer."""
    sentence = "우유 두 개 장바구니에 담아 줘" if locale == "ko-KR" else "add two bottles of milk to my cart"
    out = subprocess.run(
        [sys.executable, "-c", _TIMED, str(REPO), model, locale, str(cache_dir), sentence],
        capture_output=True, text=True, check=True,
    )
    ready, first = json.loads(out.stdout.strip().splitlines()[-1])
    return float(ready), float(first)


if __name__ == "__main__":
    raise SystemExit(main())
