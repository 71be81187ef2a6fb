"""The session lifecycle: requests sent, attributes carried, the session opened and closed as Alexa does."""

from __future__ import annotations

from typing import Any

import pytest

from speech.errors import EndpointError


def test_session_launch_then_intent_carries_attributes(make_cloud, Skill, say) -> None:
    def script(request: dict[str, Any]) -> dict[str, Any]:
        attrs = dict(request["session"]["attributes"])
        attrs["turns"] = attrs.get("turns", 0) + 1
        return say(f"Turn {attrs['turns']}.", "Go on.", end=False, attrs=attrs)

    skill = Skill(script)
    cloud = make_cloud(skill)
    first = cloud.hear("open voice shop")
    second = cloud.hear("add milk")
    third = cloud.hear("what's in my cart")
    assert [t.speech for t in (first, second, third)] == ["Turn 1.", "Turn 2.", "Turn 3."]
    assert skill.types() == ["LaunchRequest", "IntentRequest", "IntentRequest"]
    sessions = [r["session"] for r in skill.requests]
    assert [s["new"] for s in sessions] == [True, False, False]
    assert len({s["sessionId"] for s in sessions}) == 1
    assert [s["attributes"] for s in sessions] == [{}, {"turns": 1}, {"turns": 2}]
    intent = skill.requests[1]["request"]["intent"]
    assert intent["name"] == "AddToCartIntent"
    assert intent["slots"]["product"]["value"] == "milk"
    assert (
        intent["slots"]["product"]["resolutions"]["resolutionsPerAuthority"][0]["values"][0]["value"]["id"]
        == "milk"
    )
    assert intent["slots"]["quantity"] == {"name": "quantity", "confirmationStatus": "NONE"}
    assert third.session_open and third.reprompt == "Go on."


def test_session_one_shot_is_a_new_session_intent(make_cloud, Skill, say) -> None:
    skill = Skill(lambda r: say("Added milk.", end=True))
    cloud = make_cloud(skill)
    turn = cloud.hear("ask voice shop to add milk")
    assert turn.request is skill.requests[0]
    assert skill.types() == ["IntentRequest"]
    assert skill.requests[0]["session"]["new"] is True
    assert skill.last()["intent"]["name"] == "AddToCartIntent"
    assert turn.speech == "Added milk."
    assert not turn.session_open and not cloud.session_open


def test_session_without_invocation_is_answered_locally(make_cloud, Skill) -> None:
    skill = Skill()
    cloud = make_cloud(skill)
    turn = cloud.hear("add milk")
    assert turn.request is None and turn.response is None
    assert "not sure" in turn.speech.lower()
    assert cloud.hear("stop").speech == ""
    assert skill.requests == []


@pytest.mark.parametrize(
    ("response_kwargs", "open_after"),
    [
        ({"end": True}, False),
        ({"end": False}, True),
        ({"reprompt": "Anything else?"}, True),
        ({}, False),
        ({"reprompt": "Anything else?", "end": True}, False),
    ],
)
def test_session_should_end_session_rules(make_cloud, Skill, say, response_kwargs, open_after) -> None:
    skill = Skill(lambda r: say("Hello.", **response_kwargs))
    cloud = make_cloud(skill)
    turn = cloud.hear("open voice shop")
    assert turn.session_open is open_after
    assert cloud.session_open is open_after
    # A closed session means the next line is Alexa's, not the skill's.
    cloud.hear("what's in my cart")
    assert len(skill.requests) == (2 if open_after else 1)


def test_session_closed_by_skill_sends_no_session_ended(make_cloud, Skill, say) -> None:
    skill = Skill(
        lambda r: (
            say("Bye.", end=True)
            if r["request"].get("intent", {}).get("name") == "AMAZON.StopIntent"
            else say("Hi.", "Say something.")
        )
    )
    cloud = make_cloud(skill)
    cloud.hear("open voice shop")
    stop = cloud.hear("stop")
    assert stop.speech == "Bye." and not stop.session_open
    assert skill.types() == ["LaunchRequest", "IntentRequest"]
    assert skill.last()["intent"]["name"] == "AMAZON.StopIntent"


def test_session_silence_speaks_reprompt_then_ends(make_cloud, Skill, say) -> None:
    skill = Skill(lambda r: say("Welcome. What would you like?", "Say add milk, for example."))
    cloud = make_cloud(skill)
    cloud.hear("open voice shop")
    first = cloud.timeout()
    assert first.speech == "Say add milk, for example." and first.session_open
    assert first.request is None
    second = cloud.hear("   ")
    assert not second.session_open and not cloud.session_open
    assert second.request["request"]["type"] == "SessionEndedRequest"
    assert second.request["request"]["reason"] == "EXCEEDED_MAX_REPROMPTS"
    assert second.speech == ""
    assert skill.types() == ["LaunchRequest", "SessionEndedRequest"]
    assert skill.requests[1]["session"]["sessionId"] == skill.requests[0]["session"]["sessionId"]


def test_session_reprompt_count_resets_after_an_answer(make_cloud, Skill, say) -> None:
    skill = Skill(lambda r: say("Yes?", "Still there?"))
    cloud = make_cloud(skill, max_reprompts=2)
    cloud.hear("open voice shop")
    assert cloud.timeout().speech == "Still there?"
    assert cloud.timeout().speech == "Still there?"
    cloud.hear("what's in my cart")
    assert cloud.timeout().speech == "Still there?"
    assert cloud.session_open


