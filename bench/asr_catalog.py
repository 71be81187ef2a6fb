"""Spoken-intent accuracy over the whole catalogue: sentences drawn from the model's own samples with
random products, not the staples of tests/speech/data/spoken.yaml.

    .venv/bin/python bench/asr_catalog.py [--sentences N] [--seed S]

bench/asr.py's 44 sentences ask for milk, coffee and eggs; a shop's users ask for any of its 1,350
product names and synonyms. Here each sentence is one of the interaction model's samples that says a
product, its slots filled with values drawn uniformly (a sentence the NLU does not read as its own
intent is drawn again, so that what is measured is hearing). Voices and conditions as bench/asr.py:
5 voices clean, 2 voices x noise 15 dB, reverb, telephone band; each voice and condition a session.

Two language models, on the same clips: the shipped one (`arpa_templates`: every value of a slot as
likely wherever the slot is) and the one built before it from the grammar's sampled phrases (each
sample's 40 drawn fills: `arpa_bigram`), both without Whisper's second opinion ('alone', 'sampled');
and the shipped one as `voiceshop speaker` hears on first use, with the second opinion when the
'rescore' extra is installed ('shipped'). Printed: intent-and-slots accuracy per voice and condition,
pooled clean and degraded, and the real-time factor of each.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from asr import REPO, add_noise, grammar_engine, reverb, telephone, voice_sessions  # noqa: E402

from speech.asr import SnappingRecognizer  # noqa: E402
from speech.asr.sphinx_engine import PocketSphinxRecognizer  # noqa: E402
from speech.certify.scoring import resolution_problems  # noqa: E402
from speech.grammar import Grammar, arpa_bigram, build_grammar  # noqa: E402
from speech.interaction_model import SLOT_REF, load_interaction_model  # noqa: E402
from speech.nlu import compile_model  # noqa: E402


def draw(grammar: Grammar, nlu, n: int, seed: int) -> list[dict]:
    """n sentences: samples that say a product, slots filled at random, each read by the NLU as its intent."""
    rng = random.Random(seed)
    templates = [t for t in grammar.templates if "{PRODUCT}" in t and t in grammar.intent_of]
    out: list[dict] = []
    said: set[str] = set()
    while len(out) < n:
        template = rng.choice(templates)
        sentence = SLOT_REF.sub(lambda m: rng.choice(grammar.slot_values[m.group(1)]), template)
        res = nlu.resolve(sentence)
        if sentence in said or res.intent != grammar.intent_of[template]:
            continue
        said.add(sentence)
        slots = {name: s.id or s.value for name, s in res.slots.items() if s.value}
        out.append({"say": sentence, "intent": res.intent, "slots": slots})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--sentences", type=int, default=40, help="sentences drawn (default 40)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if args.sentences < 1:
        ap.error("--sentences must be at least 1")
    model_path = REPO / "interaction_model.json"
    grammar = build_grammar(load_interaction_model(model_path))
    nlu = compile_model(model_path)
    items = draw(grammar, nlu, args.sentences, args.seed)
    print(f"sentences: {len(items)} drawn from {sum('{PRODUCT}' in t for t in grammar.templates)} samples "
          f"that say a product, e.g. {items[0]['say']!r}")

    shipped = grammar_engine(grammar, nlu)  # as voiceshop speaker hears on first use: with the second opinion when installed
    alone = grammar_engine(grammar, nlu, False)
    sampled = grammar_engine(grammar, nlu, False)
    inner = sampled.inner if isinstance(sampled, SnappingRecognizer) else None
    if not isinstance(inner, PocketSphinxRecognizer):
        sys.exit("asr_catalog: the pocketsphinx engine is needed")
    known = set(grammar.words) - set(inner.missing)  # the words create_recognizer gave the decoder
    inner.arpa = arpa_bigram([p for p in grammar.phrases if all(w in known for w in p.split())],
                             weights=grammar.weights)
    engines = {"shipped": shipped, "alone": alone, "sampled": sampled}
    if not isinstance(shipped, SnappingRecognizer) or shipped.rescorer is None:  # no 'rescore' extra: the engine alone
        del engines["alone"]

    rng = np.random.default_rng(args.seed)
    conditions = {"clean": lambda a: a, "noise 15dB": lambda a: add_noise(a, 15.0, rng),
                  "reverb": lambda a: reverb(a, 0.4, rng), "telephone": telephone}
    results: dict[tuple[str, str, str], list[bool]] = {}
    seconds = {e: 0.0 for e in engines}
    audio = {e: 0.0 for e in engines}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for vname, cname, heard in voice_sessions([it["say"] for it in items], conditions, tmp):
            for ename, rec in engines.items():
                rec.new_session()
                marks = []
                for item, a in zip(items, heard, strict=True):
                    t = rec.recognize(a)
                    seconds[ename] += t.seconds
                    audio[ename] += a.seconds
                    marks.append(bool(t.text) and not resolution_problems(nlu.resolve(t.text), item["intent"],
                                                                          item["slots"]))
                results[(ename, vname, cname)] = marks
            print(f"  {vname}, {cname} done ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)

    print(f"\n{'voice':22} {'condition':11} " + " ".join(f"{e:>9}" for e in engines))
    for (e, v, c), marks in results.items():
        if e == "shipped":
            print(f"{v:22} {c:11} " + " ".join(f"{sum(results[(x, v, c)]):5}/{len(marks):<3}" for x in engines))

    def pooled(engine: str, clean: bool) -> str:
        m = [x for (e, _, c), ms in results.items() if e == engine and (c == "clean") == clean for x in ms]
        return f"{sum(m) / len(m):.1%} ({sum(m)}/{len(m)})"

    for e in engines:
        print(f"{e:8} clean {pooled(e, True):16} degraded {pooled(e, False):16} "
              f"real-time factor {seconds[e] / audio[e]:.3f}")
    print(f"bench time: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
