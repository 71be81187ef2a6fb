"""The holdout conversation set: shopping conversations written apart from tests/conversations/ (other
carrier phrases, brands and ways of correcting and asking), so it tells how a new shopper fares while
the main set is being worked on. Run like the main set: the local NLU and the in-process skill, with
checks on what was said and on the end state.

Conversations that do not pass yet are listed in _known_failures.yaml by the reason they fail (strictly:
one that starts passing fails here until it is taken off the list, with
`bench/conversations.py --data tests/conversations-holdout --update-known`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.conversations import ConversationSet
from voiceshop.conversations import Conversation

pytestmark = pytest.mark.slow

SET = ConversationSet(Path(__file__).resolve().parent)
CONVERSATIONS = SET.conversations
END_STATE_FLOOR = 0.91
"""The share of holdout conversations that must reach their end state: raised as capabilities land,
towards the issue's target of 0.90; lowering it is a regression."""


def test_holdout_set_is_large_and_varied() -> None:
    assert len(CONVERSATIONS) >= 40
    assert len({c.source.split("#")[0] for c in CONVERSATIONS}) >= 6
    assert sum(len(c.turns) for c in CONVERSATIONS) / len(CONVERSATIONS) >= 3
    # more than the one carrier phrase: the set is there to try the ways people ask
    said = " ".join(t.say.lower() for c in CONVERSATIONS for t in c.turns)
    carriers = ["grab me", "throw in", "i'm out of", "we need", "can i get", "on the list", "toss in", "pick up"]
    assert [c for c in carriers if c not in said] == []


def test_known_failures_name_real_conversations() -> None:
    assert SET.unknown_failure_names() == []


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=SET.ids)
def test_holdout_conversation(conversation_set: ConversationSet, conversation: Conversation) -> None:
    conversation_set.check(conversation)


def test_share_reaching_end_state(conversation_set: ConversationSet) -> None:
    share = conversation_set.end_state_share()
    assert share >= END_STATE_FLOOR, f"{share:.1%} of holdout conversations reach their end state"
