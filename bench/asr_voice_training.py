"""Voice training: spoken-command accuracy per voice before and after training on sentences it read.

    .venv/bin/python bench/asr_voice_training.py [--sentences N] [--seed S]

Each of bench/asr.py's voices reads N training sentences (drawn from the grammar, none of the test
sentences nor one containing a test sentence: `speech.asr.adapt.training_sentences`); its MLLR
transform is trained (`train_voice`) and the 44 spoken test sentences (tests/speech/data/spoken.yaml)
are recognised with and without it, clean. Also printed: training time, and each voice's transform
tried on another voice (a profile is one speaker's own). Then training in the room: bench/asr.py's
degraded voices read the training sentences through a degradation (noise 15 dB, reverb, telephone
band: new random draws) and are tested through the same kind, as a user who trains on their own
speaker in their own room. Last, learning in the session (`SessionAdapter`, what `voiceshop speaker`
does by default): each voice and condition says 25 other grammar sentences as a session's turns,
the recogniser adapts from those it heard exactly, and the 44 test sentences follow (and are heard
after the first 12 turns too, a short shopping session). Needs Debian's
sphinxtrain, sphinxbase-utils and pocketsphinx (`./dev setup` installs them).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np  # noqa: E402
from asr import DEGRADED_VOICES, REPO, VOICES, add_noise, correct, reverb, synth, telephone  # noqa: E402

from speech.asr import create_recognizer  # noqa: E402
from speech.asr.adapt import SessionAdapter, train_voice, training_sentences  # noqa: E402
from speech.audio import load_wav  # noqa: E402
from speech.grammar import build_grammar  # noqa: E402
from speech.interaction_model import load_interaction_model  # noqa: E402
from speech.nlu import compile_model  # noqa: E402


def before_after(plain, adapted, items: list[dict], clips: list, nlu, tally: list[int]) -> str:
    """Both recognisers on the clips: '  b/n  b%   a/n  a%', added to tally [before, after, n]."""
    n = len(items)
    plain.new_session()  # the clips are one speaker in one room: a session
    adapted.new_session()
    before = sum(correct(it, plain.recognize(a).text, nlu) for it, a in zip(items, clips, strict=True))
    after = sum(correct(it, adapted.recognize(a).text, nlu) for it, a in zip(items, clips, strict=True))
    tally[0] += before
    tally[1] += after
    tally[2] += n
    return f"{before:4}/{n} {before / n:5.1%} {after:4}/{n} {after / n:5.1%}"


def total(label: str, tally: list[int]) -> str:
    b, a, n = tally
    return f"{label} {b:4}/{n} {b / n:5.1%} {a:4}/{n} {a / n:5.1%}"


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--sentences", type=int, default=25, help="training sentences each voice reads")
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args()
    items = yaml.safe_load((REPO / "tests/speech/data/spoken.yaml").read_text(encoding="utf-8"))
    model = load_interaction_model(REPO / "interaction_model.json")
    nlu = compile_model(REPO / "interaction_model.json")
    grammar = build_grammar(model)
    reading = training_sentences(grammar, args.sentences, seed=args.seed, avoid=[it["say"] for it in items])

    def recogniser(profile: Path | None = None):
        return create_recognizer("en-US", engine="pocketsphinx", grammar=grammar,
                                 understand=nlu.intent_confidence, voice_profile=profile)

    plain = recogniser()
    print(f"training sentences per voice: {len(reading)}; test sentences: {len(items)} (clean)\n")
    print(f"{'voice':22} {'speech':>7} {'train':>6} {'before':>12} {'after':>12}")
    totals = [0, 0, 0]  # before, after, sentences
    transforms: dict[str, Path] = {}
    clips: dict[str, list] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for v, (vname, cmd) in enumerate(VOICES.items()):
            recordings = [(load_wav(synth(cmd, s, tmp / f"t{v}-{i}.wav")), s) for i, s in enumerate(reading)]
            started = time.perf_counter()
            profile = train_voice(f"bench-{v}", recordings, clean=plain.inner.clean, base=tmp / "voices",
                                  cache=tmp / "model")
            took = time.perf_counter() - started
            transforms[vname] = profile.transform
            clips[vname] = [load_wav(synth(cmd, it["say"], tmp / f"c{v}-{i}.wav")) for i, it in enumerate(items)]
            scores = before_after(plain, recogniser(profile.transform), items, clips[vname], nlu, totals)
            print(f"{vname:22} {profile.speech_seconds:6.0f}s {took:5.1f}s {scores}")
        print(total(f"{'all':22} {'':7} {'':6}", totals))
        names = list(VOICES)
        print("\nanother voice's transform (first voice's clips with the second voice's transform):")
        for a, b in zip(names, names[1:] + names[:1], strict=True):
            other = recogniser(transforms[b])  # a new recogniser: a new session
            got = sum(correct(it, other.recognize(c).text, nlu) for it, c in zip(items, clips[a], strict=True))
            print(f"  {a:22} with {b:22} {got:4}/{len(items)}")

        rng = np.random.default_rng(args.seed)
        conditions = {"noise 15dB": lambda a: add_noise(a, 15.0, rng), "reverb": lambda a: reverb(a, 0.4, rng),
                      "telephone": telephone}
        print("\ntrained in the room (training and test sentences through the same degradation):")
        print(f"{'voice':22} {'condition':11} {'before':>12} {'after':>12}")
        room = [0, 0, 0]
        for v, vname in enumerate(DEGRADED_VOICES):
            cmd = VOICES[vname]
            for cname, degrade in conditions.items():
                recordings = [(degrade(load_wav(synth(cmd, s, tmp / f"r{v}-{i}.wav"))), s) for i, s in enumerate(reading)]
                profile = train_voice(f"room-{v}-{cname.split()[0]}", recordings, clean=plain.inner.clean,
                                      base=tmp / "voices", cache=tmp / "model")
                tests = [degrade(c) for c in clips[vname]]
                scores = before_after(plain, recogniser(profile.transform), items, tests, nlu, room)
                print(f"{vname:22} {cname:11} {scores}")
        print(total(f"{'all':22} {'':11}", room))

        session = training_sentences(grammar, 25, seed=args.seed + 8, avoid=[it["say"] for it in items] + reading)
        short = 12  # a short shopping session: the test sentences are heard after it too
        print(f"\nlearning in the session ({len(session)} turns first, then the test sentences; also after "
              f"the first {short} turns):")
        print(f"{'voice':22} {'condition':11} {'used':>5} {f'after {short}':>12} {'used':>5} {'before':>12} "
              f"{f'after {len(session)}':>12}")
        sums = {"clean": [0, 0, 0], "degraded": [0, 0, 0]}
        early = {"clean": [0, 0], "degraded": [0, 0]}
        for v, (vname, cmd) in enumerate(VOICES.items()):
            for cname, degrade in {"clean": lambda a: a, **conditions}.items():
                if cname != "clean" and vname not in DEGRADED_VOICES:
                    continue
                rec = recogniser()
                adapter = SessionAdapter(rec, work=tmp / f"session-{v}-{cname.split()[0]}")
                tests = [degrade(c) for c in clips[vname]]
                kind = "clean" if cname == "clean" else "degraded"
                for i, s in enumerate(session):
                    audio = degrade(load_wav(synth(cmd, s, tmp / f"s{v}-{i}.wav")))
                    adapter.observe(audio, rec.recognize(audio))
                    if i + 1 == short:
                        used_early = adapter.trained_on
                        right = sum(correct(it, rec.recognize(a).text, nlu) for it, a in zip(items, tests, strict=True))
                        early[kind][0] += right
                        early[kind][1] += len(items)
                scores = before_after(plain, rec, items, tests, nlu, sums[kind])
                print(f"{vname:22} {cname:11} {used_early:5} {right:4}/{len(items)} {right / len(items):5.1%} "
                      f"{adapter.trained_on:5} {scores}")
        for k, tally in sums.items():
            r, n = early[k]
            print(total(f"{'all ' + k:22} {'':11} {'':5} {r:4}/{n} {r / n:5.1%} {'':5}", tally))


if __name__ == "__main__":
    main()
