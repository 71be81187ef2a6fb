"""Align an utterance to one sample template and read the slots off the alignment.

An edit distance where a template slot consumes a candidate value of a fitting type (free), a few
unknown words (free text: a product the gazetteer does not know), or nothing (the slot was not said);
carrier words match by stem, and extra or missing words cost according to how much they carry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from speech.nlu.builtin_types import BUILTIN_KINDS, Span
from speech.nlu.normalize import FILLER_WORDS, FUNCTION_WORDS, NEUTRAL_WORDS, stem

__all__ = ["Template", "Alignment", "align", "head_value", "phrase_value", "price_end", "FREE_TEXT_MAX"]

FREE_TEXT_MAX = 5
"""Most words a free-text slot value may take."""

INSERT_FUNCTION = 0.25
INSERT_WORD = 1.0
DELETE_FUNCTION = 0.3
DELETE_WORD = 0.9
SKIP_SLOT = 0.45
SUBSTITUTE = 0.8
FREE_TEXT_EVIDENCE = 0.3
VALUE_EVIDENCE = {"TEXT": FREE_TEXT_EVIDENCE, "NUM": 0.5}
"""How much a value found for a slot says the request is this intent's: a catalog value or a date says
a lot, free text (any unknown words) and a bare number (thermostats and timers have numbers) less."""
FREE_TEXT_BASE = 0.55
FREE_TEXT_PER_WORD = 0.3
FREE_TEXT_KNOWN_WORD = 1.1
"""A carrier word inside a free-text value costs more than leaving it out: "remove the eggs from my
basket" must not read "eggs from my basket" as the product."""

_BUILTIN_SPAN_KINDS = frozenset(BUILTIN_KINDS.values())
PRICE_COST = 0.2
"""What a price said inside an open value costs ("shampoo under five dollars"): less than its words as extras."""
_PRICE_LEADS = frozenset({"under", "below", "than", "over", "within", "max", "maximum", "around", "about"})
_CURRENCY = frozenset({"dollar", "dollars", "buck", "bucks", "cents"})


def price_end(
    words: list[str], at: int, numeric: set[int], covered: frozenset[int] | set[int] = frozenset()
) -> int:
    """The end of a price said at `at` inside a product request ("under five dollars", "less than
    $4"), or 0: a number there is part of what is wanted, not a quantity."""
    j = at
    if j >= len(words):
        return 0
    if j + 1 < len(words) and words[j] == "for" and j not in covered:  # "for under five dollars"
        j += 1
    lead = j < len(words) and words[j] in _PRICE_LEADS and j not in covered
    if words[j] in ("less", "more") and j + 1 < len(words) and words[j + 1] == "than":
        lead, j = True, j + 1
    if lead:
        j += 1
    k = j
    while k < len(words) and k in numeric and k not in covered:
        k += 1
    if k == j:
        return 0
    if k < len(words) and words[k] in _CURRENCY:
        return k + 1
    return k if lead else 0


SIZE_WORDS = frozenset({"size", "number", "stage", "step"})
"""Words before a number that make it part of a product's name ("size 4 diapers", "stage 2")."""
ALTERNATIVE_JOINERS = frozenset({"or", "and", "versus", "vs"})
"""Words joining two products named as one request ("heinz or hunt's ketchup", "pompeian and bertolli")."""
JOIN_COST = 0.1
PHRASE_MAX = 8
"""Most words one open value (a product said with its brand and description) may take."""
VALUE_JOIN = 0.3
"""What each value after the first inside one open value costs (as an unknown word does)."""


def phrase_value(words: list[str], start: int, end: int, slot_type: str, values: list[Span]) -> Span:
    """An open slot's value said as `words[start:end]` around the known `values`, resolved by `head_value`
    (no id when none resolves it)."""
    head = head_value(values, end)
    text = " ".join(words[start:end])
    return Span(start, end, slot_type, text, head.id if head else None, head.resolved if head else None)


def head_value(values: list[Span], end: int) -> Span | None:
    """The value that resolves a phrase made of `values` and other words ending at `end`: the one
    value, or all agreeing; else the last when the phrase ends with it (an English noun phrase ends
    with its head: "kettle brand sea salt chips"); else none (the words go to the catalog as said)."""
    if not values:
        return None
    if len({v.id for v in values}) == 1 or values[-1].end == end:
        return values[-1]
    return None


# slot type -> span kind -> cost of filling that slot with that kind of value
_BUILTIN_FIT = {
    "AMAZON.NUMBER": {"NUM": 0.0, "DIGITS": 0.2},
    "AMAZON.Ordinal": {"ORD": 0.0, "NUM": 0.35},
    "AMAZON.FOUR_DIGIT_NUMBER": {"DIGITS": 0.0},
    "AMAZON.DATE": {"DATE": 0.0, "ORD": 0.25},
    "AMAZON.TIME": {"TIME": 0.0},
}


