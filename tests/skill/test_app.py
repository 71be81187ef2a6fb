"""skill.app: the faster envelope serializer gives exactly what ask-sdk's stock serializer gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.app import EnvelopeSerializer, create_invoker
from skill.config import SkillConfig
from tests.support.paths import FIXTURES

pytestmark = pytest.mark.both_stores

FIXTURES = sorted(
    p
    for p in (FIXTURES / "requests").glob("*.json")
    if "request" in json.loads(p.read_text())  # whole envelopes, not slot fragments
)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_envelope_serializer_matches_stock_serializer(path: Path) -> None:
    payload = json.loads(path.read_text())
    fast = EnvelopeSerializer().deserialize_request(payload)
    stock = DefaultSerializer().deserialize(json.dumps(payload), RequestEnvelope)
    assert fast == stock
    assert fast.request.timestamp == stock.request.timestamp


def test_envelope_serializer_reads_timestamps_dateutil_style() -> None:
    payload = json.loads(FIXTURES[0].read_text())
    payload["request"]["timestamp"] = "Fri, 27 Nov 2026 20:00:00 GMT"  # not ISO 8601: the fallback parses it
    envelope = EnvelopeSerializer().deserialize_request(payload)
    assert envelope.request.timestamp.year == 2026


def test_invoker_answers_launch_with_speech(skill_config: SkillConfig) -> None:
    payload = json.loads(FIXTURES[0].read_text())
    payload["request"] = {
        "type": "LaunchRequest",
        "requestId": "amzn1.echo-api.request.1",
        "timestamp": "2026-11-27T20:00:00Z",
        "locale": "en-US",
    }
    response = create_invoker(skill_config)(payload)
    assert response["version"] == "1.0"
    assert "Voice Shop" in response["response"]["outputSpeech"]["ssml"]


def test_stale_question_is_dropped_when_the_user_changes_topic(talk) -> None:  # type: ignore[no-untyped-def]
    talk.say("SearchProductIntent", product="milk")
    assert "add it" in talk.say("SelectItemIntent", position="1")
    assert talk.attributes["pending"]["kind"] == "offer_add"
    talk.say("ViewCartIntent")
    assert "pending" not in talk.attributes
    talk.say("AMAZON.YesIntent")
    assert "empty" in talk.say("ViewCartIntent"), "a yes after another question must not add the product"


def test_question_survives_repeat_and_unrecognised_speech(talk) -> None:  # type: ignore[no-untyped-def]
    talk.say("SearchProductIntent", product="milk")
    talk.say("SelectItemIntent", position="1")
    talk.say("AMAZON.RepeatIntent")
    talk.say("AMAZON.FallbackIntent")
    assert talk.attributes["pending"]["kind"] == "offer_add"
    assert talk.say("AMAZON.YesIntent").startswith("Added")
