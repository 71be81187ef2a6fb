"""Snapping: what a recogniser heard, checked against the grammar and moved to the nearest sentence it says.

    snapper = Snapper(grammar, phones=phones)   # phones: words -> ARPAbet string (English engines)
    snapper.snap("add to bottles of milk")      # Snap(text='add two bottles of milk', score=97.8, ...)

A transcript the grammar says exactly passes; a near one is snapped to the sentence nearest by spelling,
then by sound; anything else is rejected. No snap puts one heard value in place of another (a code's
digits, a product word), because a wrong item in the cart is worse than "Sorry, I didn't catch that".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from speech.grammar import Grammar, normalise
from speech.interaction_model import SLOT_REF
from speech.number_words import CODE_DIGIT_WORDS

__all__ = ["SNAP_THRESHOLD", "Snap", "Snapper", "value_words"]

SNAP_THRESHOLD = 80.0
"""rapidfuzz ratio (0..100) at or above which a transcript is snapped to the nearest grammar sentence."""

_CACHE_LIMIT = 50_000
"""Snaps remembered before the memory is cleared (a recogniser snaps a hypothesis to choose a sentence,
then again for its candidates)."""


@dataclass(frozen=True)
class Snap:
    """What snapping did to a transcript."""

    text: str | None
    """The grammar sentence it was snapped to; None when it was rejected."""
    score: float
    """0..100 similarity to that sentence (100 when the transcript was already in the grammar)."""
    heard: str
    """The transcript as the engine gave it."""

    @property
    def accepted(self) -> bool:
        return self.text is not None


class Snapper:
    """Snaps transcripts to one grammar's sentences, with one threshold and one way of hearing words."""

    def __init__(self, grammar: Grammar, *, threshold: float = SNAP_THRESHOLD,
                 phones: Callable[[str], str] | None = None) -> None:
        self.grammar = grammar
        self.threshold = threshold
        self.phones = phones
        """words -> phone string, to compare near sentences by sound (English engines); None: by spelling."""
        self._snapped: dict[str, Snap] = {}
        self._value_words: frozenset[str] | None = None

    def snap(self, text: str) -> Snap:
        """The grammar sentence nearest `text`, or a rejection when none is at least `threshold` similar.

        With `phones`, the nearest sentences by spelling are compared again by sound, which is how a
        recogniser errs: 'what to three four' is far from 'one two three four' in letters and near in
        phones (W AH T T UW / W AH N T UW). Sentences of the grammar one word shorter than `text` are
        candidates too (`one_word_less`)."""
        known = self._snapped.get(text)
        if known is None:
            known = self._snap(text)
            if len(self._snapped) >= _CACHE_LIMIT:
                self._snapped.clear()
            self._snapped[text] = known
        return known

    def _snap(self, text: str) -> Snap:
        from rapidfuzz import fuzz, process  # imported here: only snapping needs it

        grammar, threshold, phones = self.grammar, self.threshold, self.phones
        t = normalise(text)
        if not t:
            return Snap(None, 0.0, text)
        if grammar.accepts(t):
            return Snap(t, 100.0, text)
        prefix, rest = grammar.split_one_shot(t)
        if prefix:  # snap the request, keep the invocation that was heard
            inner = self.snap(rest)
            return Snap(f"{prefix} {inner.text}" if inner.text else None, inner.score, text)
        if phones is None:
            best = process.extractOne(t, grammar.phrases, scorer=fuzz.ratio, score_cutoff=threshold)
            if best is None:
                return Snap(None, _best_score(t, grammar.phrases), text)
            return self._keep_heard(Snap(best[0], float(best[1]), text), t)
        heard = phones(t)
        near = [c for c, _, _ in process.extract(t, grammar.phrases, scorer=fuzz.ratio, limit=25)]
        scored = sorted(((fuzz.ratio(heard, phones(c)), c) for c in (*near, *self.one_word_less(t))), reverse=True)
        if not scored or scored[0][0] < threshold:
            return Snap(None, scored[0][0] if scored else 0.0, text)
        return self._keep_heard(Snap(scored[0][1], float(scored[0][0]), text), t)

    @property
    def value_words(self) -> frozenset[str]:
        """`value_words` of the grammar, worked out once."""
        if self._value_words is None:
            self._value_words = value_words(self.grammar)
        return self._value_words

    def _keep_heard(self, snap: Snap, heard: str) -> Snap:
        """No snap puts one heard value in place of another: a spoken code keeps its digits (see
        `_keep_code`), and a product, address or card word that was heard is not swapped for another.
        The phrase list holds a sample of the values for each template, so the nearest listed sentence
        often carries some other product ('remove the coffee to my cart' -> 'remove the pasta from my
        cart')."""
        snap = _keep_code(snap, heard)
        if snap.text is None:
            return snap
        values = self.value_words
        said = {w for w in heard.split() if w in values}
        kept = {w for w in snap.text.split() if w in values}
        if said - kept and kept - said:
            return Snap(None, snap.score, snap.heard)
        # nor grown into another value ('the coffee' -> 'coffee mate', a creamer; 'milk' -> 'whole milk' is one)
        heard_ids = _named_values(heard, self.grammar.value_ids)
        if heard_ids and _named_values(snap.text, self.grammar.value_ids) - heard_ids:
            return Snap(None, snap.score, snap.heard)
        return snap

    def one_word_less(self, text: str) -> list[str]:
        """The sentences the grammar says exactly with one word of `text` left out.

        The phrase list holds a sample of the slot combinations, so the sentence a recogniser nearly
        heard may be in none of it ('add a dozen eggs to' is one stray word from 'add a dozen eggs',
        whose nearest listed phrase is 'add a dozen of those'); the exact grammar has it."""
        words = normalise(text).split()
        out = []
        for i in range(len(words)):
            c = " ".join(words[:i] + words[i + 1 :])
            if c and c not in out and self.grammar.accepts(c):
                out.append(c)
        return out


