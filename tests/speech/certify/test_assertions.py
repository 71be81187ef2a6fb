"""Every assertion operator and shorthand, against exchanges built the way the cloud reports them."""

from __future__ import annotations

from typing import Any

import pytest

from speech.certify.assertions import Exchange, check_assertion, resolve_path
from speech.certify.cases import Assertion


def _exchange(speech: str = "Added 2 bottles of milk to your cart. Anything else?", *, open_: bool = True,
              card: dict[str, Any] | None = None, intent: str = "AddToCartIntent") -> Exchange:
    request = {"request": {"type": "IntentRequest", "intent": {"name": intent, "slots": {
        "product": {"name": "product", "value": "milk", "resolutions": {"resolutionsPerAuthority": [
            {"status": {"code": "ER_SUCCESS_MATCH"}, "values": [{"value": {"name": "whole milk", "id": "milk"}}]}]}},
        "quantity": {"name": "quantity", "value": "2"},
        "unit": {"name": "unit"},
    }}}}
    response = {"version": "1.0", "response": {
        "outputSpeech": {"type": "SSML", "ssml": f"<speak>{speech}</speak>"},
        "reprompt": {"outputSpeech": {"type": "SSML", "ssml": "<speak>What else?</speak>"}},
        "shouldEndSession": not open_,
        "directives": [{"type": "Dialog.Delegate"}],
        **({"card": card} if card else {}),
    }, "sessionAttributes": {"count": 3}}
    return Exchange(request, response, speech, "What else?" if open_ else "", open_, card)


def _check(path: str, op: str, expected: Any, exchange: Exchange | None = None) -> bool:
    return check_assertion(Assertion(path, op, expected), exchange or _exchange()).passed


@pytest.mark.parametrize(
    ("path", "op", "expected", "result"),
    [
        ("prompt", ":", "added", True),                        # contained, any case
        ("prompt", ":", "removed", False),
        ("prompt", "==", "Added * milk *", True),              # wildcards match whole
        ("prompt", "==", "Added * eggs *", False),
        ("prompt", "=~", r"/\d+ bottles/", True),
        ("prompt", "=~", "/ADDED/", False),                    # case counts in a regex without i
        ("prompt", "=~", "/ADDED/i", True),
        ("prompt", "=~", r"bottles? of \w+", True),            # =~ takes a bare pattern too
        ("prompt", ":", "/^Added/", True),                     # /regex/ works with : as well
        ("prompt", "!=", "*went wrong*", True),
        ("prompt", "!=", "*milk*", False),
        ("prompt", ":", ["*eggs*", "*milk*"], True),           # a list is any of
        ("prompt", ":", ["*eggs*", "*bread*"], False),
        ("prompt", "!=", ["*eggs*", "*bread*"], True),         # != a list: none of
        ("prompt", "!=", ["*eggs*", "*milk*"], False),
        ("reprompt", ":", "what else", True),
        ("reprompt", "!=", "", True),
        ("sessionEnded", ":", False, True),
        ("sessionEnded", "==", True, False),
        ("intent", ":", "AddToCartIntent", True),
        ("intent", ":", "AddToCart", False),                   # intent names match whole
        ("intent", ":", "AddTo*", True),
        ("slots", ":", {"product": "milk", "quantity": 2}, True),
        ("slots", ":", {"product": "whole milk"}, True),       # the resolved name
        ("slots", ":", {"product": "milk", "quantity": 3}, False),
        ("slots", ":", {"unit": None}, True),                  # unfilled
        ("slots", "!=", {"product": "eggs"}, True),
        ("slots", "!=", {"product": "milk"}, False),
        ("response.outputSpeech.type", "==", "SSML", True),
        ("response.directives[0].type", ":", "Dialog.Delegate", True),
        ("response.directives[1].type", "==", None, True),     # undefined
        ("response.card", "==", None, True),
        ("response.card", "!=", None, False),
        ("sessionAttributes.count", ">", 2, True),
        ("sessionAttributes.count", ">", 3, False),
        ("sessionAttributes.count", ">=", 3, True),
        ("sessionAttributes.count", "<", 3, False),
        ("sessionAttributes.count", "<=", 3, True),
        ("sessionAttributes.count", "==", 3, True),
        ("sessionAttributes.count", "!=", 3, False),
        ("request.intent.slots.quantity.value", ">=", 2, True),
        ("request.intent.slots.quantity.value", "<", 2, False),
        ("response.shouldEndSession", "==", False, True),
        ("prompt", ">", 1, False),                             # not a number: never greater
    ],
)
def test_check_assertion_operator(path: str, op: str, expected: Any, result: bool) -> None:
    assert _check(path, op, expected) is result


def test_check_assertion_card_shorthands() -> None:
    exchange = _exchange(card={"type": "Simple", "title": "Voice Shop order 12", "content": "Total: $5"})
    assert _check("cardTitle", ":", "Voice Shop order *", exchange)
    assert _check("cardContent", "=~", r"/Total: \$\d/", exchange)
    assert not _check("cardTitle", ":", "*receipt*", exchange)
    assert _check("cardTitle", "==", None)                     # no card at all


def test_check_assertion_session_ended_when_closed() -> None:
    closed = _exchange("Goodbye!", open_=False)
    assert _check("sessionEnded", ":", True, closed)
    assert _check("reprompt", "==", "", closed)


def test_check_assertion_failure_message_shows_expected_and_actual() -> None:
    outcome = check_assertion(Assertion("prompt", ":", ["*eggs*", "*bread*"], 7), _exchange())
    assert not outcome.passed
    assert "'*eggs*' or '*bread*'" in outcome.message and "Added 2 bottles of milk" in outcome.message
    slots = check_assertion(Assertion("slots", ":", {"quantity": 5}), _exchange())
    assert slots.message == "slot quantity : 5: got '2'"


def test_resolve_path_walks_objects_and_lists() -> None:
    data = {"a": {"b": [{"c": 1}, {"c": 2}]}}
    assert resolve_path(data, "a.b[1].c") == 2
    assert resolve_path(data, "a.b[5].c") is None
    assert resolve_path(data, "a.x.y") is None
