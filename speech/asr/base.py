"""The recogniser interface every ASR engine implements, and its result."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from speech.audio import Audio
from speech.expectation import Expectation

__all__ = ["Transcript", "Recognizer", "Expectation", "ListensForAnswers", "SwitchesSearch", "LearnsVoice", "chunks",
           "CHUNK_SAMPLES"]

CHUNK_SAMPLES = 4000
"""Streaming chunk: a quarter second at 16 kHz, what a speaker would send over the wire."""


@dataclass
class Transcript:
    """What an engine heard in one utterance."""

    text: str
    """Lower-case words; '' when nothing was recognised."""
    confidence: float
    """0..1, the engine's own estimate (engines differ in how well calibrated it is): pocketsphinx the
    sentence's posterior in its lattice (small: the lattice spreads it over pronunciations and pauses),
    Vosk the mean of its word confidences."""
    engine: str
    """'vosk', 'pocketsphinx' or 'pocketsphinx-open'."""
    seconds: float
    """Wall-clock time spent recognising."""
    alternatives: list[str] = field(default_factory=list)
    """Other hypotheses, best first (empty when the engine gives none)."""
    partials: list[str] = field(default_factory=list)
    """Partial results seen while streaming, in order."""
    raw: str = ""
    """The engine's text before snapping to the grammar (equal to `text` when not snapped)."""
    finalise_seconds: float = 0.0
    """Time from the last audio chunk to the final result (what the user waits for)."""

    @property
    def rewritten(self) -> bool:
        """A sentence was passed on that is not the engine's own words: snapped to the grammar, or chosen
        or heard by the second opinion (`raw` says what the engine heard)."""
        return bool(self.text) and bool(self.raw) and self.raw != self.text


class Recognizer(Protocol):
    """recognize(audio) -> Transcript; engines load their model lazily, once.

    Utterances in a row are one session (one speaker in one room): an engine may carry what it learnt
    from one to the next (pocketsphinx its cepstral mean). `new_session` starts afresh, for another
    speaker or room, or for a clip that must be heard on its own (a certification case)."""

    engine: str

    @property
    def missing(self) -> list[str]:
        """Words of the grammar the engine's model lacks, left out of what it can hear (the report the
        speaker prints at start); [] without a grammar."""
        ...

    def recognize(self, audio: Audio, on_partial: Callable[[str], None] | None = None) -> Transcript: ...

    def missing_words(self, words: set[str] | list[str]) -> list[str]: ...

    def new_session(self) -> None: ...


@runtime_checkable
class ListensForAnswers(Protocol):
    """A recogniser that can listen for the dialog's expected answer, as Alexa does after ElicitSlot."""

    def listen_for(self, expectation: Expectation | None) -> None:
        """Listen for the answer to `expectation` from the next utterance on (None: anything the model says)."""
        ...


@runtime_checkable
class SwitchesSearch(Protocol):
    """An engine that can decode with another search (an answer grammar) and back with its own."""

    def use_search(self, name: str | None, **search: Any) -> None:
        """Decode with search `name`, made from `search` the first time (None: the engine's own search)."""
        ...


@runtime_checkable
class LearnsVoice(Protocol):
    """A recogniser that learns a speaker's voice (pocketsphinx with MLLR transforms, `speech.asr.adapt`)."""

    def adapt(self, transform: Path | None) -> None:
        """Decode with the speaker's transform from now on (None: without one)."""
        ...

    def clean(self, audio: Audio, *, observe: bool = False) -> Audio:
        """The clip as the engine decodes it (what a transform is trained on)."""
        ...


def chunks(audio: Audio, size: int = CHUNK_SAMPLES) -> Iterator[bytes]:
    """The clip as PCM chunks of `size` samples, as a microphone would deliver it."""
    pcm = audio.pcm()
    step = size * 2
    for i in range(0, len(pcm), step):
        yield pcm[i : i + step]
