"""Request envelopes in the exact Alexa schema."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from speech.envelope import (
    API_ENDPOINT,
    Caller,
    SessionInfo,
    intent_json,
    intent_request,
    launch_request,
    session_ended_request,
    timestamp,
)

WHO = Caller(
    user_id="amzn1.ask.account.U1", application_id="amzn1.ask.skill.APP", device_id="amzn1.ask.device.D1"
)
NOW = datetime(2026, 11, 27, 21, 5, 9, 123456, tzinfo=UTC)
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def _assert_common(envelope: dict, kind: str) -> None:
    assert envelope["version"] == "1.0"
    session = envelope["session"]
    assert set(session) == {"new", "sessionId", "application", "attributes", "user"}
    assert re.fullmatch(rf"amzn1\.echo-api\.session\.{UUID}", session["sessionId"])
    assert session["application"] == {"applicationId": "amzn1.ask.skill.APP"}
    assert session["user"] == {"userId": "amzn1.ask.account.U1"}
    system = envelope["context"]["System"]
    assert system["application"] == {"applicationId": "amzn1.ask.skill.APP"}
    assert system["user"] == {"userId": "amzn1.ask.account.U1"}
    assert system["device"] == {"deviceId": "amzn1.ask.device.D1", "supportedInterfaces": {}}
    assert system["apiEndpoint"] == API_ENDPOINT == "https://api.amazonalexa.com"
    assert isinstance(system["apiAccessToken"], str) and system["apiAccessToken"]
    request = envelope["request"]
    assert request["type"] == kind
    assert re.fullmatch(rf"amzn1\.echo-api\.request\.{UUID}", request["requestId"])
    assert request["timestamp"] == "2026-11-27T21:05:09Z"
    assert request["locale"] == "en-US"


def test_envelope_launch_request_has_every_required_field() -> None:
    session = SessionInfo.start()
    envelope = launch_request(WHO, session, locale="en-US", now=NOW)
    _assert_common(envelope, "LaunchRequest")
    assert envelope["session"]["new"] is True
    assert envelope["session"]["attributes"] == {}


def test_envelope_request_ids_are_unique() -> None:
    session = SessionInfo.start()
    ids = {launch_request(WHO, session, locale="en-US", now=NOW)["request"]["requestId"] for _ in range(5)}
    assert len(ids) == 5
    assert SessionInfo.start().session_id != session.session_id


def test_envelope_intent_request_lists_every_model_slot(test_model) -> None:
    filled = {"product": {"name": "product", "value": "milk", "confirmationStatus": "NONE"}}
    intent = intent_json(test_model, "AddToCartIntent", filled)
    session = SessionInfo(
        session_id="amzn1.echo-api.session.00000000-0000-0000-0000-000000000000",
        new=False,
        attributes={"page": 2},
    )
    envelope = intent_request(WHO, session, intent, locale="en-US", now=NOW, dialog_state="STARTED")
    assert envelope["session"]["new"] is False
    assert envelope["session"]["attributes"] == {"page": 2}
    request = envelope["request"]
    assert request["type"] == "IntentRequest"
    assert request["dialogState"] == "STARTED"
    assert request["intent"] == {
        "name": "AddToCartIntent",
        "confirmationStatus": "NONE",
        "slots": {
            "product": {"name": "product", "value": "milk", "confirmationStatus": "NONE"},
            "quantity": {"name": "quantity", "confirmationStatus": "NONE"},
        },
    }


def test_envelope_intent_without_slots_or_dialog_leaves_them_out(test_model) -> None:
    envelope = intent_request(
        WHO, SessionInfo.start(), intent_json(test_model, "ViewCartIntent"), locale="en-US", now=NOW
    )
    assert "dialogState" not in envelope["request"]
    assert envelope["request"]["intent"] == {"name": "ViewCartIntent", "confirmationStatus": "NONE"}


def test_envelope_access_token_only_when_linked() -> None:
    linked = Caller(user_id="u", application_id="a", device_id="d", access_token="tok")
    envelope = launch_request(linked, SessionInfo.start(), locale="en-US", now=NOW)
    assert envelope["session"]["user"] == {"userId": "u", "accessToken": "tok"}
    assert envelope["context"]["System"]["user"]["accessToken"] == "tok"


def test_envelope_session_ended_request_error_only_for_error() -> None:
    session = SessionInfo(session_id="amzn1.echo-api.session.x", new=False)
    ended = session_ended_request(WHO, session, "USER_INITIATED", locale="en-US", now=NOW)
    assert ended["request"]["reason"] == "USER_INITIATED"
    assert "error" not in ended["request"]
    failed = session_ended_request(
        WHO, session, "ERROR", locale="en-US", now=NOW, error_type="INVALID_RESPONSE", error_message="bad"
    )
    assert failed["request"]["error"] == {"type": "INVALID_RESPONSE", "message": "bad"}


def test_envelope_timestamp_is_utc_with_z() -> None:
    eastern = timezone(timedelta(hours=-5))
    assert timestamp(datetime(2026, 1, 1, 19, 0, 0, tzinfo=eastern)) == "2026-01-02T00:00:00Z"
    assert timestamp(datetime(2026, 1, 1, 19, 0, 0)) == "2026-01-01T19:00:00Z"


def test_envelope_is_accepted_by_ask_sdk(test_model) -> None:
    """The envelope deserialises into ask-sdk-model's RequestEnvelope with nothing lost."""
    import json

    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import RequestEnvelope

    filled = {"product": {"name": "product", "value": "milk", "confirmationStatus": "NONE"}}
    envelope = intent_request(
        WHO,
        SessionInfo.start(),
        intent_json(test_model, "AddToCartIntent", filled),
        locale="en-US",
        now=NOW,
        dialog_state="STARTED",
    )
    parsed = DefaultSerializer().deserialize(json.dumps(envelope), RequestEnvelope)
    assert parsed.request.intent.slots["product"].value == "milk"
    assert parsed.request.dialog_state.value == "STARTED"
    assert parsed.context.system.user.user_id == "amzn1.ask.account.U1"
    assert parsed.session.new is True
