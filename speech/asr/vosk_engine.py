"""Vosk (Kaldi) recognition: any Vosk model directory, with an optional run-time phrase list."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from speech.asr.base import Transcript, chunks
from speech.asr.segment import in_vocabulary, split_word
from speech.asr.vocabulary import vosk_takes_grammar, vosk_vocabulary
from speech.audio import RATE, Audio
from speech.errors import EngineError, ModelError

__all__ = ["VoskRecognizer"]

log = logging.getLogger(__name__)


def _load_model(model_dir: str) -> Any:
    """A model is hundreds of MB: load each directory once per process, however it is reached (a
    symlinked directory is the directory it points to). A second copy would also change what Vosk
    hears: with the Korean model loaded again through a symlink and not used, the second phrase-list
    recogniser made on the first copy heard '커피 주문' as '주문' (the first one heard it right)."""
    return _load_resolved(str(Path(model_dir).resolve()))


@lru_cache(maxsize=2)
def _load_resolved(model_dir: str) -> Any:
    try:
        import vosk
    except ImportError as exc:
        raise EngineError("the Vosk engine needs the 'vosk' package") from exc
    vosk.SetLogLevel(-1)
    if not Path(model_dir).is_dir():
        raise ModelError(f"no Vosk model at {model_dir}")
    try:
        return vosk.Model(model_dir)
    except Exception as exc:  # vosk raises a bare Exception when the directory is not a model
        raise ModelError(f"{model_dir} is not a usable Vosk model: {exc}") from exc


class VoskRecognizer:
    """Streams audio through a Vosk model; with `grammar`, only those phrases (and '[unk]') can come out.

    A phrase is given to Vosk in the model's own words (`segment.in_vocabulary`: a Korean word it
    lacks is split into words it has, "장바구니에" -> "장바구니 에"), and what it hears in those words comes
    back as the phrase was written. Words it cannot say at all are left out of the phrase list (Vosk
    would drop them itself, silently) and listed in `self.missing`.
    """

    engine = "vosk"

    def __init__(self, model_dir: Path | str, grammar: list[str] | None = None) -> None:
        self.model_dir = Path(model_dir)
        self.grammar = grammar
        self.missing: list[str] = []
        self._phrases: list[str] | None = None
        self._recs: dict[str | None, Any] = {}
        """Search name (None: the own phrase list) -> its Vosk recogniser, made the first time it decodes:
        Vosk compiles a phrase list into a recogniser, so switching back and forth compiles nothing again."""
        self._searches: dict[str, list[str]] = {}
        """Search name -> the phrase list it decodes with (`use_search`)."""
        self._search: str | None = None
        """The search the recogniser decodes with now (None: its own phrase list)."""
        self._written: dict[str, str] = {}
        """A phrase in the model's words -> the phrase as the grammar wrote it."""

    @property
    def phrases(self) -> list[str] | None:
        """The phrase list Vosk is given (only phrases whose every word the model knows)."""
        if self.grammar is None:
            return None
        if self._phrases is None:
            if not vosk_takes_grammar(self.model_dir):
                log.warning("%s takes no run-time grammar; recognising open vocabulary", self.model_dir)
                self._phrases = []
                return None
            self._phrases, missing = self._said(self.grammar)
            self.missing = sorted(missing)
        return self._phrases or None

    def _said(self, phrases: list[str]) -> tuple[list[str], set[str]]:
        """The phrases Vosk can say, in its words, and the words it cannot say."""
        vocab = vosk_vocabulary(self.model_dir)
        said: dict[str, None] = {}
        missing: set[str] = set()
        for phrase in phrases:
            words, gone = in_vocabulary(phrase, vocab)
            if gone:
                missing.update(gone)
                continue
            said.setdefault(words, None)
            self._written.setdefault(words, phrase)
        return list(said), missing

    def missing_words(self, words: set[str] | list[str]) -> list[str]:
        vocab = vosk_vocabulary(self.model_dir)
        return sorted({w for w in words if split_word(w, vocab) is None})

    def new_session(self) -> None:
        """Nothing to forget: after a final result Vosk starts the next utterance with a new feature
        pipeline (its i-vector and cepstral statistics included), so each utterance is heard afresh."""

    def use_search(self, name: str | None, *, phrases: list[str] | None = None) -> None:
        """Decode the next utterances with the phrase list `phrases`, kept as `name` the first time it
        is named (Vosk compiles each list into a recogniser of its own, the first time it decodes); None
        goes back to the recogniser's own list. Phrases with words the model lacks are left out, as for the own list."""
        if name is not None and name not in self._searches:
            if phrases is None:
                raise EngineError(f"no search {name!r} and nothing to make it from")
            if self.phrases is None:  # a model without run-time grammars, or no own list: nothing to switch
                raise EngineError(f"{self.model_dir} takes no run-time phrase list")
            self._searches[name] = self._said(phrases)[0]
        self._search = name
        self._recogniser()  # compiled now, before the next utterance (the speaker switches after answering)

    def _recogniser(self) -> Any:
        """The Vosk recogniser of the current search, made (the model loaded, the list compiled) the first
        time: that costs time, once; FinalResult readies it for the next utterance."""
        import vosk

        rec = self._recs.get(self._search)
        if rec is None:
            model = _load_model(str(self.model_dir))
            if self.phrases is not None:
                rec = vosk.KaldiRecognizer(model, RATE, self._grammar_json())
            else:
                rec = vosk.KaldiRecognizer(model, RATE)
            rec.SetWords(True)
            self._recs[self._search] = rec
        return rec

    def _grammar_json(self) -> str:
        phrases = self._searches[self._search] if self._search is not None else self.phrases or []
        # '[unk]' lets out-of-grammar speech come back as unknown, where the model has the word
        unk = ["[unk]"] if "[unk]" in vosk_vocabulary(self.model_dir) else []
        return json.dumps([*phrases, *unk], ensure_ascii=False)

    def recognize(self, audio: Audio, on_partial: Callable[[str], None] | None = None) -> Transcript:
        if audio.rate != RATE:
            raise EngineError(f"Vosk is fed {RATE} Hz audio, got {audio.rate} Hz")
        start = time.perf_counter()
        rec = self._recogniser()
        texts: list[str] = []
        confs: list[float] = []
        partials: list[str] = []
        for chunk in chunks(audio):
            if rec.AcceptWaveform(chunk):
                self._collect(json.loads(rec.Result()), texts, confs)
            else:
                partial = json.loads(rec.PartialResult()).get("partial", "")
                if partial and (not partials or partials[-1] != partial):
                    partials.append(partial)
                    if on_partial:
                        on_partial(partial)
        last = time.perf_counter()
        self._collect(json.loads(rec.FinalResult()), texts, confs)
        end = time.perf_counter()
        text = " ".join(t for t in texts if t).replace("[unk]", "").strip()
        text = " ".join(text.split())
        text = self._written.get(text, text)
        return Transcript(
            text=text,
            confidence=sum(confs) / len(confs) if confs else 0.0,
            engine=self.engine,
            seconds=end - start,
            partials=partials,
            raw=text,
            finalise_seconds=end - last,
        )

    @staticmethod
    def _collect(result: dict[str, Any], texts: list[str], confs: list[float]) -> None:
        texts.append(result.get("text", ""))
        confs.extend(float(w.get("conf", 0.0)) for w in result.get("result", []) if w.get("word") != "[unk]")
