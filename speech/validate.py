"""The interaction-model build rules, checked the way the Alexa developer console's skill validation
reports them: one `CheckResult` per rule, with a severity, a status and the offending elements.

The checks read the raw JSON dict rather than parsed dataclasses, so a malformed model still gets a
report naming what is wrong instead of failing on the first missing key. Other check modules (utterance
conflicts, coverage, functional tests) call `validate_model` and append their own results.

    model = load_model_json("interaction_model.json")
    for result in validate_model(model):
        print(result.status, result.title, result.details)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from speech.interaction_model import read_model_json as load_model_json
from speech.vocabulary import ESCAPE_INTENTS, FALLBACK_INTENT, LAUNCH_PHRASES, RESERVED_LAUNCH_WORDS

__all__ = ["CheckResult", "Severity", "Status", "has_required_failure", "load_model_json", "validate_model"]

Severity = Literal["REQUIRED", "RECOMMENDED"]
Status = Literal["PASSED", "FAILED", "WARNING"]


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one build rule."""

    title: str
    """What was checked, e.g. 'Invocation name'."""
    severity: Severity
    """REQUIRED: the model does not build or certify when it fails. RECOMMENDED: it builds, but hurts users."""
    status: Status
    """PASSED, or FAILED (a REQUIRED rule broken) or WARNING (a RECOMMENDED rule broken)."""
    details: list[str] = field(default_factory=list)
    """One line per offending element, naming where it is."""

    @property
    def ok(self) -> bool:
        """True when the rule holds."""
        return self.status == "PASSED"

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "severity": self.severity, "status": self.status, "details": self.details}


def has_required_failure(results: list[CheckResult]) -> bool:
    """True when any REQUIRED rule failed: the model would not build or pass certification."""
    return any(r.severity == "REQUIRED" and r.status == "FAILED" for r in results)


# ---------------------------------------------------------------------------------------------------
# Reading the raw JSON defensively: every accessor skips what is malformed; the structure check
# reports it once, by name.


