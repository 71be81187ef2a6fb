"""Fixtures for the voice cloud: a small test model, a rule-table understander and a recording skill."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from speech.cloud import VoiceCloud
from speech.interaction_model import InteractionModel, load_interaction_model
from speech.nlu.types import Resolution, SlotValue

FIXTURES = Path(__file__).resolve().parent / "fixtures"
NOW = datetime(2026, 11, 27, 21, 0, 0, tzinfo=UTC)

# (pattern, intent, {group: slot type}); custom values resolve by id when the value is known.
RULES: list[tuple[str, str, dict[str, str]]] = [
    (
        r"add (?P<quantity>\d+) (?P<product>.+)",
        "AddToCartIntent",
        {"quantity": "AMAZON.NUMBER", "product": "PRODUCT"},
    ),
    (r"add (?P<product>.+)", "AddToCartIntent", {"product": "PRODUCT"}),
    (r"what's in my cart", "ViewCartIntent", {}),
    (
        r"deliver it (?P<date>tomorrow)(?: (?P<timeSlot>morning|evening))?",
        "ScheduleDeliveryIntent",
        {"date": "AMAZON.DATE", "timeSlot": "TIME_SLOT"},
    ),
    (r"deliver it", "ScheduleDeliveryIntent", {}),
    (r"(?P<timeSlot>morning|evening)", "ScheduleDeliveryIntent", {"timeSlot": "TIME_SLOT"}),
    (
        r"(?:my code is )?(?P<voiceCode>one two three four|\d{4})",
        "ProvideVoiceCodeIntent",
        {"voiceCode": "AMAZON.FOUR_DIGIT_NUMBER"},
    ),
    (r"my code", "ProvideVoiceCodeIntent", {}),
    (r"check out", "CheckoutIntent", {}),
    (
        r"pay with my (?P<paymentLabel>visa|mastercard)",
        "SetPaymentMethodIntent",
        {"paymentLabel": "PAYMENT_LABEL"},
    ),
    (r"change my card", "SetPaymentMethodIntent", {}),
    (r"(?P<paymentLabel>visa|mastercard)", "SetPaymentMethodIntent", {"paymentLabel": "PAYMENT_LABEL"}),
    (r"stop", "AMAZON.StopIntent", {}),
    (r"cancel", "AMAZON.CancelIntent", {}),
    (r"help", "AMAZON.HelpIntent", {}),
    (r"yes|yeah", "AMAZON.YesIntent", {}),
    (r"no|nope", "AMAZON.NoIntent", {}),
]
_DATES = {"tomorrow": "2026-11-28"}
_DIGITS = {"one two three four": "1234"}


class RuleNLU:
    """An understander from a rule table: enough to drive the cloud without the real NLU."""

    def __init__(self, model: InteractionModel) -> None:
        self.model = model
        self.calls: list[tuple[str, set[str] | None]] = []

    def resolve(
        self, utterance: str, *, reference_time: Any = None, intents: set[str] | None = None
    ) -> Resolution:
        self.calls.append((utterance, intents))
        text = utterance.lower().strip()
        for pattern, intent, groups in RULES:
            if intents is not None and intent not in intents:
                continue
            m = re.fullmatch(pattern, text)
            if not m:
                continue
            slots = {}
            for name, slot_type in groups.items():
                raw = m.groupdict().get(name)
                if raw:
                    slots[name] = self._slot(name, raw, slot_type)
            return Resolution(utterance, intent, slots, 0.9)
        return Resolution(utterance, "AMAZON.FallbackIntent", {}, 0.2)

    def _slot(self, name: str, raw: str, slot_type: str) -> SlotValue:
        if slot_type == "AMAZON.DATE":
            return SlotValue(name, _DATES[raw], slot_type)
        if slot_type.startswith("AMAZON."):
            return SlotValue(name, _DIGITS.get(raw, raw), slot_type)
        custom = self.model.slot_type(slot_type)
        for value in custom.values if custom else ():
            if raw == value.value or raw in value.synonyms:
                return SlotValue(
                    name, raw, slot_type, id=value.id, resolved=value.value, status="ER_SUCCESS_MATCH"
                )
        return SlotValue(name, raw, slot_type, status="ER_SUCCESS_NO_MATCH")


def say(
    text: str,
    reprompt: str | None = None,
    *,
    end: bool | None = None,
    attrs: dict[str, Any] | None = None,
    directives: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A skill response envelope, as ask-sdk serialises one."""
    response: dict[str, Any] = {"outputSpeech": {"type": "SSML", "ssml": f"<speak>{text}</speak>"}}
    if reprompt is not None:
        response["reprompt"] = {"outputSpeech": {"type": "SSML", "ssml": f"<speak>{reprompt}</speak>"}}
    if end is not None:
        response["shouldEndSession"] = end
    if directives:
        response["directives"] = directives
    return {"version": "1.0", "sessionAttributes": attrs or {}, "response": response}


class RecordingSkill:
    """A fake skill endpoint: records every request; answers with `script(request)`."""

    def __init__(self, script: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> None:
        self.requests: list[dict[str, Any]] = []
        self.script = script or (lambda request: say("Okay.", "Anything else?"))

    def __call__(self, request: dict[str, Any]) -> dict[str, Any]:
        self.requests.append(request)
        return self.script(request)

    def types(self) -> list[str]:
        return [r["request"]["type"] for r in self.requests]

    def last(self) -> dict[str, Any]:
        return self.requests[-1]["request"]


@pytest.fixture
def test_model() -> InteractionModel:
    return load_interaction_model(FIXTURES / "model.json")


@pytest.fixture
def make_cloud(test_model: InteractionModel) -> Callable[..., VoiceCloud]:
    def make(skill: Callable[[dict[str, Any]], dict[str, Any]], **kwargs: Any) -> VoiceCloud:
        kwargs.setdefault("user_id", "amzn1.ask.account.TEST")
        kwargs.setdefault("clock", lambda: NOW)
        return VoiceCloud(RuleNLU(test_model), skill, test_model, **kwargs)

    return make


@pytest.fixture(name="say")
def say_fixture() -> Callable[..., dict[str, Any]]:
    """`say(text, reprompt, end=..., attrs=..., directives=...)`: a canned skill response."""
    return say


@pytest.fixture(name="Skill")
def skill_fixture() -> type[RecordingSkill]:
    """The recording fake skill class: `Skill(script)`."""
    return RecordingSkill