@dataclass(frozen=True)
class Template:
    """A sample, tokenised: words (stemmed) and slot names."""

    intent: str
    items: tuple[tuple[str, str], ...]
    """('w', stem) for a carrier word, ('s', slot name) for a slot."""
    text: str
    """The sample as written in the model."""


@dataclass
class Alignment:
    """The cheapest way to read an utterance as a template."""

    cost: float
    spans: dict[str, Span]
    """slot name -> the value found for it (a free-text value has kind 'TEXT')."""
    evidence: float = 0.0
    """What the match rests on: the weights of the carrier words matched, plus each value found
    (a free-text value counts little). "what time is it" read as "what's in it" rests on little."""
    covered: frozenset[int] = frozenset()
    """Utterance positions the template explains: carrier words matched and values its slots took."""
    template: int = -1
    """Index of the template aligned to (set by the compiler)."""
    carrier_cost: float = 0.0
    """How far the carrier words are from the sample: words of the sample not said, words said for
    others, extra words other samples use (not unknown words, fillers or function words)."""


def fit_cost(slot_type: str, kind: str) -> float | None:
    """Cost of a `kind` value in a slot of `slot_type`; None when it does not fit."""
    if slot_type in _BUILTIN_FIT:
        return _BUILTIN_FIT[slot_type].get(kind)
    return 0.0 if kind == slot_type else None


def free_text_allowed(slot_type: str) -> bool:
    """Custom types and catch-all built-ins take words outside the value list (ER_SUCCESS_NO_MATCH)."""
    return slot_type not in BUILTIN_KINDS


def align(
    words: list[str],
    spans_at: dict[int, list[Span]],
    template: Template,
    slot_types: dict[str, str],
    vocab: frozenset[str] = frozenset(),
    lemmas: list[str] | None = None,
    open_type: Callable[[str], bool] = free_text_allowed,
    weight: Callable[[str], float] | None = None,
) -> Alignment:
    """The cheapest alignment of `words` (with candidate values `spans_at[start]`) to `template`;
    `vocab` (the model's carrier words) makes those words dear inside a free-text value; `weight`
    (0..1, how much a word tells intents apart) scales the cost of an extra or a missing word.

    Three steps: `_Utterance` reads what the alignment needs off the words, `_fill` runs the edit
    distance over a `_Table`, `_read_back` walks the cheapest path back to the slots and the evidence."""
    said = _Utterance.of(words, spans_at, vocab, lemmas, weight or _even_weight)
    table = _Table(said.n, len(template.items))
    _fill(said, table, template, slot_types, open_type)
    return _read_back(said, table, template)


def _even_weight(_word: str) -> float:
    return 1.0


@dataclass
class _Utterance:
    """What an alignment needs to know about the words, worked out once for all of a template's cells."""

    words: list[str]
    stems: list[str]
    spans_at: dict[int, list[Span]]
    """Start -> the candidate values wholly inside `words`."""
    covered: dict[str, set[int]]
    """Span kind -> the positions some candidate value of that kind covers."""
    builtin_taken: set[int]
    """Positions inside an ordinal, a number or a date: free text stops there."""
    word_cost: list[float]
    """What each word costs inside a free-text value."""
    insert_cost: list[float]
    """What each word costs as an extra word: little for a filler or a closed-class word, else by how
    much it tells intents apart."""
    vocab: frozenset[str]
    weight: Callable[[str], float]
    n: int

    @classmethod
    def of(
        cls,
        words: list[str],
        spans_at: dict[int, list[Span]],
        vocab: frozenset[str],
        lemmas: list[str] | None,
        weight: Callable[[str], float],
    ) -> _Utterance:
        """Only values wholly inside `words` are kept: a caller that cut the words short (a long ramble
        is aligned on its start) may pass values found further on. An ordinal, a number, a date inside
        "free text" is a value of its own ("pop the second one in my cart" names no product called
        "second"), so free text stops there. A carrier word costs more inside free text than out."""
        n = len(words)
        spans_at = {
            start: fitting
            for start, spans in spans_at.items()
            if (fitting := [sp for sp in spans if 0 <= sp.start < sp.end <= n])
        }
        stems = lemmas if lemmas is not None else [stem(w) for w in words]
        covered: dict[str, set[int]] = {}
        for spans in spans_at.values():
            for sp in spans:
                covered.setdefault(sp.kind, set()).update(range(sp.start, sp.end))
        builtin_taken = {j for kind in _BUILTIN_SPAN_KINDS for j in covered.get(kind, ())}
        word_cost = [
            FREE_TEXT_KNOWN_WORD if (st in vocab or w in NEUTRAL_WORDS) else FREE_TEXT_PER_WORD
            for w, st in zip(words, stems, strict=True)
        ]
        insert_cost = [
            INSERT_FUNCTION if (w in NEUTRAL_WORDS or w in FILLER_WORDS) else INSERT_WORD * (0.5 + 0.5 * weight(st))
            for w, st in zip(words, stems, strict=True)
        ]
        return cls(words, stems, spans_at, covered, builtin_taken, word_cost, insert_cost, vocab, weight, n)

    def delete_cost(self, item: str) -> float:
        """What a sample word not said costs: little for a function word, else by how much it tells
        intents apart."""
        return DELETE_FUNCTION if item in FUNCTION_WORDS else DELETE_WORD * (0.5 + 0.5 * self.weight(item))


