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
    values: list[SlotValue] | None = None
    """A multiple-value slot's values ("milk", "eggs"), each with its own resolution; `value` is then
    the words of the whole list as heard."""

    def _resolutions(self, authority: str) -> dict[str, Any]:
        resolution: dict[str, Any] = {"authority": f"{authority}.{self.slot_type}", "status": {"code": self.status}}
        if self.status == "ER_SUCCESS_MATCH":
            resolution["values"] = [{"value": {"name": self.resolved or self.value, "id": self.id}}]
        return {"resolutionsPerAuthority": [resolution]}

    def to_alexa(self, authority: str = "amzn1.er-authority.echo-sdk.voiceshop") -> dict[str, Any]:
        """The slot as it appears in an IntentRequest."""
        if self.values is not None and len(self.values) > 1:
            # a multiple-value slot as Alexa sends it: no top-level value, a List of Simple values
            # each carrying its own resolutions
            items = []
            for item in self.values:
                simple: dict[str, Any] = {"type": "Simple", "value": item.value}
                if item.status is not None:
                    simple["resolutions"] = item._resolutions(authority)
                items.append(simple)
            return {
                "name": self.name,
                "confirmationStatus": "NONE",
                "source": "USER",
                "slotValue": {"type": "List", "values": items},
            }
        slot: dict[str, Any] = {"name": self.name, "value": self.value, "confirmationStatus": "NONE"}
        if self.status is not None:
            slot["resolutions"] = self._resolutions(authority)
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
            "slots": {name: _slot_json(s) for name, s in self.slots.items()},
            "confidence": round(self.confidence, 4),
        }


def _slot_json(slot: SlotValue) -> dict[str, Any]:
    out: dict[str, Any] = {"value": slot.value, "id": slot.id}
    if slot.values is not None:
        out["values"] = [{"value": v.value, "id": v.id} for v in slot.values]
    return out


class Understander(Protocol):
    """Anything that turns text into a `Resolution` (the compiled NLU, or a baseline to compare with)."""

    def resolve(self, utterance: str, *, reference_time: Any = None) -> Resolution: ...
