"""The NLU compiled from an interaction model: utterance text in, intent and slots (as Alexa sends them) out.

    nlu = compile_model("interaction_model.json")
    r = nlu.resolve("um could you add two bottles of oat milk for me")
    r.intent, r.slots["product"].id, r.slots["quantity"].value     # 'AddToCartIntent', 'oat_milk', '2'
    nlu.resolve("milk", intents={"AddToCartIntent"})                # while the dialog elicits the product

How it works (each step generalises past the samples rather than matching them as patterns):
1. normalise the words (`normalize.tokens`), drop fillers and carrier phrases ("um", "could you", "for me");
2. find candidate slot values: every custom value and synonym (`gazetteer`, longest match, fuzzy for
   near-misses) and the built-in types (`builtin_types`: numbers, ordinals, codes, dates, times);
3. delexicalise (values become their type, unknown words '@UNK') and score every intent by the cosine of
   IDF-weighted word and bigram features against its samples, each expanded with slot values and with
   unknown words; the built-in intents come with a phrase table of their own (`builtin_intents`);
4. align the utterance to the best samples of the leading intents (`align`): this reads the slots (by
   type and position, free text for a product the catalog lacks) and breaks near-ties;
5. below the threshold of the model's fallback sensitivity, the answer is AMAZON.FallbackIntent.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from speech.errors import ModelError
from speech.interaction_model import InteractionModel, load_interaction_model
from speech.nlu import scoring
from speech.nlu.align import (
    INSERT_FUNCTION,
    INSERT_WORD,
    Alignment,
    Template,
    align,
    fit_cost,
    phrase_value,
    price_end,
)
from speech.nlu.builtin_intents import FALLBACK_INTENT
from speech.nlu.builtin_types import BUILTIN_KINDS, Span
from speech.nlu.dates import day_of_month
from speech.nlu.features import delexicalise, ngram_features
from speech.nlu.gazetteer import Gazetteer
from speech.nlu.language import ENGLISH_LOCALES, KOREAN_LOCALES, UnsupportedLocaleError, language_for
from speech.nlu.normalize import (
    FILLER_WORDS,
    FUNCTION_WORDS,
    NEUTRAL_WORDS,
    lemma,
    stem,
    strip_fillers,
    tokens,
)
from speech.nlu.numbers import TENS, UNITS
from speech.nlu.scoring import (
    AMBIGUOUS_VALUE_SCORE,
    BARE_TEXT_CONFIDENCE,
    BARE_VALUE_SCORE,
    FALLBACK_SAMPLE_MATCH,
    FOREIGN_TIE,
    RERANK_ALWAYS,
    RERANK_MOST,
    RERANK_WINDOW,
    SCORE_FACTORS,
    TEMPLATES_PER_INTENT,
    THRESHOLDS,
    UNKNOWN_WORD_WEIGHT,
    Analysis,
)
from speech.nlu.types import IntentMatch, Resolution, SlotValue

__all__ = [
    "compile_model",
    "CompiledNLU",
    "Analysis",
    "UnsupportedLocaleError",
    "SUPPORTED_LOCALES",
    "THRESHOLDS",
]

SUPPORTED_LOCALES = ENGLISH_LOCALES | KOREAN_LOCALES
"""Locales the NLU serves: the English normaliser and parsers, and the Korean ones (`korean`)."""

OPEN_TYPE_MIN_VALUES = 30
"""A custom slot type with at least this many values accepts free text (see `CompiledNLU._open`)."""
CONTEXT_READ_MAX_FORMS = 500
"""A custom type with fewer values and synonyms than this has them also read as said in a sentence."""
ALIGN_WORDS = 30
"""An utterance is aligned to templates on its first this many words (the alignment is quadratic)."""
_LIST_JOINERS = frozenset({"and", "plus"})
"""Words that join the items of a list said into a multiple-value slot."""
_NOTHING_MORE = re.compile(r"\s*(?:이?요)?[\s.?!~]*")
"""What may follow a Korean list said on its own: a polite 요 ("소주 두 병이요"), not a particle that asks
for something else ("... 두 개로 해 줘": a change of count)."""
LIST_TIE = 0.01
"""A Korean list is read by the intents that take a list when their confidence in its first item is
within this of the best intent's (`CompiledNLU._resolve_listed`)."""
_LIST_LEADS = frozenset({"a", "an", "some", "the", "of", "also", "more", "another", "dozen", "couple", "few", "then", "too"})
_CLAUSE_BREAK = re.compile(
    r"(?<!\d)[,.;:!?](?!\d)\s*|\s+(?:so|anyway|but)\s+|\s+(?=(?:can|could|would|will)\s+(?:you|i|we)\s|please\s)",
    re.IGNORECASE,
)
"""Where a rambling sentence may end one thought and start a request: a comma or full stop (typed text),
a connecting word ("we have friends over so add chips"), or the start of a polite request ("... can you
add chips"), which is all speech recognition leaves of a sentence's punctuation."""
_CONNECTORS = re.compile(r"^(?:(?:so|anyway|but)\b[\s,]*)+", re.IGNORECASE)
CLAUSE_MIN_WORDS = 2
"""A trailing clause is tried as the request only when it keeps this many words after fillers, and
taken only when it fills a slot, or keeps one word more and is understood with CLAUSE_CONFIDENCE
("add diapers", "what's in my cart", not "tell me" or "tell me something")."""
CLAUSE_CONFIDENCE = 0.75
CLAUSE_TRIES = 3
"""How many of the last clause breaks are tried (a request ends a ramble; this keeps a long one quick)."""


def _is_number_word(word: str) -> bool:
    return word.isdigit() or word in UNITS or word in TENS


_FILL_MARK = "zzslot"
_UNK_FILL = "xqzvk"
_TRAIN_DAY = date(2026, 1, 5)
_LEADING_NOISE = frozenset({"the", "a", "an", "some", "my", "any", "of", "more", "another"})


