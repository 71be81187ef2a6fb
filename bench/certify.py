"""Benchmark: text test cases certified per second (target: 1,000 cases in under 5 s on 2 cores).

Builds 1,000 annotations from the interaction model's samples, filled with varied slot values, writes
them as an Amazon annotation set, then times reading it, resolving and scoring every case, and the
reports (JSON, JUnit, HTML). Also times the certification checks against the in-process skill.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from speech.certify.files import read_test_file  # noqa: E402
from speech.certify.html import html_report  # noqa: E402
from speech.certify.junit import junit_xml  # noqa: E402
from speech.certify.results import CertifyReport, Thresholds  # noqa: E402
from speech.certify.runner import Certifier  # noqa: E402
from speech.interaction_model import SLOT_REF, InteractionModel, load_interaction_model  # noqa: E402
from speech.nlu.compiler import compile_model  # noqa: E402

CASES = 1000
NUMBERS = {"2": "two", "3": "three", "4": "four", "5": "five"}
ORDINALS = {"1": "first", "2": "second", "3": "third"}


def _fill(name: str, slot_type: str, model: InteractionModel, rng: random.Random, slots: dict[str, dict[str, str]]) -> str:
    """The words for one slot reference; the expected value goes into `slots`."""
    custom = model.slot_type(slot_type)
    if custom is not None and custom.values:
        value = rng.choice(custom.values).value
        slots[name] = {"value": value}
        return value
    if slot_type == "AMAZON.NUMBER":
        value = rng.choice(list(NUMBERS))
        slots[name] = {"value": value}
        return NUMBERS[value]
    if slot_type == "AMAZON.Ordinal":
        value = rng.choice(list(ORDINALS))
        slots[name] = {"value": value}
        return ORDINALS[value]
    if slot_type == "AMAZON.FOUR_DIGIT_NUMBER":
        slots[name] = {"value": "1234"}
        return "one two three four"
    if slot_type == "AMAZON.DATE":
        slots[name] = {"value": "2026-11-28"}
        return "tomorrow"
    return "something"


def make_annotations(model_path: Path, n: int, seed: int = 11) -> dict[str, Any]:
    model = load_interaction_model(model_path)
    rng = random.Random(seed)
    pool = [(i, s) for i in model.intents for s in i.samples]
    data = []
    for _ in range(n):
        intent, sample = rng.choice(pool)
        types = {s.name: s.type for s in intent.slots}
        slots: dict[str, dict[str, str]] = {}
        parts = SLOT_REF.split(sample)  # text, slot name, text, slot name, ...
        text = "".join(
            part if k % 2 == 0 else _fill(part, types.get(part, ""), model, rng, slots) for k, part in enumerate(parts)
        )
        data.append({"inputs": {"utterance": text, "referenceTimestamp": "2026-11-27T15:00:00Z"},
                     "expected": [{"intent": {"name": intent.name, "slots": slots}}]})
    return {"data": data}


def main() -> None:
    model_path = REPO / "interaction_model.json"
    start = time.perf_counter()
    nlu = compile_model(model_path)
    compiled = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench_annotations.json"
        path.write_text(json.dumps(make_annotations(model_path, CASES)), encoding="utf-8")
        t0 = time.perf_counter()
        nlu_set = read_test_file(path)
        t1 = time.perf_counter()
        certifier = Certifier(nlu, reference_time=datetime(2026, 11, 27, 15, tzinfo=UTC))
        results = certifier.run([nlu_set])
        t2 = time.perf_counter()
        report = CertifyReport(results, [], Thresholds())
        json.dumps(report.to_json())
        junit_xml(report)
        html_report(report)
        t3 = time.perf_counter()

        from skill.app import create_invoker
        from skill.clock import FixedClock
        from skill.config import SkillConfig
        from speech.certify.checks import certification_checks

        model_json = json.loads(model_path.read_text(encoding="utf-8"))
        now = datetime(2026, 11, 27, 15, tzinfo=UTC)
        t4 = time.perf_counter()
        checks = certification_checks(
            model_json,
            lambda: create_invoker(SkillConfig(db_path=Path(tmp) / "skill.db", demo_accounts=True), clock=FixedClock(now)),
            tested_intents=set(),
            now=now,
        )
        t5 = time.perf_counter()
    total = t3 - t0
    intent_acc, slot_acc = report.accuracy("nlu")
    print(f"NLU compile (once, not counted): {compiled:.2f} s")
    print(f"{CASES} text cases: read {t1 - t0:.3f} s, resolve+score {t2 - t1:.3f} s, reports {t3 - t2:.3f} s")
    print(f"total {total:.2f} s = {CASES / total:.0f} cases/s  (target: {CASES} in < 5 s: {'met' if total < 5 else 'MISSED'})")
    print(f"intent accuracy on generated sentences {intent_acc:.1%}, slot accuracy {slot_acc:.1%}")
    print(f"certification checks (build rules + {len(checks)} checks, incl. every sample against the skill): {t5 - t4:.2f} s")


if __name__ == "__main__":
    main()
