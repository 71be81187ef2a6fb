"""What the dialog waits for.

The dialog layer (`speech.cloud`, `speech.dialog`) says what it expects; the recogniser and its grammar
listen for it. Both sides read it from here, so neither depends on the other; the built-in intents a user
may say instead of answering are `speech.vocabulary.ESCAPE_INTENTS`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Expectation"]


@dataclass(frozen=True)
class Expectation:
    """What the dialog waits for, so the recogniser can listen for it as Alexa does after ElicitSlot:
    a value of `slot` of `intent` (Dialog.ElicitSlot), or a yes or no when `slot` is None (ConfirmSlot,
    ConfirmIntent)."""

    intent: str
    slot: str | None = None
