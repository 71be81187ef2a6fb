"""The conversation harness itself: it reads the format strictly and reports every difference."""

from __future__ import annotations

from pathlib import Path

import pytest

from voiceshop.conversations import (
    Conversation,
    ConversationFileError,
    ConversationResult,
    ConversationRunner,
    figures,
    judge,
    load_conversations,
    load_known_failures,
    percentile,
)

CHECKOUT = """
name: {name}
turns:
  - open voice shop
  - add two bags of dunkin original blend coffee
  - say: check out
  - say: tomorrow evening
    hears: [total]
  - yes
  - "1234"
end:
  cart: []
  orders: [{{status: CONFIRMED, items: [{{product: dunkin coffee, quantity: {qty}}}], address: {address},
             card: visa, day: tomorrow, window: evening}}]
"""


def _load(tmp_path: Path, text: str) -> list:
    (tmp_path / "c.yaml").write_text(text)
    return load_conversations(tmp_path)


@pytest.fixture(scope="module")
def runner():
    run = ConversationRunner()
    yield run
    run.close()


def test_harness_passes_a_conversation_that_reaches_its_end_state(runner, tmp_path: Path) -> None:
    (conversation,) = _load(tmp_path, CHECKOUT.format(name="ok", qty=2, address="home"))
    result = runner.run(conversation)
    assert result.passed, result.explain()
    assert [t.kind for t in result.turns][3] == "checkout_read_back"


def test_harness_reports_a_wrong_end_state(runner, tmp_path: Path) -> None:
    (conversation,) = _load(tmp_path, CHECKOUT.format(name="wrong", qty=3, address="work"))
    result = runner.run(conversation)
    assert not result.reached_end_state
    text = " ".join(result.end_problems)
    assert "quantity 2, expected 3" in text and "address is home, expected work" in text


def test_harness_reports_what_was_not_said_and_a_cart_left_over(runner, tmp_path: Path) -> None:
    (conversation,) = _load(
        tmp_path,
        """
name: said
turns:
  - open voice shop
  - say: add two bags of dunkin original blend coffee
    hears: [bananas]
    not_hears: [dunkin]
end:
  cart: []
""",
    )
    result = runner.run(conversation)
    assert len(result.said_problems) == 2 and not result.turns[1].understood
    assert any("unexpected line Dunkin' Original Blend Ground Coffee x2" in p for p in result.end_problems)


def test_harness_each_conversation_starts_afresh(runner, tmp_path: Path) -> None:
    (first, second) = _load(
        tmp_path,
        """
- name: one
  turns: [open voice shop, add two bags of dunkin original blend coffee]
  end: {cart: [{product: dunkin coffee, quantity: 2}]}
- name: two
  turns: [open voice shop, "what's in my cart"]
  end: {cart: [], orders: []}
""",
    )
    assert runner.run(first).passed and runner.run(second).passed


def test_harness_past_orders_are_in_the_history(runner, tmp_path: Path) -> None:
    (conversation,) = _load(
        tmp_path,
        """
name: history
past_orders: [{days_ago: 5, items: {COFF-004: 1}}]
turns: [open voice shop, buy it again]
end:
  cart: [{sku: COFF-004, quantity: 1}]
  orders: [{status: DELIVERED, items: [{product: dunkin coffee, quantity: 1}]}]
""",
    )
    result = runner.run(conversation)
    assert result.passed, result.explain()


@pytest.mark.parametrize(
    "text",
    [
        "name: x\nturns: [hi]\n",  # no end state to check
        "name: x\nturns: [hi]\nend: {basket: []}\n",
        "name: x\nturns: [{said: hi}]\nend: {cart: []}\n",
        "turns: [hi]\nend: {cart: []}\n",
        "- {name: x, turns: [hi], end: {cart: []}}\n- {name: x, turns: [hi], end: {cart: []}}\n",
    ],
)
def test_harness_refuses_a_malformed_file(tmp_path: Path, text: str) -> None:
    with pytest.raises(ConversationFileError):
        _load(tmp_path, text)


def test_figures_and_percentile(runner, tmp_path: Path) -> None:
    assert percentile([], 90) == 0.0
    assert percentile([5, 1, 9, 3, 7, 2, 8, 4, 6, 10], 90) == 9.0
    (conversation,) = _load(tmp_path, CHECKOUT.format(name="f", qty=2, address="home"))
    fig = figures([runner.run(conversation)])
    assert fig.conversations == 1 and fig.reached_end_state == 1 and fig.turns == 6
    assert len(fig.words_outside_read_back) == 5 and "checkout_read_back" in fig.by_kind


def test_known_failures_are_read_and_judged_strictly(tmp_path: Path) -> None:
    (tmp_path / "_known_failures.yaml").write_text(
        "basket is read wrong:\n  - lost my basket\nall fixed now:\n", encoding="utf-8"
    )
    known = load_known_failures(tmp_path)
    assert known == {"lost my basket": "basket is read wrong"}
    assert load_known_failures(tmp_path / "nowhere") == {}
    conversation = Conversation(name="lost my basket", turns=[], end={"cart": []})
    failing = ConversationResult(conversation, [], ["cart: no line for 'rye bread'"])
    passing = ConversationResult(conversation, [], [])
    assert judge(failing, known) == "basket is read wrong"
    with pytest.raises(AssertionError, match="now passes"):
        judge(passing, known)
    with pytest.raises(AssertionError, match="rye bread"):
        judge(failing, {})
    assert judge(passing, {}) is None
