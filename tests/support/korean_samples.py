"""Whether a Korean line is one of the ko-KR model's samples with its slots filled (spacing aside): Korean
test sentences and conversation lines are written apart from the samples, so that they test generalisation."""

from __future__ import annotations

import re

from speech.interaction_model import InteractionModel
from speech.nlu.korean import KOREAN_NUMBER_WORDS

NUMBER_SYLLABLES = "".join(sorted({ch for w in KOREAN_NUMBER_WORDS for ch in w}))
_BUILTIN = {
    "AMAZON.NUMBER": f"(?:[0-9]+|[{NUMBER_SYLLABLES}]+)",
    "AMAZON.Ordinal": f"(?:첫|마지막|[0-9]+|[{NUMBER_SYLLABLES}]+)(?:번째|째)?",
    "AMAZON.FOUR_DIGIT_NUMBER": f"(?:[0-9]|[{NUMBER_SYLLABLES}]){{4,8}}",
    "AMAZON.DATE": "(?:오늘|내일|모레|내일모레|글피|주말|(?:이번주|다음주)?[월화수목금토일]요일|[0-9]+월[0-9]+일)",
}


def sample_patterns(model: InteractionModel) -> list[re.Pattern[str]]:
    """One pattern per sample of the model (intent and slot samples), matching the sample with any of its
    slot type's values (or a built-in's Korean forms) filled in, with the spaces taken out."""
    values: dict[str, str] = {}
    for st in model.types:
        forms = {f.replace(" ", "") for v in st.values for f in (v.value, *v.synonyms)}
        values[st.name] = "(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + ")"
    patterns = []
    for intent in model.intents:
        types = {slot.name: slot.type for slot in intent.slots}
        for sample in [*intent.samples, *(s for slot in intent.slots for s in slot.samples)]:
            parts = re.split(r"\{([^{}]*)\}", sample.replace(" ", ""))
            body = "".join(
                re.escape(p) if n % 2 == 0 else values.get(types.get(p, ""), _BUILTIN.get(types.get(p, ""), "(?!)"))
                for n, p in enumerate(parts)
            )
            patterns.append(re.compile(body + "$"))
    return patterns


def is_sample(text: str, patterns: list[re.Pattern[str]]) -> bool:
    flat = text.replace(" ", "")
    return any(p.match(flat) for p in patterns)
