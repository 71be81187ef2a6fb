"""Answers to the dialog's questions, heard with and without listening for them.

    .venv/bin/python bench/asr_dialog.py [--seed S]

When the dialog waits for a slot (Dialog.ElicitSlot, or the model's own elicitation) or a yes/no,
`voiceshop speaker` tells the recogniser what it waits for (`SnappingRecognizer.listen_for`): a voice
code is heard with a grammar of codes, any other slot with its answers weighted up in the domain
bigram. This prints how often the answer fills the right slot (or is the right yes/no/escape), per
question, and how often a wrong voice code reaches the skill (it counts towards the lockout), for
the same recogniser listening for the answer and not, on tests/speech/data/answers.yaml spoken by bench/asr.py's voices: 5 voices clean, 2 voices x noise 15 dB, reverb, telephone band.

An answer is read by the voice cloud's own rules (`speech.dialog.read_answer`): an escape (stop,
cancel, help, go home) unless the words are a value of the slot; a yes/no for a confirmation; else
the intent being filled, restricted to it, then the bare value.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from asr import REPO, add_noise, grammar_engine, reverb, telephone, voice_sessions  # noqa: E402

from speech import dialog as dm  # noqa: E402
from speech.asr import Expectation, SnappingRecognizer  # noqa: E402
from speech.grammar import build_grammar  # noqa: E402
from speech.interaction_model import load_interaction_model  # noqa: E402
from speech.nlu import compile_model  # noqa: E402
from speech.vocabulary import ESCAPE_INTENTS  # noqa: E402


def read_answer(nlu, model, expect: Expectation, text: str) -> tuple[str, str | None]:
    """(intent, the slot's value id or value) as the voice cloud takes `text` as the answer
    (`speech.dialog.read_answer`, the cloud's own reading), the question being the skill's."""
    if not text:
        return ("", None)
    run = dm.DialogRun(intent={"name": expect.intent}, auto=False, skill_directed=True,
                       waiting="elicit" if expect.slot else "confirm_intent", slot=expect.slot)
    reading = dm.read_answer(nlu, model, run, text, datetime.now(UTC))
    if reading.kind == "switch":
        return (reading.resolution.intent if reading.resolution else "", None)
    if reading.kind in ("yes", "no"):
        return ("AMAZON.YesIntent" if reading.kind == "yes" else "AMAZON.NoIntent", None)
    got = next((v for v in reading.slots if v.name == expect.slot), None)
    return (expect.intent, got.id or got.value) if got is not None else ("", None)


def right(item: dict, got: tuple[str, str | None]) -> bool:
    if "intent" in item:
        return got[0] == item["intent"]
    if got[0] != item["expect"][0]:
        return False
    return "slot" not in item or got[1] == item["slot"]


def kind(item: dict) -> str:
    if "intent" in item:
        return "escape" if item["intent"] in ESCAPE_INTENTS else "yes/no"
    return item["expect"][1]


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    items = yaml.safe_load((REPO / "tests/speech/data/answers.yaml").read_text(encoding="utf-8"))
    model = load_interaction_model(REPO / "interaction_model.json")
    nlu = compile_model(REPO / "interaction_model.json")
    rec = grammar_engine(build_grammar(model), nlu)
    assert isinstance(rec, SnappingRecognizer)  # it listens for answers
    rng = np.random.default_rng(args.seed)
    conditions = {"clean": lambda a: a, "noise 15dB": lambda a: add_noise(a, 15.0, rng),
                  "reverb": lambda a: reverb(a, 0.4, rng), "telephone": telephone}
    marks: dict[tuple[str, str, bool], list[bool]] = {}
    switch: list[float] = []
    misses: list[str] = []
    codes: dict[tuple[bool, bool], list[bool]] = {}
    """(listening, clean) -> per spoken code: a wrong code reached the skill (it counts towards the lockout)"""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for vname, cname, heard in voice_sessions([item["say"] for item in items], conditions, tmp):
            rec.new_session()  # one speaker in one room: a session
            for item, audio in zip(items, heard, strict=True):
                expect = Expectation(*item["expect"])
                for listening in (False, True):
                    t0 = time.perf_counter()
                    rec.listen_for(expect if listening else None)
                    switch.append(time.perf_counter() - t0)
                    text = rec.recognize(audio).text
                    got = read_answer(nlu, model, expect, text)
                    ok = right(item, got)
                    marks.setdefault((kind(item), "clean" if cname == "clean" else "degraded", listening), []).append(ok)
                    if expect.slot == "voiceCode" and "slot" in item:
                        wrong = got[0] == expect.intent and got[1] is not None and got[1] != item["slot"]
                        codes.setdefault((listening, cname == "clean"), []).append(wrong)
                    if listening and not ok and cname == "clean":
                        misses.append(f"  {vname:20} {item['say']!r} -> {text!r}")
    print(f"answers: {len(items)} in tests/speech/data/answers.yaml\n")
    print(f"{'question':14} {'condition':9} {'not listening':>15} {'listening':>15}")
    kinds = list(dict.fromkeys(k for k, _, _ in marks))
    for k in kinds:
        for c in ("clean", "degraded"):
            a, b = marks.get((k, c, False), []), marks.get((k, c, True), [])
            if a:
                print(f"{k:14} {c:9} {sum(a):4}/{len(a):<4} {sum(a) / len(a):5.1%} {sum(b):4}/{len(b):<4} {sum(b) / len(b):5.1%}")
    for c in ("clean", "degraded"):
        a = [x for (k, cc, lis), ms in marks.items() if cc == c and not lis for x in ms]
        b = [x for (k, cc, lis), ms in marks.items() if cc == c and lis for x in ms]
        print(f"{'all':14} {c:9} {sum(a):4}/{len(a):<4} {sum(a) / len(a):5.1%} {sum(b):4}/{len(b):<4} {sum(b) / len(b):5.1%}")
    for (listening, clean), wrong in sorted(codes.items()):
        print(f"wrong voice code sent to the skill, {'listening' if listening else 'not listening'}, "
              f"{'clean' if clean else 'degraded'}: {sum(wrong)} of {len(wrong)} codes spoken")
    print(f"\nswitching searches: median {statistics.median(switch) * 1000:.1f} ms, "
          f"max {max(switch) * 1000:.0f} ms (a search is built the first time its question is asked)")
    print("misses while listening (clean):")
    print("\n".join(misses) or "  none")
    print(f"bench time: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