@dataclass
class _Model:
    root: Any
    model: dict[str, Any]
    language: dict[str, Any]
    dialog: dict[str, Any]

    @classmethod
    def of(cls, root: Any) -> _Model:
        model = root.get("interactionModel", root) if isinstance(root, dict) else {}
        model = model if isinstance(model, dict) else {}
        language = model.get("languageModel")
        dialog = model.get("dialog")
        return cls(root, model, language if isinstance(language, dict) else {},
                   dialog if isinstance(dialog, dict) else {})

    def intents(self) -> Iterator[dict[str, Any]]:
        for intent in _list(self.language.get("intents")):
            if isinstance(intent, dict) and isinstance(intent.get("name"), str):
                yield intent

    def custom_intents(self) -> Iterator[dict[str, Any]]:
        return (i for i in self.intents() if not i["name"].startswith("AMAZON."))

    def types(self) -> Iterator[dict[str, Any]]:
        for slot_type in _list(self.language.get("types")):
            if isinstance(slot_type, dict) and isinstance(slot_type.get("name"), str):
                yield slot_type

    def prompts(self) -> Iterator[dict[str, Any]]:
        for prompt in _list(self.model.get("prompts")):
            if isinstance(prompt, dict) and isinstance(prompt.get("id"), str):
                yield prompt

    def dialog_intents(self) -> Iterator[dict[str, Any]]:
        for intent in _list(self.dialog.get("intents")):
            if isinstance(intent, dict) and isinstance(intent.get("name"), str):
                yield intent


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _slots(intent: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for slot in _list(intent.get("slots")):
        if isinstance(slot, dict) and isinstance(slot.get("name"), str):
            yield slot


def _type_of(slot: dict[str, Any]) -> str | None:
    """The slot's type name, or None when it is missing or not a string."""
    slot_type = slot.get("type")
    return slot_type if isinstance(slot_type, str) else None


def _samples(container: dict[str, Any]) -> Iterator[str]:
    return (s for s in _list(container.get("samples")) if isinstance(s, str))


def _normalise(sample: str) -> str:
    return " ".join(sample.lower().split())


_SLOT_REF = re.compile(r"\{([^{}]*)\}")


def _refs(sample: str) -> list[str]:
    return _SLOT_REF.findall(sample)


def _literal(sample: str) -> str:
    """The sample with its slot references taken out."""
    return _SLOT_REF.sub(" ", sample)


# ---------------------------------------------------------------------------------------------------
# The rules. Each returns the offending elements, one line each; the wrapper turns them into a result.

_Rule = Callable[[_Model], list[str]]
_RULES: list[tuple[str, Severity, _Rule]] = []


def _rule(title: str, severity: Severity) -> Callable[[_Rule], _Rule]:
    def register(fn: _Rule) -> _Rule:
        _RULES.append((title, severity, fn))
        return fn

    return register


@_rule("Model structure", "REQUIRED")
def _structure(m: _Model) -> list[str]:
    if not isinstance(m.root, dict):
        return [f"the model is a {type(m.root).__name__}, not a JSON object"]
    problems: list[str] = []
    if "interactionModel" not in m.root and "languageModel" not in m.root:
        return ["missing 'interactionModel'"]
    if not isinstance(m.root.get("interactionModel", m.root), dict):
        return ["'interactionModel' is not an object"]
    if "languageModel" not in m.model:
        return ["missing 'interactionModel.languageModel'"]
    if not isinstance(m.model["languageModel"], dict):
        return ["'languageModel' is not an object"]
    if "invocationName" not in m.language:
        problems.append("missing 'languageModel.invocationName'")
    if not isinstance(m.language.get("intents"), list):
        problems.append("missing 'languageModel.intents'" if "intents" not in m.language
                        else "'languageModel.intents' is not a list")
    for n, intent in enumerate(_list(m.language.get("intents"))):
        where = f"intents[{n}]"
        if not isinstance(intent, dict):
            problems.append(f"{where} is not an object")
            continue
        if not isinstance(intent.get("name"), str):
            problems.append(f"{where}: missing 'name'")
        else:
            where = f"intent {intent['name']}"
        if "samples" in intent and not all(isinstance(s, str) for s in _list(intent["samples"])):
            problems.append(f"{where}: 'samples' must be a list of strings")
        if "samples" in intent and not isinstance(intent["samples"], list):
            problems.append(f"{where}: 'samples' is not a list")
        if "slots" in intent and not isinstance(intent["slots"], list):
            problems.append(f"{where}: 'slots' is not a list")
        for k, slot in enumerate(_list(intent.get("slots"))):
            if not isinstance(slot, dict):
                problems.append(f"{where}: slots[{k}] is not an object")
                continue
            for key in ("name", "type"):
                if not isinstance(slot.get(key), str):
                    problems.append(f"{where}: slots[{k}]: missing '{key}'")
    if "types" in m.language and not isinstance(m.language["types"], list):
        problems.append("'languageModel.types' is not a list")
    for n, slot_type in enumerate(_list(m.language.get("types"))):
        if not isinstance(slot_type, dict) or not isinstance(slot_type.get("name"), str):
            problems.append(f"types[{n}]: missing 'name'")
            continue
        where = f"type {slot_type['name']}"
        if not isinstance(slot_type.get("values"), list) and "valueSupplier" not in slot_type:
            problems.append(f"{where}: missing 'values'")
        for k, value in enumerate(_list(slot_type.get("values"))):
            name = value.get("name") if isinstance(value, dict) else None
            if not isinstance(name, dict) or not isinstance(name.get("value"), str):
                problems.append(f"{where}: values[{k}]: missing 'name.value'")
    if "dialog" in m.model:
        if not m.dialog:
            problems.append("'dialog' is not an object")
        elif not isinstance(m.dialog.get("intents"), list):
            problems.append("missing 'dialog.intents'")
        for n, intent in enumerate(_list(m.dialog.get("intents"))):
            if not isinstance(intent, dict) or not isinstance(intent.get("name"), str):
                problems.append(f"dialog.intents[{n}]: missing 'name'")
                continue
            for k, slot in enumerate(_list(intent.get("slots"))):
                if not isinstance(slot, dict) or not isinstance(slot.get("name"), str):
                    problems.append(f"dialog intent {intent['name']}: slots[{k}]: missing 'name'")
    if "prompts" in m.model and not isinstance(m.model["prompts"], list):
        problems.append("'prompts' is not a list")
    for n, prompt in enumerate(_list(m.model.get("prompts"))):
        if not isinstance(prompt, dict) or not isinstance(prompt.get("id"), str):
            problems.append(f"prompts[{n}]: missing 'id'")
        elif not isinstance(prompt.get("variations"), list):
            problems.append(f"prompt {prompt['id']}: missing 'variations'")
    return problems


_WAKE_WORDS = {"alexa", "amazon", "echo", "computer", "ziggy", "skill", "app"}
_CONNECTING_WORDS = {"to", "from", "by", "if", "and", "whether"}
_ARTICLES = {"the", "a", "an", "for", "to", "of"}


@_rule("Invocation name", "REQUIRED")
def _invocation(m: _Model) -> list[str]:
    name = m.language.get("invocationName")
    if not m.language:
        return []  # the structure check reports it
    if not isinstance(name, str) or not name.strip():
        return ["the invocation name is missing or empty"]
    problems = []
    if re.search(r"\d", name):
        problems.append(f"'{name}': spell numbers out in words")
    if name != name.lower():
        problems.append(f"'{name}': use lowercase letters only")
    if re.search(r"[^\w\s'.]|_|\d", name.lower()):
        problems.append(f"'{name}': only letters, spaces, possessive apostrophes and periods are allowed")
    words = name.lower().split()
    if len(words) < 2:
        problems.append(f"'{name}': use two or more words (one word only for a brand you own)")
    if len(name) > 50:
        problems.append(f"'{name}': longer than 50 characters")
    for word in words:
        if word in RESERVED_LAUNCH_WORDS:
            problems.append(f"'{name}': contains the launch word '{word}'")
        if word.strip(".'") in _WAKE_WORDS:
            problems.append(f"'{name}': contains the wake word or reserved word '{word}'")
        if word in _CONNECTING_WORDS:
            problems.append(f"'{name}': contains the connecting word '{word}'")
    padded = f" {' '.join(words)} "
    for phrase in LAUNCH_PHRASES:
        if f" {phrase} " in padded:
            problems.append(f"'{name}': contains the launch phrase '{phrase}'")
    if len(words) == 2 and _ARTICLES & set(words):
        problems.append(f"'{name}': a two-word name cannot include '{sorted(_ARTICLES & set(words))[0]}'")
    return problems


_NAME = re.compile(r"^[A-Za-z][A-Za-z_]*$")
_BUILTIN_NAME = re.compile(r"^AMAZON\.[A-Za-z][A-Za-z_<>@\[\].]*$")


def _declared(kind: str, name: str, seen: set[str], builtin_problem: str | None) -> list[str]:
    """What is wrong with declaring the intent or type `name` after `seen` (which it joins): twice, a
    built-in's `builtin_problem` (None: a known built-in), or a custom name not of letters and underscores."""
    problems = [f"{kind} {name} is defined twice"] if name in seen else []
    seen.add(name)
    if name.startswith("AMAZON."):
        problems += [f"{kind} {name}: {builtin_problem}"] if builtin_problem else []
    elif not _NAME.match(name):
        problems.append(f"{kind} {name}: use only letters and underscores, starting with a letter")
    return problems


@_rule("Intent and slot names", "REQUIRED")
def _names(m: _Model) -> list[str]:
    problems: list[str] = []
    intent_names: set[str] = set()
    for intent in m.intents():
        name = intent["name"]
        invalid = None if _BUILTIN_NAME.match(name) else "not a valid built-in intent name"
        problems += _declared("intent", name, intent_names, invalid)
    for intent in m.intents():
        seen: set[str] = set()
        for slot in _slots(intent):
            slot_name = slot["name"]
            if slot_name in seen:
                problems.append(f"intent {intent['name']}: slot {slot_name} is defined twice")
            seen.add(slot_name)
            if not _NAME.match(slot_name):
                problems.append(f"intent {intent['name']}: slot {slot_name}: use only letters and underscores, "
                                "starting with a letter")
            if slot_name in intent_names or f"AMAZON.{slot_name}" in intent_names:
                problems.append(f"intent {intent['name']}: slot {slot_name} has the same name as an intent")
    return problems


# Built-in slot types this validator knows; an unknown AMAZON.* type is most often a typo.
_BUILTIN_TYPES = {
    "AMAZON.NUMBER", "AMAZON.Ordinal", "AMAZON.FOUR_DIGIT_NUMBER", "AMAZON.DATE", "AMAZON.TIME",
    "AMAZON.DURATION", "AMAZON.PhoneNumber", "AMAZON.SearchQuery", "AMAZON.AlphaNumeric", "AMAZON.City",
    "AMAZON.US_CITY", "AMAZON.US_STATE", "AMAZON.Country", "AMAZON.FirstName", "AMAZON.US_FIRST_NAME",
    "AMAZON.Person", "AMAZON.Color", "AMAZON.Food", "AMAZON.Animal", "AMAZON.Actor", "AMAZON.Airline",
    "AMAZON.Airport", "AMAZON.Artist", "AMAZON.Athlete", "AMAZON.Author", "AMAZON.Book", "AMAZON.Movie",
    "AMAZON.MusicGroup", "AMAZON.Musician", "AMAZON.MusicAlbum", "AMAZON.MusicRecording", "AMAZON.Genre",
    "AMAZON.Language", "AMAZON.Room", "AMAZON.SportsTeam", "AMAZON.StreetAddress", "AMAZON.PostalAddress",
    "AMAZON.Region", "AMAZON.Sport", "AMAZON.Corporation", "AMAZON.Organization", "AMAZON.TVSeries",
    "AMAZON.VideoGame", "AMAZON.Month", "AMAZON.DayOfWeek", "AMAZON.EventType", "AMAZON.LocalBusiness",
    "AMAZON.Restaurant", "AMAZON.DeviceType", "AMAZON.Game", "AMAZON.Landmark", "AMAZON.Professional",
    "AMAZON.SoftwareApplication", "AMAZON.SoftwareGame", "AMAZON.MusicVenue", "AMAZON.MusicPlaylist",
    "AMAZON.MusicCreativeWorkType", "AMAZON.MovieSeries", "AMAZON.BookSeries", "AMAZON.Festival",
    "AMAZON.CivicStructure", "AMAZON.Dessert", "AMAZON.Drink", "AMAZON.Comic", "AMAZON.TVSeason",
    "AMAZON.TVEpisode", "AMAZON.VisualModeTrigger", "AMAZON.GB_CITY", "AMAZON.DE_CITY", "AMAZON.AT_CITY",
    "AMAZON.EUROPE_CITY", "AMAZON.GB_FIRST_NAME", "AMAZON.DE_FIRST_NAME", "AMAZON.Resident",
}


@_rule("Slot types", "REQUIRED")
def _slot_types(m: _Model) -> list[str]:
    problems: list[str] = []
    defined: set[str] = set()
    for slot_type in m.types():
        name = slot_type["name"]
        unknown = None if name in _BUILTIN_TYPES else "extends an unknown built-in type"
        problems += _declared("type", name, defined, unknown)
        values = _list(slot_type.get("values"))
        if not values and "valueSupplier" not in slot_type:
            problems.append(f"type {name}: has no values")
        ids: set[str] = set()
        for value in values:
            if not isinstance(value, dict):
                continue
            spoken = value.get("name", {}).get("value") if isinstance(value.get("name"), dict) else None
            if isinstance(spoken, str) and not spoken.strip():
                problems.append(f"type {name}: a value is empty")
            value_id = value.get("id")
            if isinstance(value_id, str) and value_id:
                if value_id in ids:
                    problems.append(f"type {name}: value id '{value_id}' is used twice")
                ids.add(value_id)
    for intent in m.intents():
        for slot in _slots(intent):
            type_name = _type_of(slot)
            if type_name is None:
                continue
            if type_name not in defined and type_name not in _BUILTIN_TYPES:
                problems.append(f"intent {intent['name']}: slot {slot['name']} has the undefined type {type_name}")
    return problems


@_rule("Slot values", "RECOMMENDED")
def _slot_values(m: _Model) -> list[str]:
    problems: list[str] = []
    used = {_type_of(slot) for intent in m.intents() for slot in _slots(intent)}
    for slot_type in m.types():
        name = slot_type["name"]
        if name not in used:
            problems.append(f"type {name} is not used by any slot")
        seen: dict[str, str] = {}
        for value in _list(slot_type.get("values")):
            entry = value.get("name") if isinstance(value, dict) else None
            if not isinstance(entry, dict):
                continue
            words = [entry.get("value")] + _list(entry.get("synonyms"))
            for word in words:
                if not isinstance(word, str):
                    continue
                key = _normalise(word)
                if re.search(r"[{}<>&\[\]\"#*|;:!?]", word):
                    problems.append(f"type {name}: '{word}' has characters a speaker cannot say")
                if key in seen and seen[key] != value.get("id"):
                    problems.append(f"type {name}: '{word}' belongs to two values")
                seen.setdefault(key, str(value.get("id")))
    return problems


@_rule("Intent sample utterances", "REQUIRED")
def _has_samples(m: _Model) -> list[str]:
    return [f"intent {i['name']} has no sample utterances" for i in m.custom_intents() if not any(_samples(i))]


@_rule("Slot references in samples", "REQUIRED")
def _slot_refs(m: _Model) -> list[str]:
    problems: list[str] = []
    for intent in m.intents():
        names = {slot["name"] for slot in _slots(intent)}
        where = f"intent {intent['name']}"
        for sample in _samples(intent):
            problems += _ref_problems(where, sample, names)
        for slot in _slots(intent):
            for sample in _samples(slot):
                problems += _ref_problems(f"{where}, slot {slot['name']}", sample, names)
                if slot["name"] not in _refs(sample):
                    problems.append(f"{where}, slot {slot['name']}: slot sample '{sample}' does not contain "
                                    f"{{{slot['name']}}}")
    return problems


def _ref_problems(where: str, sample: str, names: set[str]) -> list[str]:
    problems = []
    refs = _refs(sample)
    if "{" in _literal(sample) or "}" in _literal(sample):
        problems.append(f"{where}: '{sample}' has an unbalanced brace")
    for ref in refs:
        if ref not in names:
            problems.append(f"{where}: '{sample}' uses the undefined slot {{{ref}}}")
    for ref in sorted({r for r in refs if refs.count(r) > 1}):
        problems.append(f"{where}: '{sample}' uses the slot {{{ref}}} twice")
    return problems


_ALLOWED = re.compile(r"^(?:[^\W\d_]|[\s'.\-])*$")
# ko-KR samples (any sample with Hangul, jamo or Hanja in it): Hangul syllables as a speaker says them,
# spaces between words, and Latin letters for a name said in English. Not digits (numbers in words, in
# the system the shopper uses: "두 개", "일이삼사"), bare jamo (ㅋ, ㅏ: chat, not speech), Hanja (read
# aloud in Hangul), or punctuation.
_KOREAN_SCRIPT = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f\u4e00-\u9fff\uf900-\ufaff]")
_KOREAN_ALLOWED = re.compile(r"^[\uac00-\ud7a3A-Za-z'\s]*$")


