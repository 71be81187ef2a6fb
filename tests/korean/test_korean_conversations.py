"""The Korean conversation set (tests/conversations-ko): whole shopping conversations in Korean, run as
`voiceshop chat --locale ko-KR` runs them, with checks on what was said and on the end state."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from voiceshop.conversations import ConversationRunner, load_conversations

HERE = Path(__file__).resolve().parents[1] / "conversations-ko"
CONVERSATIONS = load_conversations(HERE)
KNOWN = {
    name: reason
    for reason, names in (yaml.safe_load((HERE / "_known_failures.yaml").read_text(encoding="utf-8")) or {}).items()
    for name in names
}


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
    result = runner.run(conversation)
    if conversation.name in KNOWN:
        assert not result.passed, f"{conversation.name!r} now passes: take it off _known_failures.yaml"
        pytest.xfail(KNOWN[conversation.name])
    assert result.passed, result.explain()
