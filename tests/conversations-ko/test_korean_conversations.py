"""The Korean conversation set (tests/conversations-ko): whole shopping conversations in Korean, run as
`voiceshop chat --locale ko-KR` runs them, with checks on what was said and on the end state."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from voiceshop.conversations import ConversationRunner, judge, load_conversations, load_known_failures

HERE = Path(__file__).resolve().parent
CONVERSATIONS = load_conversations(HERE)
KNOWN = load_known_failures(HERE)


@pytest.fixture(scope="module")
def runner() -> Iterator[ConversationRunner]:
    run = ConversationRunner(locale="ko-KR")
    yield run
    run.close()


def test_korean_conversation_set_is_large_enough() -> None:
    assert len(CONVERSATIONS) >= 30
    assert all(c.end for c in CONVERSATIONS)


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=[c.name for c in CONVERSATIONS])
def test_korean_conversation(runner: ConversationRunner, conversation) -> None:  # type: ignore[no-untyped-def]
    reason = judge(runner.run(conversation), KNOWN)
    if reason is not None:
        pytest.xfail(reason)
