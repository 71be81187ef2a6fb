"""The skill's exception root and its narrow subclasses.

Services raise these; the skill's exception handler turns them into speech, and the CLI boundary
into one line of text.
"""

from __future__ import annotations


class SkillError(Exception):
    """Root of every error the skill backend raises on purpose."""

    exit_code = 2


class StoreError(SkillError):
    """The database cannot be opened, migrated or written."""


class CatalogError(SkillError):
    """A catalog file is missing or malformed."""


class NotFound(SkillError):
    """A product, order, address or payment method does not exist for this user."""


class InvalidQuantity(SkillError):
    """A quantity of zero, below zero, or above what is in stock."""


class PaymentDeclined(SkillError):
    """The payment gateway declined a charge; `reason` is a machine code such as 'insufficient_funds'."""

    def __init__(self, reason: str, message: str = "") -> None:
        super().__init__(message or reason)
        self.reason = reason


class QueryTooLong(SkillError):
    """A product request far longer than any product name: answered with a polite question, never
    searched (spelling correction of thousands of words would starve every other request)."""


class StoreBusy(SkillError):
    """The database stayed locked by other writers past the busy timeout: try again in a moment."""
