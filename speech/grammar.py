"""ASR grammars compiled from the interaction model: what the speaker can be expected to hear.

    g = build_grammar(load_interaction_model("interaction_model.json"))
    g.phrases                    # expanded sentences (sampled slot values filled in): snapping
    g.vosk_phrases()             # Vosk's phrase list: every slot value in every place its slot is
    g.jsgf()                     # a JSGF grammar for pocketsphinx (slots as rules, built-ins as word rules)
    arpa_templates(g.template_weights(), g.slot_values)   # its bigram language model (pocketsphinx)
    g.accepts("add two bottles of milk")     # True: the grammar can say exactly this
    g.words                      # every word the grammar uses (check them against an engine's vocabulary)

Besides the intents' samples, the grammar says what a user says to a speaker around a skill: the
launch and one-shot invocation phrases ("open voice shop", "ask voice shop to ...") and the usual
phrasings of the AMAZON.* built-in intents, whose samples an interaction model leaves empty (both from
`speech.vocabulary`).
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from speech.interaction_model import SLOT_REF, Intent, InteractionModel
from speech.number_words import CODE_DIGIT_WORDS, ORDINAL_WORDS, TEN_ORDINAL_WORDS, TEN_WORDS, UNIT_WORDS
from speech.vocabulary import ESCAPE_INTENTS, heard_text, phrasebook

__all__ = [
    "Grammar", "build_grammar", "normalise", "arpa_bigram", "arpa_templates", "phrase_list",
    "BUILTIN_SLOT_WORDS",
]

_DIGIT_WORDS = list(CODE_DIGIT_WORDS)
_UNITS = list(UNIT_WORDS[1:])
_TENS = list(TEN_WORDS)
_ORDINALS = [*ORDINAL_WORDS[:12], "last"]
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"]

# JSGF bodies for the built-in slot types (rule names are prefixed when emitted).
_BUILTIN_JSGF: dict[str, str] = {
    "AMAZON.NUMBER": "<units> | <tens> [<digit1>] | (a | one) hundred [[and] (<units> | <tens> [<digit1>])] "
                     "| a dozen | a couple [of] | a pair [of] | zero",
    "AMAZON.Ordinal": "[the] (" + " | ".join(_ORDINALS) + ")",
    "AMAZON.FOUR_DIGIT_NUMBER": "<digit> <digit> <digit> <digit>",
    "AMAZON.DATE": "today | tomorrow | the day after tomorrow | tonight | this weekend | next week "
                   "| [on] [next | this] <weekday> | [on] <month> <dayordinal> | [on] the <dayordinal> [of <month>]",
}
_HELPER_RULES: dict[str, str] = {
    "digit": " | ".join(_DIGIT_WORDS),
    "digit1": " | ".join(_DIGIT_WORDS[2:]),
    "units": " | ".join(_UNITS),
    "tens": " | ".join(_TENS),
    "weekday": " | ".join(_WEEKDAYS),
    "month": " | ".join(_MONTHS),
    "dayordinal": " | ".join(_ORDINALS[:-1] + [*TEN_ORDINAL_WORDS[:2], "twenty (first | second | third "
                                               "| fourth | fifth | sixth | seventh | eighth | ninth)"]),
}

# Sample values of the built-in types, for the expanded phrase list (JSGF covers them all).
BUILTIN_SLOT_WORDS: dict[str, list[str]] = {
    "AMAZON.NUMBER": ["one", "two", "three", "four", "five", "six", "ten", "twelve", "twenty", "a dozen"],
    "AMAZON.Ordinal": ["first", "second", "third", "fourth", "fifth", "last"],
    # codes that between them hold every pair of digits a code can follow with (the bigram model needs them)
    "AMAZON.FOUR_DIGIT_NUMBER": ["one two three four", "four three two one", "five five five five",
                                 "nine eight seven six", "zero one two three", "two four six eight",
                                 "one three five seven", "six seven eight nine", "three one four one",
                                 "eight zero zero two", "seven two nine one", "oh four one six"],
    "AMAZON.DATE": ["today", "tomorrow", "the day after tomorrow", "this weekend", "next week"]
                   + _WEEKDAYS + ["next monday", "next friday"],
}

PER_TEMPLATE = 40
SEED = 7
"""`build_grammar`'s defaults: fills drawn per template with slots, and the seed of the draw."""



def normalise(text: str) -> str:
    """Words the way a recogniser writes them (`heard_text`, '&' said 'and'): 'What's in my cart?'."""
    return heard_text(text.replace("&", " and "))


