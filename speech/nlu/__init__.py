"""Local language understanding compiled from an Alexa interaction model.

    from speech.nlu import compile_model
    nlu = compile_model("interaction_model.json")
    nlu.resolve("add two bottles of milk", intents=None, reference_time=None)   # -> Resolution

Modules: `compiler` (compile_model, CompiledNLU), `normalize` (tokens, fillers, lemmas), `numbers`,
`dates` and `builtin_types` (AMAZON.NUMBER/Ordinal/FOUR_DIGIT_NUMBER/DATE/TIME), `gazetteer` (custom slot
values, fuzzy lookup), `builtin_intents` (phrases of AMAZON.* intents), `align` (sample alignment and
slot reading), `features`, `baseline` (the template matcher to beat), `evaluate` (sentence files, accuracy),
`types` (SlotValue, IntentMatch, Resolution).
"""

from __future__ import annotations

from speech.nlu.builtin_types import (
    builtin_value,
    date_value,
    parse_four_digit,
    parse_number,
    parse_ordinal,
    time_value,
)
from speech.nlu.compiler import CompiledNLU, UnsupportedLocaleError, compile_model
from speech.nlu.types import IntentMatch, Resolution, SlotValue

__all__ = [
    "compile_model",
    "CompiledNLU",
    "UnsupportedLocaleError",
    "Resolution",
    "IntentMatch",
    "SlotValue",
    "builtin_value",
    "parse_number",
    "parse_ordinal",
    "parse_four_digit",
    "date_value",
    "time_value",
]