def _korean_problem(literal: str) -> str | None:
    """What a ko-KR sample may not contain, said plainly; None when it is fine."""
    if re.search(r"[\u1100-\u11ff\u3130-\u318f]", literal):
        return "bare jamo (ㅋ, ㅏ) are not speech: write whole syllables"
    if re.search(r"[\u4e00-\u9fff\uf900-\ufaff]", literal):
        return "Hanja: write it in Hangul as it is read aloud"
    if not _KOREAN_ALLOWED.match(literal):
        return "only Hangul syllables, spaces and Latin letters are allowed (no punctuation)"
    return None


@_rule("Sample utterance characters", "REQUIRED")
def _characters(m: _Model) -> list[str]:
    problems: list[str] = []
    for intent in m.intents():
        containers = [(f"intent {intent['name']}", intent)]
        containers += [(f"intent {intent['name']}, slot {s['name']}", s) for s in _slots(intent)]
        for where, container in containers:
            for sample in _samples(container):
                literal = _literal(sample).replace("{", "").replace("}", "")
                if not sample.strip():
                    problems.append(f"{where}: an empty sample")
                elif re.search(r"\d", literal):
                    problems.append(f"{where}: '{sample}': spell numbers out in words")
                elif _KOREAN_SCRIPT.search(literal):
                    problem = _korean_problem(literal)
                    if problem:
                        problems.append(f"{where}: '{sample}': {problem}")
                elif not _ALLOWED.match(literal):
                    problems.append(f"{where}: '{sample}': only letters, spaces, apostrophes, periods and "
                                    "hyphens are allowed")
                if len(sample) > 200:
                    problems.append(f"{where}: '{sample[:40]}...' is longer than 200 characters")
    return problems