_BUILTIN_SPAN_KINDS = frozenset(BUILTIN_KINDS.values())
def _letters(n: int) -> str:
    """A digit-free marker suffix (digits would be split off by the normaliser)."""
    return "q" + chr(ord("a") + n // 26) + chr(ord("a") + n % 26)


_MARKS = {_letters(n): n for n in range(100)}


@dataclass
class _Vector:
    intent: str
    template: int
    weights: dict[str, float]
    norm: float
    elicit: bool


@dataclass
class _Scored:
    intent: str
    score: float
    templates: list[int] = field(default_factory=list)
    alignment: Alignment | None = None
    dot: float = 0.0
    vnorm: float = 1.0
    factors: dict[str, float] = field(default_factory=dict)
    """What the score was made of, step by step (`explain_data`): `scoring.SCORE_FACTORS` by name."""


class CompiledNLU:
    """The matcher for one model and locale. Build it with `compile_model`; `resolve` is thread-safe."""

    def __init__(self, model: InteractionModel, locale: str = "en-US") -> None:
        self.model = model
        self.locale = locale
        self.lang = language_for(locale)
        self.reader = self.lang.reader(self._model_words())
        """How this model reads text (a Korean model with an analyser taught its own words)."""
        self._tokens = self.reader.tokens
        self.threshold = THRESHOLDS.get(model.fallback_sensitivity, THRESHOLDS["LOW"])
        self.intent_names = [i.name for i in model.intents if i.name != FALLBACK_INTENT]
        self.has_fallback = model.intent(FALLBACK_INTENT) is not None
        self.slot_types: dict[str, dict[str, str]] = {
            i.name: {s.name: s.type for s in i.slots} for i in model.intents
        }
        for intent in model.intents:
            for s in intent.slots:
                if not s.type.startswith("AMAZON.") and model.slot_type(s.type) is None:
                    raise ModelError(
                        f"intent {intent.name}: slot '{s.name}' has type '{s.type}', which the model does not define"
                    )
        self.gazetteer = Gazetteer.from_types(model.types, self._tokens, self._readings(model))
        self._multi: dict[tuple[str, str], str] = {
            (i.name, sl.name): sl.type for i in model.intents for sl in i.slots if sl.multiple_values
        }
        """(intent, slot) -> type of the slots with multiple values enabled."""
        self._list_words = frozenset(
            w for t in set(self._multi.values()) for key in self.gazetteer.by_type.get(t, {}) for w in key.split()
        )
        """The words of those types' values ("great value", "original"): they may be said in a listed item."""
        self._open_cache: dict[str, bool] = {}
        self._fill_cache: dict[str, list[list[str]]] = {}
        used = {t for types in self.slot_types.values() for t in types.values()}
        self.kinds = frozenset(BUILTIN_KINDS[t] for t in used if t in BUILTIN_KINDS) | {"NUM", "ORD"}
        self.templates: list[Template] = []
        self._elicit_templates: set[int] = set()
        self._phrase_templates: set[int] = set()
        """Templates from `BUILTIN_PHRASES` (answers said on their own: "sounds good", "i am done")."""
        self._fallback_samples = any(i.name == FALLBACK_INTENT and i.samples for i in model.intents)
        for intent in model.intents:
            if intent.name == FALLBACK_INTENT and not intent.samples:
                continue
            # a model's own samples on AMAZON.FallbackIntent are out-of-domain requests that sound like
            # its own (as on Alexa, they tune what falls back): matched like any intent's
            samples = list(dict.fromkeys([*self.lang.phrases.get(intent.name, ()), *intent.samples]))
            own = set(intent.samples)
            for sample in samples:
                if sample not in own:
                    self._phrase_templates.add(len(self.templates))
                self._add_template(intent.name, sample, elicit=False)
            for s in intent.slots:
                for sample in dict.fromkeys([*s.samples, "{" + s.name + "}"]):
                    self._add_template(intent.name, sample, elicit=True)
        self.vocab = frozenset(w for t in self.templates for k, w in t.items if k == "w")
        self._openers = frozenset(
            t.items[0][1] for i, t in enumerate(self.templates)
            if t.items and t.items[0][0] == "w" and i not in self._elicit_templates
        )
        """Words the model's own requests start with ("add", "can", "what"): a clause after a ramble
        that starts with one may be the request (see `resolve`)."""
        self._intent_words: dict[str, frozenset[str]] = {}
        for tpl in self.templates:
            words = {w for k, w in tpl.items if k == "w"}
            self._intent_words[tpl.intent] = self._intent_words.get(tpl.intent, frozenset()) | words
        self._phrase_seqs: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        for t in sorted(self._phrase_templates):
            tpl = self.templates[t]
            if all(k == "w" for k, _ in tpl.items):
                self._phrase_seqs.setdefault(tpl.intent, []).append((t, tuple(w for _, w in tpl.items)))
        self._phrase_words: dict[str, frozenset[str]] = {}
        for t in self._phrase_templates:
            tpl = self.templates[t]
            words = {w for k, w in tpl.items if k == "w"}
            self._phrase_words[tpl.intent] = self._phrase_words.get(tpl.intent, frozenset()) | words
        self._train()

    def _readings(self, model: InteractionModel) -> Callable[[str, str], list[list[str]]] | None:
        """How the language may read a value inside a sentence, for the types short enough to read so
        (a catalogue-sized type's words are names, read as written)."""
        read = self.reader.readings
        if read is None:
            return None
        short = {t.name for t in model.types if sum(1 + len(v.synonyms) for v in t.values) < CONTEXT_READ_MAX_FORMS}
        return lambda type_name, form: read(form) if type_name in short else []

    def _model_words(self) -> list[str]:
        """The words of the model's slot values, for the locale's word splitter to know."""
        return [w for t in self.model.types for v in t.values for form in (v.value, *v.synonyms) for w in form.split()]

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in ("lang", "_tokens")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Read back from the disk cache: the reader comes back with it (a Korean analyser taught the
        model's words loads while the caller goes on; its first sentence waits for that)."""
        self.__dict__.update(state)
        self.lang = language_for(self.locale)
        self._tokens = self.reader.tokens

    # -- compiling -----------------------------------------------------------------------------

    def _add_template(self, intent: str, sample: str, *, elicit: bool) -> None:
        slot_types = self.slot_types[intent]
        names: list[str] = []

        def mark(m: re.Match[str]) -> str:
            name = m.group(1).strip()
            if name not in slot_types:
                raise ModelError(
                    f"intent {intent}: sample '{sample}' refers to slot '{name}', which the intent does not have"
                )
            names.append(name)
            return f" {_FILL_MARK}{_letters(len(names) - 1)} "

        marked = re.sub(r"\{([^{}]*)\}", mark, sample)
        if "{" in marked or "}" in marked:
            raise ModelError(f"intent {intent}: sample '{sample}' has an unbalanced brace")
        items: list[tuple[str, str]] = []
        for w in strip_fillers(self._tokens(marked, limit=200)):
            if w.startswith(_FILL_MARK) and w[len(_FILL_MARK) :] in _MARKS:
                items.append(("s", names[_MARKS[w[len(_FILL_MARK) :]]]))
            else:
                items.append(("w", stem(w)))
        if not items:
            return
        if elicit:
            self._elicit_templates.add(len(self.templates))
        self.templates.append(Template(intent, tuple(items), sample))

    def _fills(self, slot_type: str) -> list[list[str]]:
        """The words a slot of `slot_type` is filled with in training, read once a type: every sample with
        a slot asks (in Korean each reading is a morphological analysis)."""
        known = self._fill_cache.get(slot_type)
        if known is None:
            known = self._fill_cache[slot_type] = self._read_fills(slot_type)
        return [list(words) for words in known]

    def _read_fills(self, slot_type: str) -> list[list[str]]:
        if slot_type in self.lang.fills:
            return [self._tokens(t) for t in self.lang.fills[slot_type]]
        st = self.model.slot_type(slot_type)
        fills = [self._tokens(st.values[0].value)] if st and st.values else []
        return [*fills, [_UNK_FILL]] if self._open(slot_type) else fills or [[_UNK_FILL]]

    def _open(self, slot_type: str) -> bool:
        """Whether a slot of this type takes words outside its value list (ER_SUCCESS_NO_MATCH).

        A catalogue-sized type (products) is open: shoppers name things the list lacks. A short list
        of labels (home/work, morning/evening, card names) is closed: an unknown word there is more
        likely a request for something else than a new label. Built-ins without a parser (such as
        AMAZON.SearchQuery) are open."""
        known = self._open_cache.get(slot_type)
        if known is None:
            st = self.model.slot_type(slot_type)
            known = slot_type not in BUILTIN_KINDS and (st is None or len(st.values) >= OPEN_TYPE_MIN_VALUES)
            self._open_cache[slot_type] = known
        return known

    def _expand(self, template: Template) -> Iterable[list[str]]:
        """The template's words with each slot filled: one variant per fill (cycled across slots)."""
        slots = [item for k, item in template.items if k == "s"]
        fills = {name: self._fills(self.slot_types[template.intent][name]) for name in slots}
        variants = max((len(f) for f in fills.values()), default=1)
        for v in range(variants):
            words: list[str] = []
            for k, item in template.items:
                if k == "w":
                    words.append(item)
                else:
                    options = fills[item]
                    words.extend(options[v % len(options)])
            yield words

    def _train(self) -> None:
        raw: list[tuple[int, dict[str, float]]] = []
        seen: set[tuple[str, tuple[tuple[str, ...], ...], bool]] = set()
        for idx, template in enumerate(self.templates):
            elicit = idx in self._elicit_templates
            for words in self._expand(template):
                spans = self._spans(words, _TRAIN_DAY)
                symbols = delexicalise([lemma(w, self.vocab) for w in words], spans, self.vocab)
                key = (template.intent, tuple(symbols), elicit)
                if key in seen:
                    continue
                seen.add(key)
                raw.append((idx, ngram_features(symbols)))
        df: dict[str, set[str]] = {}
        for idx, feats in raw:
            for f in feats:
                df.setdefault(f, set()).add(self.templates[idx].intent)
        n = max(len(self.intent_names), 1)
        self.idf = {f: math.log(1.0 + n / len(intents)) for f, intents in df.items()}
        self.max_idf = math.log(1.0 + n)
        self.unknown_idf = self.max_idf * UNKNOWN_WORD_WEIGHT
        self.vectors: list[_Vector] = []
        self.index: dict[str, list[tuple[int, float]]] = {}
        for idx, feats in raw:
            weights = {f: b * self.idf[f] for f, b in feats.items()}
            norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
            vi = len(self.vectors)
            self.vectors.append(
                _Vector(self.templates[idx].intent, idx, weights, norm, idx in self._elicit_templates)
            )
            for f, w in weights.items():
                self.index.setdefault(f, []).append((vi, w))

    def vocabulary(self) -> set[str]:
        """Every word the model can be understood by: sample words, slot values and synonyms, and the
        number words the built-in types read (for an ASR grammar or a snapping dictionary)."""
        words = {w for t in self.templates if t.intent != FALLBACK_INTENT for k, w in t.items if k == "w"}
        words.update(
            w
            for t in self.model.intents
            if t.name != FALLBACK_INTENT
            for s in t.samples
            for w in self._tokens(re.sub(r"\{[^{}]*\}", " ", s))
        )
        for st in self.model.types:
            for v in st.values:
                for form in (v.value, *v.synonyms):
                    words.update(self._tokens(form))
        words.update(self.lang.number_words)
        return words

    def _word_weight(self, word: str) -> float:
        """0..1: how much a word tells intents apart (its IDF over the most an IDF can be); 1 if unknown."""
        idf = self.idf.get(word)
        return 1.0 if idf is None else idf / self.max_idf

    # -- understanding -------------------------------------------------------------------------

    def _spans(self, words: list[str], today: date) -> list[Span]:
        found = self.gazetteer.find(words, known=self.vocab)
        # a catalog value that is one everyday word of the samples ("all", "stock", "kind": brand
        # names) is only maybe that value: "are there any diapers in stock" names no broth
        found = [
            replace(sp, score=min(sp.score, AMBIGUOUS_VALUE_SCORE))
            if sp.end - sp.start == 1 and stem(words[sp.start]) in self.vocab and self._open(sp.kind)
            else sp
            for sp in found
        ]
        return found + self.lang.spans(words, today, self.kinds)

    def analyse(self, utterance: str, reference_time: datetime | date | None = None) -> Analysis:
        """Take an utterance apart: words, candidate values, symbols and weighted features."""
        today = _day(reference_time)
        words = strip_fillers(self._tokens(utterance))
        spans = self._spans(words, today)
        lemmas = [lemma(w, self.vocab) for w in words]
        symbols = delexicalise(lemmas, spans, self.vocab)
        feats = {}
        for f, base in ngram_features(symbols).items():
            if f in self.idf:
                feats[f] = base * self.idf[f]
            elif " " not in f:
                feats[f] = base * self.unknown_idf
        covered = {j for s in spans for j in range(s.start, s.end)}
        unknown = {
            i: w
            for i, w in enumerate(words)
            if i not in covered and lemmas[i] not in self.vocab and w not in NEUTRAL_WORDS
        }
        for w in unknown.values():
            feats["?" + w] = self.unknown_idf
        return Analysis(words, lemmas, spans, symbols, feats, unknown)

    def _score(self, analysis: Analysis, allowed: set[str] | None) -> list[_Scored]:
        u = analysis.features
        unorm = math.sqrt(sum(w * w for w in u.values())) or 1.0
        dots: dict[int, float] = {}
        for f, w in u.items():
            for vi, vw in self.index.get(f, ()):
                dots[vi] = dots.get(vi, 0.0) + w * vw
        per_intent: dict[str, list[tuple[float, int, float, float]]] = {}
        for vi, d in dots.items():
            v = self.vectors[vi]
            if allowed is None:
                if v.elicit:
                    continue
            elif v.intent not in allowed:
                continue
            per_intent.setdefault(v.intent, []).append((d / (unorm * v.norm), v.template, d, v.norm))
        scored = []
        for intent, hits in per_intent.items():
            hits.sort(reverse=True)
            templates = list(dict.fromkeys(h[1] for h in hits))[:TEMPLATES_PER_INTENT]
            scored.append(_Scored(intent, hits[0][0], templates, None, hits[0][2], hits[0][3]))
        scored.sort(key=lambda s: -s.score)
        return scored

    def intent_confidence(self, utterance: str) -> float:
        """How sure the NLU is that `utterance` is a request it knows: 0.0 when it falls back, else the
        confidence of the intent it resolves to (what `SnappingRecognizer`'s `understand` wants)."""
        res = self.resolve(utterance)
        return 0.0 if res.intent == FALLBACK_INTENT else float(res.confidence)

    def resolve(
        self,
        utterance: str,
        *,
        reference_time: datetime | date | None = None,
        intents: set[str] | None = None,
        trace: list[_Scored] | None = None,
    ) -> Resolution:
        """Resolve one utterance. `intents` restricts the answer to those intents (and lets their slot
        samples match: a bare "milk" while the dialog elicits AddToCartIntent's product). `trace`, when
        given, receives every scored intent best first, with its score's factors (`explain_data`). A
        list of values ("milk, eggs and bread") fills a multiple-value slot: the sentence is understood
        with its first item, and the slot gets every item as its `values`. A sentence that falls back
        as a whole is tried clause by clause from its end's side: a request after a ramble ("we have
        people over on saturday, can you add chips") is still the request."""
        def resolve_one(text: str, only: set[str] | None = None) -> Resolution:
            if only is None:
                return self._resolve_one(text, reference_time, intents, trace)
            return self._resolve_one(text, reference_time, only if intents is None else only & intents, None)

        res = self._resolve_listed(utterance, resolve_one)
        if res.intent != FALLBACK_INTENT or intents is not None or self.lang.code != "en":
            return self._as_said(res)
        for clause, size in self._trailing_clauses(utterance):
            sub = self._resolve_listed(clause, lambda text, only=None: self._resolve_one(text, reference_time, only, None))
            if sub.intent != FALLBACK_INTENT and (
                sub.slots or (size > CLAUSE_MIN_WORDS and sub.confidence >= CLAUSE_CONFIDENCE)
            ):
                sub.utterance = utterance
                return sub
        return res

    def _as_said(self, res: Resolution) -> Resolution:
        """Custom slot values in the words said, where the language's words are not ("싼 라면", not the
        dictionary forms "싸다 라면"); built-in values stay normalised (AMAZON.NUMBER '2')."""
        said = self.reader.said
        if said is None:
            return res
        for name, slot in list(res.slots.items()):
            if slot.slot_type.startswith("AMAZON.") or slot.values is not None:
                continue
            words = said(res.utterance, slot.value)
            if words:
                res.slots[name] = replace(slot, value=words)
        return res

    def _trailing_clauses(self, utterance: str) -> list[tuple[str, int]]:
        """The clauses that end `utterance` after a break (a comma, "so", "but"...), longest first, that
        start as one of the model's requests starts, with their number of words after fillers."""
        found: list[tuple[str, int]] = []
        for m in list(_CLAUSE_BREAK.finditer(utterance))[-CLAUSE_TRIES:]:
            clause = _CONNECTORS.sub("", utterance[m.end() :].strip())
            words = strip_fillers(self._tokens(clause)) if clause else []
            if len(words) >= CLAUSE_MIN_WORDS and words[0] in self._openers:
                found.append((clause, len(words)))
        return found

    def _resolve_listed(self, utterance: str, resolve_one: Callable[..., Resolution]) -> Resolution:
        """`resolve_one(utterance)`; when the utterance lists values of a multiple-value slot, it is
        resolved with its first item (`_listed`) and the slot then given every item (`_list_values`).
        A Korean list said on its own ("사과 세 개랑 배 두 개"), or whose first item alone reads as well
        for an intent that takes a list ("바나나 사 줘": search or add), is read by the intents that take
        one (`resolve_one(text, only)`): the intent its first item alone reads as ("사과 세 개": a change
        of count) has no place for the other items."""
        listed = self._listed(utterance) if self._multi else None
        if listed is None:
            return resolve_one(utterance)
        head, first_words, items, bare = listed
        tries = [resolve_one(head)]
        listing = {i for i, _ in self._multi}
        if self.reader.listing is not None and tries[0].intent not in listing:
            other = resolve_one(head, listing)
            if bare or other.confidence >= tries[0].confidence - LIST_TIE:
                tries.append(other)
        for res in tries:
            for name, slot in res.slots.items():
                slot_type = self._multi.get((res.intent, name))
                if slot_type == slot.slot_type and slot.value.split()[-1:] == first_words[-1:]:
                    self._list_values(name, slot, slot_type, items, utterance)
                    res.utterance = utterance
                    return res
        return resolve_one(utterance)

    def _list_values(
        self, name: str, slot: SlotValue, slot_type: str, items: list[tuple[list[str], int]], utterance: str
    ) -> None:
        """Fill `slot` (its value the list's first item) with every item of the list as its `values`,
        its value then the items joined by the language's "and"."""
        said = self.gazetteer.tokenize(slot.value)
        pieces = self._pieces(said, slot_type)
        first = [self._item_value(name, slot_type, said, pieces, utterance)] if len(pieces) < 2 else [
            self._item_value(name, slot_type, said[a:b], [(0, b - a, sp)], utterance) for a, b, sp in pieces
        ]
        if self.reader.listing is not None and len(first) == 1 and first[0].id is None and slot.id is not None:
            # a first item no value spells ("서울우유": a brand) keeps what the request's slot resolved it to
            first = [replace(slot, value=first[0].value)]
        values = first + [v for words, at in items for v in self._item_values(name, slot_type, words, at, utterance)]
        slot.values = values
        slot.value = f" {self.reader.joiner} ".join(v.value for v in values)

    def _pieces(self, words: list[str], slot_type: str) -> list[tuple[int, int, Span | None]]:
        """The values of `slot_type` inside one item's words, as (start, end, span): several when the
        item is values of different kinds said one after another with pauses only ("milk eggs bread"),
        else the item whole with the rightmost value inside as its resolution (the head of an English
        noun phrase: "tide original liquid detergent" is one)."""
        found = [sp for sp in self.gazetteer.find(words, known=self.vocab) if sp.kind == slot_type and sp.score >= 1.0]
        chosen: list[Span] = []
        for sp in sorted(found, key=lambda s: (-(s.end - s.start), s.start)):
            if all(sp.end <= c.start or sp.start >= c.end for c in chosen):
                chosen.append(sp)
        chosen.sort(key=lambda s: s.start)
        pieces: list[tuple[int, int, Span | None]] = []
        start = 0
        for k, sp in enumerate(chosen):
            later = chosen[k + 1] if k + 1 < len(chosen) else None
            if later is not None and later.id != sp.id and self._ends_phrase(words, sp):
                # a value, then another kind's: two items said with a pause ("dole bananas barilla
                # spaghetti"); the words between describe the second (modifiers come before the noun)
                pieces.append((start, sp.end, sp))
                start = sp.end
        pieces.append((start, len(words), chosen[-1] if chosen else None))
        return pieces

    @staticmethod
    def _ends_phrase(words: list[str], span: Span) -> bool:
        """Whether a value can end what is said for an item: it ends with its value's own noun ("dole
        bananas", "whole milk"), not a brand said before the noun ("ben and jerry's cookie dough")."""
        said = stem(words[span.end - 1])
        noun = (span.resolved or span.value or "").split()[-1:]
        return bool(noun) and stem(noun[0]) == said

    def _item_values(self, name: str, slot_type: str, words: list[str], at: int, utterance: str) -> list[SlotValue]:
        """One item of a list as the slot's values: the words said for it (a quantity and unit said
        before it, or in Korean after it, included, for the skill to read), resolved by the value inside."""
        pieces = self._pieces(words[at:], slot_type)
        if len(pieces) > 1:
            lead = words[:at]
            return [
                self._item_value(
                    name, slot_type, [*(lead if k == 0 else []), *words[at + a : at + b]], [(0, 0, sp)], utterance
                )
                for k, (a, b, sp) in enumerate(pieces)
            ]
        return [self._item_value(name, slot_type, words, pieces, utterance)]

    def _item_value(
        self, name: str, slot_type: str, words: list[str], pieces: list[tuple[int, int, Span | None]], utterance: str
    ) -> SlotValue:
        """An item's words as a value of the slot, in the words said where the language's are not
        ("우유 두 개", not "우유 2 개"), resolved by its first piece's value."""
        text = " ".join(words)
        if self.reader.said is not None:
            text = self.reader.said(utterance, text) or text
        head = pieces[0][2] if pieces else None
        value = self._slot_value(name, slot_type, head, None) if head is not None else None
        if value is None:
            return SlotValue(name, text, slot_type, None, None, "ER_SUCCESS_NO_MATCH")
        return replace(value, value=text)

    def _list_tokens(self, utterance: str) -> tuple[list[str], frozenset[str], Callable[[int, int], str], str]:
        """The words a list is read from, the words that join its items, how words [a, b) were said, and
        what was said after the last word: English from `tokens`, a comma read as "and", fillers
        dropped; a language with its own `listing` (Korean: "우유랑 계란") from it, each word tied to the
        characters it was read from."""
        listing = self.reader.listing
        if listing is None:
            joiners = _LIST_JOINERS
            found = strip_fillers(tokens(re.sub(r"(?<!\d),(?!\d)", " and ", utterance)))
            kept: list[str] = []
            for w in found:
                if not (w in joiners and (not kept or kept[-1] in joiners)):
                    kept.append(w)
            words = kept[:-1] if kept and kept[-1] in joiners else kept
            return words, joiners, lambda a, b: " ".join(words[a:b]), ""
        joiners = frozenset({self.reader.joiner})
        text, read = listing(utterance)
        at: list[tuple[str, int, int]] = []
        for word in read:
            if not (word[0] in joiners and (not at or at[-1][0] in joiners)):
                at.append(word)
        if at and at[-1][0] in joiners:
            at.pop()

        def said(a: int, b: int) -> str:
            # what follows the list (its last words) keeps the endings read as no word ("넣어 줘")
            stop = len(text) if b == len(at) else at[b - 1][2]
            return text[at[a][1] : stop].strip() if b > a else ""

        return [w for w, _, _ in at], joiners, said, text[at[-1][2] :] if at else ""

    def _listed(self, utterance: str) -> tuple[str, list[str], list[tuple[list[str], int]], bool] | None:
        """A list of a multiple-value type's values joined by "and", "plus" or a pause (a comma), or
        the language's own joiners ("우유랑 계란", "두부와 김치"): the sentence with only its first item
        and whatever follows the last one ("... in my cart", "... 담아 줘"), the first item's last words
        (its value's, before a Korean count), and each later item as (its words, where its value starts
        after a quantity or unit said before it; a Korean count said after it is part of its words).
        None when the sentence is not such a list: a joiner inside a value ("mac and cheese"), or a
        part after a joiner that is not a value of the type but words the model's sentences say ("add
        milk and check out")."""
        words, joiners, said, rest = self._list_tokens(utterance)
        counts_after = self.reader.listing is not None
        if len(words) < 3 or not any(w in joiners for w in words):
            return None
        kinds = set(self._multi.values())
        found = self.gazetteer.find(words, known=self.vocab)
        chosen: list[Span] = []
        for sp in sorted(found, key=lambda s: (-(s.end - s.start), -s.score, s.start)):
            if all(sp.end <= c.start or sp.start >= c.end for c in chosen):
                chosen.append(sp)
        inside = {j for c in chosen if c.kind in kinds for j in range(c.start + 1, c.end - 1)}
        values = {j for c in chosen if c.kind in kinds for j in range(c.start, c.end)}
        counting = {j for c in chosen if c.kind not in kinds for j in range(c.start, c.end)}
        cuts = {i: 1 for i, w in enumerate(words) if w in joiners and i not in inside and i > 0}
        if not cuts:
            return None
        if counts_after and any(
            not (i - 1 in values or i - 1 in counting or _is_number_word(words[i - 1]) or words[i - 1] not in self.vocab)
            for i in cuts
        ):
            return None  # "우유 주문하고 ...": a joiner after a word of the request ends no item
        if not counts_after:
            # a pause heard as nothing: "dole bananas a red onion" or "milk two cans of soup" (a count or
            # "a" right after a value that ends with its own noun) starts the next item as "and" would
            ends = {c.end: c for c in chosen if c.kind in kinds and self._ends_phrase(words, c)}
            for i in range(1, len(words) - 1):
                opens = words[i] in ("a", "an") or _is_number_word(words[i])
                if i in ends and i not in values and opens and any(j in values for j in range(i + 1, i + 5)):
                    cuts.setdefault(i, 0)
        bounds = sorted(cuts)
        starts = [0, *(b + cuts[b] for b in bounds)]
        stops = [*bounds, len(words)]
        segments = list(zip(starts, stops, strict=True))
        carrier = set(words[: segments[0][1]])
        value_words = self._list_words

        def item_word(j: int) -> bool:
            if counts_after and j not in values:
                # "우유 두 개 좀 담아 줘": the count, a softener and the verb follow the item, even a
                # verb or word some product's name has too ('햇살담은 조림간장', '고무장갑 중')
                return not (_is_number_word(words[j]) or words[j] in FILLER_WORDS or words[j] in self.vocab)
            return j in values or stem(words[j]) not in self.vocab or stem(words[j]) in value_words

        def count_end(j: int, end: int) -> int:
            """Past a count said after an item ("두 개", "한 판", "하나", "좀 두 개"), when one starts at
            `j` (a softener before it passed over); else `j`."""
            k = j
            while k < end and words[k] in FILLER_WORDS and k not in values:
                k += 1
            if k < end and k not in values and _is_number_word(words[k]):
                k += 1
                while k < end and k in counting:
                    k += 1
                return k
            return j

        items: list[tuple[list[str], int]] = []
        tail: tuple[int, int] = (0, 0)
        for k, (start, end) in enumerate(segments[1:], start=1):
            j = start
            while j < end and words[j] in carrier and j not in values and words[j] not in _LIST_LEADS:
                j += 1  # "add milk and add eggs": the request's own verb said again
            lead = j
            while j < end and j not in values and (
                words[j] in _LIST_LEADS or j in counting or _is_number_word(words[j])
            ):
                j += 1
            stop = j
            while stop < end and item_word(stop):
                stop += 1
            named = stop
            if counts_after and stop > j:
                stop = count_end(stop, end)
            while stop > j and words[stop - 1] in NEUTRAL_WORDS and stop - 1 not in values:
                stop -= 1
            named = min(named, stop)
            if stop == j or (stop < end and k != len(segments) - 1):
                return None
            if not any(i in values for i in range(j, named)) and any(stem(w) in self.vocab for w in words[j:named]):
                return None  # neither a value nor words new to the model: not an item
            items.append((words[lead:stop], j - lead))
            tail = (stop, end)
        first_end = segments[0][1]
        after = [tail]
        if counts_after:
            if any(i in values for i in range(*tail)):
                return None  # "참기름이랑 간장 중에 참기름 담아 줘": a value after the list, which names a choice
            # a count after the whole list ("우유랑 계란 담아 줘 두 개") belongs to no one item: it is not
            # given to the first (the skill adds each item's own count, or one)
            after = []
            a = tail[0]
            for i in range(tail[0], tail[1]):
                if _is_number_word(words[i]) or (i in counting and i > a and _is_number_word(words[i - 1])):
                    after.append((a, i))
                    a = i + 1
            after.append((a, tail[1]))
        head = " ".join(part for part in (said(0, first_end), *(said(a, b) for a, b in after)) if part)
        first = words[segments[0][0] : first_end]
        if counts_after:  # "계란 한 판", "서울우유 하나": the item's words end before its count
            at = next((i for i in range(1, first_end) if count_end(i, first_end) == first_end > i), None)
            if at is not None:
                first = words[:at]
        return head, first, items, tail[0] == tail[1] and _NOTHING_MORE.fullmatch(rest) is not None

    def _resolve_one(
        self, utterance: str, reference_time: datetime | date | None, intents: set[str] | None, trace: list[_Scored] | None
    ) -> Resolution:
        """One sentence as `resolve` takes it (the arguments as there), without its list and clause handling."""
        analysis = self.analyse(utterance, reference_time)
        if not analysis.words:
            return _fallback(utterance, 0.0, [IntentMatch(FALLBACK_INTENT)])
        allowed = set(intents) if intents is not None else None
        if allowed is not None and self._is_fallback_sample(analysis):
            # an answer that is one of the model's out-of-domain samples is not an answer to the question
            return _fallback(utterance, 1.0, [IntentMatch(FALLBACK_INTENT, confidence=1.0)])
        scored = self._score(analysis, allowed)
        if not scored:
            return _fallback(utterance, 0.0, [IntentMatch(FALLBACK_INTENT, confidence=1.0)])
        if allowed is None and not _knows_any(analysis):
            # not one word or value the model knows: nothing says this is meant for the skill
            ranked = [IntentMatch(FALLBACK_INTENT, confidence=1.0)] + [IntentMatch(s.intent) for s in scored]
            return _fallback(utterance, 1.0, ranked)
        ordered = self._rank(analysis, scored)
        if trace is not None:
            trace.extend(ordered)
        return self._decide(utterance, analysis, ordered, allowed, reference_time)

    def _is_fallback_sample(self, analysis: Analysis) -> bool:
        """Whether the utterance is (close to) one of the model's own AMAZON.FallbackIntent samples."""
        if not self._fallback_samples:
            return False
        best_any = self._score(analysis, None)
        return bool(best_any) and best_any[0].intent == FALLBACK_INTENT and best_any[0].score >= FALLBACK_SAMPLE_MATCH

    def _rank(self, analysis: Analysis, scored: list[_Scored]) -> list[_Scored]:
        """The intents best first: the leading ones aligned and scored by every factor (`_rescore`),
        near-ties settled by `scoring.foreign_words`, the rest in their similarity's order."""
        best = scored[0].score
        # the best few always get aligned: a cosine led by a short phrase ("sounds good") can leave the
        # intent whose sample lines up with the whole sentence ("the {position} one") well behind
        contenders = [
            s for i, s in enumerate(scored[:RERANK_MOST]) if i < RERANK_ALWAYS or s.score >= best - RERANK_WINDOW
        ]
        spans_at: dict[int, list[Span]] = {}
        for found in analysis.spans:
            spans_at.setdefault(found.start, []).append(found)
        for s in contenders:
            self._rescore(analysis, spans_at, s)
        contenders.sort(key=lambda s: -s.score)
        # near-ties are settled by the words of other intents' samples each match leaves out
        top = contenders[0].score
        tied = [s for s in contenders if s.score >= top - FOREIGN_TIE]
        if len(tied) > 1:
            for s in tied:
                assert s.alignment is not None
                s.factors["foreign_words"] = scoring.foreign_words(
                    analysis, s.alignment, self.vocab, self._intent_words.get(s.intent, frozenset()), self._word_weight
                )
            pick = max(tied, key=lambda s: s.score * s.factors["foreign_words"])
            contenders.remove(pick)
            contenders.insert(0, pick)
        return contenders + scored[len(contenders) :]

    def _rescore(self, analysis: Analysis, spans_at: dict[int, list[Span]], s: _Scored) -> None:
        """Align a contender to its best samples and apply each factor of its score in turn (the order of
        `scoring.SCORE_FACTORS`), recording each in `s.factors`."""
        s.alignment = alignment = self._align(analysis, spans_at, s)
        f = s.factors
        f["similarity"] = s.score
        free = scoring.free_text_similarity(analysis, alignment, s.dot, s.vnorm)
        if free is not None:
            s.score = f["similarity_free_text"] = free
        f["alignment_fit"] = scoring.alignment_fit(analysis, alignment)
        s.score = scoring.blend(s.score, f["alignment_fit"])
        f["known_words"] = scoring.known_words(analysis, alignment)
        s.score *= f["known_words"]
        f["evidence"] = scoring.evidence(alignment)
        s.score *= f["evidence"]
        phrase_words = (
            self._phrase_words.get(s.intent, frozenset()) if alignment.template in self._phrase_templates else None
        )
        f["phrase_cover"] = scoring.phrase_cover(analysis, alignment, phrase_words)
        f["free_text_doubt"] = scoring.free_text_doubt(alignment)
        strays = scoring.stray_values(analysis, alignment, self.vocab)
        f["stray_values"] = scoring.STRAY_VALUE**strays
        f["explained"] = scoring.explained(f["phrase_cover"], f["free_text_doubt"], strays)
        s.score *= f["explained"]

    def _decide(
        self,
        utterance: str,
        analysis: Analysis,
        ordered: list[_Scored],
        allowed: set[str] | None,
        reference_time: datetime | date | None,
    ) -> Resolution:
        """The answer from the ranked intents: the best with its slots, a bare value while a slot is being
        elicited, or AMAZON.FallbackIntent when the best is not confident enough."""
        winner = ordered[0]
        assert winner.alignment is not None
        confidence = scoring.confidence(winner.score, self.threshold, exact=winner.alignment.cost == 0.0)
        ranked = [
            IntentMatch(s.intent, confidence=round(scoring.confidence(s.score, self.threshold, False), 4))
            for s in ordered
        ]
        needed = scoring.needed_confidence(eliciting=allowed is not None)
        if confidence < needed and allowed is not None:
            bare = self._bare_value(analysis, allowed, reference_time)
            if bare is not None:
                return Resolution(utterance, bare.intent, bare.slots, bare.confidence, [bare, *ranked])
        if confidence < needed and self.has_fallback:
            ranked.insert(0, IntentMatch(FALLBACK_INTENT, confidence=round(1.0 - confidence, 4)))
            return _fallback(utterance, 1.0 - confidence, ranked)
        slots = self._slots(winner.intent, winner.alignment, analysis, reference_time)
        ranked[0] = IntentMatch(winner.intent, slots, round(confidence, 4))
        return Resolution(utterance, winner.intent, slots, confidence, ranked)

    def _bare_value(
        self, analysis: Analysis, allowed: set[str], reference_time: datetime | date | None
    ) -> IntentMatch | None:
        """The answer to an elicitation that is just a value ("the kombucha", "tomorrow"): one value of
        a slot type of an allowed intent, or a few unknown words for an open slot (no match)."""
        words = analysis.words
        lo, hi = 0, len(words)
        while lo < hi and words[lo] in FUNCTION_WORDS:
            lo += 1
        while hi > lo and words[hi - 1] in FUNCTION_WORDS:
            hi -= 1
        if lo == hi:
            return None
        for intent in sorted(allowed):
            for name, slot_type in self.slot_types.get(intent, {}).items():
                for span in analysis.spans:
                    if span.start <= lo and span.end >= hi and fit_cost(slot_type, span.kind) is not None:
                        value = self._slot_value(name, slot_type, span, reference_time)
                        if value is not None:
                            return IntentMatch(intent, {name: value}, BARE_VALUE_SCORE * span.score)
                core = range(lo, hi)
                if self._open(slot_type) and hi - lo <= 4 and all(i in analysis.unknown for i in core):
                    text = Span(lo, hi, "TEXT", " ".join(words[lo:hi]))
                    value = self._slot_value(name, slot_type, text, reference_time)
                    if value is not None:
                        return IntentMatch(intent, {name: value}, BARE_TEXT_CONFIDENCE)
        return None

    def _align(self, analysis: Analysis, spans_at: dict[int, list[Span]], scored: _Scored) -> Alignment:
        # the alignment is quadratic: a long ramble is judged on its start, with the values found there
        words = analysis.words[:ALIGN_WORDS]
        lemmas = analysis.lemmas[:ALIGN_WORDS]
        if len(words) < len(analysis.words):
            spans_at = {
                start: [sp for sp in spans if sp.end <= ALIGN_WORDS]
                for start, spans in spans_at.items()
                if start < ALIGN_WORDS
            }
        types = self.slot_types[scored.intent]
        best: Alignment | None = None
        for t in scored.templates:
            a = align(
                words, spans_at, self.templates[t], types, self.vocab, lemmas, self._open, self._word_weight
            )
            if best is None or a.cost < best.cost:
                a.template = t
                best = a
        chain = self._phrase_chain(words, lemmas, scored.intent)
        if chain is not None and (best is None or chain.cost < best.cost):
            best = chain
        return best or Alignment(float(len(words)), {})

    def _phrase_chain(self, words: list[str], lemmas: list[str], intent: str) -> Alignment | None:
        """A built-in answer said as several of its phrases ("yeah, yeah, that's fine", "nope, not
        now"): every place one of the intent's phrases occurs counts as explained, the words
        between cost what an extra word costs."""
        covered: set[int] = set()
        longest, template = 0, -1
        for t, seq in self._phrase_seqs.get(intent, ()):
            k = len(seq)
            for i in range(len(lemmas) - k + 1):
                if tuple(lemmas[i : i + k]) == seq:
                    covered.update(range(i, i + k))
                    if k > longest:
                        longest, template = k, t
        if not covered:
            return None
        cost = 0.0
        for i, w in enumerate(words):
            if i not in covered:
                neutral = w in NEUTRAL_WORDS or w in FILLER_WORDS
                cost += (
                    INSERT_FUNCTION if neutral else INSERT_WORD * (0.5 + 0.5 * self._word_weight(lemmas[i]))
                )
        evidence = sum(self._word_weight(lemmas[i]) for i in covered if words[i] not in NEUTRAL_WORDS)
        return Alignment(cost, {}, evidence, frozenset(covered), template, carrier_cost=cost)

    def _slots(
        self, intent: str, alignment: Alignment, analysis: Analysis, reference_time: datetime | date | None
    ) -> dict[str, SlotValue]:
        types = self.slot_types[intent]
        out: dict[str, SlotValue] = {}
        used: set[int] = set()
        taken = {j for sp in alignment.spans.values() for j in range(sp.start, sp.end)}
        for name, span in alignment.spans.items():
            if self._open(types[name]):
                span = self._whole_value(span, types[name], analysis, alignment.covered | taken)
            value = self._slot_value(name, types[name], span, reference_time)
            if value is not None:
                out[name] = value
                used.update(range(span.start, span.end))
        # values said out of the samples' order ("milk, two of them"): fill what is left by type
        for span in sorted(analysis.spans, key=lambda s: -(s.end - s.start)):
            if any(j in used for j in range(span.start, span.end)):
                continue
            fits = [n for n, t in types.items() if n not in out and fit_cost(t, span.kind) == 0.0]
            if len(fits) == 1:
                value = self._slot_value(fits[0], types[fits[0]], span, reference_time)
                if value is not None:
                    out[fits[0]] = value
                    used.update(range(span.start, span.end))
        return {name: out[name] for name in types if name in out}

    def _whole_value(
        self, span: Span, slot_type: str, analysis: Analysis, covered: frozenset[int] | set[int]
    ) -> Span:
        """The value of an open slot as Alexa gives it: every word said in its place, not only the part
        the value list knows ("oatly original oat milk", not "oat milk"). The words next to the value
        that nothing else explains join it; a function word, a filler, a number or date that is not
        part of a price ("under five dollars"), or a word the template took ends it. The resolution is
        the rightmost known value inside (the head of an English noun phrase)."""
        words = analysis.words
        numeric = {
            j for sp in analysis.spans if sp.kind in _BUILTIN_SPAN_KINDS for j in range(sp.start, sp.end)
        }

        def joins(j: int) -> bool:
            if j in covered or words[j] in NEUTRAL_WORDS or words[j] in FILLER_WORDS:
                return False
            return j not in numeric

        start, end = span.start, span.end
        while start > 0 and joins(start - 1):
            start -= 1
        while end < len(words):
            if joins(end):
                end += 1
                continue
            price = price_end(words, end, numeric, covered)
            if not price:
                break
            end = price
        if (start, end) == (span.start, span.end) and span.kind != "TEXT":
            return span
        text = " ".join(words[start:end])
        inside: list[Span] = []
        for sp in sorted(analysis.spans, key=lambda sp: (sp.start, -(sp.end - sp.start))):
            fits = sp.kind == slot_type and start <= sp.start and sp.end <= end and sp.score >= 1.0
            if fits and (not inside or sp.start >= inside[-1].end):
                inside.append(sp)
        if not inside:
            return Span(start, end, "TEXT", text) if span.kind == "TEXT" else replace(span, start=start, end=end, value=text)
        return phrase_value(words, start, end, slot_type, inside)

    def _slot_value(
        self, name: str, slot_type: str, span: Span, reference_time: datetime | date | None
    ) -> SlotValue | None:
        if span.kind == "TEXT":
            words = span.value.split()
            while words and words[0] in _LEADING_NOISE:
                words = words[1:]
            while words and words[-1] in FUNCTION_WORDS:
                words = words[:-1]
            if not words:
                return None
            text = " ".join(words)
            hit = self.gazetteer.lookup(slot_type, text)
            if hit is not None:
                return SlotValue(name, text, slot_type, hit.id, hit.resolved, "ER_SUCCESS_MATCH")
            if slot_type.startswith("AMAZON."):
                return SlotValue(name, text, slot_type)
            return SlotValue(name, text, slot_type, None, None, "ER_SUCCESS_NO_MATCH")
        if span.kind == slot_type:
            if span.id is None:  # a phrase no one value resolves: the words as said
                return SlotValue(name, span.value, slot_type, None, None, "ER_SUCCESS_NO_MATCH")
            return SlotValue(name, span.value, slot_type, span.id, span.resolved, "ER_SUCCESS_MATCH")
        if slot_type == "AMAZON.DATE" and span.kind == "ORD":
            iso = day_of_month(int(span.value), _day(reference_time))
            return SlotValue(name, iso, slot_type) if iso else None
        return SlotValue(name, span.value, slot_type)

    def explain(self, utterance: str, reference_time: datetime | date | None = None) -> str:
        """A few lines on how an utterance was read, for `voiceshop nlu --explain`: its words, the values
        found in them, the delexicalised symbols, then the intents that were aligned, best first, each
        with its score, the sample it lined up with and every factor of its score (`scoring.SCORE_FACTORS`)."""
        a = self.analyse(utterance, reference_time)
        data = self.explain_data(utterance, reference_time)
        values = ", ".join(f"{v['words']}={v['kind']}:{v['id'] or v['value']}" for v in data["values"])
        lines = [
            f"  words:   {' '.join(a.words)}",
            f"  values:  {values or '-'}",
            "  symbols: " + " ".join("|".join(s) for s in a.symbols),
        ]
        if data["unknown"]:
            lines.append(f"  unknown: {' '.join(data['unknown'])}")
        for entry in data["ranked"]:
            factors = entry.get("factors")
            if not factors or "alignment_fit" not in factors:
                continue  # not aligned: ranked by similarity alone
            lines.append(
                f"  {entry['score']:.3f} {entry['intent']} ~ '{entry.get('sample', '')}'"
                f" (align cost {entry.get('align_cost', 0.0):.2f}, confidence {entry['confidence']:.2f})"
            )
            shown = [f"{name.replace('_', ' ')} {factors[name]:.3f}" for name in SCORE_FACTORS if name in factors]
            lines.append("        " + ", ".join(shown))
        return "\n".join(lines)

    def explain_data(self, utterance: str, reference_time: datetime | date | None = None) -> dict[str, Any]:
        """How an utterance was read, as data (the console's NLU page): its words and the values found in
        them, the winner with its slots and their resolutions, and every intent ranked with the factors
        of its score (similarity, alignment fit, known words, evidence, explained share)."""
        a = self.analyse(utterance, reference_time)
        trace: list[_Scored] = []
        r = self.resolve(utterance, reference_time=reference_time, trace=trace)
        by_intent = {s.intent: s for s in trace}
        ranked = []
        for match in r.ranked:
            scored = by_intent.get(match.intent)
            entry: dict[str, Any] = {"intent": match.intent, "confidence": round(match.confidence, 4)}
            if scored is not None:
                entry["score"] = round(scored.score, 4)
                factors = scored.factors or {"similarity": scored.score}
                entry["factors"] = {k: round(v, 4) for k, v in factors.items()}
                if scored.alignment is not None:
                    template = scored.alignment.template if scored.alignment.template >= 0 else scored.templates[0]
                    entry["sample"] = self.templates[template].text
                    entry["align_cost"] = round(scored.alignment.cost, 4)
                elif scored.templates:
                    entry["sample"] = self.templates[scored.templates[0]].text
            ranked.append(entry)
        return {
            "utterance": utterance,
            "words": a.words,
            "values": [
                {"words": " ".join(a.words[sp.start : sp.end]), "kind": sp.kind, "value": sp.value, "id": sp.id}
                for sp in a.spans
            ],
            "unknown": sorted(set(a.unknown.values())),
            "intent": r.intent,
            "confidence": round(r.confidence, 4),
            "slots": {
                name: {"value": v.value, "type": v.slot_type, "id": v.id, "resolved": v.resolved, "status": v.status}
                for name, v in r.slots.items()
            },
            "ranked": ranked,
        }


def _fallback(utterance: str, confidence: float, ranked: list[IntentMatch]) -> Resolution:
    return Resolution(utterance, FALLBACK_INTENT, confidence=confidence, ranked=ranked)


def _knows_any(analysis: Analysis) -> bool:
    """Whether the utterance has one word or value the model knows (a unigram feature not unknown)."""
    return any(not k.startswith("?") and k != "@UNK" for k in analysis.features if " " not in k)


def _day(reference_time: datetime | date | None) -> date:
    if reference_time is None:
        return datetime.now().date()
    return reference_time.date() if isinstance(reference_time, datetime) else reference_time


_CACHE: dict[object, CompiledNLU] = {}
_LOCK = threading.Lock()


def compile_model(
    model: InteractionModel | Path | str, locale: str = "en-US", *, cache_dir: Path | None = None
) -> CompiledNLU:
    """Compile (or fetch from the cache) the NLU of a model object or model file.

    Files are cached by path and modification time, model objects by identity and content; with
    `cache_dir`, a model file's NLU is also kept on disk by its content (`speech.nlu.cache`), so the
    next process reads it instead of compiling.
    Raises `ModelError` for a malformed model, `UnsupportedLocaleError` for a locale it cannot serve.
    """
    if locale not in SUPPORTED_LOCALES:
        raise UnsupportedLocaleError(
            f"unsupported locale '{locale}' (supported: {', '.join(sorted(SUPPORTED_LOCALES))})"
        )
    if isinstance(model, (str, Path)):
        path = Path(model).resolve()
        try:
            stat = path.stat()
        except OSError as exc:
            raise ModelError(f"cannot read interaction model {model}: {exc.strerror or exc}") from exc
        key: object = ("file", str(path), stat.st_mtime_ns, stat.st_size, locale)
        with _LOCK:
            if key in _CACHE:
                return _CACHE[key]
        compiled = _from_disk(path, locale, cache_dir) if cache_dir else CompiledNLU(load_interaction_model(path), locale)
    else:
        key = ("model", hash(model), locale)
        with _LOCK:
            hit = _CACHE.get(key)
            if hit is not None and hit.model == model:
                return hit
        compiled = CompiledNLU(model, locale)
    with _LOCK:
        if len(_CACHE) > 16:
            _CACHE.clear()
        _CACHE[key] = compiled
    return compiled


def _from_disk(path: Path, locale: str, cache_dir: Path) -> CompiledNLU:
    """The NLU of the model file at `path` from the disk cache, compiled and stored there on a miss."""
    from speech.nlu import cache

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelError(f"cannot read interaction model {path}: {exc.strerror or exc}") from exc
    key = cache.cache_key(data, locale)
    found = cache.load(cache_dir, key)
    if found is not None:
        return found
    compiled = CompiledNLU(load_interaction_model(path), locale)
    cache.save(cache_dir, key, compiled)
    return compiled