@dataclass
class Grammar:
    """The sentences an interaction model lets a user say, in the forms the ASR engines need."""

    invocation: str
    templates: list[str]
    """Samples with {slot} references replaced by {TYPE} references, invocation phrases included."""
    slot_values: dict[str, list[str]]
    """Slot type -> spoken values and synonyms (custom types from the model, built-ins as sample words)."""
    one_shot: list[str] = field(default_factory=list)
    """Invocation prefixes that may come before a custom intent's sample ('ask voice shop to')."""
    commands: list[str] = field(default_factory=list)
    """The templates of custom intents (those a one-shot prefix may come before)."""
    weights: dict[str, float] = field(default_factory=dict)
    """Phrase -> weight (each template weighs the same in all, shared by its fills): a language model of
    the phrases themselves (`arpa_bigram`). pocketsphinx's is counted from the templates instead
    (`template_weights`, `arpa_templates`), which says every slot value, not only the fills drawn."""
    intent_of: dict[str, str] = field(default_factory=dict)
    """Template -> the intent whose sample it is."""
    phrases: list[str] = field(default_factory=list)
    """Expanded sentences (each template with sampled slot values), deduplicated, in a stable order."""
    answers: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    """(intent, slot) -> the templates that answer a question for that slot: its slot samples (the bare
    value when it has none: Alexa takes one after ElicitSlot) and the intent's samples with that slot alone."""
    per_template: int = PER_TEMPLATE
    """Fills drawn for each template with slots (`build_grammar`); answer grammars draw as many."""
    value_ids: dict[str, str] = field(default_factory=dict)
    """A custom slot value or synonym as said -> 'TYPE:id' of the value it names ('whole milk' and 'milk'
    name one value, 'coffee mate' another than 'coffee'): snapping keeps to the values heard."""
    seed: int = SEED
    values_of: dict[str, list[list[str]]] = field(default_factory=dict)
    """Custom slot type -> its values, each as said: its name, then its synonyms."""
    pairs_held: bool = False
    """Whether Vosk's list says two custom slot types side by side ('{feature} {product}') only with the
    pairs of values the model holds (`held_pairs`), not every combination: set for Korean, whose brand
    and tag values would otherwise each be said with every product and question word."""
    intent_phrases: dict[str, list[str]] = field(default_factory=lambda: phrasebook("en-US").heard)
    """How the built-in intents are said in the grammar's language (yes, no and the escapes)."""
    _answer_grammars: dict[tuple[str, str | None], Grammar] = field(default_factory=dict, repr=False, compare=False)
    _sets: dict[str, _SlotSet] = field(default_factory=dict, repr=False, compare=False)
    _parsed: _TemplateIndex | None = field(default=None, repr=False, compare=False)
    _parsed_commands: _TemplateIndex | None = field(default=None, repr=False, compare=False)
    _accepted: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)
    """accepts() answers by normalised sentence (a recogniser asks of the same sentences again)."""

    @classmethod
    def from_phrases(cls, phrases: list[str]) -> Grammar:
        """A grammar that says exactly these sentences (any language: no normalising beyond spaces)."""
        clean = list(dict.fromkeys(" ".join(p.split()) for p in phrases if p.strip()))
        return cls(invocation="", templates=clean, slot_values={}, phrases=clean,
                   weights=dict.fromkeys(clean, 1.0))

    def answer(self, intent: str, slot: str | None) -> Grammar | None:
        """The sentences that answer the dialog's question: the elicited slot's answers (`answers`), or
        yes and no when `slot` is None (a confirmation); with the escapes a user may say instead (stop,
        cancel, help, go home). None when the model has no such slot."""
        key = (intent, slot)
        if key in self._answer_grammars:
            return self._answer_grammars[key]
        if slot is None:
            templates = [*self.intent_phrases["AMAZON.YesIntent"], *self.intent_phrases["AMAZON.NoIntent"]]
        elif key in self.answers:
            templates = list(self.answers[key])
        else:
            return None
        escapes = [p for name in ESCAPE_INTENTS for p in self.intent_phrases.get(name, [])]
        g = Grammar(invocation=self.invocation, templates=list(dict.fromkeys([*templates, *escapes])),
                    slot_values=self.slot_values, commands=templates, intent_phrases=self.intent_phrases,
                    intent_of={t: intent for t in templates}, per_template=self.per_template, seed=self.seed,
                    value_ids=self.value_ids)
        g.weights = _expand(g.templates, self.slot_values, self.per_template, self.seed)
        g.phrases = list(g.weights)
        self._answer_grammars[key] = g
        return g

    def template_weights(self) -> dict[str, float]:
        """Template -> its weight in a language model: `per_template` each (the weight its fills in
        `phrases` share), and each command's one-shot form ('ask voice shop to ...') `_one_shot_weight`."""
        out = dict.fromkeys(self.templates, float(self.per_template))
        if self.one_shot:
            for command in self.commands:
                form = f"{self.one_shot[0]} {command}"
                out[form] = out.get(form, 0.0) + _one_shot_weight(self.per_template)
        return out

    def vosk_phrases(self) -> list[str]:
        """The phrase list for an engine that counts its bigram from one (Vosk): `phrase_list` of the
        weighted templates, which says every slot value in every place its slot is; a grammar of plain
        sentences (`from_phrases`) is its own phrases."""
        if not any(SLOT_REF.search(t) for t in self.templates):
            return list(self.phrases)
        return phrase_list(self.template_weights(), self.slot_values, seed=self.seed,
                           pairs=self.held_pairs() if self.pairs_held else None)

    def held_pairs(self) -> dict[tuple[str, str], list[tuple[str, str]]]:
        """For each run of two custom slot types side by side in the templates, the pairs of values
        (each a value's name) that the model's own values hold together: one names the other inside a
        form of its own ('서울우유 우유' among the milk's forms pairs the brand 서울우유 with 우유, '락토프리 우유'
        pairs 우유 with 락토프리), as shoppers say them."""
        runs: set[tuple[str, str]] = set()
        for t in self.templates:
            parts = _template_parts(t)
            runs.update((a, b) for (sa, a), (sb, b) in zip(parts, parts[1:], strict=False)
                        if sa and sb and not a.startswith("AMAZON.") and not b.startswith("AMAZON."))
        groups = {name: self._groups(name) for run in runs for name in run}
        out: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for a, b in sorted(runs):
            out[(a, b)] = [(name_a, name_b) for name_a, forms_a, inside_a in groups[a]
                           for name_b, forms_b, inside_b in groups[b]
                           if name_a != name_b and (forms_a & inside_b or forms_b & inside_a)]
        return out

    def _groups(self, slot_type: str) -> list[tuple[str, set[tuple[str, ...]], set[tuple[str, ...]]]]:
        """A custom type's values: (the value's name, its forms as words, every run of words inside them)."""
        out = []
        for forms in self.values_of.get(slot_type, []):
            words = {tuple(f.split()) for f in forms}
            inside = {w[i:j] for w in words for i in range(len(w)) for j in range(i + 1, len(w) + 1)}
            out.append((forms[0], words, inside))
        return out

    @property
    def closed(self) -> bool:
        """Every sentence holds a value of a built-in type with a grammar of its own (a code, a number, a
        date): a recogniser can listen for exactly these (codes are the worst heard in the open model)."""
        refs = [SLOT_REF.findall(t) for t in self.commands]
        return bool(refs) and all(r and all(x in _BUILTIN_JSGF for x in r) for r in refs)

    @property
    def words(self) -> set[str]:
        out: set[str] = set()
        for t in (*self.templates, *self.one_shot):
            out.update(w for w in SLOT_REF.sub(" ", t).split())
        for values in self.slot_values.values():
            for v in values:
                out.update(v.split())
        for body in list(_HELPER_RULES.values()) + list(_BUILTIN_JSGF.values()):
            out.update(w for w in re.findall(r"[a-z']+", re.sub(r"<[^>]+>", " ", body)))
        return out

    def accepts(self, text: str) -> bool:
        """Whether the grammar can say exactly this sentence (any number, any code, any value)."""
        t = normalise(text)
        known = self._accepted.get(t)
        if known is not None:
            return known
        if self._parsed is None or self._parsed_commands is None:
            self._sets = _slot_sets(self.slot_values)
            self._parsed = _TemplateIndex(self.templates)
            self._parsed_commands = _TemplateIndex(self.commands)
        said = self._parsed.says(t.split(), self._sets)
        if not said:
            prefix, rest = self.split_one_shot(t)
            said = bool(prefix) and self._parsed_commands.says(rest.split(), self._sets)
        if len(self._accepted) >= 50_000:
            self._accepted.clear()
        self._accepted[t] = said
        return said

    def split_one_shot(self, text: str) -> tuple[str, str]:
        """('ask voice shop to', 'add milk') for a one-shot request, ('', text) otherwise."""
        for prefix in self.one_shot:
            if text.startswith(prefix + " "):
                return prefix, text[len(prefix) + 1 :]
        return "", text

    def jsgf(self, *, name: str = "voiceshop", keep_word: Iterable[str] | None = None) -> str:
        """A JSGF grammar; alternatives holding a word outside `keep_word` (when given) are dropped."""
        vocab = set(keep_word) if keep_word is not None else None

        def ok(phrase: str) -> bool:
            return vocab is None or all(w in vocab for w in phrase.split())

        lines = ["#JSGF V1.0;", f"grammar {name};"]
        type_rules: dict[str, str] = {}
        for type_name, values in sorted(self.slot_values.items()):
            rule = _rule_name(type_name)
            type_rules[type_name] = rule
            if type_name in _BUILTIN_JSGF:
                lines.append(f"<{rule}> = {_BUILTIN_JSGF[type_name]};")
                continue
            alts = sorted({v for v in values if v and ok(v)})
            lines.append(f"<{rule}> = {' | '.join(alts) if alts else '<NULL>'};")
        for helper, body in _HELPER_RULES.items():
            lines.append(f"<{helper}> = {body};")
        def rule_body(templates: list[str]) -> str:
            # Templates of one intent with the same slots in the same order are merged into one
            # expansion (their literal pieces become alternatives) so that each slot rule is referenced
            # a few times rather than once per sample: pocketsphinx copies a rule at every reference,
            # and a 1,300-value product rule copied per sample makes a graph too big to search.
            # The merge may say sentences no sample says, always of the same intent; `accepts` is exact.
            groups: dict[tuple[str, tuple[str, ...]], list[list[str]]] = {}
            for tpl in templates:
                if not ok(" ".join(SLOT_REF.sub(" ", tpl).split())):
                    continue
                slots = tuple(SLOT_REF.findall(tpl))
                pieces = [" ".join(x.split()) for x in SLOT_REF.split(tpl)[::2]]
                groups.setdefault((self.intent_of.get(tpl, ""), slots), []).append(pieces)
            alts = []
            for (_, slots), rows in sorted(groups.items()):
                if not slots:
                    alts += [f"({r[0]})" for r in rows if r[0]]
                    continue
                out = []
                for i in range(len(slots) + 1):
                    options = sorted({r[i] for r in rows})
                    words = [o for o in options if o]
                    if words:
                        body = " | ".join(f"({o})" for o in words)
                        out.append(f"[{body}]" if len(words) < len(options) else f"({body})")
                    if i < len(slots):
                        out.append(f"<{type_rules.get(slots[i], 'VOID')}>")
                alts.append("(" + " ".join(out) + ")")
            return " | ".join(sorted(set(alts))) or "<VOID>"

        commands = set(self.commands)
        lines.append(f"<command> = {rule_body(self.commands)};")
        lines.append(f"<other> = {rule_body([t for t in self.templates if t not in commands])};")
        prefixes = [p for p in self.one_shot if ok(p)]
        if prefixes:
            lines.append("<oneshot> = " + " | ".join(f"({p})" for p in prefixes) + ";")
            lines.append("public <utterance> = <other> | [<oneshot>] <command>;")
        else:
            lines.append("public <utterance> = <other> | <command>;")
        return "\n".join(lines) + "\n"


