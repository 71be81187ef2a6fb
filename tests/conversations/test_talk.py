"""Small talk, honesty, and orders and delivery outside checkout, each through the path of `voiceshop
chat` (text, local NLU, Alexa JSON, the in-process skill) on a fresh database at a fixed time."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from voiceshop.conversations import ConversationResult, ConversationRunner, _conversation


@pytest.fixture(scope="module")
def runner() -> Iterator[ConversationRunner]:
    run = ConversationRunner()
    yield run
    run.close()


def talk(runner: ConversationRunner, text: str) -> ConversationResult:
    data: Any = yaml.safe_load(text)
    data.setdefault("name", "t")
    return runner.run(_conversation(data, "test"))


def said(result: ConversationResult, turn: int) -> str:
    return result.turns[turn].speech.lower()


def test_thanks_is_a_short_welcome(runner: ConversationRunner) -> None:
    r = talk(runner, "turns: [open voice shop, thanks, thank you so much]\nend: {cart: []}")
    assert all("welcome" in said(r, i) and len(said(r, i).split()) <= 8 for i in (1, 2))


def test_thanks_while_a_question_waits_asks_it_again(runner: ConversationRunner) -> None:
    r = talk(
        runner,
        "turns: [open voice shop, empty my cart, add two bags of dunkin original blend coffee,"
        " empty my cart, thanks, yes]\nend: {cart: []}",
    )
    assert "welcome" in said(r, 4) and "go ahead" in said(r, 4)
    assert r.passed, r.explain()  # the yes after the thanks still empties the cart


def test_forgot_code_explains_reset_and_orders_nothing(runner: ConversationRunner) -> None:
    r = talk(
        runner,
        """
turns: [open voice shop, add two bags of dunkin original blend coffee, check out, tomorrow morning, "yes",
        i forgot my code, "1234"]
end:
  orders: [{status: CONFIRMED}]
""",
    )
    assert "alexa app" in said(r, 5) and "placed" not in said(r, 5)
    assert r.passed, r.explain()  # the checkout still waits for the code, and takes the right one


def test_forgot_code_alone_unlocks_and_buys_nothing(runner: ConversationRunner) -> None:
    r = talk(runner, 'turns: [open voice shop, i don\'t remember my pin, "yes"]\nend: {orders: [], cart: []}')
    assert "reset" in said(r, 1)
    assert r.passed, r.explain()


@pytest.mark.parametrize(
    "question",
    [
        "what's the weather like",
        "tell me a joke",
        "what's new today",
        "tell me the news",
        "what's on my calendar today",
        "play the radio",
    ],
)
def test_out_of_domain_is_answered_honestly_never_acted_on(runner: ConversationRunner, question: str) -> None:
    r = talk(runner, f'turns: [open voice shop, "{question}"]\nend: {{cart: [], orders: []}}')
    assert "only help with shopping" in said(r, 1)
    assert "deal" not in said(r, 1) and r.turns[1].intent == "AMAZON.FallbackIntent"
    assert len(said(r, 1).split()) <= 20


def test_never_mind_drops_the_question_and_stays(runner: ConversationRunner) -> None:
    r = talk(
        runner,
        "turns: [open voice shop, empty my cart, add a bag of dunkin original blend coffee,"
        ' clear my cart, never mind, "yes"]\nend: {cart: [{product: dunkin coffee, quantity: 1}]}',
    )
    assert "never mind" in said(r, 4)
    assert r.passed, r.explain()  # the yes no longer empties the cart


def test_no_keep_it_keeps_the_order(runner: ConversationRunner) -> None:
    r = talk(
        runner,
        """
turns: [open voice shop, add a bag of dunkin original blend coffee, check out, tomorrow morning, "yes", "1234",
        cancel my order, no keep it]
end: {orders: [{status: CONFIRMED}]}
""",
    )
    assert "won't cancel" in said(r, 7)
    assert r.passed, r.explain()


def test_last_order_total_and_items(runner: ConversationRunner) -> None:
    r = talk(
        runner,
        """
past_orders: [{days_ago: 3, items: {COFF-004: 2, EGGS-001: 1}}]
turns: [open voice shop, how much was my last order, what did i order last time]
end: {cart: []}
""",
    )
    for i in (1, 2):
        text = said(r, i)
        assert "$" in text and "dunkin" in text and "eggs" in text and len(text.split()) <= 30
    assert r.passed


def test_last_order_of_many_items_names_three_and_counts_the_rest(runner: ConversationRunner) -> None:
    r = talk(
        runner,
        """