_LONGEST_VALUE = 6
"""Words in the longest slot value looked for in a sentence (`_named_values`)."""


def _named_values(text: str, value_ids: dict[str, str]) -> set[str]:
    """The slot values a sentence names, by their ids: the longest value said at each place wins."""
    words = text.split()
    found: set[str] = set()
    i = 0
    while i < len(words):
        for n in range(min(_LONGEST_VALUE, len(words) - i), 0, -1):
            vid = value_ids.get(" ".join(words[i : i + n]))
            if vid is not None:
                found.add(vid)
                i += n
                break
        else:
            i += 1
    return found


def value_words(grammar: Grammar) -> frozenset[str]:
    """Words that only a custom slot value says ('coffee', 'pasta', 'visa'), never a template's own
    words ('add', 'my', 'cart') nor a built-in type's (numbers, dates, ordinals)."""
    said = {w for t in grammar.templates for w in SLOT_REF.sub(" ", t).split()}
    said |= {w for t in grammar.one_shot for w in t.split()}
    said |= {w for name, values in grammar.slot_values.items() if name.startswith("AMAZON.")
             for v in values for w in v.split()}
    return frozenset(w for name, values in grammar.slot_values.items()
                     if not name.startswith("AMAZON.")
                     for v in values for w in v.split() if w not in said)


_CODE_RUN = 3
"""Digit words in a row from which a transcript holds a code (a voice code, an order number)."""


_SOUNDS_LIKE_DIGIT = {"oh": "zero", "for": "four", "to": "two", "too": "two", "won": "one", "ate": "eight"}


def _digit_runs(text: str) -> list[tuple[str, ...]]:
    """The runs of at least `_CODE_RUN` digit words in a sentence ('code is one two three four'), with
    words that sound the same read as the digit ('one two three for')."""
    runs: list[tuple[str, ...]] = []
    run: list[str] = []
    for w in (*text.split(), ""):
        if w in CODE_DIGIT_WORDS or w in _SOUNDS_LIKE_DIGIT:
            run.append(_SOUNDS_LIKE_DIGIT.get(w, w))
            continue
        if len(run) >= _CODE_RUN:
            runs.append(tuple(run))
        run = []
    return runs


def _keep_code(snap: Snap, heard: str) -> Snap:
    """No snap rewrites a spoken code: the phrase list holds a dozen sample codes, and the nearest one
    is never the code that was said. A near sentence with other digits is a rejection ("didn't catch
    that": the user says it again), not a wrong voice code that counts towards a lockout."""
    said = _digit_runs(heard)
    if said and snap.text is not None and _digit_runs(snap.text) != said:
        return Snap(None, snap.score, snap.heard)
    return snap



def _best_score(t: str, phrases: Sequence[str]) -> float:
    from rapidfuzz import fuzz, process

    best = process.extractOne(t, phrases, scorer=fuzz.ratio)
    return float(best[1]) if best else 0.0

