"""Spoken-intent accuracy, speed and latency of the offline voice loop.

    .venv/bin/python bench/asr.py [--sentences N] [--seed S] [--no-learning] [--rt60 SECONDS]

Sentences: tests/speech/data/spoken.yaml (intent and key slots per sentence), sampled to --sentences.
Voices: espeak-ng (en-us+klatt2, en-us+klatt, en-us) and flite (slt, kal). Conditions: clean; white
noise at 15 dB SNR; reverb (convolution with an exponentially decaying noise impulse, RT60 0.4 s, or
the room --rt60 gives: the recogniser estimates the room from the session's clips, `room_rt60`);
telephone band (300-3400 Hz). Engines: pocketsphinx with the model's grammar (domain bigram + snapping)
against pocketsphinx open vocabulary (its general LM, snapped the same way). Degraded conditions run
with the grammar engine only. Each voice and condition is one session, as one speaker in one room.

The grammar engine runs three times: as it hears a speaker it has not learnt (first use, no voice
training), alone ('grammar') and with Whisper's second opinion between the sentences it heard
('rescored', `speech.asr.rescore`; needs the 'rescore' extra); and as `voiceshop speaker` runs by
default ('learning'): with the second opinion when installed, learning the voice from the session's own
turns (`speech.asr.adapt.SessionAdapter`: unsupervised, from the turns heard exactly; the test
sentences' labels are never used). Every sentence is scored as it is heard, before the turn is learnt from.
Retraining (1-2 s every few turns, while the answer is spoken) is timed apart from recognition.
`--no-learning` leaves the second run out (it needs Debian's sphinxtrain; about three minutes more).

Printed: intent accuracy (intent and key slots right) per engine x voice x condition; of the clips not
right, how many were asked again ("didn't catch that") and how many misheard and acted on; real-time factor,
end of the user's audio -> response audio ready (ASR finalisation + NLU + skill + TTS of the first
sentence), and peak memory (ru_maxrss).
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from speech.asr import Recognizer, SnappingRecognizer, create_recognizer  # noqa: E402
from speech.asr.adapt import SessionAdapter, check_tools  # noqa: E402
from speech.audio import RATE, Audio, load_wav  # noqa: E402
from speech.certify.scoring import resolution_problems  # noqa: E402
from speech.errors import EngineError  # noqa: E402
from speech.grammar import Grammar, build_grammar  # noqa: E402
from speech.interaction_model import load_interaction_model  # noqa: E402
from speech.nlu import compile_model  # noqa: E402

VOICES = {
    "espeak en-us+klatt2": ["espeak-ng", "-v", "en-us+klatt2"],
    "espeak en-us+klatt": ["espeak-ng", "-v", "en-us+klatt"],
    "espeak en-us": ["espeak-ng", "-v", "en-us"],
    "flite slt": ["flite", "-voice", "slt"],
    "flite kal": ["flite", "-voice", "kal"],
}
DEGRADED_VOICES = ["espeak en-us+klatt2", "flite slt"]


def synth(cmd: list[str], text: str, path: Path) -> Path:
    if cmd[0] == "flite":
        subprocess.run([*cmd, "-t", text, "-o", str(path)], check=True, capture_output=True)
    else:
        subprocess.run([*cmd, "-w", str(path), text], check=True, capture_output=True)
    return path


def add_noise(a: Audio, snr_db: float, rng: np.random.Generator) -> Audio:
    x = a.samples.astype(np.float64)
    p = np.mean(x**2)
    noise = rng.normal(0, np.sqrt(p / 10 ** (snr_db / 10)), len(x))
    return Audio(np.clip(x + noise, -32768, 32767).astype(np.int16), RATE)


def reverb(a: Audio, rt60: float, rng: np.random.Generator) -> Audio:
    n = int(RATE * rt60)
    t = np.arange(n) / RATE
    ir = rng.normal(0, 1, n) * np.exp(-6.9 * t / rt60)  # -60 dB at rt60
    ir[0] = 1.0
    ir /= np.sqrt(np.sum(ir**2))
    y = np.convolve(a.samples.astype(np.float64), ir)[: len(a.samples) + n // 2]
    y *= np.max(np.abs(a.samples)) / max(1.0, np.max(np.abs(y)))
    return Audio(y.astype(np.int16), RATE)


def telephone(a: Audio) -> Audio:
    spec = np.fft.rfft(a.samples.astype(np.float64))
    freqs = np.fft.rfftfreq(len(a.samples), 1 / RATE)
    spec[(freqs < 300) | (freqs > 3400)] = 0
    return Audio(np.clip(np.fft.irfft(spec, len(a.samples)), -32768, 32767).astype(np.int16), RATE)


def voice_sessions(sentences: list[str], conditions: Mapping[str, Callable[[Audio], Audio]], tmp: Path,
                   voices: Mapping[str, list[str]] = VOICES,
                   degraded: Iterable[str] = DEGRADED_VOICES) -> Iterator[tuple[str, str, list[Audio]]]:
    """(voice, condition, the sentences as heard) for each session the spoken benches run: every voice
    clean, the `degraded` voices in the other conditions too; a voice's sentences synthesised once, then
    degraded in order (so a seeded condition draws the same noise run after run)."""
    for vname, cmd in voices.items():
        clips = [load_wav(synth(cmd, s, tmp / f"{abs(hash((vname, i)))}.wav")) for i, s in enumerate(sentences)]
        for cname, degrade in conditions.items():
            if cname == "clean" or vname in degraded:
                yield vname, cname, [degrade(clip) for clip in clips]


def grammar_engine(grammar: Grammar, nlu: Any, rescore: bool | None = None) -> Recognizer:
    """The shipped recogniser (pocketsphinx, the grammar's bigram, snapping, the NLU check); `rescore` as
    `create_recognizer` takes it: None with Whisper's second opinion when installed."""
    return create_recognizer("en-US", engine="pocketsphinx", grammar=grammar, understand=nlu.intent_confidence,
                             rescore=rescore)


def correct(item: dict, text: str, nlu) -> bool:
    """The intent and key slots of a spoken.yaml item heard right (nothing heard is wrong)."""
    return bool(text) and not resolution_problems(nlu.resolve(text), item["intent"], item.get("slots"))


def latency(nlu, model, grammar, rec, tmp: Path) -> list[float]:
    """End of the user's audio -> the first sentence of the answer synthesised, over a short session."""
    from skill.app import create_invoker
    from skill.config import SkillConfig
    from speech.cloud import VoiceCloud
    from speech.tts import Synthesizer

    config = SkillConfig(db_path=tmp / f"bench-{id(rec)}.db", demo_accounts=True)  # a fresh shop each run
    cloud = VoiceCloud(nlu, create_invoker(config), model)
    lines = ["open voice shop", "search for coffee", "the second one", "add two of them", "what's in my cart",
             "check out", "deliver it tomorrow morning", "yes", "one two three four", "where is my order"]
    out = []
    with Synthesizer() as tts:
        tts.synthesize("warm up", tmp / "warm.wav")
        for n, line in enumerate(lines):
            audio = load_wav(synth(VOICES["espeak en-us+klatt2"], line, tmp / f"lat{n}.wav"))
            t = rec.recognize(audio)
            start = time.perf_counter()
            turn = cloud.hear(t.text) if t.text else None
            speech = turn.speech if turn else "Sorry, I didn't catch that."
            first = re.split(r"(?<=[.?!])\s+", speech.strip())[0]
            tts.synthesize(first, tmp / f"ans{n}.wav")
            out.append(t.seconds + time.perf_counter() - start)  # as voiceshop speaker: recognised once cut
    return out


def spoken_items(doc: str, default_sentences: int,
                 more: Callable[[argparse.ArgumentParser], None] | None = None) -> tuple[argparse.Namespace, list[dict], int]:
    """The command line (--sentences, --seed, and what `more` adds) and the spoken test sentences it picks,
    with the set's size."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=default_sentences, help="sentences sampled from the set (0 = all)")
    ap.add_argument("--seed", type=int, default=1)
    if more is not None:
        more(ap)
    args = ap.parse_args()
    items = yaml.safe_load((REPO / "tests/speech/data/spoken.yaml").read_text(encoding="utf-8"))
    total = len(items)
    if args.sentences and args.sentences < total:
        items = random.Random(args.seed).sample(items, args.sentences)
    return args, items, total


def room_seconds(text: str) -> float:
    """--rt60's value: a room's reverberation time in seconds, within what a room has."""
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0.1 <= seconds <= 2.0:
        raise argparse.ArgumentTypeError(f"a room's RT60 is 0.1-2.0 s, got {text}")
    return seconds


def main() -> None:
    def more_flags(ap: argparse.ArgumentParser) -> None:
        ap.add_argument("--no-learning", action="store_true",
                        help="leave out the run that learns the voice in the session (as voiceshop speaker does)")
        ap.add_argument("--rt60", type=room_seconds, default=0.4, metavar="SECONDS",
                        help="the reverb condition's room: its reverberation time, 0.1-2.0 s (default 0.4)")

    args, items, total = spoken_items(__doc__ or "", 20, more_flags)
    print(f"sentences: {len(items)} (of the set's {total}); the reverb condition's room: RT60 {args.rt60:g} s")
    model_path = REPO / "interaction_model.json"
    model = load_interaction_model(model_path)
    nlu = compile_model(model_path)
    grammar = build_grammar(model)


    engines = {
        "grammar": grammar_engine(grammar, nlu, False),
        # pocketsphinx's open vocabulary as such: without Whisper, which would rescue most of what it
        # mishears and leave no comparison of the two
        "open": create_recognizer("en-US", engine="pocketsphinx-open", grammar=grammar, understand=nlu.intent_confidence,
                                  rescore=False),
    }
    rescorer_missing = None
    try:
        engines["rescored"] = grammar_engine(grammar, nlu, True)
    except EngineError as exc:
        rescorer_missing = f"not measured: {exc}"
    not_learning = "left out (--no-learning)" if args.no_learning else None
    if not_learning is None:
        try:
            check_tools()
        except EngineError as exc:
            not_learning = f"not measured: {exc}"
    if not_learning is None:  # the shipped grammar engine again, learning the voice as voiceshop speaker does
        engines["learning"] = grammar_engine(grammar, nlu, None)
    adapted: list[float] = []
    """Seconds each retraining of a session's transform took."""
    rng = np.random.default_rng(args.seed)
    conditions = {
        "clean": lambda a: a,
        "noise 15dB": lambda a: add_noise(a, 15.0, rng),
        "reverb": lambda a: reverb(a, args.rt60, rng),
        "telephone": telephone,
    }
    audio_seconds: dict[str, float] = {e: 0.0 for e in engines}
    asr_seconds: dict[str, float] = {e: 0.0 for e in engines}
    results: dict[tuple[str, str, str], list[bool]] = {}
    rejected: dict[tuple[str, bool], int] = {}
    """(engine, clean) -> clips answered "Sorry, I didn't catch that" (no transcript, or the fallback)."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for vname, cname, heard in voice_sessions([it["say"] for it in items], conditions, tmp):
            for ename, rec in engines.items():  # the same clips for each engine
                if cname != "clean" and ename == "open":
                    continue
                rec.new_session()  # one speaker in one room: a session
                learner = None
                if ename == "learning":
                    assert isinstance(rec, SnappingRecognizer)  # create_recognizer's pocketsphinx with a grammar
                    rec.adapt(None)  # a speaker not learnt yet: the last session's transform goes
                    learner = SessionAdapter(rec, work=tmp / f"learn-{len(results)}")
                marks = []
                for item, a in zip(items, heard, strict=True):
                    t = rec.recognize(a)
                    audio_seconds[ename] += a.seconds
                    asr_seconds[ename] += t.seconds
                    marks.append(correct(item, t.text, nlu))
                    if learner is not None and t.text:  # a turn the skill answered, then learnt from
                        learn_start = time.perf_counter()
                        if learner.observe(a, t):
                            adapted.append(time.perf_counter() - learn_start)
                    if not t.text or nlu.resolve(t.text).intent == "AMAZON.FallbackIntent":
                        rejected[(ename, cname == "clean")] = rejected.get((ename, cname == "clean"), 0) + 1
                results[(ename, vname, cname)] = marks
        lat = latency(nlu, model, grammar, engines["grammar"], tmp)
        lat_rescored = latency(nlu, model, grammar, engines["rescored"], tmp) if "rescored" in engines else []
    print(f"\n{'engine':8} {'voice':22} {'condition':11} accuracy")
    for (e, v, c), marks in results.items():
        print(f"{e:8} {v:22} {c:11} {sum(marks) / len(marks):6.1%}  ({sum(marks)}/{len(marks)})")

    def pooled(engine: str, clean: bool) -> float:
        m = [x for (e, _, c), ms in results.items() if e == engine and (c == "clean") == clean for x in ms]
        return sum(m) / len(m) if m else float("nan")

    print(f"\ngrammar clean    : {pooled('grammar', True):.1%}   (target >= 95%)")
    print(f"grammar degraded : {pooled('grammar', False):.1%}   (target >= 85%)")
    print(f"open vocab clean : {pooled('open', True):.1%}")
    if "rescored" in engines:
        print("with Whisper's second opinion (speech.asr.rescore), first use:")
        print(f"  rescored clean   : {pooled('rescored', True):.1%}   (target >= 95%)")
        print(f"  rescored degraded: {pooled('rescored', False):.1%}   (target >= 85%)")
    else:
        print(f"Whisper rescoring: {rescorer_missing}")
    if "learning" in engines:
        second = " and Whisper's second opinion" if "rescored" in engines else ""
        print(f"as voiceshop speaker runs by default, learning the voice in each {len(items)}-turn session{second}:")
        print(f"  learning clean   : {pooled('learning', True):.1%}   (target >= 95%)")
        print(f"  learning degraded: {pooled('learning', False):.1%}   (target >= 85%)")
        if adapted:
            print(f"  retrained {len(adapted)} times over {sum(1 for k in results if k[0] == 'learning')} sessions, median "
                  f"{statistics.median(adapted):.1f} s, max {max(adapted):.1f} s (after the answer, while it is spoken)")
    else:
        print(f"learning in the session: {not_learning}")
    for e in [x for x in ("grammar", "rescored") if x in engines]:
        for clean in (True, False):  # a wrong request acted on costs the user more than a request said again
            n = sum(len(ms) for (en, _, c), ms in results.items() if en == e and (c == "clean") == clean)
            right = round(pooled(e, clean) * n)
            missed = rejected.get((e, clean), 0)
            print(f"{e:8} {'clean' if clean else 'degraded':8} : of {n} clips {right} right, {missed} asked again "
                  f"(\"didn't catch that\"), {n - right - missed} misheard and acted on")
    for e in engines:  # the shipped engine and the open-vocabulary comparison separately
        rtf = asr_seconds[e] / audio_seconds[e]
        print(f"real-time factor : {e:8} {rtf:.3f} ({1 / rtf:.1f}x faster than real time; target 10x)")
    for e, ms in (("grammar", lat), ("rescored", lat_rescored)):
        if ms:
            print(f"end of audio -> response audio ({e}): median {statistics.median(ms) * 1000:.0f} ms, "
                  f"max {max(ms) * 1000:.0f} ms over {len(ms)} turns (target < 500 ms)")
    print(f"peak memory      : {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"bench time       : {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