def _rule_name(type_name: str) -> str:
    return "t_" + re.sub(r"\W", "_", type_name)


def _expand_jsgf(body: str) -> list[tuple[str, ...]]:
    """Every word sequence of a body in the small JSGF subset used here ((), [], |, <helper>, words)."""
    toks = re.findall(r"<\w+>|[()\[\]|]|[a-z']+", body)
    pos = 0

    def alternatives() -> list[tuple[str, ...]]:
        nonlocal pos
        alts = [sequence()]
        while pos < len(toks) and toks[pos] == "|":
            pos += 1
            alts.append(sequence())
        return [x for a in alts for x in a]

    def sequence() -> list[tuple[str, ...]]:
        nonlocal pos
        out: list[tuple[str, ...]] = [()]
        while pos < len(toks) and toks[pos] not in ("|", ")", "]"):
            tok = toks[pos]
            pos += 1
            if tok in ("(", "["):
                inner = alternatives()
                pos += 1  # the closing bracket
                choices = inner + [()] if tok == "[" else inner
            elif tok.startswith("<"):
                choices = _expand_jsgf(_HELPER_RULES[tok[1:-1]])
            else:
                choices = [(tok,)]
            out = [a + b for a in out for b in choices]
        return out

    return list(dict.fromkeys(alternatives()))


