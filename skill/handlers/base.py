"""What every handler needs: its services, its prompts, the session, and a way to speak.

Conversation state that must survive a turn lives in session attributes:
- `pending`: the question the skill just asked, e.g. {"kind": "confirm_order", ...}: one of the kinds
  declared in `skill.handlers.questions`, each with a typed payload; Yes/No handlers of each domain
  claim the kinds they asked (`pending_is(ConfirmOrder)`), the built-in Yes/No handle the rest.
- `last_speech` / `last_reprompt`: what was said last, for AMAZON.RepeatIntent.
Everything else that must survive the session (the cart, orders) is in the store.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_slot, is_intent_name
from ask_sdk_model import Response

from skill.handlers.questions import Question, from_session
from skill.prompts import Prompts, prompts_for
from skill.services import Services


def services(handler_input: HandlerInput) -> Services:
    """The request's services, set by `skill.app.ServicesInterceptor`."""
    return cast(Services, handler_input.attributes_manager.request_attributes["services"])


def prompts(handler_input: HandlerInput) -> Prompts:
    return prompts_for(getattr(handler_input.request_envelope.request, "locale", None))


def user_id(handler_input: HandlerInput) -> str:
    """The shop's user for this request: the linked shop account's, else the Alexa user id."""
    user: Any = handler_input.attributes_manager.request_attributes.get("user")
    if user is not None:
        return str(user.user_id)
    envelope: Any = handler_input.request_envelope  # ask-sdk-model types every field as optional
    return str(envelope.context.system.user.user_id)


def session_id(handler_input: HandlerInput) -> str:
    """The Alexa session id ('' for a request outside a session)."""
    envelope: Any = handler_input.request_envelope
    sess = envelope.session
    return str(sess.session_id) if sess is not None and sess.session_id is not None else ""


def session(handler_input: HandlerInput) -> dict[str, Any]:
    attributes: dict[str, Any] | None = handler_input.attributes_manager.session_attributes
    if attributes is None:  # a request outside a session (none here, but the type allows it)
        attributes = handler_input.attributes_manager.session_attributes = {}
    return attributes


def set_pending(handler_input: HandlerInput, question: Question) -> None:
    """Remember the yes/no (or which-one) question just asked, so the next turn can be routed by it."""
    session(handler_input)["pending"] = question.to_session()


def pending(handler_input: HandlerInput) -> Question | None:
    """The question pending in the session (a client's hint), typed; None when there is none."""
    return from_session(session(handler_input).get("pending"))


def question_open(handler_input: HandlerInput) -> bool:
    """Whether the session says a question is pending, of whatever kind."""
    return isinstance(session(handler_input).get("pending"), dict)


def ask_again(handler_input: HandlerInput) -> None:
    """The pending question is asked again this turn, so it stays pending (see skill.app's
    StalePendingInterceptor, which drops a question that a turn neither answered nor asked again)."""
    asked = session(handler_input).get("pending")
    if isinstance(asked, dict):
        session(handler_input)["pending"] = dict(asked)
    handler_input.attributes_manager.request_attributes["asked_again"] = True


def clear_pending(handler_input: HandlerInput) -> Question | None:
    """Forget the pending question (it is being answered); returns it, typed."""
    return from_session(session(handler_input).pop("pending", None))


def pending_is(*kinds: type[Question]) -> Callable[[HandlerInput], bool]:
    """A predicate for `can_handle`: the pending question is one of `kinds`."""

    def predicate(handler_input: HandlerInput) -> bool:
        return isinstance(pending(handler_input), kinds)

    return predicate


def answer_to(intent: str, *kinds: type[Question]) -> Callable[[HandlerInput], bool]:
    """A `can_handle` predicate: `intent` (e.g. AMAZON.YesIntent) while one of `kinds` is pending."""

    def predicate(handler_input: HandlerInput) -> bool:
        return bool(is_intent_name(intent)(handler_input)) and pending_is(*kinds)(handler_input)

    return predicate


def slot_value(handler_input: HandlerInput, name: str) -> str | None:
    """The slot's spoken value, or None when the slot is absent or unfilled."""
    # ask-sdk's get_slot_value is deprecated; `slot.value` is what Alexa sends for a single-value slot.
    try:
        slot = get_slot(handler_input, name)
    except (TypeError, AttributeError, KeyError):
        return None
    value = getattr(slot, "value", None)
    if value is None and slot is not None:
        # a multiple-value slot: the first of its values
        raw: Any = getattr(slot, "slot_value", None)
        values = list(getattr(raw, "values", None) or []) if raw is not None else []
        first = values[0] if values else raw
        value = getattr(first, "value", None) if first is not None else None
    return value.strip() or None if isinstance(value, str) else None