@_rule("Duplicate sample utterances", "REQUIRED")
def _duplicates(m: _Model) -> list[str]:
    problems: list[str] = []
    owner: dict[str, str] = {}
    for intent in m.intents():
        for sample in _samples(intent):
            key = _normalise(sample)
            if key in owner:
                if owner[key] == intent["name"]:
                    problems.append(f"intent {intent['name']}: '{sample}' is listed twice")
                else:
                    problems.append(f"'{sample}' is a sample of both {owner[key]} and {intent['name']}")
            else:
                owner[key] = intent["name"]
        for slot in _slots(intent):
            seen: set[str] = set()
            for sample in _samples(slot):
                key = _normalise(sample)
                if key in seen:
                    problems.append(f"intent {intent['name']}, slot {slot['name']}: '{sample}' is listed twice")
                seen.add(key)
    return problems


# A slot-only sample holding one of these types is fine: it needs a number, an ordinal or a date to
# match ("tomorrow morning" = {date} {timeSlot}). One made only of custom-type slots matches almost
# anything the user says and steals it from every other intent.
_NARROW_TYPES = {"AMAZON.NUMBER", "AMAZON.FOUR_DIGIT_NUMBER", "AMAZON.Ordinal", "AMAZON.DATE", "AMAZON.TIME",
                 "AMAZON.DURATION", "AMAZON.PhoneNumber"}


