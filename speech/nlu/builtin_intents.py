"""The built-in intents as the NLU knows them: how people say them (`speech.vocabulary`), so they work
without samples, as on a real speaker, and the fallback.

The compiler merges these phrases with any samples the model adds for the same intent. Only built-in
intents the model declares are understood (a real skill gets only the intents it declares).
"""

from __future__ import annotations

from speech.vocabulary import FALLBACK_INTENT, phrasebook

__all__ = ["BUILTIN_PHRASES", "FALLBACK_INTENT"]

BUILTIN_PHRASES: dict[str, tuple[str, ...]] = phrasebook("en-US").builtin
"""Built-in intent -> the English phrases it understands without samples."""
