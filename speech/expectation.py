"""What the dialog waits for, and the built-in intents a user may say instead of answering.

The dialog layer (`speech.cloud`, `speech.dialog`) says what it expects; the recogniser and its grammar
listen for it. Both sides read it from here, so neither depends on the other.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ESCAPE_INTENTS", "Expectation"]

ESCAPE_INTENTS = ("AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.HelpIntent", "AMAZON.NavigateHomeIntent")
"""Built-ins a user may say instead of answering the dialog's question (the voice cloud's escapes)."""


@dataclass(frozen=True)
class Expectation:
    """What the dialog waits for, so the recogniser can listen for it as Alexa does after ElicitSlot:
    a value of `slot` of `intent` (Dialog.ElicitSlot), or a yes or no when `slot` is None (ConfirmSlot,
    ConfirmIntent)."""

    intent: str
    slot: str | None = None
