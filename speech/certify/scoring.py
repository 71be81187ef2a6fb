"""Scoring: slots compared as Amazon's NLU Evaluation compares them, per-intent precision, recall, F1
and slot accuracy, the confusion matrix, and word error rate.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from speech.certify.cases import ExpectedSlot
from speech.vocabulary import heard_text

__all__ = [
    "Confusion",
    "IntentFigures",
    "WordErrors",
    "intent_figures",
    "normalize_words",
    "resolution_problems",
    "slot_mismatches",
    "word_errors",
]

_SPACE = re.compile(r"\s+")


def _norm(text: Any) -> str:
    return _SPACE.sub(" ", str(text)).strip().lower()


def slot_mismatches(
    expected: Mapping[str, ExpectedSlot], actual: Mapping[str, Any], *, strict: bool = True
) -> list[str]:
    """What differs between the expected slots and the filled ones ([] when they agree).

    `actual` maps slot names to objects with `value`, and optionally `id` and `resolved` (the NLU's
    `SlotValue`). An expected value matches the heard value, the resolved name or the id, ignoring case,
    since annotations are written either way; an expected id must equal the id. With `strict`, a filled
    slot the annotation does not expect is a mismatch, as in Amazon's evaluation.
    """
    problems: list[str] = []
    for name, want in expected.items():
        got = actual.get(name)
        if got is None:
            problems.append(f"{name}: expected '{want.value if want.value is not None else want.id}', not filled")
            continue
        value = getattr(got, "value", got)
        got_id = getattr(got, "id", None)
        if want.value is not None:
            forms = {_norm(value)}
            for attr in ("resolved", "id"):
                extra = getattr(got, attr, None)
                if extra:
                    forms.add(_norm(extra))
            if _norm(want.value) not in forms:
                problems.append(f"{name}: expected '{want.value}', got '{value}'")
                continue
        if want.check_id and _norm(got_id or "") != _norm(want.id or ""):
            problems.append(f"{name}: expected id '{want.id}', got '{got_id}' ('{value}')")
    if strict:
        for name in actual:
            if name not in expected:
                problems.append(f"{name}: not expected, got '{getattr(actual[name], 'value', actual[name])}'")
    return problems


def resolution_problems(result: Any, intent: str, slots: Mapping[str, Any] | None = None) -> list[str]:
    """What an NLU result (`intent`, `slots`) gets wrong against an intent and its key slots, each
    given as a value or id and matched as `slot_mismatches` matches (other filled slots are fine); []
    when right. The check of the spoken test sentences in tests/ and bench/."""
    problems = [] if result.intent == intent else [f"intent: expected {intent}, got {result.intent}"]
    expected = {name: ExpectedSlot(str(value)) for name, value in (slots or {}).items()}
    return problems + slot_mismatches(expected, result.slots, strict=False)


@dataclass
class IntentFigures:
    """Figures for one intent over a set of scored cases."""

    support: int
    """Cases that expect this intent."""
    predicted: int
    """Cases that resolved to this intent."""
    true_positives: int
    slots_correct: int
    """Cases resolved to this intent correctly whose slots were right too."""

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.support if self.support else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def slot_accuracy(self) -> float | None:
        """Of the cases whose intent was right, the share whose slots were right; None when there are none."""
        return self.slots_correct / self.true_positives if self.true_positives else None

    def to_json(self) -> dict[str, Any]:
        sa = self.slot_accuracy
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "slot_accuracy": None if sa is None else round(sa, 4),
            "support": self.support,
        }


@dataclass
class Confusion:
    """Counts of (expected intent, actual intent)."""

    counts: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, expected: str, actual: str) -> None:
        self.counts[(expected, actual)] += 1

    @property
    def labels(self) -> list[str]:
        return sorted({e for e, _ in self.counts} | {a for _, a in self.counts})

    def matrix(self) -> list[list[int]]:
        """Rows: expected, columns: actual, both in `labels` order."""
        labels = self.labels
        return [[self.counts.get((e, a), 0) for a in labels] for e in labels]

    def to_json(self) -> dict[str, Any]:
        return {"labels": self.labels, "matrix": self.matrix()}


def intent_figures(scored: Iterable[tuple[str, str, bool]]) -> dict[str, IntentFigures]:
    """Per intent, from (expected intent, actual intent, slots right) triples."""
    figures: dict[str, IntentFigures] = {}

    def get(name: str) -> IntentFigures:
        return figures.setdefault(name, IntentFigures(0, 0, 0, 0))

    for expected, actual, slots_ok in scored:
        get(expected).support += 1
        get(actual).predicted += 1
        if expected == actual:
            get(expected).true_positives += 1
            if slots_ok:
                get(expected).slots_correct += 1
    return dict(sorted(figures.items()))


def normalize_words(text: str) -> list[str]:
    """Words as WER counts them (`heard_text`: lower case, punctuation other than apostrophes dropped)."""
    return heard_text(text).split()


@dataclass(frozen=True)
class WordErrors:
    """The edit distance between a reference and a hypothesis, in words."""

    substitutions: int
    deletions: int
    insertions: int
    reference_words: int

    @property
    def errors(self) -> int:
        return self.substitutions + self.deletions + self.insertions

    @property
    def wer(self) -> float:
        """(S + D + I) / N; for an empty reference 0.0 when nothing was heard, else 1.0."""
        if self.reference_words == 0:
            return 0.0 if self.insertions == 0 else 1.0
        return self.errors / self.reference_words


def word_errors(reference: str, hypothesis: str) -> WordErrors:
    """Levenshtein alignment over words, keeping the kind of each edit (ties prefer substitution)."""
    ref, hyp = normalize_words(reference), normalize_words(hypothesis)
    # Each cell: (total, substitutions, deletions, insertions).
    prev = [(j, 0, 0, j) for j in range(len(hyp) + 1)]
    for i in range(1, len(ref) + 1):
        cur = [(i, 0, i, 0)]
        for j in range(1, len(hyp) + 1):
            if ref[i - 1] == hyp[j - 1]:
                cur.append(prev[j - 1])
                continue
            sub, dele, ins = prev[j - 1], prev[j], cur[j - 1]
            best = min(
                (sub[0] + 1, 0, (sub[0] + 1, sub[1] + 1, sub[2], sub[3])),
                (dele[0] + 1, 1, (dele[0] + 1, dele[1], dele[2] + 1, dele[3])),
                (ins[0] + 1, 2, (ins[0] + 1, ins[1], ins[2], ins[3] + 1)),
            )
            cur.append(best[2])
        prev = cur
    _, s, d, n_ins = prev[-1]
    return WordErrors(substitutions=s, deletions=d, insertions=n_ins, reference_words=len(ref))
