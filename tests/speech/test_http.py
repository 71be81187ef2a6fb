"""The cloud driving a skill over real HTTP: a tiny skill served on loopback by the test."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from speech.transport import HttpEndpoint


class TinySkill(BaseHTTPRequestHandler):
    """Answers Alexa JSON with canned responses and keeps what it was sent."""

    received: list[dict[str, Any]] = []
    broken = False

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).received.append(body)
        kind = body["request"]["type"]
        if type(self).broken:
            self._reply(500, b"boom")
            return
        if kind == "LaunchRequest":
            out = {
                "version": "1.0",
                "sessionAttributes": {"seen": 1},
                "response": {
                    "outputSpeech": {"type": "PlainText", "text": "Tiny skill here."},
                    "reprompt": {"outputSpeech": {"type": "PlainText", "text": "Say something."}},
                    "shouldEndSession": False,
                },
            }
        elif kind == "IntentRequest":
            name = body["request"]["intent"]["name"]
            seen = body["session"]["attributes"].get("seen")
            out = {
                "version": "1.0",
                "response": {
                    "outputSpeech": {
                        "type": "SSML",
                        "ssml": f"<speak>You asked {name}, seen {seen}.</speak>",
                    },
                    "shouldEndSession": True,
                },
            }
        else:
            out = {"version": "1.0", "response": {}}
        self._reply(200, json.dumps(out).encode())

    def _reply(self, status: int, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def tiny_skill() -> Iterator[str]:
    TinySkill.received = []
    TinySkill.broken = False
    server = ThreadingHTTPServer(("127.0.0.1", 0), TinySkill)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/alexa"
    finally:
        server.shutdown()
        server.server_close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_http_conversation_over_loopback(make_cloud, tiny_skill: str) -> None:
    cloud = make_cloud(HttpEndpoint(tiny_skill))
    launch = cloud.hear("open voice shop")
    assert launch.speech == "Tiny skill here." and launch.reprompt == "Say something."
    done = cloud.hear("what's in my cart")
    assert done.speech == "You asked ViewCartIntent, seen 1."
    assert not done.session_open
    kinds = [r["request"]["type"] for r in TinySkill.received]
    assert kinds == ["LaunchRequest", "IntentRequest"]
    assert TinySkill.received[1]["session"]["attributes"] == {"seen": 1}
    assert done.response["response"]["shouldEndSession"] is True


def test_http_server_error_ends_session_with_error(make_cloud, tiny_skill: str) -> None:
    cloud = make_cloud(HttpEndpoint(tiny_skill))
    cloud.hear("open voice shop")
    TinySkill.broken = True
    turn = cloud.hear("add milk")
    assert turn.error and "HTTP 500" in turn.error
    assert not cloud.session_open
    last = TinySkill.received[-1]["request"]
    assert last["type"] == "SessionEndedRequest" and last["reason"] == "ERROR"


def test_http_unreachable_endpoint(make_cloud) -> None:
    cloud = make_cloud(HttpEndpoint(f"http://127.0.0.1:{_free_port()}/alexa", timeout=2))
    turn = cloud.hear("open voice shop")
    assert turn.error and turn.error.startswith("cannot reach")
    assert "not responding" in turn.speech
    assert not cloud.session_open and cloud.answered == 0
