"""Every value and synonym of the model's custom slot types, found in utterances by longest match.

    gaz = Gazetteer.from_types(model.types)
    gaz.find(tokens("add two bottles of oat milk"))   # [Span(2, 3, 'UNIT', 'bottles', id='bottle'), Span(4, 6, 'PRODUCT', ...)]
    gaz.lookup("PRODUCT", "chedder cheese")           # fuzzy: Span(..., id='cheddar_cheese', score=0.9)

Matching is on lightly stemmed words, so "bananas" finds "banana"; near-misses ("chedder") are matched
with rapidfuzz when the word is not a known word of the model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from speech.interaction_model import SlotType
from speech.nlu.builtin_types import Span
from speech.nlu.normalize import SMALL_NUMBER_WORDS, stem, tokens

__all__ = ["Entry", "Gazetteer"]

FUZZY_CUTOFF = 86.0
"""rapidfuzz ratio (0..100) a near-miss needs to count as the value."""
_MAX_PHRASE = 6


@dataclass(frozen=True)
class Entry:
    """One spoken form of a slot value."""

    type: str
    """The slot type's name."""
    words: tuple[str, ...]
    """The spoken form, stemmed."""
    value: str
    """The canonical value (entity resolution name)."""
    id: str | None
    """Entity resolution id."""


_NUMBER_WORDS = {w: str(i) for i, w in enumerate(SMALL_NUMBER_WORDS)}


def _with_digits(words: list[str]) -> list[list[str]]:
    """A spoken form, and the same written with digits when it has number words, as a typed or
    transcribed utterance may say it: "six thirty pm" is also "6 30 pm" and "6:30 pm"."""
    if not any(w in _NUMBER_WORDS for w in words):
        return [words]
    digits = [_NUMBER_WORDS.get(w, w) for w in words]
    forms = [words, digits]
    for i in range(len(digits) - 1):
        if digits[i].isdigit() and words[i + 1] == "thirty":
            forms.append(digits[:i] + [f"{digits[i]}:30"] + digits[i + 2 :])
    return forms


class Gazetteer:
    """Slot values of custom types indexed by their first (stemmed) word."""

    def __init__(self, entries: Iterable[Entry], tokenize: Callable[..., list[str]] = tokens) -> None:
        self.tokenize = tokenize
        """The locale's word splitter (`normalize.tokens` for English): values and look-ups alike."""
        self.by_first: dict[str, list[Entry]] = {}
        self.by_type: dict[str, dict[str, Entry]] = {}
        self.words: set[str] = set()
        for e in entries:
            if not e.words:
                continue
            self.by_first.setdefault(e.words[0], []).append(e)
            self.by_type.setdefault(e.type, {})[" ".join(e.words)] = e
            self.words.update(e.words)
        for lst in self.by_first.values():
            lst.sort(key=lambda e: -len(e.words))
        self._choices = {t: list(d) for t, d in self.by_type.items()}
        self._all_choices = [(t, k) for t, d in self.by_type.items() for k in d]
        self._all_keys = [k for _, k in self._all_choices]

    @classmethod
    def from_types(
        cls,
        types: Iterable[SlotType],
        tokenize: Callable[..., list[str]] = tokens,
        readings: Callable[[str, str], list[list[str]]] | None = None,
    ) -> Gazetteer:
        """The values of `types`, each as `tokenize` reads it and (`readings(type, form)`) as the
        locale's analyser may read it inside a sentence."""
        entries = []
        for t in types:
            for v in t.values:
                for form in (v.value, *v.synonyms):
                    read = [tokenize(form), *(readings(t.name, form) if readings else [])]
                    for words in dict.fromkeys(tuple(r) for r in read):
                        for said in _with_digits(list(words)):
                            entries.append(Entry(t.name, tuple(stem(w) for w in said), v.value, v.id))
        return cls(entries, tokenize)

    @property
    def types(self) -> list[str]:
        return list(self.by_type)

    def find(self, words: list[str], *, known: set[str] | frozenset[str] = frozenset()) -> list[Span]:
        """Every value in `words`: per type, the longest match at each position; spans inside a longer
        span of the same type are dropped. Unknown words (not in `known` nor the gazetteer) are also
        tried fuzzily."""
        stems = [stem(w) for w in words]
        found: dict[tuple[int, str], Span] = {}
        n = len(stems)
        for i in range(n):
            for e in self.by_first.get(stems[i], ()):
                k = len(e.words)
                if tuple(stems[i : i + k]) == e.words:
                    key = (i, e.type)
                    if key not in found or found[key].end < i + k:
                        found[key] = Span(i, i + k, e.type, " ".join(words[i : i + k]), e.id, e.value)
        covered = {j for s in found.values() for j in range(s.start, s.end)}
        for i in range(n):
            if i in covered or stems[i] in known or stems[i] in self.words or len(words[i]) < 4:
                continue
            if words[i].isdigit():
                continue
            span = self._fuzzy_at(words, i)
            if span is not None:
                found.setdefault((i, span.kind), span)
        spans = sorted(found.values(), key=lambda s: (s.start, -s.end))
        keep = []
        for s in spans:
            if any(o.kind == s.kind and o.start <= s.start and s.end <= o.end and o != s for o in spans):
                continue
            keep.append(s)
        return keep

    def _fuzzy_at(self, words: list[str], i: int) -> Span | None:
        best: tuple[float, int, str, str] | None = None
        for k in (3, 2, 1):
            if i + k > len(words):
                continue
            query = " ".join(stem(w) for w in words[i : i + k])
            hit = process.extractOne(query, self._all_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
            if hit and (best is None or hit[1] > best[0] + 2):
                t, key = self._all_choices[hit[2]]
                best = (hit[1], k, t, key)
        if best is None:
            return None
        score, k, t, key = best
        e = self.by_type[t][key]
        return Span(i, i + k, t, " ".join(words[i : i + k]), e.id, e.value, score / 100)

    def lookup(self, slot_type: str, text: str) -> Span | None:
        """Resolve free text heard in a slot of `slot_type`: exact, then fuzzy; None when nothing fits."""
        words = self.tokenize(text)
        if not words or slot_type not in self.by_type:
            return None
        key = " ".join(stem(w) for w in words)
        table = self.by_type[slot_type]
        e = table.get(key)
        score = 1.0
        if e is None:
            hit = process.extractOne(
                key, self._choices[slot_type], scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
            )
            if hit is None:
                return None
            e, score = table[hit[0]], hit[1] / 100
        return Span(0, len(words), slot_type, " ".join(words), e.id, e.value, score)
