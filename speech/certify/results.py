"""What a certify run produced: case results per file, the checks, the figures and the verdict."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from speech.certify.scoring import Confusion, IntentFigures, intent_figures
from speech.validate import CheckResult

__all__ = ["CaseResult", "CertifyReport", "FileResult", "Thresholds"]

CaseKind = Literal["nlu", "dialog", "audio"]


@dataclass
class CaseResult:
    """One test case: an annotation, a dialog test or a recording."""

    kind: CaseKind
    name: str
    """The utterance, the dialog test's name, or the audio file's name."""
    passed: bool
    source: str = ""
    """'file:line'."""
    expected_intent: str | None = None
    actual_intent: str | None = None
    slots_ok: bool = True
    failures: list[str] = field(default_factory=list)
    """Why it failed: expected vs actual, one line each."""
    record: dict[str, Any] = field(default_factory=dict)
    """The details: Amazon's evaluation shape for NLU cases, steps for dialogs, transcript and WER for audio."""

    @property
    def status(self) -> str:
        return "PASSED" if self.passed else "FAILED"

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "name": self.name, "source": self.source, "failures": self.failures, **self.record}


@dataclass
class FileResult:
    path: str
    kind: str
    """'annotation-json', 'annotation-csv', 'sentences-yaml', 'dialog' or 'audio-set'."""
    cases: list[CaseResult]
    seconds: float = 0.0

    @property
    def passed(self) -> int:
        return sum(c.passed for c in self.cases)

    @property
    def failed(self) -> int:
        return len(self.cases) - self.passed

    def figures(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "kind": self.kind, "passed": self.passed, "failed": self.failed}
        scored = [c for c in self.cases if c.expected_intent is not None]
        if scored:
            out["intent_accuracy"] = round(sum(c.expected_intent == c.actual_intent for c in scored) / len(scored), 4)
        if self.kind == "audio-set":
            wer = audio_wer(self.cases)
            out["wer"] = None if wer is None else round(wer, 4)
        return out


def audio_wer(cases: list[CaseResult]) -> float | None:
    """Corpus word error rate: all errors over all reference words."""
    errors = sum(c.record.get("word_errors", 0) for c in cases if "word_errors" in c.record)
    words = sum(c.record.get("reference_words", 0) for c in cases if "reference_words" in c.record)
    if not any("reference_words" in c.record for c in cases):
        return None
    return errors / words if words else 0.0


@dataclass(frozen=True)
class Thresholds:
    min_intent_accuracy: float = 1.0
    """Intent accuracy the text cases (and, separately, the audio cases) must reach."""
    min_slot_accuracy: float = 1.0
    """Slot accuracy (of the cases whose intent was right) they must reach."""
    max_wer: float | None = None
    """Corpus word error rate the audio cases must stay at or under; None: not judged."""
    min_audio_intent_accuracy: float | None = None
    """Intent accuracy the audio cases must reach (recognition errors come on top of the NLU's);
    None: the same as `min_intent_accuracy`."""


