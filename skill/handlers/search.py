"""Handlers for the search domain."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler

HANDLERS: list[AbstractRequestHandler] = []
