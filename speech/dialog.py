"""The dialog model, executed as the Alexa cloud does: which slot to ask for next, which prompt to speak,
how a bare answer ("milk", "one two three four", "yes") fills the question that was asked.

    run = DialogRun(intent=intent_json(model, "ScheduleDeliveryIntent", filled), auto=True)
    step = next_step(model, run.intent)         # ('elicit', 'timeSlot') / ('confirm_slot', s) / ('confirm_intent', None) / None
    render_prompt(model, prompt_id, run.intent, rng)

`speech.cloud.VoiceCloud` owns the conversation; this module is the rules, with no I/O.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any, Literal

from speech.interaction_model import SLOT_REF, InteractionModel
from speech.nlu.types import Resolution, SlotValue
from speech.session import ssml_to_text
from speech.vocabulary import ESCAPE_INTENTS, NO_REPLIES, YES_REPLIES, heard_text

__all__ = [
    "DialogRun",
    "Reading",
    "Step",
    "delegation_strategy",
    "direct_slot_value",
    "next_step",
    "read_answer",
    "render_prompt",
    "resolve",
    "set_slot",
    "yes_or_no",
]

Waiting = Literal["elicit", "confirm_slot", "confirm_intent"]
Step = tuple[Waiting, str | None]

SWITCH_CONFIDENCE = 0.6
"""NLU confidence from which an answer that is another intent (or an escape) leaves the dialog for it."""
_FILLERS = re.compile(r"^(?:(?:the|a|an|some|my|please|i want|i'd like|i would like|make it|it's|its)\s+)+")


@dataclass
class DialogRun:
    """A dialog in progress: the intent being filled and the question the user was just asked."""

    intent: dict[str, Any]
    """The Alexa intent JSON (`name`, `confirmationStatus`, `slots`) as it stands."""
    auto: bool
    """True when the model auto-delegates this intent: the skill sees only the COMPLETED request."""
    skill_directed: bool = False
    """True when the skill itself asked (ElicitSlot, ConfirmSlot, ConfirmIntent): the answer goes back
    to the skill as IN_PROGRESS whatever the dialog model says."""
    waiting: Waiting | None = None
    slot: str | None = None
    """The slot being elicited or confirmed."""
    prompt: str = ""
    """What was asked, plain text: spoken again when the answer does not fit."""

    @property
    def name(self) -> str:
        return str(self.intent.get("name", ""))


def delegation_strategy(model: InteractionModel, intent_name: str) -> str | None:
    """'ALWAYS' (auto delegation), 'SKILL_RESPONSE', or None when the intent has no dialog model.

    The intent's own strategy wins over the model's; with neither set the skill drives the dialog.
    """
    dialog = model.dialog_intent(intent_name)
    if dialog is None:
        return None
    return dialog.delegation_strategy or model.delegation_strategy or "SKILL_RESPONSE"


def _has_value(slot: dict[str, Any] | None) -> bool:
    if slot and (slot.get("slotValue") or {}).get("values"):
        return True  # a multiple-value slot filled with a list
    return bool(slot) and bool(str(slot.get("value") or "").strip())  # type: ignore[union-attr]


def next_step(model: InteractionModel, intent: dict[str, Any]) -> Step | None:
    """The next question the dialog model asks for `intent`, or None when the dialog is complete.

    Slots are taken in the model's order, each elicited and then confirmed before the next; a slot the
    user denied is asked for again; the intent is confirmed last.
    """
    dialog = model.dialog_intent(str(intent.get("name")))
    if dialog is None:
        return None
    slots: dict[str, Any] = intent.get("slots") or {}
    for rule in dialog.slots:
        slot = slots.get(rule.name) or {}
        status = slot.get("confirmationStatus", "NONE")
        if rule.elicitation_required and (not _has_value(slot) or status == "DENIED"):
            return ("elicit", rule.name)
        if rule.confirmation_required and _has_value(slot) and status == "NONE":
            return ("confirm_slot", rule.name)
    if dialog.confirmation_required and intent.get("confirmationStatus", "NONE") == "NONE":
        return ("confirm_intent", None)
    return None


def prompt_id_for(model: InteractionModel, intent_name: str, step: Step) -> str | None:
    dialog = model.dialog_intent(intent_name)
    if dialog is None:
        return None
    kind, slot_name = step
    if kind == "confirm_intent":
        return dialog.confirmation_prompt
    rule = next((s for s in dialog.slots if s.name == slot_name), None)
    if rule is None:
        return None
    return rule.elicitation_prompt if kind == "elicit" else rule.confirmation_prompt


def render_prompt(
    model: InteractionModel, prompt_id: str | None, intent: dict[str, Any], rng: random.Random, default: str
) -> str:
    """One variation of the prompt, {slot} references filled from the intent, as plain text."""
    prompt = model.prompt(prompt_id) if prompt_id else None
    if prompt is None or not prompt.variations:
        return default
    kind, value = rng.choice(prompt.variations)
    slots: dict[str, Any] = intent.get("slots") or {}

    def fill(match: re.Match[str]) -> str:
        slot = slots.get(match.group(1)) or {}
        listed = [str(v.get("value") or "") for v in (slot.get("slotValue") or {}).get("values") or []]
        return " and ".join(v for v in listed if v) if listed else str(slot.get("value") or "")

    text = SLOT_REF.sub(fill, value)
    return ssml_to_text(text) if kind == "SSML" else re.sub(r"\s+", " ", text).strip()


def resolve(nlu: Any, text: str, reference_time: Any, intents: set[str] | None = None) -> Resolution | None:
    """`nlu.resolve`, restricted to `intents` when given. An understander without the `intents`
    parameter is asked unrestricted and its answer kept only when it is one of `intents`."""
    if intents is None:
        result: Resolution = nlu.resolve(text, reference_time=reference_time)
        return result
    try:
        result = nlu.resolve(text, reference_time=reference_time, intents=intents)
    except TypeError:
        result = nlu.resolve(text, reference_time=reference_time)
    return result if result.intent in intents else None


def builtin_value(slot_type: str, text: str, reference_time: Any = None) -> str | None:
    """A bare answer as the value of a built-in slot type ('twenty five' -> '25'), else None.

    Uses the NLU's own readers when they are there, so the cloud and the NLU agree on what a number is.
    """
    words = heard_text(text)
    try:
        from speech.nlu import dates, numbers

        readers: dict[str, Any] = {
            "AMAZON.NUMBER": numbers.parse_number,
            "AMAZON.FOUR_DIGIT_NUMBER": numbers.parse_four_digit,
            "AMAZON.Ordinal": numbers.parse_ordinal,
            "AMAZON.DATE": lambda t: dates.date_value(t, reference_time),
            "AMAZON.TIME": dates.time_value,
        }
    except (ImportError, AttributeError):
        readers = {}
    reader = readers.get(slot_type)
    if reader is not None:
        value = reader(words)
        if value is not None:
            return str(value)
    if slot_type == "AMAZON.NUMBER" and re.fullmatch(r"\d{1,9}", words):
        return str(int(words))
    if slot_type == "AMAZON.FOUR_DIGIT_NUMBER" and re.fullmatch(r"\d{4}", words.replace(" ", "")):
        return words.replace(" ", "")
    return None


def _digits(text: str) -> str | None:
    from speech.nlu.numbers import parse_digits

    return parse_digits(heard_text(text))


def direct_slot_value(
    model: InteractionModel, intent_name: str, slot_name: str, text: str, reference_time: Any = None
) -> SlotValue | None:
    """A bare answer read straight against the slot's type. Custom types: a value or synonym matches
    by id (ER_SUCCESS_MATCH); any other words fill the slot unmatched (ER_SUCCESS_NO_MATCH), as Alexa
    fills a custom slot with what it heard. Built-in types: numbers, codes, ordinals, dates, times."""
    intent = model.intent(intent_name)
    slot = intent.slot(slot_name) if intent is not None else None
    if slot is None:
        return None
    if slot.type.startswith("AMAZON."):
        value = builtin_value(slot.type, text, reference_time)
        if value is None and slot.type == "AMAZON.FOUR_DIGIT_NUMBER":
            # digits, but not four ("one two three" to "say your four-digit code"): the skill hears
            # them and can say what is wrong, where asking the same question again would not
            value = _digits(text)
        return SlotValue(slot_name, value, slot.type) if value is not None else None
    heard = heard_text(text)
    bare = _FILLERS.sub("", heard).strip()
    if not bare:
        return None
    slot_type = model.slot_type(slot.type)
    for entry in slot_type.values if slot_type is not None else ():
        names = {heard_text(entry.value), *(heard_text(s) for s in entry.synonyms)}
        if bare in names or heard in names:
            return SlotValue(
                slot_name, bare, slot.type, id=entry.id, resolved=entry.value, status="ER_SUCCESS_MATCH"
            )
    return SlotValue(slot_name, heard, slot.type, status="ER_SUCCESS_NO_MATCH")


def yes_or_no(resolution: Resolution | None, text: str) -> Literal["yes", "no"] | None:
    """The answer to a yes/no question: the NLU's Yes/No intent, else the first words of the reply."""
    if resolution is not None and resolution.intent == "AMAZON.YesIntent":
        return "yes"
    if resolution is not None and resolution.intent == "AMAZON.NoIntent":
        return "no"
    words = heard_text(text).split()
    for n in (3, 2, 1):
        head = " ".join(words[:n])
        if head in YES_REPLIES:
            return "yes"
        if head in NO_REPLIES:
            return "no"
    return None


