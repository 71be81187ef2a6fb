"""The Flask app through its test client: routing, verification wiring, and every bad-input path."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest

from skill.clock import FixedClock
from skill.webservice import MAX_BODY_BYTES, create_app


@pytest.fixture
def client(skill_config):
    return create_app(skill_config, verify=False).test_client()


@pytest.fixture
def signed_client(skill_config, fresh_pki):
    return create_app(skill_config, verifier=fresh_pki.verifier()).test_client()


def _speech(response_json):
    return response_json["response"]["outputSpeech"]["ssml"]


def test_webservice_answers_a_launch_request(client, kit):
    r = client.post("/alexa", json=kit.envelope())
    assert r.status_code == 200
    assert r.json["version"] == "1.0"
    assert _speech(r.json).startswith("<speak>")


def test_webservice_answers_a_signed_request_when_verifying(signed_client, fresh_pki, kit):
    body = kit.body_of(kit.envelope())
    r = signed_client.post(
        "/alexa", data=body, headers=fresh_pki.headers(body), content_type="application/json"
    )
    assert r.status_code == 200, r.json
    assert "outputSpeech" in r.json["response"]


def test_webservice_refuses_an_unsigned_request_with_400(signed_client, kit):
    r = signed_client.post("/alexa", json=kit.envelope())
    assert r.status_code == 400
    assert r.json == {"error": "CertificateUrlError", "message": "missing SignatureCertChainUrl header"}


def test_webservice_refuses_a_forged_signature_with_400(signed_client, fresh_pki, kit):
    body = kit.body_of(kit.envelope())
    headers = fresh_pki.headers(body + b" ")  # signed over other bytes
    r = signed_client.post("/alexa", data=body, headers=headers, content_type="application/json")
    assert r.status_code == 400
    assert r.json["error"] == "SignatureError"


def test_webservice_refuses_a_stale_signed_request_with_400(signed_client, fresh_pki, kit):
    body = kit.body_of(kit.envelope(timestamp=kit.now - timedelta(minutes=5)))
    r = signed_client.post(
        "/alexa", data=body, headers=fresh_pki.headers(body), content_type="application/json"
    )
    assert r.status_code == 400
    assert r.json["error"] == "TimestampError"
    assert "300 s from now" in r.json["message"]


def test_webservice_refuses_another_skills_request_when_a_skill_id_is_set(skill_config, kit):
    skill_config.skill_id = "amzn1.ask.skill.voiceshop"
    c = create_app(skill_config, verify=False).test_client()
    r = c.post("/alexa", json=kit.envelope(app_id="amzn1.ask.skill.other"))
    assert r.status_code == 400
    assert r.json["error"] == "ApplicationIdError"
    assert c.post("/alexa", json=kit.envelope(app_id="amzn1.ask.skill.voiceshop")).status_code == 200


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "not JSON"),
        (b"", "empty request body"),
        (b"\xff\xfe\x00garbage", "not JSON"),
        (b"[1, 2, 3]", "not a JSON object"),
        (b'{"hello": "world"}', "missing version, context, request"),
        (b'{"version": "1.0", "context": {"System": {}}, "request": "LaunchRequest"}', "request.type"),
        (b'{"version": "1.0", "context": {}, "request": {"type": "LaunchRequest"}}', "context.System"),
    ],
)
def test_webservice_refuses_bad_bodies_with_a_clear_400(client, body, message):
    r = client.post("/alexa", data=body, content_type="application/json")
    assert r.status_code == 400
    assert r.json["error"] == "BadAlexaRequest"
    assert message in r.json["message"]


def test_webservice_refuses_an_envelope_ask_sdk_cannot_read_with_400(client, kit):
    request = kit.envelope()
    request["request"]["type"] = "NoSuchRequestType"
    r = client.post("/alexa", json=request)
    assert r.status_code == 400
    assert "not a valid Alexa request" in r.json["message"]


def test_webservice_refuses_a_body_over_the_limit_with_413(client, kit):
    request = kit.envelope()
    request["session"]["attributes"]["padding"] = "x" * MAX_BODY_BYTES
    r = client.post("/alexa", json=request)
    assert r.status_code == 413
    assert r.json["error"] == "RequestEntityTooLarge"


def test_webservice_answers_an_unknown_intent_without_a_500(client, kit):
    r = client.post("/alexa", json=kit.envelope("IntentRequest", intent="NoSuchIntent", new=False))
    assert r.status_code == 200
    assert _speech(r.json)


def test_webservice_answers_non_ascii_slot_values(client, kit):
    request = kit.envelope(
        "IntentRequest", intent="SearchProductIntent", slots={"product": "café crème 咖啡"}, new=False
    )
    r = client.post(
        "/alexa", data=json.dumps(request, ensure_ascii=False).encode(), content_type="application/json"
    )
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    assert _speech(r.json)


def test_webservice_turns_a_bug_into_a_json_500_without_internals(skill_config, kit, caplog):
    def broken(request):
        raise RuntimeError("secret internal detail")

    c = create_app(skill_config, verify=False, invoker=broken).test_client()
    with caplog.at_level(logging.ERROR, logger="voiceshop.web"):
        r = c.post("/alexa", json=kit.envelope())
    assert r.status_code == 500
    assert r.json == {
        "error": "InternalServerError",
        "message": "the skill failed to answer; the error has been logged",
    }
    assert "secret internal detail" not in r.get_data(as_text=True)
    assert any(rec.exc_info and "secret internal detail" in str(rec.exc_info[1]) for rec in caplog.records)


def test_webservice_healthz_reports_ok_and_opens_the_database(client, db_path):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json == {"status": "ok", "database": str(db_path), "verification": False}
    assert db_path.exists()


def test_webservice_healthz_reports_an_unusable_database_with_503(skill_config, tmp_path):
    skill_config.db_path = tmp_path / "not-a-dir" / "voiceshop.db"
    (tmp_path / "not-a-dir").write_text("a file where a folder should be")
    r = create_app(skill_config, verify=False).test_client().get("/healthz")
    assert r.status_code == 503
    assert r.json["status"] == "error"


def test_webservice_answers_json_for_unknown_routes_and_methods(client):
    assert client.get("/nowhere").json["error"] == "NotFound"
    r = client.get("/alexa")
    assert r.status_code == 405
    assert r.json["error"] == "MethodNotAllowed"


def test_webservice_verifier_clock_is_injectable(skill_config, fresh_pki, kit):
    clock = FixedClock(kit.now + timedelta(hours=1))
    c = create_app(skill_config, verifier=fresh_pki.verifier(clock)).test_client()
    body = kit.body_of(kit.envelope(timestamp=clock.now()))
    r = c.post("/alexa", data=body, headers=fresh_pki.headers(body), content_type="application/json")
    assert r.status_code == 200, r.json
