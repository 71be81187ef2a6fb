"""The Korean conversation set (tests/conversations-ko): whole shopping conversations in Korean, run as
`voiceshop chat --locale ko-KR` runs them, with checks on what was said and on the end state."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.conversations import ConversationSet
from voiceshop.conversations import Conversation

pytestmark = pytest.mark.slow

SET = ConversationSet(Path(__file__).resolve().parent, locale="ko-KR")
CONVERSATIONS = SET.conversations


def test_korean_conversation_set_is_large_enough() -> None:
    assert len(CONVERSATIONS) >= 30
    assert all(c.end for c in CONVERSATIONS)


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=SET.ids)
def test_korean_conversation(conversation_set: ConversationSet, conversation: Conversation) -> None:
    conversation_set.check(conversation)
