"""One conversation set in tests: a folder of conversations (tests/conversations*/), its known failures,
and each conversation's result, run once by one `ConversationRunner` and kept for the module's other tests.

A test module makes `SET = ConversationSet(folder, locale=...)` at import (the conversations are its
parameters) and asks for the `conversation_set` fixture (tests/conftest.py), which hands it that set and
closes its runner when the module is done.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from voiceshop.conversations import (
    Conversation,
    ConversationResult,
    ConversationRunner,
    judge,
    load_conversations,
    load_known_failures,
)


class ConversationSet:
    """The conversations in `folder`, run through the local NLU and the in-process skill as `voiceshop chat`
    runs them."""

    def __init__(self, folder: Path, locale: str = "en-US") -> None:
        self.folder = folder
        self.locale = locale
        self.conversations = load_conversations(folder)
        self.known = load_known_failures(folder)
        self._runner: ConversationRunner | None = None
        self._results: dict[str, ConversationResult] = {}

    @property
    def ids(self) -> list[str]:
        return [c.name for c in self.conversations]

    def result(self, conversation: Conversation) -> ConversationResult:
        """The conversation's result, run the first time it is asked for."""
        if conversation.name not in self._results:
            if self._runner is None:
                self._runner = ConversationRunner(locale=self.locale)
            self._results[conversation.name] = self._runner.run(conversation)
        return self._results[conversation.name]

    def check(self, conversation: Conversation) -> None:
        """Fails unless the conversation passes; an expected failure (listed in _known_failures.yaml) xfails
        with its reason, and one that starts passing while listed fails (see `judge`)."""
        reason = judge(self.result(conversation), self.known)
        if reason is not None:
            pytest.xfail(reason)

    def end_state_share(self) -> float:
        """The share of the conversations that reach their end state."""
        results = [self.result(c) for c in self.conversations]
        return sum(r.reached_end_state for r in results) / len(results)

    def unknown_failure_names(self) -> list[str]:
        """Names in _known_failures.yaml that are not conversations of the set."""
        return sorted(set(self.known) - {c.name for c in self.conversations})

    def close(self) -> None:
        if self._runner is not None:
            self._runner.close()
            self._runner = None
