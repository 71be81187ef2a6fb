"""No input gets a 500 (issue 24, findings 5, 6 and 7's 413): deep nesting, lone surrogates, a
locale that is a path, a missing application id with --skill-id, NaN and Infinity, characters XML
forbids; each gets a 400 with a reason or a normal spoken answer, and every 200 is strict JSON whose
SSML parses as XML."""

from __future__ import annotations

import json
import socket
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from skill.config import SkillConfig
from skill.webservice import create_app

SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"


@pytest.fixture
def client(skill_config: SkillConfig) -> Any:
    return create_app(skill_config, verify=False).test_client()


@pytest.fixture
def strict_client(db_path: Any) -> Any:
    config = SkillConfig(db_path=db_path, demo_accounts=True, skill_id=SKILL_ID)
    return create_app(config, verify=False).test_client()


def _strict(text: str) -> Any:
    def refuse(name: str) -> Any:
        raise AssertionError(f"{name} in a response")

    return json.loads(text, parse_constant=refuse)


def _ok_speech(r: Any) -> str:
    assert r.status_code == 200, r.get_data(as_text=True)[:300]
    body = _strict(r.get_data(as_text=True))
    ssml = body["response"]["outputSpeech"]["ssml"]
    ET.fromstring(ssml)
    return str(ssml)


def _post(client: Any, raw: bytes) -> Any:
    return client.post("/alexa", data=raw, content_type="application/json")


def _nest(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = {"a": [value]}
    return value


def test_json_nested_a_thousand_deep_is_400(client: Any, kit: Any) -> None:
    r = _post(client, b"[" * 1000 + b"]" * 1000)
    assert r.status_code == 400 and r.json["error"] == "BadAlexaRequest"
    r = _post(client, b'{"a":' * 100000 + b"1" + b"}" * 100000)
    assert r.status_code in (400, 413)


def test_deep_session_attributes_are_400(client: Any, kit: Any) -> None:
    request = kit.envelope("IntentRequest", intent="ViewCartIntent", new=False)
    request["session"]["attributes"] = {"pending": _nest(200)}
    r = _post(client, json.dumps(request).encode())
    assert r.status_code == 400 and "nested more than" in r.json["message"]


def test_lone_surrogates_in_attribute_and_slot_get_a_normal_answer(client: Any, kit: Any) -> None:
    request = kit.envelope("IntentRequest", intent="SearchProductIntent", slots={"product": "milk"}, new=False)
    raw = json.dumps(request).replace('"milk"', '"mi\\ud800lk\\udfff"')
    raw = raw.replace('"attributes": {}', '"attributes": {"query": "\\udc00x", "\\ud83d": 1}')
    r = _post(client, raw.encode())
    _ok_speech(r)
    r.get_data().decode("utf-8")  # valid UTF-8 throughout


@pytest.mark.parametrize("locale", [".", "/", "../", "/etc", "../../etc", "en-US/../..", "x" * 5000, "", 7, None])
def test_locale_that_is_a_path_or_nonsense_is_spoken_in_en_us(client: Any, kit: Any, locale: Any) -> None:
    for request in (kit.envelope(), kit.envelope("IntentRequest", intent="NoSuchIntent", new=False)):
        request["request"]["locale"] = locale
        assert "<speak>" in _ok_speech(_post(client, json.dumps(request).encode()))


def test_skill_id_without_context_application_is_400(strict_client: Any, kit: Any) -> None:
    request = kit.envelope()
    del request["context"]["System"]["application"]
    r = _post(strict_client, json.dumps(request).encode())
    assert r.status_code == 400 and r.json["error"] == "ApplicationIdError"
    request = kit.envelope()
    request["context"]["System"]["application"] = "not an object"
    assert _post(strict_client, json.dumps(request).encode()).status_code == 400
    _ok_speech(_post(strict_client, json.dumps(kit.envelope()).encode()))


@pytest.mark.parametrize("constant", [b"NaN", b"Infinity", b"-Infinity"])
def test_non_standard_json_constants_are_400(client: Any, kit: Any, constant: bytes) -> None:
    raw = json.dumps(kit.envelope()).encode().replace(b'"attributes": {}', b'"attributes": {"x": ' + constant + b"}")
    r = _post(client, raw)
    assert r.status_code == 400 and "strict JSON" in r.json["message"]


def test_xml_forbidden_characters_never_reach_the_ssml(client: Any, kit: Any) -> None:
    for product in ("milk\x00\x07", "\ufffe\uffffeggs", "bread\x1b[2J", "<speak>&amp;</speak>"):
        request = kit.envelope("IntentRequest", intent="SearchProductIntent", slots={"product": product}, new=False)
        ssml = _ok_speech(_post(client, json.dumps(request).encode()))
        assert "\x00" not in ssml and "\ufffe" not in ssml and "\x1b" not in ssml


def test_wrong_types_in_the_envelope_are_400_not_500(client: Any, kit: Any) -> None:
    for path, value in (
        (("session",), "x"),
        (("session", "attributes"), [1]),
        (("context", "System", "user"), 5),
        (("request", "intent"), "x"),
        (("request", "timestamp"), {"a": 1}),
    ):
        request = kit.envelope("IntentRequest", intent="ViewCartIntent", new=False)
        holder = request
        for key in path[:-1]:
            holder = holder[key]
        holder[path[-1]] = value
        r = _post(client, json.dumps(request).encode())
        assert r.status_code in (200, 400), (path, r.status_code)
        _strict(r.get_data(as_text=True))


def test_413_closes_the_connection_and_the_next_request_works(dev_server: Any, kit: Any) -> None:
    """On the real server: a body over the limit gets 413 with Connection: close, and the client's
    next request (on a new connection) is answered."""
    host, port = dev_server.url.removeprefix("http://").split(":")
    body = b"{" + b" " * (200 * 1024) + b"}"
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            b"POST /alexa HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
        )
        sock.sendall(body[:1024])  # the client has not finished sending when the answer comes
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = sock.recv(4096)
            if not chunk:
                break
            head += chunk
        assert head.startswith(b"HTTP/1.1 413")
        assert b"connection: close" in head.lower()
    good = dev_server.post(json.dumps(kit.envelope()).encode())
    assert good.status_code == 200
