"""The shopping conversation set: every conversation in this folder, run through the local NLU and the
in-process skill as `voiceshop chat` runs them, with checks on what was said and on the end state.

Conversations that do not pass yet are listed in _known_failures.yaml with the reason; they are expected
to fail (strictly: one that starts passing fails here until it is taken off the list), so the list is
always exactly the set that fails, and the share below is the share that really passes.
"""

from __future__ import annotations

from collections.abc import Iterator
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

HERE = Path(__file__).resolve().parent
CONVERSATIONS = load_conversations(HERE)
KNOWN = load_known_failures(HERE)
END_STATE_FLOOR = 0.99
"""The share of conversations that must reach their end state: raised as capabilities land, towards the
issue's target of 0.90; lowering it is a regression."""


@pytest.fixture(scope="module")
def runner() -> Iterator[ConversationRunner]:
    run = ConversationRunner()
    yield run
    run.close()


_results: dict[str, ConversationResult] = {}


def _result(runner: ConversationRunner, conversation: Conversation) -> ConversationResult:
    if conversation.name not in _results:
        _results[conversation.name] = runner.run(conversation)
    return _results[conversation.name]


def test_conversation_set_is_large_and_varied() -> None:
    assert len(CONVERSATIONS) >= 80
    files = {c.source.split("#")[0] for c in CONVERSATIONS}
    assert len(files) >= 8
    assert all(c.end for c in CONVERSATIONS)
    assert sum(len(c.turns) for c in CONVERSATIONS) / len(CONVERSATIONS) >= 3


def test_known_failures_name_real_conversations() -> None:
    names = {c.name for c in CONVERSATIONS}
    assert sorted(set(KNOWN) - names) == []


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=[c.name for c in CONVERSATIONS])
def test_conversation(runner: ConversationRunner, conversation: Conversation) -> None:
    reason = judge(_result(runner, conversation), KNOWN)
    if reason is not None:
        pytest.xfail(reason)


def test_share_reaching_end_state(runner: ConversationRunner) -> None:
    results = [_result(runner, c) for c in CONVERSATIONS]
    share = sum(r.reached_end_state for r in results) / len(results)
    assert share >= END_STATE_FLOOR, f"{share:.1%} of conversations reach their end state"
