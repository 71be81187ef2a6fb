"""NLU test sentences as data, and how well an understander does on them.

    sentences = load_sentence_dir(Path("tests/speech/nlu/data"))
    report = evaluate(compile_model("interaction_model.json"), sentences, reference_time=REF)
    report.intent_accuracy, report.slot_accuracy, report.ood_rejection

File format (YAML, one file per intent; `out_of_domain.yaml` expects AMAZON.FallbackIntent):

    intent: AddToCartIntent
    sentences:
      - {text: "add two bottles of milk", slots: {product: {value: "milk", id: milk}, quantity: "2"}}

A slot given as a plain string is its expected value; a mapping may give `value` and/or `id`
(`id: null` expects ER_SUCCESS_NO_MATCH). Slots not listed are not checked.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from speech.errors import TestFileError
from speech.nlu.builtin_intents import FALLBACK_INTENT
from speech.nlu.types import Resolution, Understander

__all__ = [
    "TestSentence",
    "Report",
    "load_sentence_file",
    "load_sentence_dir",
    "sentence_files",
    "evaluate",
    "slot_matches",
]


@dataclass(frozen=True)
class TestSentence:
    """One sentence with what the NLU should make of it."""

    __test__ = False  # not a pytest class

    text: str
    intent: str
    slots: dict[str, dict[str, Any]]
    """slot name -> {'value': str} and/or {'id': str | None}."""
    source: str
    """File name, for messages."""


@dataclass
class Report:
    """Accuracy figures over a set of sentences."""

    intent_total: int = 0
    intent_correct: int = 0
    slot_total: int = 0
    slot_correct: int = 0
    ood_total: int = 0
    ood_rejected: int = 0
    times: list[float] = field(default_factory=list)
    """Seconds per resolve call."""
    failures: list[str] = field(default_factory=list)

    @property
    def intent_accuracy(self) -> float:
        return self.intent_correct / self.intent_total if self.intent_total else 0.0

    @property
    def slot_accuracy(self) -> float:
        return self.slot_correct / self.slot_total if self.slot_total else 0.0

    @property
    def ood_rejection(self) -> float:
        return self.ood_rejected / self.ood_total if self.ood_total else 0.0

    def percentile(self, p: float) -> float:
        if not self.times:
            return 0.0
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def _slot_spec(raw: Any, where: str) -> dict[str, Any]:
    if isinstance(raw, (str, int)):
        return {"value": str(raw)}
    if isinstance(raw, dict) and set(raw) <= {"value", "id"} and raw:
        return {k: (None if v is None else str(v)) for k, v in raw.items()}
    raise TestFileError(f"{where}: a slot is a string or a mapping with 'value' and/or 'id'")


def load_sentence_file(path: Path) -> list[TestSentence]:
    """Read one sentence file; a malformed file is a `TestFileError` naming it."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise TestFileError(f"{path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("intent"), str):
        raise TestFileError(f"{path}: expected 'intent: <name>' at the top")
    entries = data.get("sentences")
    if not isinstance(entries, list) or not entries:
        raise TestFileError(f"{path}: expected a non-empty 'sentences' list")
    out = []
    for n, entry in enumerate(entries):
        where = f"{path.name}, sentence {n + 1}"
        if isinstance(entry, str):
            entry = {"text": entry}
        if not isinstance(entry, dict) or not isinstance(entry.get("text"), str):
            raise TestFileError(f"{where}: expected {{text: ..., slots: ...}}")
        slots = entry.get("slots") or {}
        if not isinstance(slots, dict):
            raise TestFileError(f"{where}: 'slots' must be a mapping")
        out.append(
            TestSentence(
                entry["text"],
                str(entry.get("intent", data["intent"])),
                {k: _slot_spec(v, where) for k, v in slots.items()},
                path.name,
            )
        )
    return out


def sentence_files(folder: Path) -> list[Path]:
    """Every `*.yaml` sentence file in `folder` and its subfolders (a held-out set lives in one), in path order."""
    return sorted(folder.rglob("*.yaml"))


def load_sentence_dir(folder: Path) -> list[TestSentence]:
    """Every sentence of `sentence_files(folder)`."""
    return [s for p in sentence_files(folder) for s in load_sentence_file(p)]


def slot_matches(resolution: Resolution, name: str, spec: dict[str, Any]) -> bool:
    """Whether the resolution's slot `name` has the expected value and/or id."""
    slot = resolution.slots.get(name)
    if slot is None:
        return False
    if "value" in spec and slot.value != spec["value"]:
        return False
    return not ("id" in spec and slot.id != spec["id"])


def evaluate(
    nlu: Understander, sentences: list[TestSentence], *, reference_time: datetime | None = None
) -> Report:
    """Resolve every sentence and count what came out right."""
    report = Report()
    for s in sentences:
        start = time.perf_counter()
        r = nlu.resolve(s.text, reference_time=reference_time)
        report.times.append(time.perf_counter() - start)
        if s.intent == FALLBACK_INTENT:
            report.ood_total += 1
            if r.intent == FALLBACK_INTENT:
                report.ood_rejected += 1
            else:
                report.failures.append(f"{s.source}: '{s.text}' -> {r.intent} ({r.confidence:.2f})")
            continue
        report.intent_total += 1
        if r.intent == s.intent:
            report.intent_correct += 1
        else:
            report.failures.append(f"{s.source}: '{s.text}' -> {r.intent} ({r.confidence:.2f})")
        for name, spec in s.slots.items():
            report.slot_total += 1
            # a slot counts only when the intent is right too: a slot on the wrong intent is useless
            if r.intent == s.intent and slot_matches(r, name, spec):
                report.slot_correct += 1
            else:
                got = r.slots.get(name)
                report.failures.append(
                    f"{s.source}: '{s.text}' slot {name}: want {spec}, got {got and (got.value, got.id)}"
                )
    return report