class _Table:
    """The edit-distance table: `cost[i][j]` of reading words[:i] as the template's items[:j], and in
    `back[i][j]` the cell it came from with the value a slot took on the way (None for a word step)."""

    __slots__ = ("back", "cost")

    def __init__(self, n: int, m: int) -> None:
        self.cost = [[_INF] * (m + 1) for _ in range(n + 1)]
        self.back: list[list[tuple[int, int, Span | None] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
        self.cost[0][0] = 0.0

    def relax(self, i2: int, j2: int, c: float, i: int, j: int, span: Span | None) -> None:
        """Reach cell (i2, j2) from (i, j) at cost `c` when that is cheaper than what it has."""
        if c < self.cost[i2][j2]:
            self.cost[i2][j2] = c
            self.back[i2][j2] = (i, j, span)


_INF = float("inf")


def _fill(
    said: _Utterance, table: _Table, template: Template, slot_types: dict[str, str], open_type: Callable[[str], bool]
) -> None:
    """Fill `table` cell by cell: from each reachable cell, an extra word (`insert_cost`), then by the
    template's next item a carrier word (`_word_step`) or a slot (`_slot_step`). What an extra word
    or a missing sample word costs is worked out once per word and per item."""
    n, m = said.n, len(template.items)
    cost, insert = table.cost, said.insert_cost
    deletes = [said.delete_cost(item) if kind == "w" else 0.0 for kind, item in template.items]
    for i in range(n + 1):
        for j in range(m + 1):
            c = cost[i][j]
            if c == _INF:
                continue
            if i < n:
                table.relax(i + 1, j, c + insert[i], i, j, None)
            if j == m:
                continue
            kind, item = template.items[j]
            if kind == "w":
                _word_step(said, table, c, i, j, item, deletes[j])
            else:
                _slot_step(said, table, c, i, j, slot_types.get(item, ""), open_type)


def _word_step(said: _Utterance, table: _Table, c: float, i: int, j: int, item: str, dele: float) -> None:
    """The sample word `item` left unsaid (at `dele`), matched by stem, or said as another carrier word in
    its place ("drop" for "remove"): cheaper than an extra word plus a missing one, as the rest still
    lines up."""
    table.relax(i, j + 1, c + dele, i, j, None)
    if i < said.n and said.stems[i] == item:
        table.relax(i + 1, j + 1, c, i, j, None)
    elif i < said.n and said.stems[i] in said.vocab:
        table.relax(i + 1, j + 1, c + SUBSTITUTE * max(said.insert_cost[i], dele), i, j, None)


def _slot_step(
    said: _Utterance, table: _Table, c: float, i: int, j: int, slot_type: str, open_type: Callable[[str], bool]
) -> None:
    """The slot left unfilled (`SKIP_SLOT`), filled with a candidate value that fits its type (a fuzzy
    one costs its doubt), or, for an open type, with a phrase of words (`_take_phrase`)."""
    open_slot = open_type(slot_type)
    table.relax(i, j + 1, c + SKIP_SLOT, i, j, None)
    for span in said.spans_at.get(i, ()):
        fit = fit_cost(slot_type, span.kind)
        if fit is not None:
            fuzz_cost = 0.5 * (1.0 - span.score)
            _take_value(said, table, c + fit + fuzz_cost, i, j, span, open_slot and span.kind == slot_type)
    if i < said.n and open_slot:
        _take_phrase(said, table, c, i, j, slot_type)


def _take_value(said: _Utterance, table: _Table, c: float, i: int, j: int, span: Span, open_slot: bool) -> None:
    """A slot takes `span`; an open one may take a price said after it too ("shampoo under five dollars")."""
    table.relax(span.end, j + 1, c, i, j, span)
    if open_slot and span.end < said.n:
        words = said.words
        end = price_end(words, span.end, said.builtin_taken)
        if end:
            priced = Span(span.start, end, span.kind, " ".join(words[span.start : end]), span.id, span.resolved, span.score)
            table.relax(end, j + 1, c + PRICE_COST, i, j, priced)


def _take_phrase(said: _Utterance, table: _Table, c: float, i: int, j: int, slot_type: str) -> None:
    """An open slot takes the words from `i` as one value: unknown words (free text, "sriracha"), or
    a run of values and the words around them ("starbucks french roast whole bean", "extra large
    organic brown eggs", "pampers cruisers size"), resolved by `head_value`. A number or date ends
    it, as does the middle of a value."""
    words, n, spans_at, builtin_taken, word_cost = said.words, said.n, said.spans_at, said.builtin_taken, said.word_cost
    own = said.covered.get(slot_type, set())
    text_cost = FREE_TEXT_BASE - FREE_TEXT_PER_WORD
    cost_said = 0.0
    values: list[Span] = []
    p = i
    while p < n and p - i < PHRASE_MAX and p not in builtin_taken:
        if p > i and words[p] in SIZE_WORDS and p + 1 < n and p + 1 in builtin_taken:
            # "pampers cruisers size 4": a size the product is sold in, not a quantity
            cost_said += FREE_TEXT_PER_WORD
            text_cost += FREE_TEXT_PER_WORD
            p += 2
            if values:
                _take_value(said, table, c + cost_said, i, j, phrase_value(words, i, p, slot_type, values), True)
            else:
                _take_value(said, table, c + text_cost, i, j, Span(i, p, "TEXT", " ".join(words[i:p])), True)
            continue
        # a doubtful value ("all", "finish": also everyday words) only where the phrase starts
        heads = [sp for sp in spans_at.get(p, ()) if sp.kind == slot_type and (p == i or sp.score >= 1.0)]
        if heads:
            head = max(heads, key=lambda sp: (sp.end, sp.score))
            if head.end - i > PHRASE_MAX:
                break
            values.append(head)
            cost_said += 0.5 * (1.0 - head.score) + (VALUE_JOIN if len(values) > 1 else 0.0)
            p = head.end
            if p - i == head.end - head.start:
                continue  # the value on its own: taken as a span by `_slot_step`
        else:
            if p in own and not any(sp.start == p for sp in spans_at.get(p, ())):
                break  # the middle of a value
            joins = values and words[p] in ALTERNATIVE_JOINERS
            cost_said += JOIN_COST if joins else word_cost[p]
            text_cost += word_cost[p]
            p += 1
        if words[p - 1] in ALTERNATIVE_JOINERS:
            continue  # "heinz or hunt's ketchup": the phrase goes on after "or"
        if not values:
            if p - i <= FREE_TEXT_MAX:
                _take_value(said, table, c + text_cost, i, j, Span(i, p, "TEXT", " ".join(words[i:p])), True)
            continue
        _take_value(said, table, c + cost_said, i, j, phrase_value(words, i, p, slot_type, values), True)


def _read_back(said: _Utterance, table: _Table, template: Template) -> Alignment:
    """Walk the cheapest path back from the last cell: the value each slot took; the evidence (values
    found, and the weights of the carrier words matched); the positions explained; and the carrier
    cost (extra words other samples use, sample words not said, words said for others; a slot not
    filled is no fault of the carrier)."""
    words, stems, vocab, wt = said.words, said.stems, said.vocab, said.weight
    cost, back = table.cost, table.back
    n, m = said.n, len(template.items)
    found: dict[str, Span] = {}
    evidence = 0.0
    explained: set[int] = set()
    carrier = 0.0
    i, j = n, m
    while (i, j) != (0, 0):
        step = back[i][j]
        if step is None:
            break
        pi, pj, taken = step
        step_cost = cost[i][j] - cost[pi][pj]
        if taken is None:
            if pj == j:  # an extra word: counts when it is a carrier word of some sample
                if stems[pi] in vocab and words[pi] not in NEUTRAL_WORDS:
                    carrier += step_cost
            elif pi == i:  # a sample word not said
                if template.items[pj][0] == "w" and template.items[pj][1] not in FUNCTION_WORDS:
                    carrier += step_cost
            else:  # a word said for another
                carrier += step_cost
        if taken is not None and pj < m and template.items[pj][0] == "s":
            found[template.items[pj][1]] = taken
            evidence += VALUE_EVIDENCE.get(taken.kind, 1.0)
            explained.update(range(taken.start, taken.end))
        elif (
            pi == i - 1
            and pj == j - 1
            and template.items[pj][0] == "w"
            and stems[pi] == template.items[pj][1]
        ):
            evidence += wt(stems[pi])
            explained.add(pi)
        i, j = pi, pj
    return Alignment(cost[n][m], found, evidence, frozenset(explained), carrier_cost=carrier)
