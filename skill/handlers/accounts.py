"""Account linking: a user who is not linked hears how to link an account (and gets a LinkAccount card)."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler

HANDLERS: list[AbstractRequestHandler] = []