class _SlotSet:
    """The word sequences a slot type can be, for exact matching."""

    def __init__(self, sequences: Iterable[tuple[str, ...]]) -> None:
        self.items = frozenset(x for x in sequences if x)
        self.lengths = sorted({len(x) for x in self.items})

    def ends(self, words: Sequence[str], i: int) -> list[int]:
        return [i + n for n in self.lengths if tuple(words[i : i + n]) in self.items]


def _slot_sets(slot_values: dict[str, list[str]]) -> dict[str, _SlotSet]:
    out = {}
    for type_name, values in slot_values.items():
        if type_name in _BUILTIN_JSGF:
            out[type_name] = _SlotSet(_expand_jsgf(_BUILTIN_JSGF[type_name]))
        else:
            out[type_name] = _SlotSet(tuple(v.split()) for v in values)
    return out


def _parse_template(tpl: str) -> list[tuple[bool, str]]:
    """'add {PRODUCT} now' -> [(False, 'add'), (True, 'PRODUCT'), (False, 'now')]."""
    out: list[tuple[bool, str]] = []
    pos = 0
    for m in SLOT_REF.finditer(tpl):
        out += [(False, w) for w in tpl[pos : m.start()].split()]
        out.append((True, m.group(1)))
        pos = m.end()
    out += [(False, w) for w in tpl[pos:].split()]
    return out


class _TemplateIndex:
    """Parsed templates by their first word, so a sentence is matched against the templates that can
    start with its first word (and those that start with a slot) only."""

    def __init__(self, templates: Iterable[str]) -> None:
        self.by_first: dict[str, list[list[tuple[bool, str]]]] = {}
        self.slot_first: list[list[tuple[bool, str]]] = []
        for tpl in templates:
            parts = _parse_template(tpl)
            if parts and not parts[0][0]:
                self.by_first.setdefault(parts[0][1], []).append(parts)
            else:
                self.slot_first.append(parts)

    def says(self, words: Sequence[str], sets: dict[str, _SlotSet]) -> bool:
        first = self.by_first.get(words[0], []) if words else []
        return any(_matches(p, words, sets) for p in (*first, *self.slot_first))


def _matches(parts: list[tuple[bool, str]], words: Sequence[str], sets: dict[str, _SlotSet]) -> bool:
    """Whether the template says exactly `words` (a small search over the slot values' lengths)."""
    frontier = {0}
    for is_slot, item in parts:
        nxt: set[int] = set()
        for i in frontier:
            if not is_slot:
                if i < len(words) and words[i] == item:
                    nxt.add(i + 1)
            elif item in sets:
                nxt.update(sets[item].ends(words, i))
        if not nxt:
            return False
        frontier = nxt
    return len(words) in frontier


def build_grammar(
    model: InteractionModel, *, per_template: int = PER_TEMPLATE, seed: int = SEED, locale: str = "en-US"
) -> Grammar:
    """Compile the model's samples, slot types and invocation name into a `Grammar`; a ko-KR model gets
    Korean values for the built-in types, Korean built-in intent phrases and invocations."""
    book = phrasebook(locale)
    slot_values, value_ids, values_of = _slot_values(model, _slot_words(locale))
    said = _Said.of(model, book.heard)
    inv = normalise(model.invocation_name)
    templates = list(dict.fromkeys([*(p.format(inv=inv) for p in book.launch), *said.templates]))
    one_shot = [p.format(inv=inv) for p in book.one_shot]
    g = Grammar(invocation=inv, templates=templates, slot_values=slot_values, one_shot=one_shot,
                commands=said.commands, intent_of=said.intent_of, answers=said.answers, per_template=per_template,
                seed=seed, intent_phrases=book.heard, value_ids=value_ids, values_of=values_of,
                pairs_held=locale.startswith("ko"))
    g.weights = _expand(templates, slot_values, per_template, seed)
    g.phrases = list(g.weights)
    _add_one_shots(g)
    return g


