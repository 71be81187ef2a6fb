"""From words and candidate slot values to the delexicalised symbols and n-gram features the NLU scores.

    "add two bottles of oat milk to my cart"
      -> symbols  [('add',), ('@NUM',), ('@UNIT',), ('of',), ('@PRODUCT',), ('to',), ('my',), ('cart',)]
      -> features {'add', '@NUM', ..., '<s> add', 'add @NUM', ...}

Slot values become their type, so "add milk" and "add oat milk" look alike and a sample generalises to
every value; unknown words become '@UNK' (a product the catalog does not know still fills the slot).
"""

from __future__ import annotations

from collections.abc import Iterable

from speech.nlu.builtin_types import Span

__all__ = ["UNK", "symbol_of", "choose_spans", "delexicalise", "ngram_features"]

UNK = "@UNK"
_KIND_SYMBOL = {"DIGITS": "@NUM", "NUM": "@NUM"}


def symbol_of(kind: str) -> str:
    """The placeholder symbol of a span kind ('NUM' -> '@NUM', 'PRODUCT' -> '@PRODUCT')."""
    return _KIND_SYMBOL.get(kind, "@" + kind)


def choose_spans(spans: Iterable[Span]) -> list[list[Span]]:
    """A non-overlapping cover: longest spans first; spans of the same extent are kept together."""
    groups: dict[tuple[int, int], list[Span]] = {}
    for s in spans:
        groups.setdefault((s.start, s.end), []).append(s)
    order = sorted(groups, key=lambda k: (-(k[1] - k[0]), -max(s.score for s in groups[k]), k[0]))
    taken: set[int] = set()
    chosen = []
    for key in order:
        if any(j in taken for j in range(*key)):
            continue
        taken.update(range(*key))
        chosen.append(groups[key])
    chosen.sort(key=lambda g: g[0].start)
    return chosen


def delexicalise(
    lemmas: list[str], spans: Iterable[Span], vocab: set[str] | frozenset[str]
) -> list[tuple[str, ...]]:
    """One tuple of symbols per position: a slot-type symbol for a value, the lemma of a known word,
    '@UNK' for a run of unknown words; runs of numbers collapse to one '@NUM'."""
    words = lemmas
    chosen = {g[0].start: g for g in choose_spans(spans)}
    out: list[tuple[str, ...]] = []
    i = 0
    n = len(words)
    while i < n:
        group = chosen.get(i)
        if group is not None:
            kinds = {symbol_of(s.kind) for s in group}
            if group[0].end == i + 1 and words[i] in vocab:
                kinds.add(words[i])  # "can", "home", "more": a value or a carrier word
            syms = tuple(sorted(kinds))
            i = group[0].end
        else:
            syms = (words[i],) if words[i] in vocab else (UNK,)
            i += 1
        if out and syms == out[-1] and syms in ((UNK,), ("@NUM",)):
            continue
        out.append(syms)
    return out


def ngram_features(symbols: list[tuple[str, ...]]) -> dict[str, float]:
    """Unigram and bigram features (with sentence boundaries), each with its base weight."""
    feats: dict[str, float] = {}
    for syms in symbols:
        for s in syms:
            if s != UNK:  # an unknown word alone says nothing for any intent; its neighbours do
                feats[s] = 1.0
    padded = [("<s>",), *symbols, ("</s>",)]
    for a, b in zip(padded, padded[1:], strict=False):
        for x in a:
            for y in b:
                feats[f"{x} {y}"] = 0.7
    return feats
