"""What the NLU returns: an intent with slots as Alexa sends them, a confidence, and the ranking."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

ResolutionStatus = Literal["ER_SUCCESS_MATCH", "ER_SUCCESS_NO_MATCH"]


@dataclass
class SlotValue:
    """One filled slot."""

    name: str
    """The slot's name in the interaction model, e.g. 'product'."""
    value: str
    """What Alexa puts in `slot.value`: the words heard, or the normalised value for built-in types
    (AMAZON.NUMBER '25', AMAZON.DATE '2026-11-28', AMAZON.Ordinal '2', AMAZON.FOUR_DIGIT_NUMBER '1234')."""
    slot_type: str
    """The slot type, e.g. 'PRODUCT' or 'AMAZON.NUMBER'."""
    id: str | None = None
    """Entity-resolution id of the matched value (custom types only)."""
    resolved: str | None = None
    """Entity-resolution canonical name of the matched value (custom types only)."""
    status: ResolutionStatus | None = None
    """Entity-resolution status; None for built-in types, which Alexa sends without resolutions."""

    def to_alexa(self, authority: str = "amzn1.er-authority.echo-sdk.voiceshop") -> dict[str, Any]:
        """The slot as it appears in an IntentRequest."""
        slot: dict[str, Any] = {"name": self.name, "value": self.value, "confirmationStatus": "NONE"}
        if self.status is not None:
            resolution: dict[str, Any] = {
                "authority": f"{authority}.{self.slot_type}",
                "status": {"code": self.status},
            }
            if self.status == "ER_SUCCESS_MATCH":
                resolution["values"] = [{"value": {"name": self.resolved or self.value, "id": self.id}}]
            slot["resolutions"] = {"resolutionsPerAuthority": [resolution]}
        return slot


@dataclass
class IntentMatch:
    """One candidate intent with its slots and score."""

    intent: str
    slots: dict[str, SlotValue] = field(default_factory=dict)
    confidence: float = 0.0


@dataclass
class Resolution:
    """The NLU's answer for one utterance."""

    utterance: str
    intent: str
    """The winner; 'AMAZON.FallbackIntent' when nothing fits well enough."""
    slots: dict[str, SlotValue] = field(default_factory=dict)
    """Filled slots only; unfilled slots are left out."""
    confidence: float = 0.0
    """0..1."""
    ranked: list[IntentMatch] = field(default_factory=list)
    """Every intent considered, best first (the winner included)."""

    def to_json(self) -> dict[str, Any]:
        """The `voiceshop nlu --json` line of the contract."""
        return {
            "utterance": self.utterance,
            "intent": self.intent,
            "slots": {name: {"value": s.value, "id": s.id} for name, s in self.slots.items()},
            "confidence": round(self.confidence, 4),
        }


class Understander(Protocol):
    """Anything that turns text into a `Resolution` (the compiled NLU, or a baseline to compare with)."""

    def resolve(self, utterance: str, *, reference_time: Any = None) -> Resolution: ...
