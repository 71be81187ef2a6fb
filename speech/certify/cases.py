"""What test files hold, once read: NLU cases, dialog scripts with assertions, audio cases."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "Assertion",
    "AudioCase",
    "AudioSet",
    "DialogScript",
    "DialogStep",
    "DialogTest",
    "ExpectedSlot",
    "NluCase",
    "NluSet",
    "TestFile",
]

NluFormat = Literal["annotation-json", "annotation-csv", "sentences-yaml"]
StepKind = Literal["launch", "utterance", "intent", "end"]


@dataclass(frozen=True)
class ExpectedSlot:
    """A slot an annotation expects."""

    value: str | None
    """The expected value: matched against the slot's value, its resolved name or its id; None: any value."""
    id: str | None = None
    """The entity-resolution id it must have, when `check_id`."""
    check_id: bool = False
    """True when the file gave an id (`id: null` meaning: no entity matched)."""


@dataclass
class NluCase:
    """One annotation: an utterance and the intent and slots it should resolve to."""

    utterance: str
    intent: str
    slots: dict[str, ExpectedSlot] = field(default_factory=dict)
    """The slots the utterance should fill."""
    reference_time: str | None = None
    """ISO 8601 time relative dates resolve against (`inputs.referenceTimestamp`)."""
    source: str = ""
    """'file:line', for reports."""
    strict_slots: bool = True
    """True: any other filled slot is a mismatch (as Amazon scores annotation sets); False: slots not
    listed are not checked (the sentence files' rule)."""


@dataclass
class NluSet:
    path: Path
    format: NluFormat
    cases: list[NluCase]


@dataclass(frozen=True)
class Assertion:
    """`path operator expected`, as in a Bespoken test script."""

    path: str
    """A shorthand (prompt, reprompt, cardTitle, cardContent, sessionEnded, intent, slots) or a JSON path
    into the response envelope (response.outputSpeech.ssml) or, for `request.`, the request sent."""
    operator: str
    """One of : == =~ != > >= < <=."""
    expected: Any
    """A string (with * wildcards, or /regex/), a number, a boolean, None, a list (any of) or, for
    `slots`, a mapping of slot name to expected value."""
    line: int = 0


@dataclass
class DialogStep:
    """One interaction of a dialog test: what is said or sent, and what must come back."""

    kind: StepKind
    text: str
    """The spoken line; for kind 'intent' the line as written ('AddToCartIntent product=milk')."""
    intent: str | None = None
    """For kind 'intent': the intent sent directly."""
    slots: dict[str, str] = field(default_factory=dict)
    """For kind 'intent': slot values sent directly."""
    assertions: list[Assertion] = field(default_factory=list)
    line: int = 0


@dataclass
class DialogTest:
    name: str
    steps: list[DialogStep]
    line: int = 0


@dataclass
class DialogScript:
    path: Path
    configuration: dict[str, Any]
    """The configuration document: locale, userId, referenceTimestamp, ..."""
    tests: list[DialogTest]


@dataclass
class AudioCase:
    """One recording of an audio set."""

    audio: Path
    transcription: str | None
    """What was said (`expectedTranscription`); scored for word error rate."""
    intent: str | None = None
    slots: dict[str, ExpectedSlot] = field(default_factory=dict)
    source: str = ""


@dataclass
class AudioSet:
    path: Path
    cases: list[AudioCase]


TestFile = NluSet | DialogScript | AudioSet
