"""pocketsphinx recognition (US English): a JSGF grammar from the interaction model, or open vocabulary."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from speech.asr.base import Transcript, chunks
from speech.audio import RATE, Audio
from speech.errors import EngineError

__all__ = ["PocketSphinxRecognizer", "sphinx_dictionary"]

log = logging.getLogger(__name__)


def _model_dir() -> Path:
    try:
        import pocketsphinx
    except ImportError as exc:
        raise EngineError("the pocketsphinx engine needs the 'pocketsphinx' package") from exc
    return Path(pocketsphinx.get_model_path()) / "en-us"


@lru_cache(maxsize=1)
def sphinx_dictionary() -> frozenset[str]:
    """The words of the bundled US-English pronunciation dictionary (alternates like 'read(2)' folded)."""
    path = _model_dir() / "cmudict-en-us.dict"
    words = set()
    with path.open(encoding="utf-8", errors="replace") as f:
        for line in f:
            head = line.split(" ", 1)[0]
            words.add(head.split("(", 1)[0])
    return frozenset(words)


class PocketSphinxRecognizer:
    """With `jsgf`, only sentences of that grammar can come out; without, the bundled 3-gram LM (open)."""

    def __init__(self, jsgf: str | None = None) -> None:
        self.jsgf = jsgf
        self.engine = "pocketsphinx" if jsgf else "pocketsphinx-open"
        self._decoder: Any = None
        self.missing: list[str] = []
        """Grammar words the dictionary lacks (dropped from the grammar); set by `create_recognizer`."""

    def missing_words(self, words: set[str] | list[str]) -> list[str]:
        vocab = sphinx_dictionary()
        return sorted({w for w in words if w not in vocab})

    def _load(self) -> Any:
        if self._decoder is None:
            from pocketsphinx import Decoder

            model = _model_dir()
            kwargs: dict[str, Any] = {
                "hmm": str(model / "en-us"),
                "dict": str(model / "cmudict-en-us.dict"),
                "samprate": RATE,
                "logfn": os.devnull,
            }
            if self.jsgf is None:
                kwargs["lm"] = str(model / "en-us.lm.bin")
            else:
                kwargs["lm"] = None
            try:
                dec = Decoder(**kwargs)
                if self.jsgf is not None:
                    dec.add_jsgf_string("grammar", self.jsgf)
                    dec.activate_search("grammar")
            except (ValueError, RuntimeError) as exc:
                raise EngineError(f"pocketsphinx could not load: {exc}") from exc
            self._decoder = dec
        return self._decoder

    def recognize(self, audio: Audio, on_partial: Callable[[str], None] | None = None) -> Transcript:
        if audio.rate != RATE:
            raise EngineError(f"pocketsphinx is fed {RATE} Hz audio, got {audio.rate} Hz")
        dec = self._load()
        start = time.perf_counter()
        partials: list[str] = []
        dec.start_utt()
        for chunk in chunks(audio):
            dec.process_raw(chunk, no_search=False, full_utt=False)
            if on_partial is not None:  # a partial hypothesis costs a search: only when asked for
                hyp = dec.hyp()
                if hyp is not None and hyp.hypstr and (not partials or partials[-1] != hyp.hypstr):
                    partials.append(hyp.hypstr)
                    on_partial(hyp.hypstr)
        last = time.perf_counter()
        dec.end_utt()
        hyp = dec.hyp()
        end = time.perf_counter()
        text = " ".join((hyp.hypstr if hyp is not None else "").split()).lower()
        confidence = 0.0
        if hyp is not None and text:
            try:
                confidence = float(dec.get_logmath().exp(hyp.prob))
            except Exception:  # some searches give no posterior
                confidence = 0.0
        return Transcript(
            text=text, confidence=confidence, engine=self.engine, seconds=end - start,
            partials=partials, raw=text, finalise_seconds=end - last,
        )
