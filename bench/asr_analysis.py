"""Where the spoken-command errors come from: the language side or the acoustic model.

    .venv/bin/python bench/asr_analysis.py [--sentences N] [--seed S]

Runs bench/asr.py's voices and conditions (clean x 5 voices; noise, reverb, telephone x 2 voices) on
the spoken test set with the shipped grammar engine, then with two changes that are not fair to ship
but bound what tuning can reach:

- language-model ceiling: every test sentence added to the grammar as a template of its own (the
  weight of any other template), as if the language model knew in advance which sentences people say. Whatever is
  still wrong then is heard wrong by the acoustic model, not ranked wrong by the language model.
- frequency warping (pocketsphinx `warp_type inverse_linear`, vocal-tract-length normalisation with a
  fixed factor): how much each synthetic voice is off the acoustic model's speakers. 'best per voice'
  picks the best factor for each voice and condition after the fact (an oracle too).

Prints accuracy (intent and key slots right, as bench/asr.py counts it) per voice and condition.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from asr import add_noise, correct, reverb, spoken_items, telephone, voice_sessions  # noqa: E402

from speech.asr import create_recognizer  # noqa: E402
from speech.grammar import build_grammar  # noqa: E402
from speech.interaction_model import load_interaction_model  # noqa: E402
from speech.nlu import compile_model  # noqa: E402

WARPS = (0.9, 1.0, 1.1)


def main() -> None:
    args, items, _ = spoken_items(__doc__ or "", 0)
    model_path = REPO / "interaction_model.json"
    model = load_interaction_model(model_path)
    nlu = compile_model(model_path)


    def recognizer(oracle: bool = False, warp: float = 1.0):
        grammar = build_grammar(model)
        if oracle:  # each test sentence a template of its own (the language model's weight) and a phrase (snapping)
            for it in items:
                phrase = " ".join(it["say"].lower().split())
                grammar.templates.append(phrase)
                if phrase not in grammar.weights:
                    grammar.phrases.append(phrase)
                grammar.weights[phrase] = grammar.weights.get(phrase, 0.0) + grammar.per_template
        rec = create_recognizer("en-US", engine="pocketsphinx", grammar=grammar, understand=nlu.intent_confidence)
        if warp != 1.0:
            rec.inner.params.update(warp_type="inverse_linear", warp_params=str(warp))  # type: ignore[attr-defined]
        return rec

    rng = np.random.default_rng(args.seed)
    conditions = {"clean": lambda a: a, "noise": lambda a: add_noise(a, 15.0, rng),
                  "reverb": lambda a: reverb(a, 0.4, rng), "telephone": telephone}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp_name:
        clips = {(v, c): heard for v, c, heard in voice_sessions([it["say"] for it in items], conditions, Path(tmp_name))}
    runs = {"shipped": recognizer(), "LM ceiling": recognizer(oracle=True)}
    runs.update({f"warp {w}": recognizer(warp=w) for w in WARPS if w != 1.0})
    scores: dict[str, dict[tuple[str, str], int]] = {}
    for name, rec in runs.items():
        scores[name] = {}
        for key, audio in clips.items():
            rec.new_session()  # one speaker in one room: a session
            scores[name][key] = sum(correct(it, rec.recognize(a).text, nlu) for it, a in zip(items, audio, strict=True))
        print(f"... {name} done ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    warp_runs = ["warp 0.9", "shipped", "warp 1.1"]
    scores["best warp per voice"] = {k: max(scores[r][k] for r in warp_runs) for k in clips}
    n = len(items)
    names = list(scores)
    print(f"sentences: {n}; accuracy per voice and condition (intent and key slots right)\n")
    print(f"{'voice':22} {'condition':10} " + " ".join(f"{x:>19}" for x in names))
    for key in clips:
        print(f"{key[0]:22} {key[1]:10} " + " ".join(f"{scores[x][key] / n:19.1%}" for x in names))

    def pooled(name: str, clean: bool) -> float:
        ks = [k for k in clips if (k[1] == "clean") == clean]
        return sum(scores[name][k] for k in ks) / (n * len(ks))

    print()
    for x in names:
        print(f"{x:20} clean {pooled(x, True):6.1%}   degraded {pooled(x, False):6.1%}")
    print("targets              clean  95.0%   degraded  85.0%")
    print(f"bench time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