@pytest.mark.parametrize("word", ["exit", "Quit."])
def test_session_exit_sends_user_initiated(make_cloud, Skill, say, word) -> None:
    skill = Skill(lambda r: say("Hi.", "Well?"))
    cloud = make_cloud(skill)
    cloud.hear("open voice shop")
    turn = cloud.hear(word)
    assert skill.last()["type"] == "SessionEndedRequest"
    assert skill.last()["reason"] == "USER_INITIATED"
    assert "error" not in skill.last()
    assert not turn.session_open


def test_session_endpoint_error_sends_session_ended_error(make_cloud, Skill, say) -> None:
    calls = {"n": 0}

    def script(request: dict[str, Any]) -> dict[str, Any]:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("database is locked")
        return say("Hi.", "Well?")

    skill = Skill(script)
    cloud = make_cloud(skill)
    cloud.hear("open voice shop")
    turn = cloud.hear("add milk")
    assert turn.error and "database is locked" in turn.error
    assert turn.request["request"]["type"] == "IntentRequest" and turn.response is None
    assert "problem" in turn.speech.lower()
    assert skill.last()["type"] == "SessionEndedRequest"
    assert skill.last()["reason"] == "ERROR"
    assert skill.last()["error"]["type"] == "INVALID_RESPONSE"
    assert not cloud.session_open


@pytest.mark.parametrize(
    "bad",
    [
        {"version": "1.0"},
        {"response": {"outputSpeech": {"type": "SSML"}}},
        {"response": {"shouldEndSession": "no"}},
        {"response": {}, "sessionAttributes": [1]},
        ["not", "an", "object"],
    ],
)
def test_session_invalid_response_ends_with_error(make_cloud, Skill, say, bad) -> None:
    skill = Skill(lambda r: bad)
    cloud = make_cloud(skill)
    turn = cloud.hear("open voice shop")
    assert turn.error and "invalid skill response" in turn.error
    assert skill.types() == ["LaunchRequest", "SessionEndedRequest"]
    assert skill.last()["error"]["type"] == "INVALID_RESPONSE"
    assert not turn.session_open


def test_session_unreachable_endpoint_error_type(make_cloud) -> None:
    sent: list[dict] = []

    def dead(request: dict) -> dict:
        sent.append(request)
        raise EndpointError("cannot reach http://127.0.0.1:9/alexa: ConnectionError")

    cloud = make_cloud(dead)
    turn = cloud.hear("open voice shop")
    assert turn.error.startswith("cannot reach")
    assert [r["request"]["type"] for r in sent] == ["LaunchRequest", "SessionEndedRequest"]
    assert sent[1]["request"]["error"]["type"] == "ENDPOINT_TIMEOUT"
    assert cloud.answered == 0 and not cloud.session_open


def test_session_speech_is_plain_text(make_cloud, Skill) -> None:
    ssml = '<speak>Milk is <say-as interpret-as="unit">$2.49</say-as>.<break time="300ms"/>Tom &amp; Jerry</speak>'
    skill = Skill(
        lambda r: {
            "response": {
                "outputSpeech": {"type": "SSML", "ssml": ssml},
                "card": {"type": "Simple", "title": "Milk", "content": "2.49"},
                "directives": [{"type": "Display.Unknown"}],
                "shouldEndSession": True,
            }
        }
    )
    turn = make_cloud(skill).hear("ask voice shop to add milk")
    assert turn.speech == "Milk is $2.49. Tom & Jerry"
    assert turn.card == {"type": "Simple", "title": "Milk", "content": "2.49"}
    assert turn.directives == [{"type": "Display.Unknown"}]
    assert not turn.session_open


def test_session_reinvocation_starts_a_new_session(make_cloud, Skill, say) -> None:
    skill = Skill(lambda r: say("Hi.", "Well?", attrs={"x": 1}))
    cloud = make_cloud(skill)
    cloud.hear("open voice shop")
    cloud.hear("open voice shop")
    first, second = skill.requests
    assert first["session"]["sessionId"] != second["session"]["sessionId"]
    assert second["session"]["new"] is True and second["session"]["attributes"] == {}


def test_session_plain_text_speech_and_request_user(make_cloud, Skill) -> None:
    skill = Skill(
        lambda r: {
            "response": {
                "outputSpeech": {"type": "PlainText", "text": "Hello  there"},
                "shouldEndSession": False,
            }
        }
    )
    cloud = make_cloud(skill, user_id="amzn1.ask.account.OTHER", locale="en-GB")
    turn = cloud.hear("open voice shop")
    assert turn.speech == "Hello there" and turn.session_open and turn.reprompt == ""
    assert turn.request["session"]["user"]["userId"] == "amzn1.ask.account.OTHER"
    assert turn.request["request"]["locale"] == "en-GB"
    # No reprompt: silence ends the session at once.
    end = cloud.timeout()
    assert end.request["request"]["reason"] == "EXCEEDED_MAX_REPROMPTS"


@pytest.mark.parametrize("line", ["", "   ", "?!.", "x" * 5000, "¿Qué tal? 日本語 ☕", "alexa"])
def test_session_bad_input_never_crashes(make_cloud, Skill, say, line) -> None:
    skill = Skill(lambda r: say("Hi.", "Well?"))
    cloud = make_cloud(skill)
    cloud.hear("open voice shop")
    turn = cloud.hear(line)
    assert turn.heard == line
    assert all(len(said) <= 500 for said, _ in cloud.nlu.calls)
    assert turn.error is None
    if turn.request is not None and turn.request["request"]["type"] == "IntentRequest":
        assert turn.request["request"]["intent"]["name"] == "AMAZON.FallbackIntent"