@_rule("Slot-only sample utterances", "RECOMMENDED")
def _slot_only(m: _Model) -> list[str]:
    problems: list[str] = []
    for intent in m.intents():
        types = {slot["name"]: _type_of(slot) for slot in _slots(intent)}
        for sample in _samples(intent):
            refs = _refs(sample)
            if not refs or _literal(sample).strip():
                continue
            if any(types.get(r) in _NARROW_TYPES for r in refs):
                continue
            if any(types.get(r) == "AMAZON.SearchQuery" for r in refs):
                continue  # reported by the carrier-phrase check
            problems.append(f"intent {intent['name']}: '{sample}' is only slots; add a carrier phrase")
    return problems


@_rule("AMAZON.SearchQuery carrier phrase", "REQUIRED")
def _search_query(m: _Model) -> list[str]:
    problems: list[str] = []
    for intent in m.intents():
        query_slots = {slot["name"] for slot in _slots(intent) if _type_of(slot) == "AMAZON.SearchQuery"}
        if not query_slots:
            continue
        for sample in _samples(intent):
            refs = _refs(sample)
            if not query_slots & set(refs):
                continue
            if not _literal(sample).strip():
                problems.append(f"intent {intent['name']}: '{sample}' needs a carrier phrase around the "
                                "AMAZON.SearchQuery slot")
            if len(refs) > 1:
                problems.append(f"intent {intent['name']}: '{sample}': an AMAZON.SearchQuery slot cannot share "
                                "a sample with another slot")
    return problems