def _slot_values(
    model: InteractionModel, slot_words: dict[str, list[str]]
) -> tuple[dict[str, list[str]], dict[str, str], dict[str, list[list[str]]]]:
    """Slot type -> its values as said (a custom type's values and synonyms, a built-in type's sample
    words), a custom value or synonym as said -> 'TYPE:id' of the value it names, and custom slot
    type -> its values, each its forms as said (`Grammar.values_of`)."""
    slot_values: dict[str, list[str]] = {}
    value_ids: dict[str, str] = {}
    values_of: dict[str, list[list[str]]] = {}
    for st in model.types:
        vals: list[str] = []
        for v in st.values:
            forms: list[str] = []
            for s in (v.value, *v.synonyms):
                n = normalise(s)
                if n and n not in vals:
                    vals.append(n)
                if n:
                    value_ids.setdefault(n, f"{st.name}:{v.id or normalise(v.value)}")
                    forms.append(n)
            if forms:
                values_of.setdefault(st.name, []).append(list(dict.fromkeys(forms)))
        slot_values[st.name] = vals
    for name, words in slot_words.items():
        slot_values.setdefault(name, list(words))
    return slot_values, value_ids, values_of


@dataclass
class _Said:
    """What the model's intents say, as templates of slot types (`_to_type_template`), in model order."""

    templates: list[str] = field(default_factory=list)
    """Every intent's samples and slot samples, then the built-in phrasings the model's samples lack."""
    commands: list[str] = field(default_factory=list)
    """The templates of custom intents."""
    intent_of: dict[str, str] = field(default_factory=dict)
    answers: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    """(intent, slot) -> what answers a question for the slot (`Grammar.answers`)."""

    @classmethod
    def of(cls, model: InteractionModel, intent_phrases: dict[str, list[str]]) -> _Said:
        """A built-in intent without samples is said as `intent_phrases` say it; the fallback's samples
        are requests the skill is not for: they tune the NLU, not what is heard."""
        said = cls()
        for intent in model.intents:
            if intent.name == "AMAZON.FallbackIntent":
                continue
            types = {s.name: s.type for s in intent.slots}
            said.answers.update(_answers(intent, types))
            samples = list(intent.samples) or intent_phrases.get(intent.name, [])
            samples += _listed_samples(intent)
            for s in (*samples, *(x for sl in intent.slots for x in sl.samples)):
                tpl = _to_type_template(s, types)
                if tpl and tpl not in said.templates:
                    said.templates.append(tpl)
                    said.intent_of[tpl] = intent.name
                    if not intent.name.startswith("AMAZON."):
                        said.commands.append(tpl)
        for name, phrases in intent_phrases.items():
            for p in phrases if model.intent(name) is not None else ():
                if p not in said.templates:
                    said.templates.append(p)
        return said


def _answers(intent: Intent, types: dict[str, str]) -> dict[tuple[str, str], list[str]]:
    """(intent, slot) -> the templates that answer a question for the slot: its slot samples (the bare
    value when it has none) and the intent's own samples that say this slot and no other ("my code is
    {voiceCode}")."""
    out: dict[tuple[str, str], list[str]] = {}
    for sl in intent.slots:
        said = [t for t in (_to_type_template(x, types) for x in sl.samples) if t] or ["{" + sl.type + "}"]
        said += [t for t in (_to_type_template(x, types) for x in intent.samples
                             if SLOT_REF.findall(x) == [sl.name]) if t]
        out[(intent.name, sl.name)] = list(dict.fromkeys(said))
    return out