@dataclass
class CertifyReport:
    files: list[FileResult]
    checks: list[CheckResult]
    thresholds: Thresholds = field(default_factory=Thresholds)
    recognizer: dict[str, Any] | None = None
    """What heard the audio cases (`Certifier.recognizer`): engine, snapped, second_opinion."""

    def recognizer_line(self) -> str | None:
        """'heard by pocketsphinx, snapped to the grammar, with Whisper's second opinion'; None when no
        audio case was heard."""
        r = self.recognizer
        if not r or not self.cases("audio"):
            return None
        parts = [f"heard by {r.get('engine')}"]
        if r.get("snapped"):
            parts.append("snapped to the grammar")
        parts.append("with Whisper's second opinion" if r.get("second_opinion") else "without a second opinion")
        return ", ".join(parts)

    def cases(self, kind: CaseKind | None = None) -> list[CaseResult]:
        return [c for f in self.files for c in f.cases if kind is None or c.kind == kind]

    @property
    def passed(self) -> int:
        return sum(c.passed for c in self.cases())

    @property
    def failed(self) -> int:
        return len(self.cases()) - self.passed

    def intent_figures(self, kind: CaseKind = "nlu") -> dict[str, IntentFigures]:
        return intent_figures(
            (c.expected_intent, c.actual_intent or "", c.slots_ok)
            for c in self.cases(kind)
            if c.expected_intent is not None
        )

    def confusion(self, kind: CaseKind = "nlu") -> Confusion:
        confusion = Confusion()
        for c in self.cases(kind):
            if c.expected_intent is not None:
                confusion.add(c.expected_intent, c.actual_intent or "")
        return confusion

    def accuracy(self, kind: CaseKind) -> tuple[float | None, float | None]:
        """(intent accuracy, slot accuracy) of the cases of one kind; None when there are none."""
        scored = [c for c in self.cases(kind) if c.expected_intent is not None]
        if not scored:
            return None, None
        right = [c for c in scored if c.expected_intent == c.actual_intent]
        slot = sum(c.slots_ok for c in right) / len(right) if right else None
        return len(right) / len(scored), slot

    def wer(self) -> float | None:
        return audio_wer(self.cases("audio"))

    def threshold_failures(self) -> list[str]:
        """Each figure that misses its threshold, as a sentence."""
        t = self.thresholds
        out: list[str] = []
        audio_min = t.min_intent_accuracy if t.min_audio_intent_accuracy is None else t.min_audio_intent_accuracy
        for kind, label, minimum in (("nlu", "text", t.min_intent_accuracy), ("audio", "audio", audio_min)):
            intent_acc, slot_acc = self.accuracy(kind)  # type: ignore[arg-type]
            if intent_acc is not None and intent_acc < minimum:
                out.append(f"{label} intent accuracy {intent_acc:.2%} is under the minimum {minimum:.2%}")
            if slot_acc is not None and slot_acc < t.min_slot_accuracy:
                out.append(f"{label} slot accuracy {slot_acc:.2%} is under the minimum {t.min_slot_accuracy:.2%}")
        wer = self.wer()
        if t.max_wer is not None and wer is not None and wer > t.max_wer:
            out.append(f"word error rate {wer:.2%} is over the maximum {t.max_wer:.2%}")
        return out

    def required_check_failures(self) -> list[CheckResult]:
        return [c for c in self.checks if c.severity == "REQUIRED" and c.status == "FAILED"]

    def ok(self) -> bool:
        """The run passes: every dialog test passes, every figure meets its threshold, no REQUIRED check fails.

        Text and audio cases are judged through the thresholds (their defaults ask for all of them),
        so `--min-intent-accuracy 0.95` tolerates a few misrecognised sentences but never a failed
        dialog test.
        """
        dialogs_ok = all(c.passed for c in self.cases("dialog"))
        return dialogs_ok and not self.threshold_failures() and not self.required_check_failures()

    def exit_status(self) -> int:
        return 0 if self.ok() else 1

    def to_json(self) -> dict[str, Any]:
        intent_acc, slot_acc = self.accuracy("nlu")
        audio_intent, audio_slot = self.accuracy("audio")
        wer = self.wer()
        return {
            "ok": self.ok(),
            "passed": self.passed,
            "failed": self.failed,
            "intent_accuracy": None if intent_acc is None else round(intent_acc, 4),
            "slot_accuracy": None if slot_acc is None else round(slot_acc, 4),
            "intents": {name: f.to_json() for name, f in self.intent_figures("nlu").items()},
            "confusion": self.confusion("nlu").to_json(),
            "audio": {
                "cases": len(self.cases("audio")),
                "wer": None if wer is None else round(wer, 4),
                "intent_accuracy": None if audio_intent is None else round(audio_intent, 4),
                "slot_accuracy": None if audio_slot is None else round(audio_slot, 4),
                "recognizer": self.recognizer,
            },
            "dialogs": {
                "passed": sum(c.passed for c in self.cases("dialog")),
                "failed": sum(not c.passed for c in self.cases("dialog")),
            },
            "thresholds": {
                "min_intent_accuracy": self.thresholds.min_intent_accuracy,
                "min_slot_accuracy": self.thresholds.min_slot_accuracy,
                "max_wer": self.thresholds.max_wer,
                "min_audio_intent_accuracy": self.thresholds.min_audio_intent_accuracy,
                "missed": self.threshold_failures(),
            },
            "checks": [c.to_json() for c in self.checks],
            "files": [{**f.figures(), "cases": [c.to_json() for c in f.cases]} for f in self.files],
        }