def set_slot(intent: dict[str, Any], value: dict[str, Any]) -> None:
    """Put an Alexa slot JSON into the intent, unconfirmed (a new value needs confirming again)."""
    slots = intent.setdefault("slots", {})
    slots[value["name"]] = {**value, "confirmationStatus": "NONE"}


@dataclass
class Reading:
    """How an answer to the dialog's question is taken (`read_answer`)."""

    kind: Literal["switch", "yes", "no", "slots", "ask_again"]
    """'switch': leave the dialog for `resolution`'s intent (an escape such as stop or help, or another
    request); 'yes'/'no': the answer to a confirmation; 'slots': fill `slots` into the intent;
    'ask_again': the answer does not fit, the question is asked again."""
    resolution: Resolution | None = None
    slots: tuple[SlotValue, ...] = ()


def read_answer(nlu: Any, model: InteractionModel, run: DialogRun, said: str, reference_time: Any) -> Reading:
    """Take `said` as the answer to what `run` waits for, as Alexa does: an escape (stop, cancel, help,
    go home) leaves the dialog unless the words are a value of the elicited slot ("home" to "home or
    work?"); a confirmation wants a yes or a no; an elicited slot is read as the intent being filled,
    then restricted to it, then as the bare slot value; words that fill another slot of the same intent
    fill that one. Another confident request switches."""
    free = resolve(nlu, said, reference_time)
    value = (
        direct_slot_value(model, run.name, run.slot, said, reference_time)
        if run.waiting == "elicit" and run.slot is not None
        else None
    )
    is_value = value is not None and value.status != "ER_SUCCESS_NO_MATCH"
    if free is not None and free.intent in ESCAPE_INTENTS and free.confidence >= SWITCH_CONFIDENCE and not is_value:
        return Reading("switch", free)
    if run.waiting in ("confirm_slot", "confirm_intent"):
        answer = yes_or_no(free, said)
        if answer is not None:
            return Reading(answer)
        return Reading("switch", free) if _is_other_intent(free, run) else Reading("ask_again")
    assert run.slot is not None
    filled = free if free is not None and free.intent == run.name and run.slot in free.slots else None
    filled = filled or resolve(nlu, said, reference_time, {run.name})
    if filled is not None and run.slot in filled.slots:
        return Reading("slots", filled, tuple(filled.slots.values()))
    if free is not None and free.intent == run.name and free.slots and not is_value:
        # another slot of the same intent ("saturday" to "when would you like it delivered?", asked
        # for the time of day): Alexa fills what the words say and leaves the elicited slot empty
        return Reading("slots", free, tuple(free.slots.values()))
    if _is_other_intent(free, run):
        return Reading("switch", free)
    return Reading("slots", slots=(value,)) if value is not None else Reading("ask_again")


def _is_other_intent(free: Resolution | None, run: DialogRun) -> bool:
    not_a_switch = {run.name, "AMAZON.FallbackIntent"}
    if not run.skill_directed:
        # the model's own question: a bare yes or no answers nothing, it is asked again; a question
        # the skill asked (ElicitSlot) lets them through: the skill knows what "no" means there
        not_a_switch |= {"AMAZON.YesIntent", "AMAZON.NoIntent"}
    return free is not None and free.intent not in not_a_switch and free.confidence >= SWITCH_CONFIDENCE
