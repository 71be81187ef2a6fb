"""The baseline the compiled NLU is measured against: every sample as a regular expression.

    baseline = TemplateMatcher(model)
    baseline.resolve("add two bottles of milk to my cart")   # matches 'add {quantity} {unit} of {product} ...'

A sample matches only when the utterance is exactly the sample with slot values in place (after
lowercasing and dropping punctuation); anything else is AMAZON.FallbackIntent. It knows the same
built-in intent phrases and value parsers as the compiled NLU, so the comparison is about the matching.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from speech.interaction_model import InteractionModel
from speech.nlu.builtin_intents import BUILTIN_PHRASES, FALLBACK_INTENT
from speech.nlu.builtin_types import BUILTIN_KINDS, builtin_value
from speech.nlu.gazetteer import Gazetteer
from speech.nlu.normalize import tokens
from speech.nlu.types import IntentMatch, Resolution, SlotValue

__all__ = ["TemplateMatcher"]


class TemplateMatcher:
    """Samples compiled to regular expressions with one lazy capture group per slot."""

    def __init__(
        self, model: InteractionModel, *, builtin_phrases: bool = True, slot_samples: bool = False
    ) -> None:
        """`builtin_phrases`: also match the built-in intents' phrase table; `slot_samples`: also the
        slots' elicitation samples (as when the dialog asks for a slot)."""
        self.gazetteer = Gazetteer.from_types(model.types)
        self.patterns: list[tuple[str, re.Pattern[str], dict[str, str], dict[str, str]]] = []
        for intent in model.intents:
            if intent.name == FALLBACK_INTENT:
                continue
            types = {s.name: s.type for s in intent.slots}
            extra = [x for sl in intent.slots for x in sl.samples] if slot_samples else []
            phrases = BUILTIN_PHRASES.get(intent.name, ()) if builtin_phrases else ()
            for sample in (*intent.samples, *extra, *phrases):
                groups: dict[str, str] = {}
                parts = re.split(r"(\{[^{}]+\})", sample)
                regex = []
                for part in parts:
                    if part.startswith("{") and part.endswith("}"):
                        name = part[1:-1]
                        group = f"g{len(groups)}"
                        groups[group] = name
                        regex.append(f"(?P<{group}>.+?)")
                    elif part.strip():
                        regex.append(re.escape(" ".join(tokens(part))))
                # the text is single-spaced words, so parts join with one space
                self.patterns.append((intent.name, re.compile("^" + " ".join(regex) + "$"), groups, types))

    def resolve(self, utterance: str, *, reference_time: datetime | date | None = None) -> Resolution:
        text = " ".join(tokens(utterance))
        best: tuple[int, Resolution] | None = None
        for intent, pattern, groups, types in self.patterns:
            m = pattern.match(text)
            if not m:
                continue
            slots: dict[str, SlotValue] = {}
            ok = True
            for group, name in groups.items():
                heard = m.group(group).strip()
                slot_type = types.get(name, "")
                if slot_type in BUILTIN_KINDS:
                    value = builtin_value(slot_type, heard, reference_time)
                    if value is None:
                        ok = False
                        break
                    slots[name] = SlotValue(name, value, slot_type)
                else:
                    hit = self.gazetteer.lookup(slot_type, heard)
                    if hit is not None and hit.score == 1.0:
                        slots[name] = SlotValue(
                            name, heard, slot_type, hit.id, hit.resolved, "ER_SUCCESS_MATCH"
                        )
                    else:
                        slots[name] = SlotValue(name, heard, slot_type, None, None, "ER_SUCCESS_NO_MATCH")
            if ok:
                # of several matching samples, the one whose slots all resolve to known values
                misses = sum(1 for v in slots.values() if v.status == "ER_SUCCESS_NO_MATCH")
                if best is None or misses < best[0]:
                    best = (
                        misses,
                        Resolution(utterance, intent, slots, 1.0, [IntentMatch(intent, slots, 1.0)]),
                    )
        if best is not None:
            return best[1]
        return Resolution(utterance, FALLBACK_INTENT, {}, 1.0, [IntentMatch(FALLBACK_INTENT, confidence=1.0)])