def _add_one_shots(g: Grammar) -> None:
    """One-shot requests in the phrase list too (snapping compares whole sentences): each command after
    the first one-shot prefix, with fewer fills and a one-shot's weight (`_one_shot_weight`)."""
    known = set(g.phrases)
    one_shot_fills = max(4, g.per_template // 8)
    one_shots = _expand([f"{g.one_shot[0]} {c}" for c in g.commands], g.slot_values, one_shot_fills, g.seed)
    for p, w in one_shots.items():
        if p not in known:
            g.phrases.append(p)
            g.weights[p] = w * _one_shot_weight(g.per_template) / one_shot_fills


LISTED_SAMPLES = 6
"""Samples of an intent with a multiple-value slot that are also said with two values ("add milk and eggs")."""


def _listed_samples(intent: Intent) -> list[str]:
    """A few of the intent's short samples with its multiple-value slot said twice, joined by "and"."""
    out: list[str] = []
    for sl in intent.slots:
        if not sl.multiple_values:
            continue
        ref = "{" + sl.name + "}"
        for sample in intent.samples:
            if SLOT_REF.findall(sample) == [sl.name] and len(sample.split()) <= 4:
                out.append(sample.replace(ref, f"{ref} and {ref}"))
            if len(out) >= LISTED_SAMPLES:
                break
    return out


def _one_shot_weight(per_template: int) -> float:
    """A one-shot request's template weight: one-shot requests are rarer than requests in a session."""
    return max(4, per_template // 8) / 4


def _slot_words(locale: str) -> dict[str, list[str]]:
    """The sample values of the built-in slot types in a locale's language."""
    if locale.startswith("ko"):
        from speech.nlu import korean

        return korean.KOREAN_SLOT_WORDS
    return BUILTIN_SLOT_WORDS


def _to_type_template(sample: str, types: dict[str, str]) -> str:
    """'add {quantity} {unit} of {product}' -> 'add {AMAZON.NUMBER} {UNIT} of {PRODUCT}'."""
    out = []
    pos = 0
    for m in SLOT_REF.finditer(sample):
        out.append(normalise(sample[pos : m.start()]))
        slot_type = types.get(m.group(1))
        if slot_type is None:
            return ""  # a reference to no slot: the validator reports it, the grammar skips it
        out.append("{" + slot_type + "}")
        pos = m.end()
    out.append(normalise(sample[pos:]))
    return " ".join(x for x in out if x)


def _expand(templates: list[str], slot_values: dict[str, list[str]], per_template: int, seed: int) -> dict[str, float]:
    """Fill every template with slot values: all combinations when few, else `per_template` fills whose
    values rotate through each slot type across templates (so every value is said somewhere).

    Returns phrase -> weight: each template weighs `per_template` in all, shared by its fills, so a
    language model built from the phrases does not favour sentences with slots 40 to 1 over 'help'."""
    rng = random.Random(seed)
    cursors: dict[str, int] = {}
    seen: dict[str, float] = {}
    for tpl in templates:
        refs = SLOT_REF.findall(tpl)
        if not refs:
            seen[tpl] = seen.get(tpl, 0.0) + per_template
            continue
        pools = [slot_values.get(r) or [] for r in refs]
        if any(not p for p in pools):
            continue
        total = 1
        for p in pools:
            total *= len(p)
        combos: Iterable[tuple[str, ...]]
        if total <= per_template:
            combos = itertools.product(*pools)
        else:
            picks: list[tuple[str, ...]] = []
            for _ in range(per_template):
                fill: list[str] = []
                for ref, pool in zip(refs, pools, strict=True):
                    i = cursors.get(ref, rng.randrange(len(pool)))
                    fill.append(pool[i % len(pool)])
                    cursors[ref] = i + 1
                picks.append(tuple(fill))
            combos = picks
        fills = []
        for combo in combos:
            values = iter(combo)
            fills.append(SLOT_REF.sub(lambda _m, values=values: next(values), tpl))  # type: ignore[misc]
        fills = list(dict.fromkeys(fills))
        for phrase in fills:
            seen[phrase] = seen.get(phrase, 0.0) + per_template / len(fills)
    return seen


def arpa_bigram(phrases: Iterable[str], discount: float = 0.5, weights: dict[str, float] | None = None) -> str:
    """A back-off bigram language model (ARPA text) of the phrases, with absolute discounting.

    pocketsphinx searches it like any n-gram model: unlike a finite-state grammar, the search never
    ends with nothing when the audio strays from every sentence, and what it hears is then snapped."""
    from collections import defaultdict

    uni: dict[str, float] = defaultdict(float)
    bi: dict[tuple[str, str], float] = defaultdict(float)
    for p in phrases:
        weight = max(1.0, (weights or {}).get(p, 1.0))  # counts of at least 1 keep the discount meaningful
        words = ["<s>", *p.split(), "</s>"]
        for word in words:
            uni[word] += weight
        for pair in zip(words, words[1:], strict=False):
            bi[pair] += weight
    return _arpa(uni, bi, discount)


def arpa_templates(weights: dict[str, float], slot_values: dict[str, list[str]],
                   keep_word: Iterable[str] | None = None, discount: float = 0.5) -> str:
    """The bigram language model (ARPA text) of weighted templates, counted as if every sentence each
    template can say were said in proportion to its weight: each value of a slot equally often wherever
    the slot is. (`arpa_bigram` of the sampled `phrases` knows only the values drawn for each template:
    'add {PRODUCT}' draws `per_template` of the products, so 'add eggs' would back off to unigrams.)
    Templates with a word outside `keep_word`, and slot values with one, are left out."""
    from collections import defaultdict

    keep = None if keep_word is None else set(keep_word)
    pools = _pools(slot_values, keep)
    # Add up how often each word, each slot and each neighbouring pair of them is said, then share a
    # slot's count out over its values once (not once a template: 'add {PRODUCT}', 'remove the
    # {PRODUCT}' and hundreds more hold the same 1,350 values).
    said: dict[tuple[bool, str], float] = defaultdict(float)
    """(is a slot, word or slot type) -> how often it is said"""
    pairs: dict[tuple[tuple[bool, str], tuple[bool, str]], float] = defaultdict(float)
    for template, weight in weights.items():
        parts = _template_parts(template)
        if not _can_say(parts, pools, keep):
            continue  # a word it cannot hear, or a slot with no value it can
        for part in parts:
            said[part] += weight
        for pair in zip(parts, parts[1:], strict=False):
            pairs[pair] += weight
    uni: dict[str, float] = defaultdict(float)
    bi: dict[tuple[str, str], float] = defaultdict(float)
    ends: dict[tuple[bool, str], tuple[dict[str, float], dict[str, float]]] = {}
    """part -> (its first words, its last words) with their shares"""
    for (slot, x), count in said.items():
        if not slot:
            uni[x] += count
            ends[(slot, x)] = ({x: 1.0}, {x: 1.0})
            continue
        share = 1.0 / len(pools[x])
        firsts: dict[str, float] = defaultdict(float)
        lasts: dict[str, float] = defaultdict(float)
        for value in pools[x]:
            for w in value:
                uni[w] += count * share
            for inside in zip(value, value[1:], strict=False):
                bi[inside] += count * share
            firsts[value[0]] += share
            lasts[value[-1]] += share
        ends[(slot, x)] = (firsts, lasts)
    for (left, right), count in pairs.items():
        for a, pa in ends[left][1].items():
            for b, pb in ends[right][0].items():
                bi[(a, b)] += count * pa * pb
    return _arpa(uni, bi, discount)


def phrase_list(weights: dict[str, float], slot_values: dict[str, list[str]],
                keep_word: Iterable[str] | None = None, seed: int = SEED, limit: int | None = None,
                pairs: dict[tuple[str, str], list[tuple[str, str]]] | None = None) -> list[str]:
    """Sentences, repeated, for an engine that counts a bigram model from a phrase list (Vosk counts each
    phrase once): each template said about as often as its weight, and every value of each of its slots
    said at least once between each pair of words that slot stands between ('add {PRODUCT}' and
    'add {PRODUCT} to my cart' say every product after 'add', and before 'to' and the end). Slots side by
    side ('{AMAZON.NUMBER} {PRODUCT}') are one place, and every pair of their values is said in one of
    the places they stand.

    `Grammar.phrases` draws `per_template` fills for each template, so a bigram counted from it knows
    only the products drawn after each word (the gap `arpa_templates` closes for pocketsphinx) and weighs
    a template with slots 40 times one without. Here the templates that share a place take its values
    in turn, each as many as its share of the place's weight, and together at least all of them: where
    a place's templates weigh less than its values number, its values are said more often than the
    weight alone would say (once each is the least a count can be). Words outside `keep_word`, and
    values with one, are left out as in `arpa_templates`.

    A run of two slot types named in `pairs` is said with only the pairs of values listed there (the
    pairs people say: a brand with the kinds it makes), once each in its heaviest place, besides each
    of its values in turn; never every combination.

    A list that would run past `limit` phrases (`PHRASE_LIMIT`; a catalogue of tens of thousands of
    names) says in each place its share of the limit, its values in turn from a point of its own, so
    that each value is still said in some places; never fewer phrases than the weights ask for."""
    import math

    limit = PHRASE_LIMIT if limit is None else limit
    keep = None if keep_word is None else set(keep_word)
    pools = _pools(slot_values, keep)
    rng = random.Random(seed)
    parsed = {t: parts for t, w in weights.items() if w > 0 and _can_say(parts := _template_parts(t), pools, keep)}

    def places(parts: list[tuple[bool, str]]) -> list[tuple[tuple[str, ...], str, str]]:
        """(the slot types of a run of slots side by side, the word before it, the word after it)"""
        out: list[tuple[tuple[str, ...], str, str]] = []
        run: list[str] = []
        for i, (slot, x) in enumerate(parts):
            if slot:
                run.append(x)
            elif run:
                out.append((tuple(run), parts[i - len(run) - 1][1], x))
                run = []
        return out

    listed = _listed_pairs(pairs or {}, pools)
    spots = {t: places(parts) for t, parts in parsed.items()}
    place_weight: dict[tuple[tuple[str, ...], str, str], float] = {}
    for t, its in spots.items():
        for place in its:
            place_weight[place] = place_weight.get(place, 0.0) + weights[t]
    # A run of slots says every combination of its values in one place, its heaviest (the pairs inside
    # the run are the same bigrams wherever it stands); elsewhere each of its slots' values in turn.
    whole: dict[tuple[str, ...], tuple[tuple[str, ...], str, str]] = {}
    for place, w in place_weight.items():
        run = place[0]
        if (len(run) > 1 and (run in listed or math.prod(len(pools[x]) for x in run) <= _MAX_PLACE)
                and (run not in whole or w > place_weight[whole[run]])):
            whole[run] = place

    def size(place: tuple[tuple[str, ...], str, str]) -> int:
        sizes = [len(pools[x]) for x in place[0]]
        if whole.get(place[0]) != place:
            return max(sizes)
        return len(listed[place[0]]) if place[0] in listed else math.prod(sizes)

    cursor = {place: rng.randrange(size(place)) for place in place_weight}
    # each template says what its weight asks for, and more for its share of its places' values
    base = {t: max(1, round(weights[t])) for t in parsed}
    more = {t: max(0, max((math.ceil(size(p) * weights[t] / place_weight[p]) for p in its), default=0) - base[t])
            for t, its in spots.items()}
    scale = 1.0
    if sum(base.values()) + sum(more.values()) > limit:  # a catalogue too big to say everywhere: each place
        scale = max(0, limit - sum(base.values())) / sum(more.values())  # says its share of the limit
    out: list[str] = []
    for t, parts in parsed.items():
        for _ in range(base[t] + math.ceil(more[t] * scale)):
            words: list[str] = []
            k = 0
            for i, (slot, x) in enumerate(parts[1:-1], start=1):
                if not slot:
                    words.append(x)
                    continue
                if not parts[i - 1][0]:  # the first slot of a run: fill the run from its place's cursor
                    place = spots[t][k]
                    k += 1
                    c = cursor[place]
                    cursor[place] += 1
                    every = whole.get(place[0]) == place
                    if every and place[0] in listed:  # the pairs people say, then each value in turn
                        combo = listed[place[0]][c % len(listed[place[0]])]
                        for y, at in zip(place[0], combo, strict=True):
                            words += pools[y][at]
                        continue
                    for y in place[0]:  # the run's values in mixed radix (every pair), else each in turn
                        words += pools[y][c % len(pools[y])]
                        c = c // len(pools[y]) if every else c
            out.append(" ".join(words))
    return out


PHRASE_LIMIT = 400_000
"""`phrase_list`'s ceiling: Vosk compiles the list each time it loads and keeps it in memory."""

_MAX_PLACE = 100_000
"""A run of slots side by side whose value combinations number more than this says each slot's values in
turn, never every combination (none of the shop's does: its largest, a number and a product, is 13,500)."""


def _listed_pairs(pairs: dict[tuple[str, str], list[tuple[str, str]]], pools: dict[str, list[tuple[str, ...]]]
                  ) -> dict[tuple[str, ...], list[tuple[int, ...]]]:
    """Run of two slot types -> the value indices it says: its listed pairs (those whose values it can
    say), then each value of both in turn."""
    out: dict[tuple[str, ...], list[tuple[int, ...]]] = {}
    for (a, b), said in pairs.items():
        if not pools.get(a) or not pools.get(b):
            continue
        at_a = {v: i for i, v in enumerate(pools[a])}
        at_b = {v: i for i, v in enumerate(pools[b])}
        held = [(at_a[x], at_b[y]) for x, y in ((tuple(x.split()), tuple(y.split())) for x, y in said)
                if x in at_a and y in at_b]
        turns = [(i % len(pools[a]), i % len(pools[b])) for i in range(max(len(pools[a]), len(pools[b])))]
        out[(a, b)] = list(dict.fromkeys([*held, *turns]))
    return out


def _template_parts(template: str) -> list[tuple[bool, str]]:
    """'add {PRODUCT} please' -> <s>, add, the slot type PRODUCT, please, </s>: (is a slot, word or type)."""
    parts: list[tuple[bool, str]] = [(False, "<s>")]
    pos = 0
    for m in [*SLOT_REF.finditer(template), None]:
        parts += [(False, w) for w in template[pos : m.start() if m else len(template)].split()]
        if m is not None:
            parts.append((True, m.group(1)))
            pos = m.end()
    parts.append((False, "</s>"))
    return parts


def _pools(slot_values: dict[str, list[str]], keep: set[str] | None) -> dict[str, list[tuple[str, ...]]]:
    """Slot type -> its values as word tuples, those with a word outside `keep` left out."""
    pools: dict[str, list[tuple[str, ...]]] = {}
    for name, values in slot_values.items():
        split = [tuple(v.split()) for v in values]
        pools[name] = [v for v in split if v and (keep is None or all(w in keep for w in v))]
    return pools


def _can_say(parts: list[tuple[bool, str]], pools: dict[str, list[tuple[str, ...]]], keep: set[str] | None) -> bool:
    """Every word of the template is in `keep` (when given) and every slot has a value it can say."""
    return not any(not pools.get(x) if slot else keep is not None and x not in keep and x not in ("<s>", "</s>")
                   for slot, x in parts)


def _arpa(uni: dict[str, float], bi: dict[tuple[str, str], float], discount: float) -> str:
    """ARPA text of a back-off bigram from (expected) counts: absolute discounting, a count under 1
    discounted in proportion, the mass left over backing off to add-one unigrams."""
    import math

    total = sum(c for w, c in uni.items() if w != "<s>")
    vocab = sorted(uni)
    p_uni = {w: (uni[w] + 1) / (total + len(vocab)) for w in vocab}
    following: dict[str, list[tuple[str, float]]] = {}
    for (a, b), c in bi.items():
        following.setdefault(a, []).append((b, c))
    bigram_p: dict[tuple[str, str], float] = {}
    bow: dict[str, float] = {}
    for a, nexts in following.items():
        ca = sum(c for _, c in nexts)
        seen_mass = 0.0
        seen_uni = 0.0
        for b, c in nexts:
            pr = (c - discount * min(c, 1.0)) / ca
            bigram_p[(a, b)] = pr
            seen_mass += pr
            seen_uni += p_uni[b]
        bow[a] = (1.0 - seen_mass) / max(1e-9, 1.0 - seen_uni)
    lines = ["\\data\\", f"ngram 1={len(vocab)}", f"ngram 2={len(bigram_p)}", "", "\\1-grams:"]
    for w in vocab:
        lp = -99.0 if w == "<s>" else math.log10(p_uni[w])
        back = math.log10(bow[w]) if w in bow and bow[w] > 0 else 0.0
        lines.append(f"{lp:.4f}\t{w}\t{back:.4f}")
    lines += ["", "\\2-grams:"]
    for (a, b), pr in sorted(bigram_p.items()):
        lines.append(f"{math.log10(pr):.4f}\t{a} {b}")
    lines += ["", "\\end\\", ""]
    return "\n".join(lines)
