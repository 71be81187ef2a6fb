"""Handlers for the built-in intents: launch, help, stop, cancel, fallback, repeat, navigation, yes/no."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler

HANDLERS: list[AbstractRequestHandler] = []