_REQUIRED_BUILTINS = (*ESCAPE_INTENTS, FALLBACK_INTENT)
"""The built-ins Alexa requires of every skill: the escapes a user can always say, and the fallback."""


@_rule("Required built-in intents", "REQUIRED")
def _builtins(m: _Model) -> list[str]:
    if not m.language:
        return []
    names = {intent["name"] for intent in m.intents()}
    return [f"{name} is missing" for name in _REQUIRED_BUILTINS if name not in names]


_DELEGATION = ("ALWAYS", "SKILL_RESPONSE")


@_rule("Dialog model and prompts", "REQUIRED")
def _dialog(m: _Model) -> list[str]:
    problems: list[str] = []
    prompt_ids: set[str] = set()
    for prompt in m.prompts():
        if prompt["id"] in prompt_ids:
            problems.append(f"prompt {prompt['id']} is defined twice")
        prompt_ids.add(prompt["id"])
        variations = _list(prompt.get("variations"))
        if not variations:
            problems.append(f"prompt {prompt['id']} has no variations")
        for variation in variations:
            if not isinstance(variation, dict) or variation.get("type") not in ("PlainText", "SSML") \
                    or not str(variation.get("value", "")).strip():
                problems.append(f"prompt {prompt['id']}: a variation needs a type (PlainText or SSML) and a value")
    strategy = m.dialog.get("delegationStrategy")
    if strategy is not None and strategy not in _DELEGATION:
        problems.append(f"dialog: delegationStrategy '{strategy}' is not ALWAYS or SKILL_RESPONSE")
    intents = {intent["name"]: intent for intent in m.intents()}

    def need_prompt(where: str, prompts: Any, kind: str) -> None:
        prompt_id = prompts.get(kind) if isinstance(prompts, dict) else None
        if not isinstance(prompt_id, str):
            problems.append(f"{where}: needs a {kind} prompt")
        elif prompt_id not in prompt_ids:
            problems.append(f"{where}: {kind} prompt {prompt_id} is not defined in 'prompts'")

    for dialog_intent in m.dialog_intents():
        name = dialog_intent["name"]
        where = f"dialog intent {name}"
        if name not in intents:
            problems.append(f"{where}: no such intent in the language model")
            continue
        strategy = dialog_intent.get("delegationStrategy")
        if strategy is not None and strategy not in _DELEGATION:
            problems.append(f"{where}: delegationStrategy '{strategy}' is not ALWAYS or SKILL_RESPONSE")
        if dialog_intent.get("confirmationRequired") is True:
            need_prompt(where, dialog_intent.get("prompts"), "confirmation")
        model_slots = {slot["name"]: slot for slot in _slots(intents[name])}
        for slot in _slots(dialog_intent):
            slot_where = f"{where}, slot {slot['name']}"
            if slot["name"] not in model_slots:
                problems.append(f"{slot_where}: no such slot on the intent")
                continue
            declared = _type_of(model_slots[slot["name"]])
            if "type" in slot and slot["type"] != declared:
                problems.append(f"{slot_where}: type {slot['type']} differs from the intent's {declared}")
            if slot.get("elicitationRequired") is True:
                need_prompt(slot_where, slot.get("prompts"), "elicitation")
                if not any(_samples(model_slots[slot["name"]])):
                    problems.append(f"{slot_where}: a slot Alexa elicits needs slot sample utterances")
            if slot.get("confirmationRequired") is True:
                need_prompt(slot_where, slot.get("prompts"), "confirmation")
            for validation in _list(slot.get("validations")):
                prompt_id = validation.get("prompt") if isinstance(validation, dict) else None
                if isinstance(prompt_id, str) and prompt_id not in prompt_ids:
                    problems.append(f"{slot_where}: validation prompt {prompt_id} is not defined in 'prompts'")
    return problems