past_orders: [{days_ago: 2, items: {COFF-004: 1, EGGS-001: 1, MILK-005: 1, BANA-002: 1, OATM-001: 1}}]
turns: [open voice shop, what was in my last order]
end: {cart: []}
""",
    )
    assert "2 more" in said(r, 1) and len(said(r, 1).split()) <= 30


def test_last_order_without_orders(runner: ConversationRunner) -> None:
    r = talk(runner, "turns: [open voice shop, how much was my last order]\nend: {cart: []}")
    assert "don't have any orders" in said(r, 1)


def test_reorder_one_item_adds_only_that_item(runner: ConversationRunner) -> None:
    r = talk(
        runner,
        """
past_orders: [{days_ago: 5, items: {COFF-004: 2, EGGS-001: 1}}]
turns: [open voice shop, order just the coffee again]
end: {cart: [{sku: COFF-004, quantity: 2}]}
""",
    )
    assert r.passed, r.explain()


def test_reorder_one_item_never_bought_says_so(runner: ConversationRunner) -> None:
    r = talk(
        runner,
        """
past_orders: [{days_ago: 5, items: {EGGS-001: 1}}]
turns: [open voice shop, order the coffee again]
end: {cart: []}
""",
    )
    assert "don't see" in said(r, 1)
    assert r.passed, r.explain()


def test_usual_is_what_most_recent_orders_hold(runner: ConversationRunner) -> None:
    r = talk(
        runner,
        """
past_orders:
  - {days_ago: 20, items: {OATM-001: 2, BANA-002: 1, COFF-004: 1}}
  - {days_ago: 13, items: {OATM-001: 2, BANA-002: 1}}
  - {days_ago: 6, items: {OATM-001: 1, BANA-002: 1, EGGS-001: 3}}
turns: [open voice shop, get me my usual]
end: {cart: [{sku: OATM-001, quantity: 2}, {sku: BANA-002, quantity: 1}]}
""",
    )
    assert r.passed, r.explain()


def test_usual_without_orders(runner: ConversationRunner) -> None:
    r = talk(runner, "turns: [open voice shop, my usual please]\nend: {cart: []}")
    assert "haven't ordered" in said(r, 1)


def test_delivery_fee_and_how_far_from_free(runner: ConversationRunner) -> None:
    r = talk(
        runner,
        "turns: [open voice shop, how much is delivery, add two bags of dunkin original blend coffee,"
        " is delivery free, add a box of pampers cruisers diapers, what's the delivery fee]\nend: {orders: []}",
    )
    assert "$4.99" in said(r, 1) and "$35" in said(r, 1)
    assert "$17.02" in said(r, 3)  # $35 less two bags at $8.99
    text = said(r, 5)
    assert "free" in text or "dunkin" in text  # free once over $35, when the diapers were added


def test_delivery_times_names_the_two_earliest(runner: ConversationRunner) -> None:
    r = talk(runner, "turns: [open voice shop, when can you deliver]\nend: {orders: []}")
    text = said(r, 1)
    assert "today between noon and 5 pm" in text and "today between 5 and 9 pm" in text


def test_asked_at_checkout_the_earliest_time_is_offered_and_a_yes_books_it(runner: ConversationRunner) -> None:
    r = talk(
        runner,
        """
turns: [open voice shop, add a bag of dunkin original blend coffee, check out, "when's the earliest you can bring it", "yes", "yes", "1234"]
end: {orders: [{status: CONFIRMED, day: today, window: afternoon}]}
""",
    )
    assert r.passed, r.explain()
    assert "shall i make it today between noon and 5 pm?" in said(r, 3)


@pytest.mark.parametrize(
    ("when", "day", "window"),
    [
        ("tomorrow at 6 pm", "tomorrow", "evening"),
        ("tomorrow at 6:30 pm", "tomorrow", "evening"),
        ("thursday around 2 pm", "thursday", "afternoon"),
        ("friday at ten a.m.", "friday", "morning"),
        ("saturday after work", "saturday", "evening"),
        ("friday before lunch", "friday", "morning"),
        ("tomorrow at noon", "tomorrow", "afternoon"),
    ],
)
def test_clock_times_book_the_window_that_holds_them(
    runner: ConversationRunner, when: str, day: str, window: str
) -> None:
    r = talk(
        runner,
        f"""
turns: [open voice shop, add a bag of dunkin original blend coffee, check out, "{when}", "yes", "1234"]
end: {{orders: [{{status: CONFIRMED, day: {day}, window: {window}}}]}}
""",
    )
    assert r.passed, r.explain()
