"""Built-in intents and requests through the skill: launch, help, stop, cancel, repeat, navigation,
yes/no with nothing pending, fallback and unknown intents, session end."""

from __future__ import annotations

from typing import Any

import pytest

from skill.handlers import builtins, request_handlers

pytestmark = pytest.mark.both_stores


def test_launch_welcomes_and_keeps_the_session_open(talk: Any) -> None:
    talk.launch()
    assert "Welcome to Voice Shop" in talk.speech
    assert talk.last["response"]["shouldEndSession"] is False
    assert talk.reprompt


def test_launch_mentions_the_cart_left_from_last_time(talk: Any) -> None:
    talk.launch()
    talk.say("AddToCartIntent", product="bananas", quantity="2")
    talk.say("AddToCartIntent", product="tea")
    talk.say("AMAZON.StopIntent")
    assert talk.ends_session
    talk.launch()
    assert "You have 3 items in your cart" in talk.speech
    assert "2 bunches of Dole Bananas" in talk.say("ViewCartIntent"), "the cart survived the session"


def test_launch_one_item_is_singular(talk: Any) -> None:
    talk.say("AddToCartIntent", product="tea")
    talk.new_session()
    talk.launch()
    assert "You have 1 item in your cart" in talk.speech


def test_help_explains_and_keeps_the_session_open(talk: Any) -> None:
    response = talk.intent("AMAZON.HelpIntent")
    assert "search for coffee" in talk.speech
    assert response["response"]["shouldEndSession"] is False
    assert talk.reprompt


@pytest.mark.parametrize("intent", ["AMAZON.StopIntent", "AMAZON.CancelIntent"])
def test_stop_and_cancel_end_the_session(talk: Any, intent: str) -> None:
    talk.launch()
    response = talk.intent(intent)
    assert response["response"]["shouldEndSession"] is True
    assert talk.speech in ("Goodbye, happy shopping!", "Okay, see you next time.")
    assert "reprompt" not in response["response"]


def test_repeat_says_the_last_speech_again(talk: Any) -> None:
    first = talk.say("SearchProductIntent", product="milk")
    first_reprompt = talk.reprompt
    assert talk.say("AMAZON.RepeatIntent") == first
    assert talk.reprompt == first_reprompt
    assert talk.say("AMAZON.RepeatIntent") == first, "repeating twice still repeats the search"


def test_repeat_with_nothing_said_yet(talk: Any) -> None:
    assert "haven't said anything" in talk.say("AMAZON.RepeatIntent")
    assert not talk.ends_session


@pytest.mark.parametrize("intent", ["AMAZON.StartOverIntent", "AMAZON.NavigateHomeIntent"])
def test_start_over_and_home_forget_the_search(talk: Any, intent: str) -> None:
    talk.say("SearchProductIntent", product="milk")
    talk.say("SelectItemIntent", position="1")
    said = talk.say(intent)
    assert "start over" in said
    for key in ("results", "page", "selected", "pending"):
        assert key not in talk.attributes
    assert "search for a product first" in talk.say("SelectItemIntent", position="1")


def test_yes_and_no_with_nothing_pending(talk: Any) -> None:
    assert "Yes to what" in talk.say("AMAZON.YesIntent")
    assert talk.reprompt and not talk.ends_session
    assert "What else" in talk.say("AMAZON.NoIntent")
    assert talk.reprompt and not talk.ends_session


def test_fallback_gives_a_helpful_reprompt(talk: Any) -> None:
    said = talk.say("AMAZON.FallbackIntent")
    assert "only help with shopping" in said and "add milk" in said and "deal" not in said
    assert talk.reprompt and not talk.ends_session


@pytest.mark.parametrize("intent", ["FrobnicateIntent", "AMAZON.PauseIntent", "AMAZON.ShuffleOnIntent"])
def test_unknown_intent_is_answered_helpfully(talk: Any, intent: str) -> None:
    said = talk.say(intent, thing="whatever")
    assert "only help with shopping" in said
    assert "went wrong" not in said
    assert talk.reprompt and not talk.ends_session


def test_session_ended_says_nothing(invoke: Any, request_fixture: Any) -> None:
    response = invoke(request_fixture("session_ended_request"))
    assert "outputSpeech" not in response["response"]


def test_catch_all_is_the_last_handler() -> None:
    handlers = request_handlers()
    assert isinstance(handlers[-1], builtins.FallbackIntentHandler)
    assert isinstance(builtins.HANDLERS[-1], builtins.FallbackIntentHandler)


def test_missing_slots_entirely(talk: Any) -> None:
    for intent in (
        "AddToCartIntent",
        "RemoveFromCartIntent",
        "UpdateQuantityIntent",
        "ProductDetailsIntent",
        "SelectItemIntent",
        "SearchProductIntent",
    ):
        talk.say(intent)
        assert talk.speech and not talk.ends_session, intent
        assert "went wrong" not in talk.speech, intent