# Built-in slot types that cannot hold a list: free text, and values of a scale (numbers, dates, times,
# durations, codes, phone numbers); custom types and list-like built-ins (AMAZON.Food, ...) can.
_NO_MULTIPLE_VALUES = frozenset({
    "AMAZON.SearchQuery", "AMAZON.NUMBER", "AMAZON.Ordinal", "AMAZON.FOUR_DIGIT_NUMBER", "AMAZON.DATE",
    "AMAZON.TIME", "AMAZON.DURATION", "AMAZON.PhoneNumber",
})


@_rule("Multiple-value slots", "REQUIRED")
def _multiple_values(m: _Model) -> list[str]:
    problems: list[str] = []
    multi: set[tuple[str, str]] = set()
    for intent in m.intents():
        for slot in _slots(intent):
            if "multipleValues" not in slot:
                continue
            where = f"intent {intent['name']}, slot {slot['name']}"
            setting = slot["multipleValues"]
            if not isinstance(setting, dict) or not isinstance(setting.get("enabled"), bool):
                problems.append(f"{where}: multipleValues must be an object with a boolean 'enabled'")
                continue
            if not setting["enabled"]:
                continue
            multi.add((intent["name"], slot["name"]))
            if _type_of(slot) in _NO_MULTIPLE_VALUES:
                problems.append(f"{where}: slot type {_type_of(slot)} does not take multiple values")
    for dialog_intent in m.dialog_intents():
        for slot in _slots(dialog_intent):
            if (dialog_intent["name"], slot["name"]) not in multi:
                continue
            where = f"dialog intent {dialog_intent['name']}, slot {slot['name']}"
            if slot.get("confirmationRequired") is True:
                problems.append(f"{where}: a multiple-value slot cannot be confirmed")
            if _list(slot.get("validations")):
                problems.append(f"{where}: a multiple-value slot cannot have validation rules")
    return problems


def validate_model(model: dict[str, Any]) -> list[CheckResult]:
    """Every build rule, in a fixed order; works on any JSON value, reporting what is malformed."""
    m = _Model.of(model)
    results = []
    for title, severity, rule in _RULES:
        details = rule(m)
        status: Status = "PASSED" if not details else ("FAILED" if severity == "REQUIRED" else "WARNING")
        results.append(CheckResult(title, severity, status, details))
    return results