def slot_id(handler_input: HandlerInput, name: str) -> str | None:
    """The entity-resolution id of the first ER_SUCCESS_MATCH value, if any."""
    try:
        slot = get_slot(handler_input, name)
    except (TypeError, AttributeError, KeyError):
        return None
    if slot is None:
        return None
    if slot.resolutions is None:
        # a multiple-value slot carries its values (and their resolutions) in slotValue
        raw: Any = getattr(slot, "slot_value", None)
        values = list(getattr(raw, "values", None) or []) if raw is not None else []
        first = values[0] if values else raw
        return _resolved_id(getattr(first, "resolutions", None)) if first is not None else None
    return _resolved_id(slot.resolutions)


def slot_values(handler_input: HandlerInput, name: str) -> list[tuple[str, str | None]]:
    """Every value of a slot as (words heard, entity-resolution id or None): the values of a
    multiple-value slot (`slotValue` of type List, each with its own resolutions), else the one
    value. Empty values are dropped and repeats said once."""
    try:
        slot = get_slot(handler_input, name)
    except (TypeError, AttributeError, KeyError):
        return []
    if slot is None:
        return []
    raw: Any = getattr(slot, "slot_value", None)
    items: list[Any] = []
    if raw is not None and getattr(raw, "object_type", None) == "List":
        items = list(getattr(raw, "values", None) or [])
    elif raw is not None and getattr(raw, "value", None):
        items = [raw]
    out: list[tuple[str, str | None]] = []
    seen: set[str] = set()
    for item in items:
        value = getattr(item, "value", None)
        if not isinstance(value, str) or not value.strip():
            continue
        ident = _resolved_id(getattr(item, "resolutions", None))
        key = " ".join(value.lower().split())  # the words: two brands of one kind are two items
        if key not in seen:
            seen.add(key)
            out.append((value.strip(), ident))
    if not out:
        value = slot_value(handler_input, name)
        if value or slot_id(handler_input, name):
            out = [(value or "", slot_id(handler_input, name))]
    return out


def _resolved_id(resolutions: Any) -> str | None:
    for authority in getattr(resolutions, "resolutions_per_authority", None) or []:
        code = getattr(getattr(authority.status, "code", None), "value", None)
        if code == "ER_SUCCESS_MATCH" and authority.values:
            value: Any = authority.values[0].value
            return str(value.id) if value is not None and value.id is not None else None
    return None


def say_first(handler_input: HandlerInput, speech: str) -> None:
    """Speak `speech` (SSML) before whatever this turn answers next ("Removed the milk. ...")."""
    attrs = session(handler_input)
    attrs["say_first"] = (attrs.get("say_first", "") + " " + speech).strip()


def elicit(
    handler_input: HandlerInput, intent: str, slot: str, speech: str, reprompt: str,
    kept: dict[str, str] | None = None,
) -> Response:
    """Ask for one slot of `intent` with Dialog.ElicitSlot (intent chaining when the request was another
    intent): the answer comes back as `intent` with the slot filled, and the speaker, knowing what it
    waits for, listens for it (a voice code with a grammar of codes, as Alexa biases recognition).
    `kept` holds slot values already said, which the answer comes back with (a day said with the hour)."""
    from ask_sdk_model import Intent, IntentConfirmationStatus, Slot, SlotConfirmationStatus
    from ask_sdk_model.dialog import ElicitSlotDirective

    slots = {
        name: Slot(name=name, value=value, confirmation_status=SlotConfirmationStatus.NONE)
        for name, value in (kept or {}).items()
    }
    slots[slot] = Slot(name=slot, confirmation_status=SlotConfirmationStatus.NONE)
    wanted = Intent(name=intent, slots=slots, confirmation_status=IntentConfirmationStatus.NONE)
    builder = handler_input.response_builder.speak(speech).ask(reprompt)
    builder.add_directive(ElicitSlotDirective(updated_intent=wanted, slot_to_elicit=slot))
    builder.set_should_end_session(False)
    return builder.response


def speak(
    handler_input: HandlerInput,
    speech: str,
    reprompt: str | None = None,
    *,
    end_session: bool | None = None,
) -> Response:
    """Build the response; with a reprompt the session stays open, without one it follows `end_session`.

    `speech` and `reprompt` are SSML fragments from `Prompts.say` (already escaped).
    """
    first = session(handler_input).pop("say_first", None)
    if first:
        speech = f"{first} {speech}"
    builder = handler_input.response_builder.speak(speech)
    if reprompt:
        builder.ask(reprompt)
        builder.set_should_end_session(False)
    elif end_session is not None:
        builder.set_should_end_session(end_session)
    return builder.response
